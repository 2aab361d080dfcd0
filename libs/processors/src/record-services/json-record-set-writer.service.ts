import { handleList, propertyHandles, defineControllerService } from '@sluice/flow-api';
import { coerceRow, type RecordSchema, type Row } from './record-schema.util.js';
import { encodeText, explicitSchema, RECORD_WRITER_API, validateSchemaText, writerSchemaProperties, type RecordSetWriterFactory } from './record-service-api.js';

const PRETTY = 'Pretty Print JSON';
const SUPPRESS = 'Suppress Null Values';
const GROUPING = 'Output Grouping';

function dropNulls(v: unknown, missingOnly: boolean, present: ReadonlySet<string> | null): unknown {
  if (Array.isArray(v)) return v.map((x) => dropNulls(x, missingOnly, null));
  if (v === null || typeof v !== 'object') return v;
  const out: Row = {};
  for (const [k, x] of Object.entries(v as Row)) {
    if (x === null && (!missingOnly || (present !== null && !present.has(k)))) continue;
    out[k] = dropNulls(x, missingOnly, null);
  }
  return out;
}

const PROPS = propertyHandles([
  ...writerSchemaProperties(),
  { name: PRETTY, displayName: 'Pretty Print JSON', description: 'Whether the JSON is indented for people to read.', type: 'boolean', required: true, default: 'false' },
  {
    name: SUPPRESS,
    displayName: 'Suppress Null Values',
    description: 'Whether fields whose value is null are written.',
    type: 'enum',
    required: true,
    default: 'never-suppress',
    allowableValues: [
      { value: 'never-suppress', displayName: 'Never Suppress', description: 'Null fields are written as null.' },
      { value: 'always-suppress', displayName: 'Always Suppress', description: 'Null fields are left out.' },
      { value: 'suppress-missing', displayName: 'Suppress Missing Values', description: 'Fields the schema has but the record lacks are left out; explicit nulls stay.' },
    ],
  },
  {
    name: GROUPING,
    displayName: 'Output Grouping',
    description: 'An array of records, or one record per line (JSON Lines).',
    type: 'enum',
    required: true,
    default: 'output-array',
    allowableValues: [
      { value: 'output-array', displayName: 'Array', description: 'A JSON array of records.' },
      { value: 'output-oneline', displayName: 'One Line Per Object', description: 'Each record on its own line; never pretty-printed.' },
    ],
  },
]);

export const JsonRecordSetWriter = defineControllerService<RecordSetWriterFactory>({
  descriptor: {
    type: 'JsonRecordSetWriter',
    version: 1,
    displayName: 'JSON Record Set Writer',
    description: 'Writes records as a JSON array of objects, or one JSON object per line.',
    implements: [RECORD_WRITER_API],
    tags: ['json', 'record', 'writer', 'serializer', 'recordset'],
    properties: handleList(PROPS),
  },
  validate: validateSchemaText,
  enable(ctx) {
    const pretty = ctx.get(PROPS[PRETTY]);
    const suppress = ctx.get(PROPS[SUPPRESS]);
    const oneLine = ctx.get(PROPS[GROUPING]) === 'output-oneline';
    const schemas = new Map<string, RecordSchema>();
    return {
      mimeType: 'application/json',
      write(rows, _schema, attributes) {
        const own = explicitSchema(ctx, attributes, schemas);
        let out: unknown[] = own ? rows.map((r) => coerceRow(r, own)) : [...rows];
        if (suppress === 'always-suppress') out = out.map((r) => dropNulls(r, false, null));
        else if (suppress === 'suppress-missing') out = out.map((r, i) => dropNulls(r, true, new Set(Object.keys(rows[i]!))));
        if (oneLine) return encodeText(out.map((r) => JSON.stringify(r)).join('\n'));
        return encodeText(pretty ? JSON.stringify(out, null, 2) : JSON.stringify(out));
      },
    };
  },
});
