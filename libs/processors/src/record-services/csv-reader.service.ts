import { handleList, propertyHandles, defineControllerService } from '@sluice/flow-api';
import Papa from 'papaparse';
import { csvDialect, csvFormatProperties } from './csv-format.util.js';
import { coerceRow, inferFields, inferTextType, RecordFormatError, type RecordSchema, type Row } from './record-schema.util.js';
import { decodeText, explicitSchema, readerSchemaProperties, RECORD_READER_API, SCHEMA_ACCESS_STRATEGY, validateSchemaText, type RecordReaderFactory } from './record-service-api.js';

const HEADER_DERIVED = 'csv-header-derived';
const FIRST_LINE_HEADER = 'Treat First Line as Header';
const IGNORE_HEADER = 'Ignore CSV Header Column Names';
const COMMENT_MARKER = 'Comment Marker';

const PROPS = propertyHandles([
  ...readerSchemaProperties([{ value: HEADER_DERIVED, displayName: 'Use String Fields From Header', description: 'Every header column is a string field.' }]),
  ...csvFormatProperties(),
  {
    name: FIRST_LINE_HEADER,
    displayName: 'Treat First Line as Header',
    description: 'Whether the first line names the columns. Infer Schema and Use String Fields From Header always read it as the header.',
    type: 'boolean',
    required: true,
    default: 'false',
  },
  {
    name: IGNORE_HEADER,
    displayName: 'Ignore CSV Header Column Names',
    description: "With a header line and a Schema Text: whether columns map to the schema's fields by position rather than by the header's names.",
    type: 'boolean',
    default: 'false',
  },
  { name: COMMENT_MARKER, displayName: 'Comment Marker', description: 'Lines that start with this character are skipped.', type: 'string' },
]);

export const CSVReader = defineControllerService<RecordReaderFactory>({
  descriptor: {
    type: 'CSVReader',
    version: 1,
    displayName: 'CSV Reader',
    description:
      'Reads CSV content as records, one per row. Infer Schema takes the field names from the header line and the types from the values ' +
      '(numbers and booleans; a number with a leading zero stays text).',
    implements: [RECORD_READER_API],
    tags: ['csv', 'comma', 'separated', 'values', 'record', 'reader', 'delimited', 'parse'],
    properties: handleList(PROPS),
  },
  validate: validateSchemaText,
  enable(ctx) {
    const dialect = csvDialect(ctx);
    const strategy = ctx.get(PROPS[SCHEMA_ACCESS_STRATEGY]);
    const headerDerived = strategy === HEADER_DERIVED;
    const useHeader = headerDerived || strategy !== 'schema-text-property' || ctx.get(PROPS[FIRST_LINE_HEADER]);
    const ignoreHeaderNames = ctx.get(PROPS[IGNORE_HEADER]);
    const comments = ctx.get(PROPS[COMMENT_MARKER]) || false;
    const schemas = new Map<string, RecordSchema>();
    return {
      read(content, attributes) {
        const config: Papa.ParseConfig<string[]> = { delimiter: dialect.delimiter, quoteChar: dialect.quoteChar, escapeChar: dialect.escapeChar, comments, skipEmptyLines: true };
        // Papa detects \n and \r\n itself; only other separators are given.
        if (dialect.newline !== '\n' && dialect.newline !== '\r\n') config.newline = dialect.newline as Papa.ParseConfig['newline'];
        const parsed = Papa.parse<string[]>(decodeText(content), config);
        const bad = parsed.errors.find((e) => e.type === 'Quotes');
        if (bad) throw new RecordFormatError(`CSV row ${(bad.row ?? 0) + 1}: ${bad.message}`);
        const lines = parsed.data;
        const value = (v: string | undefined): string | null => {
          if (v === undefined) return null;
          const t = dialect.trim ? v.trim() : v;
          return dialect.nullString !== null && t === dialect.nullString ? null : t;
        };
        const schema = explicitSchema(ctx, attributes, schemas);
        const header = useHeader && lines.length > 0 ? lines.shift()!.map((h) => (dialect.trim ? h.trim() : h)) : null;
        const names = schema && (!header || ignoreHeaderNames) ? schema.fields.map((f) => f.name) : header;
        if (!names) throw new RecordFormatError('the CSV has no header line and no schema names its columns');
        const rows: Row[] = lines.map((line, i) => {
          if (line.length > names.length) throw new RecordFormatError(`CSV record ${i + 1} has ${line.length} values but there are ${names.length} columns`);
          const row: Row = {};
          names.forEach((n, j) => {
            row[n] = value(line[j]);
          });
          return row;
        });
        if (schema) return { schema, rows: rows.map((r) => coerceRow(r, schema)) };
        if (headerDerived) return { schema: { fields: names.map((name) => ({ name, type: { kind: 'string' } })) }, rows };
        const fields = inferFields(rows, (v) => (typeof v === 'string' ? inferTextType(v) : { kind: 'null' }));
        const inferred = { fields: names.map((name) => fields.find((f) => f.name === name) ?? { name, type: { kind: 'string' } as const }) };
        return { schema: inferred, rows: rows.map((r) => coerceRow(r, inferred)) };
      },
    };
  },
});
