import { handleList, propertyHandles, defineControllerService } from '@sluice/flow-api';
import Papa from 'papaparse';
import { CSV_FORMAT, CSV_FORMAT_PROPS, csvDialect, csvFormatProperties } from './csv-format.util.js';
import { coerceRow, type RecordSchema, type Row } from './record-schema.util.js';
import { encodeText, explicitSchema, RECORD_WRITER_API, validateSchemaText, writerSchemaProperties, type RecordSetWriterFactory } from './record-service-api.js';

const INCLUDE_HEADER = 'Include Header Line';
const QUOTE_MODE = 'Quote Mode';

const PROPS = propertyHandles([
  ...writerSchemaProperties(),
  ...csvFormatProperties(),
  { name: INCLUDE_HEADER, displayName: 'Include Header Line', description: 'Whether the first line names the columns.', type: 'boolean', required: true, default: 'true' },
  {
    name: QUOTE_MODE,
    displayName: 'Quote Mode',
    description: 'Which values are enclosed in quotes.',
    type: 'enum',
    required: true,
    default: 'MINIMAL',
    dependsOn: [{ property: CSV_FORMAT, values: ['custom'] }],
    allowableValues: [
      { value: 'ALL', displayName: 'Quote All Values', description: 'Every value.' },
      { value: 'MINIMAL', displayName: 'Quote Minimal', description: 'Only values that hold a separator, a quote or a line break.' },
      { value: 'NON_NUMERIC', displayName: 'Quote Non-Numeric Values', description: 'Every value that is not a number.' },
      { value: 'NONE', displayName: 'Do Not Quote Values', description: 'No value; separators inside values are escaped.' },
    ],
  },
]);

export const CSVRecordSetWriter = defineControllerService<RecordSetWriterFactory>({
  descriptor: {
    type: 'CSVRecordSetWriter',
    version: 1,
    displayName: 'CSV Record Set Writer',
    description: "Writes records as CSV, one row per record, columns in the schema's field order. Nested values are written as JSON text.",
    implements: [RECORD_WRITER_API],
    tags: ['csv', 'comma', 'separated', 'values', 'record', 'writer', 'recordset', 'delimited'],
    properties: handleList(PROPS),
  },
  validate: validateSchemaText,
  enable(ctx) {
    const dialect = csvDialect(ctx);
    const header = ctx.get(PROPS[INCLUDE_HEADER]);
    const mode = ctx.get(CSV_FORMAT_PROPS[CSV_FORMAT]) === 'custom' ? ctx.get(PROPS[QUOTE_MODE]) : 'MINIMAL';
    const schemas = new Map<string, RecordSchema>();
    return {
      mimeType: 'text/csv',
      write(rows, schema, attributes) {
        const own = explicitSchema(ctx, attributes, schemas) ?? schema;
        const names = own.fields.length > 0 ? own.fields.map((f) => f.name) : [...new Set(rows.flatMap((r) => Object.keys(r)))];
        const cells = (r: Row): (string | number)[] => {
          const row = own === schema ? r : coerceRow(r, own);
          return names.map((n) => {
            const v = row[n];
            if (v === null || v === undefined) return dialect.nullString ?? '';
            if (typeof v === 'number') return v;
            return typeof v === 'object' ? JSON.stringify(v) : String(v);
          });
        };
        const data = rows.map(cells);
        const quotes = mode === 'ALL' ? true : mode === 'NON_NUMERIC' ? (v: unknown) => typeof v !== 'number' : false;
        let text = Papa.unparse(header ? { fields: names, data } : data, {
          delimiter: dialect.delimiter,
          newline: dialect.newline,
          quoteChar: mode === 'NONE' ? '' : dialect.quoteChar,
          escapeChar: dialect.escapeChar,
          quotes: quotes as boolean,
          header,
          escapeFormulae: false,
        });
        if (text !== '') text += dialect.newline;
        return encodeText(text);
      },
    };
  },
});
