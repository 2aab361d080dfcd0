import type { FlowFile, FlowFileFilterResult } from '@sluice/flow-api';

export const DEFAULT_OBJECT_THRESHOLD = 10_000;
export const DEFAULT_DATA_SIZE_THRESHOLD = 1024 ** 3;

/** Listing epochs are unique in the process, so a cursor from another queue or an earlier engine never matches. */
let lastListingEpoch = 0;

/** What the queue's consumer has not yet listed (`listNew`); FlowFiles arriving are appended while it exists. */
interface Listing {
  readonly epoch: number;
  unlisted: FlowFile[];
  next: number;
  /** Reached while penalized: listed once the penalty is over. */
  deferred: FlowFile[];
}

export interface ListedLook {
  readonly flowFiles: FlowFile[];
  readonly complete: boolean;
  readonly more: boolean;
  readonly epoch: number;
}

/**
 * A FIFO queue of FlowFiles on a connection. Penalized FlowFiles are skipped until their penalty
 * expires. FlowFiles taken by a session stay counted ("in flight") until the session commits or
 * rolls back, so back pressure sees them.
 */
export class ConnectionQueue {
  private items: FlowFile[] = [];
  private head = 0;
  /** Penalized FlowFiles, in queue order: they sit ahead of `items` once their penalty expires. */
  private penalized: FlowFile[] = [];
  private queuedBytes = 0;
  private listing: Listing | null = null;
  inFlightCount = 0;
  inFlightBytes = 0;

  constructor(
    readonly id: string,
    readonly sourceId: string | null,
    readonly targetId: string | null,
    readonly objectThreshold = DEFAULT_OBJECT_THRESHOLD,
    readonly dataSizeThreshold = DEFAULT_DATA_SIZE_THRESHOLD,
  ) {}

  /** FlowFiles waiting in the queue (penalized ones included, in-flight ones not). */
  get count(): number {
    return this.items.length - this.head + this.penalized.length;
  }

  get bytes(): number {
    return this.queuedBytes;
  }

  /** Queued plus in flight, as back pressure counts them. */
  isFull(): boolean {
    return this.count + this.inFlightCount >= this.objectThreshold || this.queuedBytes + this.inFlightBytes >= this.dataSizeThreshold;
  }

  /** Fraction (0..1) of the nearer back-pressure threshold. */
  fill(): number {
    const f = Math.max((this.count + this.inFlightCount) / this.objectThreshold, (this.queuedBytes + this.inFlightBytes) / this.dataSizeThreshold);
    return f > 1 ? 1 : f;
  }

  offer(flowFile: FlowFile, now: number): void {
    if (flowFile.penaltyExpiration > now) this.penalized.push(flowFile);
    else this.items.push(flowFile);
    this.queuedBytes += flowFile.size;
    this.listing?.unlisted.push(flowFile);
  }

  /** Puts FlowFiles back at the head of the queue in their original order (rollback). */
  returnToHead(flowFiles: readonly FlowFile[], now: number): void {
    this.restartListing();
    const penalized: FlowFile[] = [];
    const ready: FlowFile[] = [];
    for (const ff of flowFiles) {
      (ff.penaltyExpiration > now ? penalized : ready).push(ff);
      this.queuedBytes += ff.size;
    }
    if (penalized.length) this.penalized.unshift(...penalized);
    if (ready.length) {
      if (this.head >= ready.length) {
        this.head -= ready.length;
        for (let i = 0; i < ready.length; i++) this.items[this.head + i] = ready[i]!;
      } else {
        this.items = ready.concat(this.items.slice(this.head));
        this.head = 0;
      }
    }
  }

  /** True when a FlowFile can be taken now. */
  hasReady(now: number): boolean {
    if (this.head < this.items.length) return true;
    for (const ff of this.penalized) if (ff.penaltyExpiration <= now) return true;
    return false;
  }

  /** Takes the next unpenalized FlowFile; it counts as in flight until `acknowledge` or `returnToHead`. */
  poll(now: number): FlowFile | null {
    if (this.listing) this.restartListing();
    let ff: FlowFile | undefined;
    if (this.penalized.length) {
      const i = this.penalized.findIndex((p) => p.penaltyExpiration <= now);
      if (i >= 0) ff = this.penalized.splice(i, 1)[0];
    }
    if (!ff) {
      if (this.head >= this.items.length) return null;
      ff = this.items[this.head]!;
      this.items[this.head++] = undefined as unknown as FlowFile;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
    }
    this.queuedBytes -= ff.size;
    this.inFlightCount++;
    this.inFlightBytes += ff.size;
    return ff;
  }

  /**
   * Takes the ready FlowFiles the filter accepts, in the order `poll` would hand them out, until it answers
   * `..._AND_TERMINATE`; rejected ones keep their place. Reports whether the filter terminated.
   */
  pollMatching(now: number, filter: (flowFile: FlowFile) => FlowFileFilterResult): { taken: FlowFile[]; terminated: boolean } {
    this.restartListing();
    const taken: FlowFile[] = [];
    let terminated = false;
    const ask = (ff: FlowFile): boolean => {
      const answer = filter(ff);
      if (answer === 'ACCEPT_AND_TERMINATE' || answer === 'REJECT_AND_TERMINATE') terminated = true;
      return answer === 'ACCEPT_AND_CONTINUE' || answer === 'ACCEPT_AND_TERMINATE';
    };
    if (this.penalized.length) {
      const kept: FlowFile[] = [];
      for (const ff of this.penalized) {
        if (!terminated && ff.penaltyExpiration <= now && ask(ff)) taken.push(ff);
        else kept.push(ff);
      }
      this.penalized = kept;
    }
    if (!terminated && this.head < this.items.length) {
      const kept: FlowFile[] = [];
      const before = taken.length;
      for (let i = this.head; i < this.items.length; i++) {
        const ff = this.items[i]!;
        if (!terminated && ask(ff)) taken.push(ff);
        else kept.push(ff);
      }
      if (taken.length > before) {
        this.items = kept;
        this.head = 0;
      }
    }
    for (const ff of taken) {
      this.queuedBytes -= ff.size;
      this.inFlightCount++;
      this.inFlightBytes += ff.size;
    }
    return { taken, terminated };
  }

  /** Takes one queued FlowFile by uuid, penalized or not (a live test run on a chosen FlowFile); it counts as in flight. */
  take(uuid: string): FlowFile | undefined {
    this.restartListing();
    let ff: FlowFile | undefined;
    const p = this.penalized.findIndex((f) => f.uuid === uuid);
    if (p >= 0) ff = this.penalized.splice(p, 1)[0];
    else {
      const i = this.items.findIndex((f, k) => k >= this.head && f?.uuid === uuid);
      if (i < 0) return undefined;
      ff = this.items[i]!;
      this.items.splice(i, 1);
    }
    this.queuedBytes -= ff!.size;
    this.inFlightCount++;
    this.inFlightBytes += ff!.size;
    return ff;
  }

  /** Ends the in-flight accounting of taken FlowFiles (after commit, or before returning them). */
  acknowledge(count: number, bytes: number): void {
    this.inFlightCount -= count;
    this.inFlightBytes -= bytes;
  }

  /** The earliest time a penalized FlowFile becomes available, or null. */
  nextPenaltyExpiry(): number | null {
    let min: number | null = null;
    for (const ff of this.penalized) if (min === null || ff.penaltyExpiration < min) min = ff.penaltyExpiration;
    return min;
  }

  /** Queued FlowFiles in the order they would be taken (penalized first), up to `limit`. */
  list(limit = Number.MAX_SAFE_INTEGER): FlowFile[] {
    const out: FlowFile[] = [];
    for (const ff of this.penalized) {
      if (out.length >= limit) return out;
      out.push(ff);
    }
    for (let i = this.head; i < this.items.length && out.length < limit; i++) out.push(this.items[i]!);
    return out;
  }

  find(uuid: string): FlowFile | undefined {
    return this.penalized.find((f) => f.uuid === uuid) ?? this.items.slice(this.head).find((f) => f.uuid === uuid);
  }

  /** Empties the queue (in-flight FlowFiles are not touched) and returns what was queued. */
  clear(): FlowFile[] {
    this.restartListing();
    const all = this.list();
    this.items = [];
    this.head = 0;
    this.penalized = [];
    this.queuedBytes = 0;
    return all;
  }

  /**
   * Up to `max` ready FlowFiles the consumer has not listed since `epoch`, without taking them. A null or stale epoch
   * (FlowFiles left the queue other than by `takeListed`) starts over from the whole queue and says so (`complete`).
   */
  listNew(epoch: number | null, max: number, now: number): ListedLook {
    let complete = false;
    if (!this.listing || this.listing.epoch !== epoch) {
      this.listing = { epoch: ++lastListingEpoch, unlisted: this.list(), next: 0, deferred: [] };
      complete = true;
    }
    const l = this.listing;
    const out: FlowFile[] = [];
    if (l.deferred.length) {
      const still: FlowFile[] = [];
      for (const ff of l.deferred) (out.length < max && ff.penaltyExpiration <= now ? out : still).push(ff);
      l.deferred = still;
    }
    while (out.length < max && l.next < l.unlisted.length) {
      const ff = l.unlisted[l.next++]!;
      (ff.penaltyExpiration > now ? l.deferred : out).push(ff);
    }
    if (l.next === l.unlisted.length) {
      l.unlisted = [];
      l.next = 0;
    } else if (l.next > 1024 && l.next * 2 > l.unlisted.length) {
      l.unlisted = l.unlisted.slice(l.next);
      l.next = 0;
    }
    return { flowFiles: out, complete, more: l.next < l.unlisted.length, epoch: l.epoch };
  }

  /**
   * Takes the wanted FlowFiles (by identity, as listed) that are queued, removing each found one from `wanted`. It
   * scans from the head only as far as the last one it finds, and closes the gaps in place.
   */
  takeListed(wanted: Set<FlowFile>): FlowFile[] {
    const taken: FlowFile[] = [];
    if (this.penalized.length) {
      const kept: FlowFile[] = [];
      for (const ff of this.penalized) (wanted.delete(ff) ? taken : kept).push(ff);
      this.penalized = kept;
    }
    const kept: FlowFile[] = [];
    let i = this.head;
    for (; wanted.size > 0 && i < this.items.length; i++) {
      const ff = this.items[i]!;
      (wanted.delete(ff) ? taken : kept).push(ff);
    }
    // The kept ones move up against the unscanned rest; the slots they leave before them are freed.
    const start = i - kept.length;
    for (let k = this.head; k < start; k++) this.items[k] = undefined as unknown as FlowFile;
    for (let k = 0; k < kept.length; k++) this.items[start + k] = kept[k]!;
    this.head = start;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    for (const ff of taken) {
      this.queuedBytes -= ff.size;
      this.inFlightCount++;
      this.inFlightBytes += ff.size;
    }
    return taken;
  }

  /** The epoch of the consumer's listing, or null when its next `listNew` starts over. */
  listingEpoch(): number | null {
    return this.listing?.epoch ?? null;
  }

  /** Ends the consumer's listing, so its next `listNew` starts over from the whole queue. */
  restartListing(): void {
    this.listing = null;
  }
}
