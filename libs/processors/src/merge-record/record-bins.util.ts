import type { FlowFile } from '@sluice/flow-api';
import type { RecordSchema, Row } from '../record-services/record-schema.util.js';

export interface BinMember {
  readonly flowFile: FlowFile;
  readonly rows: Row[];
  readonly schema: RecordSchema;
}

export interface RecordBin {
  readonly key: string;
  readonly members: BinMember[];
  records: number;
  bytes: number;
  /** When the bin's first FlowFile was first binned (epoch millis). */
  created: number;
  reason?: string;
}

export interface BinLimits {
  readonly minRecords: number;
  readonly maxRecords: number;
  readonly minBytes: number;
  readonly maxBytes: number | null;
  readonly maxAgeMs: number | null;
  readonly maxBins: number;
}

export const REASON_FULL = 'Bin is full';
export const REASON_MIN = 'Bin has met minimum thresholds and no more FlowFiles are queued';
export const REASON_AGE = 'Bin has reached Max Bin Age';
export const REASON_BINS = 'Maximum number of bins has been exceeded';
export const REASON_FRAGMENTS = 'Bin has every fragment';

const full = (b: RecordBin, l: BinLimits) => b.records >= l.maxRecords || (l.maxBytes !== null && b.bytes >= l.maxBytes);

/**
 * Bin-packing over the queued FlowFiles, in queue order: like FlowFiles (same key) fill a bin until it reaches the
 * maximum records or size (soft limits: a FlowFile's records are never split), then a new bin starts. Returns the
 * bins to merge now, each with its reason; the rest stay queued.
 */
export function packRecordBins(members: readonly (BinMember & { key: string; firstSeen: number })[], limits: BinLimits, now: number, queueDrained: boolean): RecordBin[] {
  const open = new Map<string, RecordBin>();
  const all: RecordBin[] = [];
  for (const m of members) {
    let bin = open.get(m.key);
    if (!bin || full(bin, limits)) {
      bin = { key: m.key, members: [], records: 0, bytes: 0, created: m.firstSeen };
      open.set(m.key, bin);
      all.push(bin);
    }
    bin.members.push(m);
    bin.records += m.rows.length;
    bin.bytes += m.flowFile.size;
    bin.created = Math.min(bin.created, m.firstSeen);
  }
  const ready: RecordBin[] = [];
  const waiting: RecordBin[] = [];
  for (const b of all) {
    if (full(b, limits)) b.reason = REASON_FULL;
    else if (limits.maxAgeMs !== null && now - b.created >= limits.maxAgeMs) b.reason = REASON_AGE;
    else if (queueDrained && b.records >= limits.minRecords && b.bytes >= limits.minBytes) b.reason = REASON_MIN;
    (b.reason ? ready : waiting).push(b);
  }
  // Too many bins waiting: the oldest are merged, as NiFi evicts its oldest bin.
  waiting.sort((a, b) => a.created - b.created);
  while (waiting.length > limits.maxBins) {
    const b = waiting.shift()!;
    b.reason = REASON_BINS;
    ready.push(b);
  }
  return ready;
}

/** Attributes of the merged FlowFile: shared ones with the same value, or (`unique`) every one no two FlowFiles disagree on. */
export function mergedAttributes(flowFiles: readonly FlowFile[], unique: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const conflict = new Set<string>();
  for (const ff of flowFiles) {
    for (const [k, v] of Object.entries(ff.attributes)) {
      if (k === 'uuid' || conflict.has(k)) continue;
      if (k in out && out[k] !== v) {
        conflict.add(k);
        delete out[k];
      } else out[k] = v;
    }
  }
  if (!unique) for (const k of Object.keys(out)) if (!flowFiles.every((ff) => ff.attributes[k] === out[k])) delete out[k];
  return out;
}

/** The union of the members' fields, in first-seen order, so a writer with columns (CSV) writes every field. */
export function unionSchema(members: readonly BinMember[]): RecordSchema {
  const seen = new Map<string, RecordSchema['fields'][number]>();
  for (const m of members) for (const f of m.schema.fields) if (!seen.has(f.name)) seen.set(f.name, f);
  return { name: members[0]?.schema.name, fields: [...seen.values()] };
}
