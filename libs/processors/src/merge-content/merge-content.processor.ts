import {
  describeProperty, handleList, propertyHandles,
  CoreAttributes, defineProcessor, FragmentAttributes, REL_FAILURE, REL_ORIGINAL, utf8,
  type FlowFile, type ProcessContext, type ProcessSession, type PropertyConfiguration, type PropertyHandle, type PropertyValues, type QueueCursor,
  type ValidationResult,
} from '@sluice/flow-api';
import { BinManager, defragmentError, mergedAttributes, type Bin, type BinSettings, type InsertionLocation } from './merge-bins.util.js';
import { concat, FLOWFILE_STREAM_V2, FLOWFILE_STREAM_V3, FLOWFILE_TAR_V1, flowFileStream, flowFileTar, tarArchive, zipArchive, type Entry } from './merge-formats.util.js';

const P = {
  strategy: 'Merge Strategy', format: 'Merge Format', attributes: 'Attribute Strategy', correlation: 'Correlation Attribute Name',
  metadata: 'Metadata Strategy', minEntries: 'Minimum Number of Entries', maxEntries: 'Maximum Number of Entries',
  minSize: 'Minimum Group Size', maxSize: 'Maximum Group Size', termination: 'Bin Termination Check', insertion: 'FlowFile Insertion Strategy',
  maxAge: 'Max Bin Age', maxBins: 'Maximum Number of Bins', delimiter: 'Delimiter Strategy', header: 'Header', footer: 'Footer',
  demarcator: 'Demarcator', compression: 'Compression Level', keepPath: 'Keep Path', tarModified: 'Tar Modified Time',
} as const;
export { P as MERGE_CONTENT_PROPERTIES };

const BIN_PACK = 'Bin-Packing Algorithm';
const DEFRAGMENT = 'Defragment';
const CONCAT = 'Binary Concatenation';
const FORMATS = ['TAR', 'ZIP', FLOWFILE_STREAM_V3, FLOWFILE_STREAM_V2, FLOWFILE_TAR_V1, CONCAT, 'Avro'];
const KEEP_COMMON = 'Keep Only Common Attributes';
const KEEP_UNIQUE = 'Keep All Unique Attributes';
const TEXT = 'Text';
const NO_DELIMITERS = 'Do Not Use Delimiters';
/** A trigger bins at most this many newly queued FlowFiles; the rest wait for the next trigger. */
export const LIST_BATCH = 5_000;

const values = (...v: string[]) => v.map((value) => ({ value, displayName: value }));
const binPack = [{ property: P.strategy, values: [BIN_PACK] }];
const concatText = [{ property: P.delimiter, values: ['Filename', TEXT] }, { property: P.format, values: [CONCAT] }];
const prop = describeProperty;

const PROPS = propertyHandles([
  prop(P.strategy, "'Bin-Packing Algorithm' fills bins with FlowFiles as they come; 'Defragment' puts back together the fragments of one FlowFile (fragment.identifier, fragment.index, fragment.count).", 'enum', { required: true, default: BIN_PACK, allowableValues: values(BIN_PACK, DEFRAGMENT) }),
  prop(P.format, `How the contents are merged: a TAR or ZIP archive, NiFi's FlowFile packages (attributes and content, for another NiFi or Sluice to unpack), or '${CONCAT}'. Avro is refused.`, 'enum', { required: true, default: CONCAT, allowableValues: values(...FORMATS) }),
  prop(P.attributes, "Which attributes the merged FlowFile gets: those all FlowFiles share with the same value, or also those only some have (unless their values conflict).", 'enum', { required: true, default: KEEP_COMMON, allowableValues: values(KEEP_COMMON, KEEP_UNIQUE) }),
  prop(P.correlation, 'Only FlowFiles with the same value of this attribute are binned together (Expression Language evaluated per FlowFile gives the attribute name).', 'string', { expressionScope: 'flowfile', dependsOn: binPack }),
  prop(P.metadata, 'Avro metadata handling (Avro format only).', 'enum', { required: true, default: 'Do Not Merge Uncommon Metadata', allowableValues: values('Use First Metadata', 'Keep Only Common Metadata', 'Do Not Merge Uncommon Metadata', 'Ignore Metadata'), dependsOn: [{ property: P.format, values: ['Avro'] }] }),
  prop(P.minEntries, 'The fewest FlowFiles in a bundle.', 'integer', { required: true, default: '1', validators: [{ kind: 'range', min: 1 }], dependsOn: binPack }),
  prop(P.maxEntries, 'The most FlowFiles in a bundle.', 'integer', { required: true, default: '1000', validators: [{ kind: 'range', min: 1 }], dependsOn: binPack }),
  prop(P.minSize, 'The smallest bundle.', 'dataSize', { required: true, default: '0 B', dependsOn: binPack }),
  prop(P.maxSize, 'The largest bundle; no limit when unset.', 'dataSize', { dependsOn: binPack }),
  prop(P.termination, "An expression evaluated per FlowFile: 'true' ends the FlowFile's bin, however full it is.", 'string', { expressionScope: 'flowfile', dependsOn: binPack }),
  prop(P.insertion, 'Where a FlowFile that ends a bin goes.', 'enum', { required: true, default: 'Last in Bin', allowableValues: values('Last in Bin', 'First in New Bin', 'Isolated'), dependsOn: [{ property: P.termination }] }),
  prop(P.maxAge, "How old a bin may get before it is merged anyway (with Defragment, its fragments go to failure). Age counts from when the bin's first FlowFile was binned; a restart resets it, as in NiFi.", 'duration'),
  prop(P.maxBins, 'The most bins open at a time; when another is needed, the oldest is merged.', 'integer', { required: true, default: '5', validators: [{ kind: 'range', min: 1 }] }),
  prop(P.delimiter, `Whether Header, Footer and Demarcator are text ('${TEXT}'). Sluice does not read them from files on the server, so 'Filename' is refused.`, 'enum', { required: true, default: NO_DELIMITERS, allowableValues: values('Filename', TEXT, NO_DELIMITERS), dependsOn: [{ property: P.format, values: [CONCAT] }] }),
  prop(P.header, 'Text written before the merged contents (Expression Language against the first FlowFile).', 'string', { expressionScope: 'flowfile', editor: 'textarea', dependsOn: concatText }),
  prop(P.footer, 'Text written after the merged contents.', 'string', { expressionScope: 'flowfile', editor: 'textarea', dependsOn: concatText }),
  prop(P.demarcator, 'Text written between two contents (a newline for line-oriented data).', 'string', { expressionScope: 'flowfile', editor: 'textarea', dependsOn: concatText }),
  prop(P.compression, 'ZIP compression level (ZIP format only).', 'enum', { required: true, default: '1', allowableValues: values(...'0123456789'.split('')), dependsOn: [{ property: P.format, values: ['ZIP'] }] }),
  prop(P.keepPath, "Keep the FlowFiles' paths in ZIP and TAR entries.", 'enum', { required: true, default: 'false', allowableValues: values('true', 'false'), dependsOn: [{ property: P.format, values: ['TAR', 'ZIP'] }] }),
  prop(P.tarModified, 'Modified time of TAR entries.', 'string', { default: '${file.lastModifiedTime}', expressionScope: 'flowfile', dependsOn: [{ property: P.format, values: ['TAR'] }] }),
]);

interface MergeState {
  /** Where the last look at the queue ended; null starts over from the whole queue. */
  cursor: QueueCursor | null;
  bins: BinManager | null;
  seq: number;
}

function settings(ctx: ProcessContext): BinSettings {
  const defragment = ctx.get(PROPS[P.strategy]) === DEFRAGMENT;
  const correlation = ctx.property(PROPS[P.correlation]);
  const termination = ctx.property(PROPS[P.termination]);
  return {
    defragment,
    minEntries: ctx.get(PROPS[P.minEntries]),
    maxEntries: ctx.get(PROPS[P.maxEntries]),
    minBytes: ctx.get(PROPS[P.minSize]),
    maxBytes: ctx.get(PROPS[P.maxSize]) ?? Number.MAX_SAFE_INTEGER,
    maxBinAgeMs: ctx.get(PROPS[P.maxAge]) ?? null,
    maxBins: ctx.get(PROPS[P.maxBins]),
    insertion: ctx.get(PROPS[P.insertion]) as InsertionLocation,
    groupOf: defragment
      ? (ff) => ff.attributes[FragmentAttributes.IDENTIFIER] ?? null
      : (ff) => {
          if (!correlation.isSet()) return null;
          const name = correlation.evaluate(ff).asString();
          return name ? (ff.attributes[name] ?? null) : null;
        },
    terminates: termination.isSet() ? (ff) => termination.evaluate(ff).asString()?.trim().toLowerCase() === 'true' : undefined,
  };
}

export const MergeContent = defineProcessor({
  descriptor: {
    type: 'MergeContent',
    version: 1,
    displayName: 'Merge Content',
    description:
      'Merges groups of FlowFiles into one: bins filled by count, size, age and a correlation attribute, or the fragments of a split ' +
      'FlowFile put back together (Defragment). The FlowFiles stay in their queue until their bundle is committed, so a crash loses none. ' +
      `The bins are kept between triggers and each trigger bins only FlowFiles queued since the last (up to ${LIST_BATCH}), so a long queue is worked through over several triggers.`,
    category: 'transform',
    tags: ['merge', 'content', 'correlation', 'concatenation', 'bin', 'defragment'],
    properties: handleList(PROPS),
    relationships: [
      { name: 'merged', description: 'The FlowFile containing the merged content.' },
      { name: REL_ORIGINAL.name, description: 'The FlowFiles that were merged, each with merge.uuid naming their bundle.' },
      { ...REL_FAILURE, description: 'FlowFiles that could not be merged (fragments that were incomplete or inconsistent).' },
    ],
    inputRequirement: 'required',
    triggerSerially: true,
    readsAttributes: [
      { name: FragmentAttributes.IDENTIFIER, description: 'Defragment: the FlowFiles merged together.' },
      { name: FragmentAttributes.INDEX, description: 'Defragment: the order of the fragments.' },
      { name: FragmentAttributes.COUNT, description: 'Defragment: how many fragments to expect.' },
      { name: FragmentAttributes.SEGMENT_ORIGINAL_FILENAME, description: 'The filename of a bundle of several FlowFiles.' },
    ],
    writesAttributes: [
      { name: CoreAttributes.FILENAME, description: "One FlowFile's own filename; for several, the first's segment.original.filename, else a nanosecond timestamp." },
      { name: 'merge.count', description: 'How many FlowFiles were merged.' },
      { name: 'merge.bin.age', description: 'How old the bin was when merged, in milliseconds.' },
      { name: 'merge.reason', description: 'Which threshold merged the bin (MAX_ENTRIES_THRESHOLD_REACHED, MIN_THRESHOLDS_REACHED, TIMEOUT, BIN_MANAGER_FULL, …).' },
      { name: 'merge.uuid', description: "On the originals: the merged FlowFile's uuid." },
    ],
  },

  migrateProperties(config: PropertyConfiguration): void {
    config.renameProperty('Maximum number of Bins', P.maxBins);
    config.renameProperty('mergecontent-metadata-strategy', P.metadata);
    config.renameProperty('Header File', P.header);
    config.renameProperty('Footer File', P.footer);
    config.renameProperty('Demarcator File', P.demarcator);
  },

  validate(config: PropertyValues): ValidationResult[] {
    const out: ValidationResult[] = [];
    const format = config[P.format];
    if (format === 'Avro') out.push({ property: P.format, message: `${P.format} 'Avro' is not supported: Sluice has no Avro reader or writer; merge Avro data with MergeRecord`, code: 'invalid' });
    if (format === CONCAT && config[P.delimiter] === 'Filename') {
      out.push({ property: P.delimiter, message: `${P.delimiter} 'Filename' is not supported: Sluice does not read files on the server; use '${TEXT}'`, code: 'invalid' });
    }
    if (config[P.strategy] === BIN_PACK) {
      const num = (name: string, fallback: number) => (config[name] === undefined || config[name] === '' ? fallback : Number(config[name]));
      if (num(P.minEntries, 1) > num(P.maxEntries, 1000)) out.push({ property: P.minEntries, message: 'Min Entries must be less than or equal to Max Entries', code: 'invalid' });
    }
    return out;
  },

  onStopped(ctx) {
    // Bins are rebuilt from the queue on the next start, their age counted from then, as NiFi's are after a restart.
    const st = state(ctx);
    st.cursor = null;
    st.bins = null;
  },

  async onTrigger(ctx, session) {
    const st = state(ctx);
    const now = ctx.services.clock.now();
    // While bins wait to be merged nothing new is binned, so the ready ones never pile up beyond one batch.
    const look = session.listNew(st.cursor, st.bins?.ready.length ? 0 : LIST_BATCH);
    if (look.complete || !st.bins) st.bins = new BinManager(settings(ctx));
    st.cursor = look.cursor;
    const bins = st.bins;
    for (const ff of look.flowFiles) bins.add(ff, now);
    const fresh = look.flowFiles.length > 0 || look.more;
    bins.expire(now, !fresh);
    if (!bins.ready.length) {
      // Nothing new and nothing to merge: look again after the yield (NiFi yields likewise).
      if (!fresh) ctx.yield();
      return;
    }
    for (let merged = 0; bins.ready.length && (merged === 0 || !ctx.sliceSpent()); merged++) {
      const bin = bins.ready.shift()!;
      const taken = session.takeListed(bin.members);
      if (taken.length !== bin.members.length) {
        // Some left the queue while this trigger ran (emptied by hand): the bins no longer hold, rebuild them.
        for (const ff of taken) session.transfer(ff);
        st.cursor = null;
        return;
      }
      await mergeBin(ctx, session, bin, st, now);
    }
  },
});

function state(ctx: ProcessContext): MergeState {
  return ctx.cache<MergeState>('merge-state', () => ({ cursor: null, bins: null, seq: 0 }));
}

async function mergeBin(ctx: ProcessContext, session: ProcessSession, bin: Bin, st: MergeState, now: number): Promise<void> {
  let members = bin.members;
  if (ctx.get(PROPS[P.strategy]) === DEFRAGMENT) {
    const error = defragmentError(members);
    if (error) {
      ctx.log.error(`${error}; routing ${members.length <= 10 ? members.map((f) => f.uuid).join(', ') : `${members.length} FlowFiles`} to failure`);
      for (const ff of members) session.transfer(ff, REL_FAILURE);
      return;
    }
    members = [...members].sort((a, b) => Number(a.attributes[FragmentAttributes.INDEX]) - Number(b.attributes[FragmentAttributes.INDEX]));
  }
  const first = members[0]!;
  const format = ctx.get(PROPS[P.format]);
  let content: Uint8Array;
  let mime: string | undefined;
  let extension = '';
  let refused: readonly FlowFile[] = [];
  if (format === CONCAT) {
    ({ content, mime } = await concatenate(ctx, session, members));
  } else {
    const contents = await Promise.all(members.map((ff) => session.read(ff)));
    const entries: Entry[] = members.map((ff, i) => ({ flowFile: ff, content: contents[i]! }));
    const keepPath = ctx.get(PROPS[P.keepPath]) === 'true';
    if (format === 'ZIP') {
      ({ content, refused } = zipArchive(entries, keepPath, Number(ctx.get(PROPS[P.compression])), now));
      [mime, extension] = ['application/zip', '.zip'];
    } else if (format === 'TAR') {
      content = await tarArchive(entries, keepPath, (ff) => ctx.get(PROPS[P.tarModified], ff), now);
      [mime, extension] = ['application/tar', '.tar'];
    } else if (format === FLOWFILE_TAR_V1) {
      content = await flowFileTar(entries, now);
      [mime, extension] = ['application/flowfile-v1', '.pkg'];
    } else {
      content = flowFileStream(entries, format === FLOWFILE_STREAM_V3);
      [mime, extension] = [format === FLOWFILE_STREAM_V3 ? 'application/flowfile-v3' : 'application/flowfile-v2', '.pkg'];
    }
  }
  let bundle = session.write(session.create(members), content);
  const filename = members.length === 1
    ? (first.attributes[CoreAttributes.FILENAME] ?? bundle.uuid)
    : (first.attributes[FragmentAttributes.SEGMENT_ORIGINAL_FILENAME] ?? (BigInt(Math.floor(now)) * 1_000_000n + BigInt(st.seq++ % 1_000_000)).toString());
  bundle = session.putAllAttributes(bundle, {
    ...mergedAttributes(members, ctx.get(PROPS[P.attributes]) === KEEP_UNIQUE),
    [CoreAttributes.MIME_TYPE]: mime ?? 'application/octet-stream',
    [CoreAttributes.FILENAME]: filename + extension,
    'merge.count': String(members.length),
    'merge.bin.age': String(Math.max(0, now - bin.created)),
    'merge.reason': bin.reason,
  });
  ctx.log.info(`Merged ${members.length} FlowFiles into ${bundle.uuid}. Reason for merging: ${bin.reason}`);
  session.transfer(bundle, 'merged');
  for (const ff of refused) {
    ctx.log.error(`Encountered duplicate ZIP entry '${ff.attributes[CoreAttributes.FILENAME] ?? ff.uuid}' merging ${ff.uuid}; a copy goes to failure`);
    session.transfer(session.clone(ff), REL_FAILURE);
  }
  const keepOriginals = ctx.isConnected(REL_ORIGINAL.name);
  for (const ff of members) session.transfer(keepOriginals ? session.putAttribute(ff, 'merge.uuid', bundle.uuid) : ff, REL_ORIGINAL);
}

/** Binary Concatenation: header, contents with the demarcator between them, footer (text evaluated against the first FlowFile). */
async function concatenate(ctx: ProcessContext, session: ProcessSession, members: readonly FlowFile[]): Promise<{ content: Uint8Array; mime: string | undefined }> {
  const first = members[0]!;
  const text = ctx.get(PROPS[P.delimiter]) === TEXT;
  const delimiter = (handle: PropertyHandle<string, boolean>) => {
    const value = text ? ctx.get(handle, first) : undefined;
    return value ? utf8(value) : null;
  };
  const header = delimiter(PROPS[P.header]);
  const demarcator = delimiter(PROPS[P.demarcator]);
  const footer = delimiter(PROPS[P.footer]);
  // One await for the whole bin rather than one per FlowFile: most reads are answered from memory.
  const contents = await Promise.all(members.map((ff) => session.read(ff)));
  const parts: Uint8Array[] = [];
  if (header) parts.push(header);
  let mime: string | undefined = first.attributes[CoreAttributes.MIME_TYPE];
  for (let i = 0; i < members.length; i++) {
    parts.push(contents[i]!);
    if (demarcator && i < members.length - 1) parts.push(demarcator);
    if (mime !== undefined && members[i]!.attributes[CoreAttributes.MIME_TYPE] !== mime) mime = undefined;
  }
  if (footer) parts.push(footer);
  return { content: concat(parts), mime };
}
