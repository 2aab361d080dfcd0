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
} from '@sluice/flow-api';
import { RecordFormatError, schemaKey } from '../record-services/record-schema.util.js';
import { RECORD_READER_API, RECORD_WRITER_API, type RecordReaderFactory, type RecordSetWriterFactory } from '../record-services/record-service-api.js';
import { migrateRecordProperties, RECORD_ERROR, RECORD_READER, RECORD_WRITER, recordReaderProperty, recordWriterProperty } from '../record-services/record-processor.util.js';
import { mergedAttributes, packRecordBins, REASON_FRAGMENTS, unionSchema, type BinMember, type RecordBin } from './record-bins.util.js';

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
/** One trigger looks at most at this many queued FlowFiles, so a huge queue keeps each look bounded. */
const MAX_SCAN = 20_000;

const binPack = [{ property: P.strategy, values: [BIN_PACK] }];
const prop = describeProperty;

interface MergeState {
  readonly firstSeen: Map<string, number>;
  readonly parsed: Map<string, BinMember & { key: string }>;
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
      'FlowFiles stay queued until the bin they are in is merged.',
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
    const state = ctx.cache<MergeState>('merge-record', () => ({ firstSeen: new Map(), parsed: new Map() }));
    let scanned = 0;
    const queued = session.getFiltered(() => (++scanned >= MAX_SCAN ? 'ACCEPT_AND_TERMINATE' : 'ACCEPT_AND_CONTINUE'));
    if (queued.length === 0) return;
    const drained = session.queueSize() === 0;
    if (drained) {
      // FlowFiles that left the queue some other way (emptied by hand) are no longer remembered.
      const present = new Set(queued.map((f) => f.uuid));
      for (const uuid of state.firstSeen.keys()) if (!present.has(uuid)) forget(state, uuid);
    }
    const now = ctx.services.clock.now();
    const defragment = ctx.get(PROPS[P.strategy]) === DEFRAGMENT;
    const correlation = ctx.get(PROPS[P.correlation]);
    const members: (BinMember & { key: string; firstSeen: number })[] = [];
    for (const ff of queued) {
      const member = await parse(ctx, session, reader, state, ff, defragment, correlation);
      if (!member) continue;
      if (!state.firstSeen.has(ff.uuid)) state.firstSeen.set(ff.uuid, now);
      members.push({ ...member, firstSeen: state.firstSeen.get(ff.uuid)! });
    }
    const maxAgeMs = ctx.get(PROPS[P.maxAge]) ?? null;
    const ready = defragment
      ? defragmentBins(members, maxAgeMs, now, ctx.get(PROPS[P.maxBins]), session, state)
      : packRecordBins(
          members,
          {
            minRecords: ctx.get(PROPS[P.minRecords]),
            maxRecords: ctx.get(PROPS[P.maxRecords]),
            minBytes: ctx.get(PROPS[P.minSize]),
            maxBytes: ctx.get(PROPS[P.maxSize]) ?? null,
            maxAgeMs,
            maxBins: ctx.get(PROPS[P.maxBins]),
          },
          now,
          drained,
        );
    const merged = new Set<string>();
    const unique = ctx.get(PROPS[P.attributes]) === KEEP_UNIQUE;
    for (const bin of ready) {
      const flowFiles = bin.members.map((m) => m.flowFile);
      let content: Uint8Array;
      try {
        content = writer.write(bin.members.flatMap((m) => m.rows), unionSchema(bin.members), flowFiles[0]!.attributes);
      } catch (e) {
        if (!(e instanceof RecordFormatError)) throw e;
        for (const ff of flowFiles) fail(session, state, ff, e.message);
        for (const ff of flowFiles) merged.add(ff.uuid);
        continue;
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
      for (const ff of flowFiles) {
        session.transfer(session.putAttribute(ff, 'merge.uuid', out.uuid), REL_ORIGINAL);
        forget(state, ff.uuid);
        merged.add(ff.uuid);
      }
    }
    let waiting = 0;
    for (const m of members) {
      if (merged.has(m.flowFile.uuid) || state.parsed.get(m.flowFile.uuid) === undefined) continue;
      session.transfer(m.flowFile);
      waiting++;
    }
    if (ready.length === 0 && waiting > 0) ctx.yield();
  },
});

function forget(state: MergeState, uuid: string): void {
  state.firstSeen.delete(uuid);
  state.parsed.delete(uuid);
}

function fail(session: ProcessSession, state: MergeState, ff: FlowFile, message: string): void {
  session.transfer(session.putAttribute(ff, RECORD_ERROR, message), REL_FAILURE);
  forget(state, ff.uuid);
}

/** Reads a queued FlowFile once (kept while it waits) and keys it to its bin; an unreadable one goes to failure. */
async function parse(
  ctx: ProcessContext,
  session: ProcessSession,
  reader: RecordReaderFactory,
  state: MergeState,
  ff: FlowFile,
  defragment: boolean,
  correlation: string | undefined,
): Promise<(BinMember & { key: string }) | null> {
  const known = state.parsed.get(ff.uuid);
  if (known) return { ...known, flowFile: ff };
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
    const member = { flowFile: ff, rows, schema, key };
    state.parsed.set(ff.uuid, member);
    return member;
  } catch (e) {
    if (!(e instanceof RecordFormatError)) throw e;
    ctx.log.warn(`${ff.uuid} cannot be merged: ${e.message}`);
    fail(session, state, ff, e.message);
    return null;
  }
}

/** Defragment: a bin is complete when every fragment arrived; one that reaches Max Bin Age first goes to failure. */
function defragmentBins(
  members: readonly (BinMember & { key: string; firstSeen: number })[],
  maxAgeMs: number | null,
  now: number,
  maxBins: number,
  session: ProcessSession,
  state: MergeState,
): RecordBin[] {
  const bins = new Map<string, RecordBin>();
  for (const m of members) {
    let bin = bins.get(m.key);
    if (!bin) bins.set(m.key, (bin = { key: m.key, members: [], records: 0, bytes: 0, created: m.firstSeen }));
    bin.members.push(m);
    bin.records += m.rows.length;
    bin.bytes += m.flowFile.size;
    bin.created = Math.min(bin.created, m.firstSeen);
  }
  const ready: RecordBin[] = [];
  const waiting: RecordBin[] = [];
  for (const bin of bins.values()) {
    const count = Number(bin.members[0]!.flowFile.attributes[FragmentAttributes.COUNT]);
    if (bin.members.length >= count) {
      bin.members.sort((a, b) => Number(a.flowFile.attributes[FragmentAttributes.INDEX]) - Number(b.flowFile.attributes[FragmentAttributes.INDEX]));
      bin.reason = REASON_FRAGMENTS;
      ready.push(bin);
    } else if (maxAgeMs !== null && now - bin.created >= maxAgeMs) {
      const message = `only ${bin.members.length} of ${count} fragments of '${bin.key}' arrived before Max Bin Age`;
      for (const m of bin.members) fail(session, state, m.flowFile, message);
    } else waiting.push(bin);
  }
  waiting.sort((a, b) => a.created - b.created);
  while (waiting.length > maxBins) {
    const bin = waiting.shift()!;
    const message = `fragments of '${bin.key}' were evicted: more than ${maxBins} bins were waiting`;
    for (const m of bin.members) fail(session, state, m.flowFile, message);
  }
  return ready;
}
