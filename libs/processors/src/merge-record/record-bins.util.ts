import { FragmentAttributes, type FlowFile } from '@sluice/flow-api';
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

export interface KeyedMember extends BinMember {
  readonly key: string;
}

/** A bin whose FlowFiles go to failure (Defragment), and why. */
export interface FailedBin {
  readonly bin: RecordBin;
  readonly message: string;
}

/**
 * MergeRecord's bins, held across triggers and fed each FlowFile once, in queue order. Bin-packing: like FlowFiles
 * (same key) fill a bin until it reaches the maximum records or size (soft limits: a FlowFile's records are never
 * split), then a new bin starts. Defragment: one bin per fragment.identifier, complete when every fragment arrived.
 * `collect` adds the bins that must go now to `ready` (or, for Defragment, `failed`).
 */
export class RecordBins {
  readonly ready: RecordBin[] = [];
  readonly failed: FailedBin[] = [];
  /** Open bins by key, in the order they were created (so the first is the oldest). */
  private readonly open = new Map<string, RecordBin>();

  constructor(
    private readonly limits: BinLimits,
    private readonly defragment: boolean,
  ) {}

  add(m: KeyedMember, seen: number): void {
    let bin = this.open.get(m.key);
    if (!bin) this.open.set(m.key, (bin = { key: m.key, members: [], records: 0, bytes: 0, created: seen }));
    bin.members.push(m);
    bin.records += m.rows.length;
    bin.bytes += m.flowFile.size;
    if (this.defragment ? bin.members.length >= fragmentCount(bin) : full(bin, this.limits)) {
      if (this.defragment) bin.members.sort((a, b) => Number(a.flowFile.attributes[FragmentAttributes.INDEX]) - Number(b.flowFile.attributes[FragmentAttributes.INDEX]));
      bin.reason = this.defragment ? REASON_FRAGMENTS : REASON_FULL;
      this.close(bin);
    }
  }

  /** Bins past Max Bin Age, with `queueDrained` those that met their minimums, and the oldest beyond Maximum Number of Bins. */
  collect(now: number, queueDrained: boolean): void {
    const { maxAgeMs, minRecords, minBytes, maxBins } = this.limits;
    for (const bin of [...this.open.values()]) {
      if (maxAgeMs !== null && now - bin.created >= maxAgeMs) {
        if (this.defragment) this.fail(bin, `only ${bin.members.length} of ${fragmentCount(bin)} fragments of '${bin.key}' arrived before Max Bin Age`);
        else this.close(bin, REASON_AGE);
      } else if (!this.defragment && queueDrained && bin.records >= minRecords && bin.bytes >= minBytes) this.close(bin, REASON_MIN);
    }
    // Too many bins waiting: the oldest go, as NiFi evicts its oldest bin.
    for (const bin of this.open.values()) {
      if (this.open.size <= maxBins) break;
      if (this.defragment) this.fail(bin, `fragments of '${bin.key}' were evicted: more than ${maxBins} bins were waiting`);
      else this.close(bin, REASON_BINS);
    }
  }

  private close(bin: RecordBin, reason?: string): void {
    if (reason) bin.reason = reason;
    this.open.delete(bin.key);
    this.ready.push(bin);
  }

  private fail(bin: RecordBin, message: string): void {
    this.open.delete(bin.key);
    this.failed.push({ bin, message });
  }
}

function fragmentCount(bin: RecordBin): number {
  return Number(bin.members[0]!.flowFile.attributes[FragmentAttributes.COUNT]);
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
