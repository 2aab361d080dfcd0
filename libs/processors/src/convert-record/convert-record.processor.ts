import { handleList, propertyHandles, CoreAttributes, defineProcessor, REL_FAILURE, REL_SUCCESS } from '@sluice/flow-api';
import { RecordFormatError } from '../record-services/record-schema.util.js';
import { RECORD_READER_API, RECORD_WRITER_API, type RecordReaderFactory, type RecordSetWriterFactory } from '../record-services/record-service-api.js';
import { migrateRecordProperties, RECORD_ERROR, RECORD_READER, RECORD_WRITER, recordReaderProperty, recordWriterProperty } from '../record-services/record-processor.util.js';

export const INCLUDE_ZERO_RECORDS = 'Include Zero Record FlowFiles';

const PROPS = propertyHandles([
  recordReaderProperty,
  recordWriterProperty,
  {
    name: INCLUDE_ZERO_RECORDS,
    displayName: 'Include Zero Record FlowFiles',
    description: 'Whether a FlowFile whose content holds no records still goes to success; when false it is dropped.',
    type: 'boolean',
    required: true,
    default: 'true',
  },
]);

export const ConvertRecord = defineProcessor({
  descriptor: {
    type: 'ConvertRecord',
    version: 1,
    displayName: 'Convert Record',
    description:
      "Converts records from one format to another: the Record Reader service parses the content, the Record Writer service writes it (CSV to JSON, JSON to XML, ...). " +
      "Fields the writer's schema lacks are left out; fields it has that the records lack are null.",
    category: 'transform',
    tags: ['convert', 'record', 'generic', 'schema', 'json', 'csv', 'xml', 'avro', 'text'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SUCCESS.name, description: 'FlowFiles whose records were converted.' },
      { ...REL_FAILURE, description: 'FlowFiles that could not be read or written, unchanged; record.error.message says why.' },
    ],
    inputRequirement: 'required',
    writesAttributes: [
      { name: 'record.count', description: 'Records in the FlowFile.' },
      { name: CoreAttributes.MIME_TYPE, description: "The Record Writer's MIME type." },
      { name: RECORD_ERROR, error: true, description: 'Why the FlowFile went to failure.' },
    ],
    defaultRunDuration: '25 ms',
  },

  migrateProperties(config) {
    migrateRecordProperties(config, { 'include-zero-record-flowfiles': INCLUDE_ZERO_RECORDS });
  },

  async onTrigger(ctx, session) {
    const flowFile = session.get();
    if (!flowFile) return;
    const reader = ctx.controllerService<RecordReaderFactory>(RECORD_READER, RECORD_READER_API);
    const writer = ctx.controllerService<RecordSetWriterFactory>(RECORD_WRITER, RECORD_WRITER_API);
    let out: Uint8Array;
    let count: number;
    try {
      const { schema, rows } = reader.read(await session.read(flowFile), flowFile.attributes);
      count = rows.length;
      if (count === 0 && !ctx.get(PROPS[INCLUDE_ZERO_RECORDS])) {
        session.remove(flowFile);
        return;
      }
      out = writer.write(rows, schema, flowFile.attributes);
    } catch (e) {
      if (!(e instanceof RecordFormatError)) throw e;
      ctx.log.error(`could not convert ${flowFile.uuid}: ${e.message}`);
      session.transfer(session.putAttribute(flowFile, RECORD_ERROR, e.message), REL_FAILURE);
      return;
    }
    const written = session.putAllAttributes(session.write(flowFile, out), { 'record.count': String(count), [CoreAttributes.MIME_TYPE]: writer.mimeType });
    session.transfer(written, REL_SUCCESS);
  },
});
