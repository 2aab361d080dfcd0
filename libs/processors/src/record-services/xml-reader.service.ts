import { handleList, propertyHandles, defineControllerService } from '@sluice/flow-api';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { coerceRow, inferFields, inferTextType, widen, RecordFormatError, type DataType, type RecordSchema, type Row } from './record-schema.util.js';
import { decodeText, explicitSchema, readerSchemaProperties, RECORD_READER_API, validateSchemaText, type RecordReaderFactory } from './record-service-api.js';

const AS_ARRAY = 'Expect Records as Array';
const ATTRIBUTE_PREFIX = 'Attribute Prefix';
const CONTENT_FIELD = 'Field Name for Content';
const PARSE_ATTRIBUTES = 'Parse XML Attributes';
/** The content field, also when the property is left blank. */
const CONTENT_FIELD_DEFAULT = 'value';

/** Types of XML values: text is inferred like CSV, elements become records, repeated elements arrays. */
function xmlType(v: unknown): DataType {
  if (v === null || v === undefined) return { kind: 'null' };
  if (typeof v === 'string') return inferTextType(v);
  if (Array.isArray(v)) {
    let items: DataType = { kind: 'null' };
    for (const x of v) items = widen(items, xmlType(x));
    return { kind: 'array', items: items.kind === 'null' ? { kind: 'string' } : items };
  }
  return { kind: 'record', fields: inferFields([v as Row], xmlType) };
}

const PROPS = propertyHandles([
  ...readerSchemaProperties(),
  {
    name: AS_ARRAY,
    displayName: 'Expect Records as Array',
    description: "Whether the root element encloses several records ('true'), or is the record ('false'). Expression Language sees the FlowFile attributes.",
    type: 'string',
    required: true,
    default: 'false',
    expressionScope: 'flowfile',
  },
  { name: PARSE_ATTRIBUTES, displayName: 'Parse XML Attributes', description: 'Whether attributes of elements become fields.', type: 'boolean', required: true, default: 'true' },
  { name: ATTRIBUTE_PREFIX, displayName: 'Attribute Prefix', description: 'Put before attribute names to tell them from child elements of the same name.', type: 'string', dependsOn: [{ property: PARSE_ATTRIBUTES, values: ['true'] }] },
  {
    name: CONTENT_FIELD,
    displayName: 'Field Name for Content',
    description: 'The field that holds the text of an element that also has attributes or children.',
    type: 'string',
    default: CONTENT_FIELD_DEFAULT,
  },
]);

export const XMLReader = defineControllerService<RecordReaderFactory>({
  descriptor: {
    type: 'XMLReader',
    version: 1,
    displayName: 'XML Reader',
    description:
      'Reads XML content as records: with Expect Records as Array, each child of the root element is a record; otherwise the root element is the one record. ' +
      'Child elements are fields, repeated elements arrays, nested elements records.',
    implements: [RECORD_READER_API],
    tags: ['xml', 'record', 'reader', 'parser'],
    properties: handleList(PROPS),
  },
  validate: validateSchemaText,
  enable(ctx) {
    const parser = new XMLParser({
      ignoreAttributes: !ctx.get(PROPS[PARSE_ATTRIBUTES]),
      attributeNamePrefix: ctx.get(PROPS[ATTRIBUTE_PREFIX]) ?? '',
      textNodeName: ctx.get(PROPS[CONTENT_FIELD]) || CONTENT_FIELD_DEFAULT,
      parseTagValue: false,
      parseAttributeValue: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      trimValues: true,
    });
    const schemas = new Map<string, RecordSchema>();
    return {
      read(content, attributes) {
        const text = decodeText(content);
        if (text.trim() === '') return { schema: { fields: [] }, rows: [] };
        const valid = XMLValidator.validate(text);
        if (valid !== true) throw new RecordFormatError(`content is not XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
        const doc = parser.parse(text) as Row;
        const roots = Object.values(doc);
        if (roots.length !== 1) throw new RecordFormatError('the XML content needs exactly one root element');
        const root = roots[0];
        const asArray = ctx.property(AS_ARRAY).evaluate(null, attributes).asString() === 'true';
        const toRow = (v: unknown): Row => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Row) : {});
        let rows: Row[];
        if (!asArray) rows = [toRow(root)];
        else {
          rows = [];
          if (root !== null && typeof root === 'object') {
            for (const v of Object.values(root as Row)) for (const r of Array.isArray(v) ? v : [v]) rows.push(toRow(r));
          }
        }
        const schema = explicitSchema(ctx, attributes, schemas) ?? { fields: inferFields(rows, xmlType) };
        return { schema, rows: rows.map((r) => coerceRow(r, schema)) };
      },
    };
  },
});
