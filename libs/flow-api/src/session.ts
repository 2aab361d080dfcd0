import type { FlowFile } from './flow-file.js';
import type { Relationship } from './relationship.js';

/** What a FlowFile filter answers for each queued FlowFile (NiFi's FlowFileFilterResult). */
export type FlowFileFilterResult = 'ACCEPT_AND_CONTINUE' | 'ACCEPT_AND_TERMINATE' | 'REJECT_AND_CONTINUE' | 'REJECT_AND_TERMINATE';

/** Where a processor's last `listNew` ended in its incoming queues: opaque, kept by the processor between triggers. */
export type QueueCursor = string;

/** What `ProcessSession.listNew` answers. */
export interface QueueLook {
  /** Ready FlowFiles queued since the cursor (all queued ones when `complete`), in queue order; none is taken. */
  readonly flowFiles: FlowFile[];
  /**
   * True when the look started over from the whole queue: the cursor was null or stale, or FlowFiles left the queue
   * other than by `takeListed` (emptied, taken by `get`, a rolled-back session), so what was listed before no longer holds.
   */
  readonly complete: boolean;
  /** Whether FlowFiles beyond `max` are still to be listed. */
  readonly more: boolean;
  /** Where to continue next time. */
  readonly cursor: QueueCursor;
}

/**
 * The unit of work a processor runs in, with NiFi's rules: every FlowFile taken or created must be
 * transferred or removed before commit; the framework commits when `onTrigger` returns and rolls back
 * (returning FlowFiles to their queues, penalized) when it throws. FlowFiles are immutable: every
 * change returns the new version, which the caller must use from then on.
 */
export interface ProcessSession {
  /** The next FlowFile from the processor's incoming queues, or null when none is ready. */
  get(): FlowFile | null;
  /** Up to `max` FlowFiles from the incoming queues. */
  getBatch(max: number): FlowFile[];
  /** The ready FlowFiles the filter accepts, in queue order, until it answers `..._AND_TERMINATE`; rejected ones stay queued. */
  getFiltered(filter: (flowFile: FlowFile) => FlowFileFilterResult): FlowFile[];
  /** Queued FlowFiles not yet taken (across all incoming connections). */
  queueSize(): number;
  /**
   * Lists, without taking them, up to `max` ready FlowFiles that joined the incoming queues since `cursor`, so a
   * processor that holds FlowFiles in its queue across triggers (bins) looks only at what is new. A penalized one is
   * listed once its penalty is over. The content of a listed FlowFile can be read in the same session.
   */
  listNew(cursor: QueueCursor | null, max: number): QueueLook;
  /**
   * Takes exactly these listed FlowFiles from the incoming queues, in queue order; one no longer queued is left out.
   * The cost grows with how far from the head of the queue they sit, not with the queue's length.
   */
  takeListed(flowFiles: readonly FlowFile[]): FlowFile[];

  /** A new FlowFile; with parents it inherits their common attributes (minus uuid) and lineage. */
  create(parents?: FlowFile | readonly FlowFile[]): FlowFile;
  /** A copy sharing the content claim, with a new uuid. */
  clone(flowFile: FlowFile): FlowFile;

  putAttribute(flowFile: FlowFile, key: string, value: string): FlowFile;
  putAllAttributes(flowFile: FlowFile, attributes: Readonly<Record<string, string>>): FlowFile;
  removeAttribute(flowFile: FlowFile, key: string): FlowFile;
  removeAllAttributes(flowFile: FlowFile, keys: readonly string[] | RegExp): FlowFile;

  /** The FlowFile's content as bytes. */
  read(flowFile: FlowFile): Promise<Uint8Array>;
  /** The FlowFile's content decoded as UTF-8. */
  readText(flowFile: FlowFile): Promise<string>;
  /** Replaces the content; the bytes are persisted when the session commits. */
  write(flowFile: FlowFile, content: Uint8Array | string): FlowFile;

  /**
   * Routes the FlowFile to a relationship. Without one it goes back to the queue it was taken from (NiFi's
   * transfer to self), e.g. penalized to try again later; a FlowFile created in this session has no such queue.
   */
  transfer(flowFile: FlowFile, relationship?: Relationship | string): void;
  remove(flowFile: FlowFile): void;
  /** Keeps the FlowFile from being taken again for the processor's penalty duration, or for `durationMs` when given. */
  penalize(flowFile: FlowFile, durationMs?: number): FlowFile;

  /**
   * Records a provenance event beyond the ones the session records itself (RECEIVE, SEND, FETCH). Details may be a
   * function, called once when the session commits: a step in a hurry (the next request waits) defers the text.
   */
  provenance(flowFile: FlowFile, eventType: 'RECEIVE' | 'SEND' | 'FETCH', transitUri: string, details?: string | (() => string)): void;
  adjustCounter(name: string, delta: number): void;

  /**
   * Runs `onCommitted` once this session's changes are durable (the framework commits when onTrigger returns), or
   * `onFailed` when the session is rolled back or its commit fails instead: NiFi's commitAsync callbacks, for
   * answering a caller only after what it sent is stored.
   */
  afterCommit(onCommitted: () => void, onFailed?: (error: unknown) => void): void;

  /** Drops every change made in this session; taken FlowFiles return to their queues. */
  rollback(penalize?: boolean): void;
}

/**
 * Takes up to `max` FlowFiles one at a time, each only once the processor is done with the one before, while the
 * engine's time slice lasts (`ProcessContext.sliceSpent`); the first always, so every trigger makes progress. What
 * is not taken stays queued, in order, for the next trigger.
 */
export function* takeWhileSliceLasts(ctx: { sliceSpent(): boolean }, session: ProcessSession, max: number): Generator<FlowFile, void, undefined> {
  for (let n = 0; n < max; n++) {
    if (n > 0 && ctx.sliceSpent()) return;
    const ff = session.get();
    if (!ff) return;
    yield ff;
  }
}
