import { handleList, propertyHandles, CoreAttributes, FragmentAttributes, defineProcessor, REL_FAILURE, REL_ORIGINAL, type ValidationResult } from '@sluice/flow-api';
import { RecordFormatError } from '../record-services/record-schema.util.js';
import { RECORD_READER_API, RECORD_WRITER_API, type RecordReaderFactory, type RecordSetWriterFactory } from '../record-services/record-service-api.js';
import { migrateRecordProperties, RECORD_ERROR, RECORD_READER, RECORD_WRITER, recordReaderProperty, recordWriterProperty } from '../record-services/record-processor.util.js';

export const RECORDS_PER_SPLIT = 'Records Per Split';
const REL_SPLITS = 'splits';

const PROPS = propertyHandles([
  recordReaderProperty,
  recordWriterProperty,
  {
    name: RECORDS_PER_SPLIT,
    displayName: 'Records Per Split',
    description: 'The most records a split holds. Expression Language sees the FlowFile attributes.',
    type: 'string',
    required: true,
    expressionScope: 'flowfile',
  },
]);

export const SplitRecord = defineProcessor({
  descriptor: {
    type: 'SplitRecord',
    version: 1,
    displayName: 'Split Record',
    description:
      'Splits the records of a FlowFile into FlowFiles of at most Records Per Split records each, written by the Record Writer, with fragment attributes ' +
      'that MergeRecord and MergeContent defragment by.',
    category: 'transform',
    tags: ['split', 'generic', 'schema', 'json', 'csv', 'xml', 'record'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SPLITS, description: 'The splits, each with at most Records Per Split records.' },
      { name: REL_ORIGINAL.name, description: 'The incoming FlowFile, once it was split.' },
      { ...REL_FAILURE, description: 'FlowFiles that could not be read or split, unchanged; record.error.message says why.' },
    ],
    inputRequirement: 'required',
    writesAttributes: [
      { name: 'record.count', description: 'Records in the split.' },
      { name: CoreAttributes.MIME_TYPE, description: "The Record Writer's MIME type." },
      { name: 'fragment.identifier', description: 'The same for every split of one FlowFile.' },
      { name: 'fragment.index', description: 'The position of the split, from 0.' },
      { name: 'fragment.count', description: 'How many splits the FlowFile gave.' },
      { name: 'segment.original.filename', description: 'The filename of the FlowFile that was split.' },
      { name: RECORD_ERROR, error: true, description: 'Why the FlowFile went to failure.' },
    ],
  },

  migrateProperties(config) {
    migrateRecordProperties(config);
  },

  validate(config): ValidationResult[] {
    const v = config[RECORDS_PER_SPLIT];
    if (v === undefined || v.includes('${')) return [];
    return /^\s*[1-9]\d*\s*$/.test(v) ? [] : [{ property: RECORDS_PER_SPLIT, message: `Records Per Split: '${v}' is not a whole number of at least 1`, code: 'invalid' }];
  },

  async onTrigger(ctx, session) {
    const original = session.get();
    if (!original) return;
    const reader = ctx.controllerService<RecordReaderFactory>(RECORD_READER, RECORD_READER_API);
    const writer = ctx.controllerService<RecordSetWriterFactory>(RECORD_WRITER, RECORD_WRITER_API);
    const fail = (message: string) => session.transfer(session.putAttribute(original, RECORD_ERROR, message), REL_FAILURE);
    const per = ctx.get(PROPS[RECORDS_PER_SPLIT], original)?.trim() ?? '';
    if (!/^[1-9]\d*$/.test(per)) {
      fail(`Records Per Split: '${per}' is not a whole number of at least 1`);
      return;
    }
    const size = Number(per);
    const parts: { content: Uint8Array; count: number }[] = [];
    try {
      const { schema, rows } = reader.read(await session.read(original), original.attributes);
      for (let i = 0; i < rows.length; i += size) {
        const slice = rows.slice(i, i + size);
        parts.push({ content: writer.write(slice, schema, original.attributes), count: slice.length });
      }
    } catch (e) {
      if (!(e instanceof RecordFormatError)) throw e;
      fail(e.message);
      return;
    }
    const fragmentId = ctx.services.randomUuid();
    parts.forEach((part, index) => {
      const split = session.putAllAttributes(session.write(session.create(original), part.content), {
        'record.count': String(part.count),
        [CoreAttributes.MIME_TYPE]: writer.mimeType,
        'fragment.identifier': fragmentId,
        'fragment.index': String(index),
        'fragment.count': String(parts.length),
        [FragmentAttributes.SEGMENT_ORIGINAL_FILENAME]: original.attributes[CoreAttributes.FILENAME] ?? '',
      });
      session.transfer(split, REL_SPLITS);
    });
    session.transfer(original, REL_ORIGINAL);
  },
});
