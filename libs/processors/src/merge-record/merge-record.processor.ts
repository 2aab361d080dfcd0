import {
  describeProperty,
  handleList,
  propertyHandles,
  CoreAttributes,
  defineProcessor,
  FragmentAttributes,
  REL_FAILURE,
  REL_ORIGINAL,
  type FlowFile,
  type ProcessContext,
  type ProcessSession,
  type QueueCursor,
} from '@sluice/flow-api';
import { RecordFormatError, schemaKey } from '../record-services/record-schema.util.js';
import { RECORD_READER_API, RECORD_WRITER_API, type RecordReaderFactory, type RecordSetWriterFactory } from '../record-services/record-service-api.js';
import { migrateRecordProperties, RECORD_ERROR, RECORD_READER, RECORD_WRITER, recordReaderProperty, recordWriterProperty } from '../record-services/record-processor.util.js';
import { mergedAttributes, RecordBins, unionSchema, type KeyedMember, type RecordBin } from './record-bins.util.js';

export const MERGE_RECORD_PROPERTIES = {
  strategy: 'Merge Strategy',
  correlation: 'Correlation Attribute Name',
  attributes: 'Attribute Strategy',
  minRecords: 'Minimum Number of Records',
  maxRecords: 'Maximum Number of Records',
  minSize: 'Minimum Bin Size',
  maxSize: 'Maximum Bin Size',
  maxAge: 'Max Bin Age',
  maxBins: 'Maximum Number of Bins',
} as const;
const P = MERGE_RECORD_PROPERTIES;
const BIN_PACK = 'Bin-Packing Algorithm';
const DEFRAGMENT = 'Defragment';
const KEEP_COMMON = 'Keep Only Common Attributes';
const KEEP_UNIQUE = 'Keep All Unique Attributes';
const REL_MERGED = 'merged';
/** A trigger reads and bins at most this many newly queued FlowFiles; the rest wait for the next trigger. */
export const RECORD_LIST_BATCH = 1_000;

const binPack = [{ property: P.strategy, values: [BIN_PACK] }];
const prop = describeProperty;

interface MergeState {
  /** Where the last look at the queue ended; null starts over from the whole queue. */
  cursor: QueueCursor | null;
  bins: RecordBins | null;
}

const PROPS = propertyHandles([
  recordReaderProperty,
  recordWriterProperty,
  prop(P.strategy, "'Bin-Packing Algorithm' bins FlowFiles as they come; 'Defragment' rebuilds the FlowFile that fragment.identifier, fragment.index and fragment.count describe.", 'enum', {
    required: true,
    default: BIN_PACK,
    allowableValues: [
      { value: BIN_PACK, displayName: BIN_PACK },
      { value: DEFRAGMENT, displayName: DEFRAGMENT },
    ],
  }),
  prop(P.correlation, 'Only FlowFiles with the same value of this attribute are merged together.', 'string', { dependsOn: binPack }),
  prop(P.attributes, 'Which attributes the merged FlowFile gets: those every FlowFile has with the same value, or also those only some have, unless two disagree.', 'enum', {
    required: true,
    default: KEEP_COMMON,
    allowableValues: [
      { value: KEEP_COMMON, displayName: KEEP_COMMON },
      { value: KEEP_UNIQUE, displayName: KEEP_UNIQUE },
    ],
  }),
  prop(P.minRecords, 'The fewest records a bin is merged with (unless Max Bin Age or the bin count forces it).', 'integer', { required: true, default: '1', validators: [{ kind: 'range', min: 1 }], dependsOn: binPack }),
  prop(P.maxRecords, "The most records in a bin; a soft limit, exceeded by up to the last FlowFile's records.", 'integer', { required: true, default: '1000', validators: [{ kind: 'range', min: 1 }], dependsOn: binPack }),
  prop(P.minSize, 'The smallest bin (bytes of the incoming content).', 'dataSize', { required: true, default: '0 B', dependsOn: binPack }),
  prop(P.maxSize, 'The largest bin; a soft limit like the records one; no limit when unset.', 'dataSize', { dependsOn: binPack }),
  prop(P.maxAge, "How old a bin may get before it is merged anyway (with Defragment, its fragments go to failure). Age counts from when its first FlowFile was binned; a restart resets it, as in NiFi.", 'duration'),
  prop(P.maxBins, 'The most bins waiting at a time; when there are more, the oldest is merged.', 'integer', { required: true, default: '10', validators: [{ kind: 'range', min: 1 }] }),
]);

export const MergeRecord = defineProcessor({
  descriptor: {
    type: 'MergeRecord',
    version: 1,
    displayName: 'Merge Record',
    description:
      'Merges the records of many FlowFiles into one FlowFile written by the Record Writer. Bin-packing fills bins with like FlowFiles (same schema and, when set, ' +
      'the same Correlation Attribute Name value) up to the maximum records or size; Defragment puts back together the splits of one FlowFile by fragment.identifier. ' +
      'FlowFiles stay queued until the bin they are in is merged. The bins are kept between triggers and each trigger reads only FlowFiles queued since the last ' +
      `(up to ${RECORD_LIST_BATCH}), so a long queue is worked through over several triggers.`,
    category: 'transform',
    tags: ['merge', 'record', 'content', 'correlation', 'stream', 'event', 'batch'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_MERGED, description: 'The FlowFile holding the merged records.' },
      { name: REL_ORIGINAL.name, description: 'The FlowFiles that were merged.' },
      { ...REL_FAILURE, description: 'FlowFiles that could not be read or merged (fragments that never completed), with record.error.message.' },
    ],
    inputRequirement: 'required',
    triggerSerially: true,
    readsAttributes: [
      { name: FragmentAttributes.IDENTIFIER, description: 'Defragment: FlowFiles with the same value are merged together.' },
      { name: FragmentAttributes.INDEX, description: 'Defragment: the order of the fragments.' },
      { name: FragmentAttributes.COUNT, description: 'Defragment: how many fragments make the whole.' },
    ],
    writesAttributes: [
      { name: 'record.count', description: 'Records in the merged FlowFile.' },
      { name: CoreAttributes.MIME_TYPE, description: "The Record Writer's MIME type." },
      { name: 'merge.count', description: 'FlowFiles merged into it.' },
      { name: 'merge.bin.age', description: 'The age of the bin in milliseconds when it was merged.' },
      { name: 'merge.uuid', description: 'On the originals: the uuid of the merged FlowFile.' },
      { name: 'merge.completion.reason', description: 'Why the bin was merged (full, minimum thresholds met, Max Bin Age, too many bins, every fragment arrived).' },
      { name: RECORD_ERROR, error: true, description: 'Why a FlowFile went to failure.' },
    ],
  },

  migrateProperties(config) {
    migrateRecordProperties(config, {
      'merge-strategy': P.strategy,
      'correlation-attribute-name': P.correlation,
      'min-records': P.minRecords,
      'max-records': P.maxRecords,
      'min-bin-size': P.minSize,
      'max-bin-size': P.maxSize,
      'max-bin-age': P.maxAge,
      'max.bin.count': P.maxBins,
    });
  },

  validate(config) {
    const min = Number(config[P.minRecords]);
    const max = Number(config[P.maxRecords]);
    return config[P.strategy] === BIN_PACK && min > max
      ? [{ property: P.maxRecords, message: `${P.maxRecords} (${max}) must not be less than ${P.minRecords} (${min})`, code: 'invalid' as const }]
      : [];
  },

  async onTrigger(ctx, session) {
    const reader = ctx.controllerService<RecordReaderFactory>(RECORD_READER, RECORD_READER_API);
    const writer = ctx.controllerService<RecordSetWriterFactory>(RECORD_WRITER, RECORD_WRITER_API);
    const st = ctx.cache<MergeState>('merge-record', () => ({ cursor: null, bins: null }));
    const now = ctx.services.clock.now();
    const defragment = ctx.get(PROPS[P.strategy]) === DEFRAGMENT;
    // While bins wait to be merged nothing new is read, so the ready ones never pile up beyond one batch.
    const pending = (st.bins?.ready.length ?? 0) + (st.bins?.failed.length ?? 0);
    const look = session.listNew(st.cursor, pending ? 0 : RECORD_LIST_BATCH);
    if (look.complete || !st.bins) {
      const limits = {
        minRecords: ctx.get(PROPS[P.minRecords]),
        maxRecords: ctx.get(PROPS[P.maxRecords]),
        minBytes: ctx.get(PROPS[P.minSize]),
        maxBytes: ctx.get(PROPS[P.maxSize]) ?? null,
        maxAgeMs: ctx.get(PROPS[P.maxAge]) ?? null,
        maxBins: ctx.get(PROPS[P.maxBins]),
      };
      st.bins = new RecordBins(limits, defragment);
    }
    st.cursor = look.cursor;
    const bins = st.bins;
    const correlation = ctx.get(PROPS[P.correlation]);
    let failedReads = 0;
    for (const ff of look.flowFiles) {
      const member = await parse(ctx, session, reader, ff, defragment, correlation);
      if (member) bins.add(member, now);
      else failedReads++;
    }
    bins.collect(now, !look.more);
    const unique = ctx.get(PROPS[P.attributes]) === KEEP_UNIQUE;
    let done = 0;
    while ((bins.failed.length || bins.ready.length) && (done === 0 || !ctx.sliceSpent())) {
      const failed = bins.failed.shift();
      const bin = failed?.bin ?? bins.ready.shift()!;
      const flowFiles = session.takeListed(bin.members.map((m) => m.flowFile));
      if (flowFiles.length !== bin.members.length) {
        // Some left the queue while this trigger ran (emptied by hand): the bins no longer hold, rebuild them.
        for (const ff of flowFiles) session.transfer(ff);
        st.cursor = null;
        return;
      }
      if (failed) for (const ff of flowFiles) fail(session, ff, failed.message);
      else merge(session, writer, bin, flowFiles, unique, now);
      done++;
    }
    if (done === 0 && failedReads === 0 && look.flowFiles.length === 0) ctx.yield();
  },
});

function merge(session: ProcessSession, writer: RecordSetWriterFactory, bin: RecordBin, flowFiles: readonly FlowFile[], unique: boolean, now: number): void {
  let content: Uint8Array;
  try {
    content = writer.write(bin.members.flatMap((m) => m.rows), unionSchema(bin.members), flowFiles[0]!.attributes);
  } catch (e) {
    if (!(e instanceof RecordFormatError)) throw e;
    for (const ff of flowFiles) fail(session, ff, e.message);
    return;
  }
  let out = session.write(session.create(flowFiles), content);
  out = session.putAllAttributes(out, {
    ...mergedAttributes(flowFiles, unique),
    'record.count': String(bin.records),
    [CoreAttributes.MIME_TYPE]: writer.mimeType,
    'merge.count': String(flowFiles.length),
    'merge.bin.age': String(now - bin.created),
    'merge.completion.reason': bin.reason!,
  });
  session.transfer(out, REL_MERGED);
  for (const ff of flowFiles) session.transfer(session.putAttribute(ff, 'merge.uuid', out.uuid), REL_ORIGINAL);
}

function fail(session: ProcessSession, ff: FlowFile, message: string): void {
  session.transfer(session.putAttribute(ff, RECORD_ERROR, message), REL_FAILURE);
}

/** Reads a newly listed FlowFile and keys it to its bin; an unreadable one is taken and goes to failure. */
async function parse(
  ctx: ProcessContext,
  session: ProcessSession,
  reader: RecordReaderFactory,
  ff: FlowFile,
  defragment: boolean,
  correlation: string | undefined,
): Promise<KeyedMember | null> {
  try {
    const { schema, rows } = reader.read(await session.read(ff), ff.attributes);
    let key: string;
    if (defragment) {
      const id = ff.attributes[FragmentAttributes.IDENTIFIER];
      if (!id || !/^\d+$/.test(ff.attributes[FragmentAttributes.COUNT] ?? '') || !/^\d+$/.test(ff.attributes[FragmentAttributes.INDEX] ?? '')) {
        throw new RecordFormatError('Defragment needs fragment.identifier, and fragment.index and fragment.count as whole numbers');
      }
      key = id;
    } else key = `${correlation ? (ff.attributes[correlation] ?? '') : ''}\u0000${schemaKey(schema)}`;
    return { flowFile: ff, rows, schema, key };
  } catch (e) {
    if (!(e instanceof RecordFormatError)) throw e;
    ctx.log.warn(`${ff.uuid} cannot be merged: ${e.message}`);
    for (const taken of session.takeListed([ff])) fail(session, taken, e.message);
    return null;
  }
}
