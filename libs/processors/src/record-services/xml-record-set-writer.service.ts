import { handleList, propertyHandles, defineControllerService } from '@sluice/flow-api';
import { XMLBuilder } from 'fast-xml-parser';
import { coerceRow, RecordFormatError, type RecordSchema, type Row } from './record-schema.util.js';
import { encodeText, explicitSchema, RECORD_WRITER_API, validateSchemaText, writerSchemaProperties, type RecordSetWriterFactory } from './record-service-api.js';

const SUPPRESS = 'Suppress Null Values';
const PRETTY = 'Pretty Print XML';
const OMIT_DECLARATION = 'Omit XML Declaration';
const ROOT_TAG = 'Name of Root Tag';
const RECORD_TAG = 'Name of Record Tag';
const WRAP = 'Wrap Elements of Arrays';
const ARRAY_TAG = 'Array Tag Name';

const PROPS = propertyHandles([
  ...writerSchemaProperties(),
  {
    name: SUPPRESS,
    displayName: 'Suppress Null Values',
    description: 'Whether null fields are written as empty elements or left out.',
    type: 'enum',
    required: true,
    default: 'never-suppress',
    allowableValues: [
      { value: 'never-suppress', displayName: 'Never Suppress', description: 'Null fields are written as empty elements.' },
      { value: 'always-suppress', displayName: 'Always Suppress', description: 'Null fields are left out.' },
    ],
  },
  { name: PRETTY, displayName: 'Pretty Print XML', description: 'Whether the XML is indented.', type: 'boolean', required: true, default: 'false' },
  { name: OMIT_DECLARATION, displayName: 'Omit XML Declaration', description: 'Whether the <?xml ...?> declaration is left out.', type: 'boolean', required: true, default: 'false' },
  { name: ROOT_TAG, displayName: 'Name of Root Tag', description: 'The element that encloses the records; needed to write more than one record.', type: 'string' },
  { name: RECORD_TAG, displayName: 'Name of Record Tag', description: "Each record's element; the schema's name when unset, else 'record'.", type: 'string' },
  {
    name: WRAP,
    displayName: 'Wrap Elements of Arrays',
    description: 'How array fields are written.',
    type: 'enum',
    required: true,
    default: 'no-wrapping',
    allowableValues: [
      { value: 'no-wrapping', displayName: 'No Wrapping', description: 'One element named after the field per item.' },
      { value: 'use-property-as-wrapper', displayName: 'Use Property as Wrapper', description: 'Items named after the field, inside an element named by Array Tag Name.' },
      { value: 'use-property-for-elements', displayName: 'Use Property for Elements', description: 'Items named by Array Tag Name, inside an element named after the field.' },
    ],
  },
  { name: ARRAY_TAG, displayName: 'Array Tag Name', description: 'The wrapper or item element name for arrays.', type: 'string', required: true, dependsOn: [{ property: WRAP, values: ['use-property-as-wrapper', 'use-property-for-elements'] }] },
]);

export const XMLRecordSetWriter = defineControllerService<RecordSetWriterFactory>({
  descriptor: {
    type: 'XMLRecordSetWriter',
    version: 1,
    displayName: 'XML Record Set Writer',
    description: 'Writes records as XML: a root element holding one element per record, fields as child elements.',
    implements: [RECORD_WRITER_API],
    tags: ['xml', 'record', 'writer', 'recordset', 'serializer'],
    properties: handleList(PROPS),
  },
  validate: validateSchemaText,
  enable(ctx) {
    const suppress = ctx.get(PROPS[SUPPRESS]) === 'always-suppress';
    const pretty = ctx.get(PROPS[PRETTY]);
    const omitDeclaration = ctx.get(PROPS[OMIT_DECLARATION]);
    const rootTag = ctx.get(PROPS[ROOT_TAG]) || null;
    const recordTagSetting = ctx.get(PROPS[RECORD_TAG]) || null;
    const wrap = ctx.get(PROPS[WRAP]);
    const arrayTag = ctx.get(PROPS[ARRAY_TAG]) ?? '';
    const builder = new XMLBuilder({ format: pretty, indentBy: '  ', suppressEmptyNode: false, processEntities: true });
    const schemas = new Map<string, RecordSchema>();
    const shape = (v: unknown): unknown => {
      if (v === null || v === undefined) return '';
      if (Array.isArray(v)) return v.map(shape);
      if (typeof v === 'object') {
        const out: Row = {};
        for (const [k, x] of Object.entries(v as Row)) {
          if (x === null && suppress) continue;
          if (Array.isArray(x) && wrap === 'use-property-as-wrapper') out[arrayTag] = { [k]: x.map(shape) };
          else if (Array.isArray(x) && wrap === 'use-property-for-elements') out[k] = { [arrayTag]: x.map(shape) };
          else out[k] = shape(x);
        }
        return out;
      }
      return String(v);
    };
    return {
      mimeType: 'application/xml',
      write(rows, schema, attributes) {
        const own = explicitSchema(ctx, attributes, schemas);
        const recordTag = recordTagSetting ?? own?.name ?? schema.name ?? 'record';
        if (!rootTag && rows.length > 1) throw new RecordFormatError('Name of Root Tag must be set to write more than one record');
        const records = rows.map((r) => shape(own ? coerceRow(r, own) : r));
        const tree = rootTag ? { [rootTag]: rows.length ? { [recordTag]: records } : '' } : rows.length ? { [recordTag]: records[0] } : {};
        const body = builder.build(tree) as string;
        const declaration = omitDeclaration ? '' : `<?xml version="1.0" encoding="UTF-8"?>${pretty ? '\n' : ''}`;
        return encodeText(declaration + body);
      },
    };
  },
});
