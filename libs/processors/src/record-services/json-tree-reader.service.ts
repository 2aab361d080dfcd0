import { handleList, propertyHandles, defineControllerService } from '@sluice/flow-api';
import { coerceRow, inferFields, inferValueType, RecordFormatError, type RecordSchema, type Row } from './record-schema.util.js';
import { decodeText, explicitSchema, readerSchemaProperties, RECORD_READER_API, validateSchemaText, type RecordReaderFactory } from './record-service-api.js';

const STARTING_FIELD_STRATEGY = 'Starting Field Strategy';
const STARTING_FIELD_NAME = 'Starting Field Name';

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** The first field of this name at any depth, as NiFi's NESTED_FIELD strategy looks for it. */
function findField(v: unknown, name: string): unknown {
  if (v === null || typeof v !== 'object') return undefined;
  if (!Array.isArray(v) && name in (v as Row)) return (v as Row)[name];
  for (const x of Object.values(v as Row)) {
    const found = findField(x, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

const PROPS = propertyHandles([
  ...readerSchemaProperties(),
  {
    name: STARTING_FIELD_STRATEGY,
    displayName: 'Starting Field Strategy',
    description: 'Where in the JSON the records start.',
    type: 'enum',
    required: true,
    default: 'ROOT_NODE',
    allowableValues: [
      { value: 'ROOT_NODE', displayName: 'Root Node', description: 'The root: an array of records or one record.' },
      { value: 'NESTED_FIELD', displayName: 'Nested Field', description: 'The first field named by Starting Field Name, at any depth.' },
    ],
  },
  {
    name: STARTING_FIELD_NAME,
    displayName: 'Starting Field Name',
    description: 'The field whose value (an array or an object) holds the records.',
    type: 'string',
    required: true,
    dependsOn: [{ property: STARTING_FIELD_STRATEGY, values: ['NESTED_FIELD'] }],
  },
]);

export const JsonTreeReader = defineControllerService<RecordReaderFactory>({
  descriptor: {
    type: 'JsonTreeReader',
    version: 1,
    displayName: 'JSON Tree Reader',
    description: 'Reads JSON content as records: an array of objects is one record per element, a single object is one record.',
    implements: [RECORD_READER_API],
    tags: ['json', 'record', 'reader', 'parser'],
    properties: handleList(PROPS),
  },
  validate: validateSchemaText,
  enable(ctx) {
    const nested = ctx.get(PROPS[STARTING_FIELD_STRATEGY]) === 'NESTED_FIELD' ? (ctx.get(PROPS[STARTING_FIELD_NAME]) ?? '') : null;
    const schemas = new Map<string, RecordSchema>();
    return {
      read(content, attributes) {
        const text = decodeText(content);
        if (text.trim() === '') return { schema: { fields: [] }, rows: [] };
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (e) {
          throw new RecordFormatError(`content is not JSON: ${(e as Error).message}`);
        }
        if (nested !== null) {
          parsed = findField(parsed, nested);
          if (parsed === undefined) return { schema: { fields: [] }, rows: [] };
        }
        const items = Array.isArray(parsed) ? parsed : [parsed];
        items.forEach((r, i) => {
          if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new RecordFormatError(`record ${i + 1} is ${describe(r)}, not a JSON object`);
        });
        const rows = items as Row[];
        const schema = explicitSchema(ctx, attributes, schemas);
        if (schema) return { schema, rows: rows.map((r) => coerceRow(r, schema)) };
        return { schema: { fields: inferFields(rows, inferValueType) }, rows };
      },
    };
  },
});
