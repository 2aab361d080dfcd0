import { FragmentAttributes, type FlowFile } from '@sluice/flow-api';

/** NiFi's merge.reason values (EvictionReason); UNSET is what NiFi writes for a FlowFile too large for any bin. */
export type EvictionReason =
  | 'MAX_BYTES_THRESHOLD_REACHED' | 'MAX_ENTRIES_THRESHOLD_REACHED' | 'MIN_THRESHOLDS_REACHED' | 'TIMEOUT' | 'BIN_MANAGER_FULL'
  | 'BIN_TERMINATION_SIGNAL' | 'UNSET';

export type InsertionLocation = 'Last in Bin' | 'First in New Bin' | 'Isolated';

export interface BinSettings {
  readonly defragment: boolean;
  readonly minEntries: number;
  readonly maxEntries: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  /** Milliseconds, or null for no limit. */
  readonly maxBinAgeMs: number | null;
  readonly maxBins: number;
  /** The bin a FlowFile belongs with (correlation value or fragment.identifier); null for the shared group. */
  groupOf(flowFile: FlowFile): string | null;
  /** Whether the FlowFile ends its bin (Bin Termination Check), and where it goes then. */
  terminates?(flowFile: FlowFile): boolean;
  readonly insertion: InsertionLocation;
}

export interface Bin {
  readonly group: string | null;
  readonly members: FlowFile[];
  size: number;
  /** When the bin was created: when its first member was first binned. */
  created: number;
  minEntries: number;
  maxEntries: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly indexes: Set<string>;
  completed: boolean;
  reason: EvictionReason;
}

const NUMBER = /^\d+$/;

function newBin(group: string | null, s: BinSettings, created: number): Bin {
  // Defragment bins are sized by fragment.count as fragments arrive (NiFi's fileCountAttribute).
  return s.defragment
    ? { group, members: [], size: 0, created, minEntries: Number.MAX_SAFE_INTEGER, maxEntries: Number.MAX_SAFE_INTEGER, minBytes: 0, maxBytes: Number.MAX_SAFE_INTEGER, indexes: new Set(), completed: false, reason: 'UNSET' }
    : { group, members: [], size: 0, created, minEntries: s.minEntries, maxEntries: s.maxEntries, minBytes: s.minBytes, maxBytes: s.maxBytes, indexes: new Set(), completed: false, reason: 'UNSET' };
}

function offer(bin: Bin, ff: FlowFile, s: BinSettings): boolean {
  if (bin.completed || bin.size + ff.size > bin.maxBytes || bin.members.length >= bin.maxEntries) return false;
  if (s.defragment) {
    const index = ff.attributes[FragmentAttributes.INDEX];
    if (index === undefined || index === '' || bin.indexes.has(index)) return false;
    bin.indexes.add(index);
    const count = ff.attributes[FragmentAttributes.COUNT];
    if (count !== undefined && NUMBER.test(count)) bin.minEntries = bin.maxEntries = Number(count);
  }
  bin.size += ff.size;
  bin.members.push(ff);
  return true;
}

export function isFull(bin: Bin): boolean {
  return bin.completed || bin.size >= bin.maxBytes || bin.members.length >= bin.maxEntries;
}

function isFullEnough(bin: Bin): boolean {
  return isFull(bin) || (bin.size >= bin.minBytes && bin.members.length >= bin.minEntries);
}

function fullReason(bin: Bin): EvictionReason {
  if (bin.completed) return 'BIN_TERMINATION_SIGNAL';
  if (bin.size >= bin.maxBytes) return 'MAX_BYTES_THRESHOLD_REACHED';
  if (bin.members.length >= bin.maxEntries) return 'MAX_ENTRIES_THRESHOLD_REACHED';
  return 'MIN_THRESHOLDS_REACHED';
}

/**
 * NiFi's BinManager: FlowFiles are offered in queue order, each once, as they are first seen; full bins (and bins
 * evicted to make room) join `ready` at once, `expire` adds the ones past Max Bin Age and, when nothing new arrived
 * (`relaxed`), the ones that met their minimums, as NiFi does once its queue is drained. The bins live across
 * triggers, so a trigger costs what arrived plus what it merges; the FlowFiles stay in their queue until merged.
 */
export class BinManager {
  /** Bins to merge, in the order they became ready. */
  readonly ready: Bin[] = [];
  private active: Bin[] = [];
  // Open bins by group, so placing a FlowFile does not scan every open bin.
  private readonly byGroup = new Map<string | null, Bin[]>();

  constructor(private readonly s: BinSettings) {}

  /** FlowFiles in bins that are not ready yet. */
  get waitingFlowFiles(): number {
    let n = 0;
    for (const b of this.active) n += b.members.length;
    return n;
  }

  add(ff: FlowFile, seen: number): void {
    const s = this.s;
    if (!s.defragment && ff.size > s.maxBytes) {
      // Too large for any bin: merged on its own, with the reason NiFi leaves unset.
      this.ready.push(alone(ff, seen, s));
      return;
    }
    const group = s.groupOf(ff);
    const bins = this.byGroup.get(group) ?? [];
    const terminates = !s.defragment && (s.terminates?.(ff) ?? false);
    if (terminates && s.insertion === 'Last in Bin') {
      const target = bins.find((b) => offer(b, ff, s));
      if (target) return this.complete(target);
    } else if (terminates) {
      const open = bins.find((b) => !b.completed);
      if (open) this.complete(open);
    } else {
      const target = bins.find((b) => offer(b, ff, s));
      if (target) return this.retireIfFull(target);
    }
    this.makeRoom();
    const bin = newBin(group, s, seen);
    if (!offer(bin, ff, s)) {
      // Refused by a fresh bin (a defragment fragment without a usable index): NiFi merges it alone, and fails it.
      this.ready.push(alone(ff, seen, s));
      return;
    }
    this.active.push(bin);
    const list = this.byGroup.get(group);
    if (list) list.push(bin);
    else this.byGroup.set(group, [bin]);
    if (terminates && s.insertion !== 'First in New Bin') this.complete(bin);
    else this.retireIfFull(bin);
  }

  expire(now: number, relaxed: boolean): void {
    for (const bin of [...this.active]) {
      if (relaxed && isFullEnough(bin)) {
        bin.reason = fullReason(bin);
        this.retire(bin);
      } else if (this.s.maxBinAgeMs !== null && now - bin.created > this.s.maxBinAgeMs) {
        bin.reason = 'TIMEOUT';
        this.retire(bin);
      }
    }
  }

  private retire(bin: Bin): void {
    this.ready.push(bin);
    this.active.splice(this.active.indexOf(bin), 1);
    const list = this.byGroup.get(bin.group)!;
    list.splice(list.indexOf(bin), 1);
    if (list.length === 0) this.byGroup.delete(bin.group);
  }

  private makeRoom(): void {
    if (this.active.length < this.s.maxBins) return;
    let oldest = this.active[0]!;
    for (const b of this.active) if (b.created < oldest.created) oldest = b;
    oldest.reason = 'BIN_MANAGER_FULL';
    this.retire(oldest);
  }

  private retireIfFull(bin: Bin): void {
    if (!isFull(bin)) return;
    bin.reason = fullReason(bin);
    this.retire(bin);
  }

  private complete(bin: Bin): void {
    bin.completed = true;
    this.retireIfFull(bin);
  }
}

function alone(ff: FlowFile, seen: number, s: BinSettings): Bin {
  const bin = newBin(null, { ...s, minEntries: 0, maxEntries: Number.MAX_SAFE_INTEGER, minBytes: 0, maxBytes: Number.MAX_SAFE_INTEGER }, seen);
  bin.members.push(ff);
  bin.size = ff.size;
  return bin;
}

/** NiFi's checks before defragmenting a bin: an error message, or null when the fragments are complete. */
export function defragmentError(members: readonly FlowFile[]): string | null {
  let decided: string | null = null;
  let identifier: string | undefined;
  for (const ff of members) {
    const index = ff.attributes[FragmentAttributes.INDEX];
    if (index === undefined || !NUMBER.test(index)) return `Cannot Defragment ${ff.uuid} because it does not have an integer value for the ${FragmentAttributes.INDEX} attribute`;
    identifier = ff.attributes[FragmentAttributes.IDENTIFIER];
    const count = ff.attributes[FragmentAttributes.COUNT];
    if (count === undefined) continue;
    if (!NUMBER.test(count)) return `Cannot Defragment ${ff.uuid} because it does not have an integer value for the ${FragmentAttributes.COUNT} attribute`;
    if (decided === null) decided = count;
    else if (decided !== count) {
      return `Cannot Defragment ${ff.uuid} because it is grouped with another FlowFile, and the two have differing values for the ${FragmentAttributes.COUNT} attribute: ${decided} and ${count}`;
    }
  }
  if (decided === null) {
    return `Cannot Defragment FlowFiles with Fragment Identifier ${identifier} because no FlowFile arrived with the ${FragmentAttributes.COUNT} attribute and the expected number of fragments is unknown`;
  }
  const expected = Number(decided);
  if (members.length < expected) return `Cannot Defragment FlowFiles with Fragment Identifier ${identifier} because the expected number of fragments is ${decided} but found only ${members.length} fragments`;
  if (members.length > expected) return `Cannot Defragment FlowFiles with Fragment Identifier ${identifier} because the expected number of fragments is ${decided} but found ${members.length} fragments for this identifier`;
  return null;
}

/** Attributes of the merged FlowFile: NiFi's Keep Only Common / Keep All Unique strategies (uuid never kept). */
export function mergedAttributes(members: readonly FlowFile[], unique: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (members.length === 1) Object.assign(out, members[0]!.attributes);
  else if (unique) {
    const conflicting = new Set<string>();
    for (const ff of members) {
      for (const [k, v] of Object.entries(ff.attributes)) {
        if (k in out && out[k] !== v) conflicting.add(k);
        else out[k] = v;
      }
    }
    for (const k of conflicting) delete out[k];
  } else {
    const [first, ...rest] = members;
    for (const [k, v] of Object.entries(first!.attributes)) if (rest.every((ff) => ff.attributes[k] === v)) out[k] = v;
  }
  delete out['uuid'];
  return out;
}
