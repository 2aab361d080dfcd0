import { fromUtf8, newFlowFile, utf8, type FlowFile, type FlowFileFilterResult, type ProcessSession, type QueueCursor, type QueueLook, type Relationship } from '@sluice/flow-api';
import type { ConnectionQueue } from './connection-queue.js';
import type { ProvenanceEvent } from './ports.js';
import { provenanceEvent } from './provenance-event.js';
import { prepareOutcome, REMOVED, SELF, SessionError, type Rec, type SessionHost, type SessionOutcome } from './session-outcome.js';

export { SessionError, type Destinations, type SessionHost, type SessionOutcome } from './session-outcome.js';

const EMPTY_BYTES = new Uint8Array(0);

/**
 * NiFi's ProcessSession: FlowFiles are immutable values, every change returns a new version, and
 * nothing leaves the session until `commit`, which checks that every FlowFile taken or created was
 * transferred or removed.
 */
interface CommitHook {
  onCommitted(): void;
  onFailed?(error: unknown): void;
}

export class StandardProcessSession implements ProcessSession {
  private records = new Map<string, Rec>();
  private contents = new Map<string, Uint8Array>();
  private claimsByBytes = new WeakMap<Uint8Array, string>();
  private extraEvents: ProvenanceEvent[] = [];
  /** Details given as functions, worked out when the session is prepared for its commit. */
  private lazyDetails: [ProvenanceEvent, () => string][] = [];
  private forks = new Map<string, string[]>();
  private clones = new Map<string, string[]>();
  /** FlowFiles created from several parents (merges), each recorded as a JOIN. */
  private joins: string[] = [];
  private counters = new Map<string, number>();
  private hooks: CommitHook[] = [];
  private nextQueue = 0;
  /** FlowFiles `listNew` listed in this session, whose content may be read without taking them. */
  private listed: WeakSet<FlowFile> | null = null;

  constructor(private readonly host: SessionHost) {}

  private now(): number {
    return this.host.clock.now();
  }

  private check(flowFile: FlowFile): Rec {
    const rec = this.records.get(flowFile.uuid);
    if (!rec) throw new SessionError(`FlowFile ${flowFile.uuid} does not belong to this session`);
    if (rec.target === REMOVED) throw new SessionError(`FlowFile ${flowFile.uuid} was already removed`);
    if (rec.current !== flowFile) {
      throw new SessionError(`FlowFile ${flowFile.uuid} is not the latest version; use the value the last session call returned`);
    }
    return rec;
  }

  private update(rec: Rec, next: FlowFile): FlowFile {
    rec.current = next;
    return next;
  }

  get(): FlowFile | null {
    const incoming = this.host.incoming;
    const n = incoming.length;
    if (n === 0) return null;
    const now = this.now();
    for (let i = 0; i < n; i++) {
      const q = incoming[(this.nextQueue + i) % n]!;
      const ff = q.poll(now);
      if (ff) {
        this.nextQueue = (this.nextQueue + i + 1) % n;
        this.records.set(ff.uuid, { original: ff, source: q, current: ff, target: null, origin: 'queue' });
        return ff;
      }
    }
    return null;
  }

  getBatch(max: number): FlowFile[] {
    const out: FlowFile[] = [];
    while (out.length < max) {
      const ff = this.get();
      if (!ff) break;
      out.push(ff);
    }
    return out;
  }

  getFiltered(filter: (flowFile: FlowFile) => FlowFileFilterResult): FlowFile[] {
    const out: FlowFile[] = [];
    const now = this.now();
    for (const q of this.host.incoming) {
      const { taken, terminated } = q.pollMatching(now, filter);
      for (const ff of taken) {
        this.records.set(ff.uuid, { original: ff, source: q, current: ff, target: null, origin: 'queue' });
        out.push(ff);
      }
      if (terminated) break;
    }
    return out;
  }

  listNew(cursor: QueueCursor | null, max: number): QueueLook {
    const incoming = this.host.incoming;
    const epochs = cursor === null ? [] : cursor.split(',').map(Number);
    // One stale queue starts every queue over, so `complete` means the same for the whole look.
    const fresh = epochs.length === incoming.length && incoming.every((q, i) => q.listingEpoch() === epochs[i]);
    const now = this.now();
    const flowFiles: FlowFile[] = [];
    const next: number[] = [];
    let more = false;
    for (const q of incoming) {
      if (!fresh) q.restartListing();
      const look = q.listNew(fresh ? epochs[next.length]! : null, max - flowFiles.length, now);
      for (const ff of look.flowFiles) flowFiles.push(ff);
      more ||= look.more;
      next.push(look.epoch);
    }
    this.listed ??= new WeakSet();
    for (const ff of flowFiles) this.listed.add(ff);
    return { flowFiles, complete: !fresh, more, cursor: next.join(',') };
  }

  takeListed(flowFiles: readonly FlowFile[]): FlowFile[] {
    const wanted = new Set(flowFiles);
    const out: FlowFile[] = [];
    for (const q of this.host.incoming) {
      if (wanted.size === 0) break;
      for (const ff of q.takeListed(wanted)) {
        this.records.set(ff.uuid, { original: ff, source: q, current: ff, target: null, origin: 'queue' });
        out.push(ff);
      }
    }
    return out;
  }

  queueSize(): number {
    let n = 0;
    for (const q of this.host.incoming) n += q.count;
    return n;
  }

  create(parents?: FlowFile | readonly FlowFile[]): FlowFile {
    const list: readonly FlowFile[] = parents === undefined ? [] : Array.isArray(parents) ? parents : [parents as FlowFile];
    for (const p of list) this.check(p);
    const uuid = this.host.newId();
    const now = this.now();
    // A join keeps the attributes its parents agree on.
    const attributes: Record<string, string> = {};
    if (list.length > 0) {
      const [first, ...rest] = list;
      for (const [k, v] of Object.entries(first!.attributes)) if (rest.every((p) => p.attributes[k] === v)) attributes[k] = v;
    }
    const ff = newFlowFile(uuid, now, {
      attributes,
      parentUuids: list.map((p) => p.uuid),
      lineageStartDate: list.length === 0 ? now : Math.min(...list.map((p) => p.lineageStartDate)),
    });
    this.records.set(uuid, { original: null, source: null, current: ff, target: null, origin: list.length ? 'fork' : 'root' });
    if (list.length === 1) {
      const children = this.forks.get(list[0]!.uuid);
      if (children) children.push(uuid);
      else this.forks.set(list[0]!.uuid, [uuid]);
    } else if (list.length > 1) {
      this.joins.push(uuid);
    }
    return ff;
  }

  clone(flowFile: FlowFile): FlowFile {
    this.check(flowFile);
    const uuid = this.host.newId();
    const ff: FlowFile = {
      ...flowFile,
      uuid,
      attributes: { ...flowFile.attributes, uuid },
      parentUuids: [flowFile.uuid],
      entryDate: this.now(),
      penaltyExpiration: 0,
    };
    this.records.set(uuid, { original: null, source: null, current: ff, target: null, origin: 'clone' });
    const children = this.clones.get(flowFile.uuid);
    if (children) children.push(uuid);
    else this.clones.set(flowFile.uuid, [uuid]);
    return ff;
  }

  putAttribute(flowFile: FlowFile, key: string, value: string): FlowFile {
    const rec = this.check(flowFile);
    if (key === 'uuid' || flowFile.attributes[key] === value) return flowFile;
    return this.update(rec, { ...flowFile, attributes: { ...flowFile.attributes, [key]: String(value) } });
  }

  putAllAttributes(flowFile: FlowFile, attributes: Readonly<Record<string, string>>): FlowFile {
    const rec = this.check(flowFile);
    const next: Record<string, string> = { ...flowFile.attributes };
    for (const [k, v] of Object.entries(attributes)) if (k !== 'uuid') next[k] = String(v);
    return this.update(rec, { ...flowFile, attributes: next });
  }

  removeAttribute(flowFile: FlowFile, key: string): FlowFile {
    const rec = this.check(flowFile);
    if (key === 'uuid' || !(key in flowFile.attributes)) return flowFile;
    const next: Record<string, string> = { ...flowFile.attributes };
    delete next[key];
    return this.update(rec, { ...flowFile, attributes: next });
  }

  removeAllAttributes(flowFile: FlowFile, keys: readonly string[] | RegExp): FlowFile {
    const rec = this.check(flowFile);
    const next: Record<string, string> = {};
    const drop = Array.isArray(keys) ? new Set(keys) : null;
    for (const [k, v] of Object.entries(flowFile.attributes)) {
      const remove = k !== 'uuid' && (drop ? drop.has(k) : (keys as RegExp).test(k));
      if (!remove) next[k] = v;
    }
    return this.update(rec, { ...flowFile, attributes: next });
  }

  async read(flowFile: FlowFile): Promise<Uint8Array> {
    if (!this.listed?.has(flowFile) || this.records.has(flowFile.uuid)) this.check(flowFile);
    const claim = flowFile.contentClaim;
    if (claim === null) return EMPTY_BYTES;
    return this.contents.get(claim) ?? this.host.readContent(claim);
  }

  async readText(flowFile: FlowFile): Promise<string> {
    return fromUtf8(await this.read(flowFile));
  }

  write(flowFile: FlowFile, content: Uint8Array | string): FlowFile {
    const rec = this.check(flowFile);
    const bytes = typeof content === 'string' ? utf8(content) : content;
    if (bytes.length === 0) return this.update(rec, { ...flowFile, contentClaim: null, size: 0 });
    // The same bytes written to several FlowFiles (a generated batch) share one claim, as clones do.
    let claim = this.claimsByBytes.get(bytes);
    if (claim === undefined) {
      claim = this.host.newId();
      this.contents.set(claim, bytes);
      this.claimsByBytes.set(bytes, claim);
    }
    return this.update(rec, { ...flowFile, contentClaim: claim, size: bytes.length });
  }

  transfer(flowFile: FlowFile, relationship?: Relationship | string): void {
    const rec = this.check(flowFile);
    if (relationship === undefined) {
      if (!rec.source) throw new SessionError(`FlowFile ${flowFile.uuid} was created in this session, so it has no queue to go back to`);
      rec.target = SELF;
      return;
    }
    rec.target = typeof relationship === 'string' ? relationship : relationship.name;
  }

  remove(flowFile: FlowFile): void {
    const rec = this.check(flowFile);
    rec.target = REMOVED;
  }

  penalize(flowFile: FlowFile, durationMs?: number): FlowFile {
    const rec = this.check(flowFile);
    const ms = durationMs === undefined || !Number.isFinite(durationMs) ? this.host.penaltyMs : Math.max(0, durationMs);
    return this.update(rec, { ...flowFile, penaltyExpiration: this.now() + ms });
  }

  provenance(flowFile: FlowFile, eventType: 'RECEIVE' | 'SEND' | 'FETCH', transitUri: string, details?: string | (() => string)): void {
    this.check(flowFile);
    const event = provenanceEvent(this.host.flowId, this.host.id, eventType, flowFile, this.now(), { details: typeof details === 'string' ? details : null, transitUri });
    this.extraEvents.push(event);
    if (typeof details === 'function') this.lazyDetails.push([event, details]);
  }

  adjustCounter(name: string, delta: number): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + delta);
  }

  afterCommit(onCommitted: () => void, onFailed?: (error: unknown) => void): void {
    this.hooks.push({ onCommitted, onFailed });
  }

  /** Hooks run after the session's state is settled, so a callback that throws cannot undo a commit or a rollback. */
  private runHooks(hooks: readonly CommitHook[], error: unknown, committed: boolean): void {
    for (const h of hooks) {
      try {
        if (committed) h.onCommitted();
        else h.onFailed?.(error);
      } catch {
        // A callback answers a caller; its failure must not reach the session's owner.
      }
    }
  }

  rollback(penalize = false): void {
    this.rollbackWith(penalize, new Error('the session was rolled back'));
  }

  private rollbackWith(penalize: boolean, error: unknown): void {
    const hooks = this.hooks;
    const now = this.now();
    const back = new Map<ConnectionQueue, FlowFile[]>();
    for (const rec of this.records.values()) {
      if (!rec.original || !rec.source) continue;
      let list = back.get(rec.source);
      if (!list) back.set(rec.source, (list = []));
      list.push(penalize ? { ...rec.original, penaltyExpiration: now + this.host.penaltyMs } : rec.original);
    }
    // What the processor made of its listing may be lost with the rollback: its next look starts over.
    if (this.listed) for (const q of this.host.incoming) q.restartListing();
    for (const [queue, list] of back) {
      let bytes = 0;
      for (const ff of list) bytes += ff.size;
      queue.acknowledge(list.length, bytes);
      queue.returnToHead(list, now);
    }
    this.reset();
    this.runHooks(hooks, error, false);
  }

  private reset(): void {
    this.records = new Map();
    this.contents = new Map();
    this.claimsByBytes = new WeakMap();
    this.extraEvents = [];
    this.lazyDetails = [];
    this.forks = new Map();
    this.clones = new Map();
    this.joins = [];
    this.counters = new Map();
    this.hooks = [];
    this.listed = null;
  }

  /** True when the session touched nothing. */
  get isEmpty(): boolean {
    return this.records.size === 0 && this.extraEvents.length === 0 && this.hooks.length === 0;
  }

  /**
   * Checks the session's rules and works out what committing would do, without changing anything.
   * Throws a SessionError naming the offending FlowFile or relationship.
   */
  prepare(): SessionOutcome {
    for (const [event, details] of this.lazyDetails) event.details = details();
    this.lazyDetails = [];
    const { records, contents, extraEvents, forks, clones, joins, counters } = this;
    return prepareOutcome(this.host, { records, contents, extraEvents, forks, clones, joins, counters });
  }

  /**
   * Validates and persists through the host; the session can then be used again. On any failure it
   * rolls back (penalizing taken FlowFiles when asked) and rethrows.
   */
  async commit(penalizeOnFailure = false): Promise<SessionOutcome> {
    let outcome: SessionOutcome;
    try {
      outcome = this.prepare();
      await this.host.commit(outcome);
    } catch (e) {
      this.rollbackWith(penalizeOnFailure, e);
      throw e;
    }
    const hooks = this.hooks;
    this.reset();
    this.runHooks(hooks, null, true);
    return outcome;
  }

  /** Content written in this session, by claim (for test runs that never persist). */
  writtenContent(claim: string): Uint8Array | undefined {
    return this.contents.get(claim);
  }
}
