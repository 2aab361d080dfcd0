import type { ControllerServiceContext, PropertyDescriptor } from '@sluice/flow-api';
import { parseAvroSchema, RecordFormatError, type RecordSchema, type Row } from './record-schema.util.js';

/** Service APIs, as NiFi names them: a processor's Record Reader/Writer property asks for one of these. */
export const RECORD_READER_API = 'RecordReaderFactory';
export const RECORD_WRITER_API = 'RecordSetWriterFactory';

export interface RecordSetRead {
  readonly schema: RecordSchema;
  readonly rows: Row[];
}

/** NiFi's RecordReaderFactory: parses one FlowFile's content into rows and the schema they follow. */
export interface RecordReaderFactory {
  read(content: Uint8Array, attributes: Readonly<Record<string, string>>): RecordSetRead;
}

/** NiFi's RecordSetWriterFactory: serializes rows; `schema` is the reader's, used unless the writer has its own. */
export interface RecordSetWriterFactory {
  readonly mimeType: string;
  write(rows: readonly Row[], schema: RecordSchema, attributes: Readonly<Record<string, string>>): Uint8Array;
}

export const SCHEMA_ACCESS_STRATEGY = 'Schema Access Strategy';
export const SCHEMA_TEXT = 'Schema Text';
export const INFER_SCHEMA = 'infer-schema';
export const SCHEMA_TEXT_PROPERTY = 'schema-text-property';
export const INHERIT_RECORD_SCHEMA = 'inherit-record-schema';

const schemaText: PropertyDescriptor = {
  name: SCHEMA_TEXT,
  displayName: 'Schema Text',
  description: 'The schema as Avro schema JSON (a record with fields). Expression Language sees the FlowFile attributes, so ${avro.schema} takes it from one.',
  type: 'string',
  editor: 'textarea',
  required: true,
  default: '${avro.schema}',
  expressionScope: 'flowfile',
  dependsOn: [{ property: SCHEMA_ACCESS_STRATEGY, values: [SCHEMA_TEXT_PROPERTY] }],
  group: 'Schema',
};

/** A reader's schema properties: Infer Schema (NiFi's default) or an Avro schema in Schema Text. */
export function readerSchemaProperties(extra: { value: string; displayName: string; description: string }[] = []): PropertyDescriptor[] {
  return [
    {
      name: SCHEMA_ACCESS_STRATEGY,
      displayName: 'Schema Access Strategy',
      description: 'How the schema that interprets the data is obtained.',
      type: 'enum',
      required: true,
      default: INFER_SCHEMA,
      allowableValues: [
        { value: INFER_SCHEMA, displayName: 'Infer Schema', description: 'The schema is inferred from the data itself.' },
        { value: SCHEMA_TEXT_PROPERTY, displayName: "Use 'Schema Text' Property", description: 'The Schema Text property holds an Avro schema.' },
        ...extra,
      ],
      group: 'Schema',
    },
    schemaText,
  ];
}

/** A writer's schema properties: the records' own schema (NiFi's default) or an Avro schema in Schema Text. */
export function writerSchemaProperties(): PropertyDescriptor[] {
  return [
    {
      name: SCHEMA_ACCESS_STRATEGY,
      displayName: 'Schema Access Strategy',
      description: 'Which schema the records are written with.',
      type: 'enum',
      required: true,
      default: INHERIT_RECORD_SCHEMA,
      allowableValues: [
        { value: INHERIT_RECORD_SCHEMA, displayName: 'Inherit Record Schema', description: 'The schema the reader gave the records.' },
        { value: SCHEMA_TEXT_PROPERTY, displayName: "Use 'Schema Text' Property", description: 'The Schema Text property holds an Avro schema; fields outside it are left out.' },
      ],
      group: 'Schema',
    },
    schemaText,
  ];
}

/**
 * The explicit schema for one FlowFile, or null when the service infers/inherits it. Schema Text is parsed once
 * per distinct text.
 */
export function explicitSchema(ctx: ControllerServiceContext, attributes: Readonly<Record<string, string>>, cache: Map<string, RecordSchema>): RecordSchema | null {
  if (ctx.property(SCHEMA_ACCESS_STRATEGY).asString() !== SCHEMA_TEXT_PROPERTY) return null;
  const text = ctx.property(SCHEMA_TEXT).evaluate(null, attributes).asString() ?? '';
  if (text.trim() === '') throw new RecordFormatError('Schema Text is empty for this FlowFile');
  let schema = cache.get(text);
  if (!schema) {
    schema = parseAvroSchema(text);
    if (cache.size > 100) cache.clear();
    cache.set(text, schema);
  }
  return schema;
}

/** Cross-property check shared by readers and writers: a literal Schema Text must be a valid Avro record schema. */
export function validateSchemaText(config: Readonly<Record<string, string | undefined>>): { property: string; message: string; code: 'invalid' }[] {
  if (config[SCHEMA_ACCESS_STRATEGY] !== SCHEMA_TEXT_PROPERTY) return [];
  const text = config[SCHEMA_TEXT];
  if (text === undefined || text.includes('${')) return [];
  try {
    parseAvroSchema(text);
    return [];
  } catch (e) {
    return [{ property: SCHEMA_TEXT, message: (e as Error).message, code: 'invalid' }];
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const encodeText = (text: string): Uint8Array => encoder.encode(text);

export function decodeText(content: Uint8Array): string {
  try {
    return decoder.decode(content);
  } catch {
    throw new RecordFormatError('content is not valid UTF-8 text');
  }
}
