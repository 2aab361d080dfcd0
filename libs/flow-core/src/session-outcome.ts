import type { Clock, FlowFile } from '@sluice/flow-api';
import type { ConnectionQueue } from './connection-queue.js';
import type { ProvenanceEvent, ProvenanceEventType, QueuedFlowFile, RepositoryTransaction } from './ports.js';
import { provenanceEvent } from './provenance-event.js';

/** Thrown when a session breaks NiFi's rules (untransferred FlowFiles, unknown relationships, stale versions). */
export class SessionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionError';
  }
}

/** Where a relationship leads: queues, 'drop' (auto-terminated, unconnected) or null (nowhere). */
export type Destinations = readonly ConnectionQueue[] | 'drop' | null;

/** What a session needs from whoever runs it: the engine, the TestRunner, or a test run. */
export interface SessionHost {
  readonly flowId: string;
  /** The processor the session runs for. */
  readonly id: string;
  readonly clock: Clock;
  readonly penaltyMs: number;
  /** The queues the session takes from, polled round-robin. */
  readonly incoming: readonly ConnectionQueue[];
  hasRelationship(name: string): boolean;
  destinations(relationship: string): Destinations;
  readContent(claim: string): Promise<Uint8Array>;
  newId(): string;
  /** Persists and applies a validated session; when it rejects, the session rolls back. */
  commit(outcome: SessionOutcome): Promise<void>;
}

/** A validated session, ready to persist and apply. */
export interface SessionOutcome {
  readonly transaction: RepositoryTransaction;
  /** FlowFiles to offer to queues once the transaction is durable. */
  readonly enqueued: readonly { readonly queue: ConnectionQueue; readonly flowFile: FlowFile }[];
  /** FlowFiles taken from queues, to acknowledge once durable. */
  readonly taken: readonly { readonly queue: ConnectionQueue; readonly flowFile: FlowFile }[];
  readonly events: readonly ProvenanceEvent[];
  readonly counters: ReadonlyMap<string, number>;
  readonly flowFilesIn: number;
  readonly flowFilesOut: number;
  /** Where each transferred FlowFile went, by relationship (including dropped ones). */
  readonly transfers: readonly { readonly relationship: string; readonly flowFile: FlowFile }[];
}

export const REMOVED = Symbol('removed');
/** Back to the queue the FlowFile was taken from (NiFi's Relationship.SELF). */
export const SELF = Symbol('self');

export interface Rec {
  /** The version taken from a queue; null when created in this session. */
  readonly original: FlowFile | null;
  readonly source: ConnectionQueue | null;
  current: FlowFile;
  target: string | typeof REMOVED | typeof SELF | null;
  /** How it was created: 'root', 'fork' (from parents) or 'clone'. */
  readonly origin: 'queue' | 'root' | 'fork' | 'clone';
}

/** Everything a session did, as `prepareOutcome` reads it. */
export interface SessionChanges {
  readonly records: ReadonlyMap<string, Rec>;
  /** Bytes written in the session, by claim. */
  readonly contents: ReadonlyMap<string, Uint8Array>;
  /** Provenance the processor reported itself (SEND, RECEIVE, FETCH). */
  readonly extraEvents: readonly ProvenanceEvent[];
  /** Children created from one parent (FORK) and clones, by parent uuid. */
  readonly forks: ReadonlyMap<string, string[]>;
  readonly clones: ReadonlyMap<string, string[]>;
  /** FlowFiles created from several parents (merges), each recorded as a JOIN. */
  readonly joins: readonly string[];
  readonly counters: ReadonlyMap<string, number>;
}

/**
 * Checks the session's rules and works out what committing would do, without changing anything.
 * Throws a SessionError naming the offending FlowFile or relationship.
 */
export function prepareOutcome(host: SessionHost, changes: SessionChanges): SessionOutcome {
  const now = host.clock.now();
  const flowId = host.flowId;
  const upserts: QueuedFlowFile[] = [];
  const deletes: string[] = [];
  const enqueued: { queue: ConnectionQueue; flowFile: FlowFile }[] = [];
  const taken: { queue: ConnectionQueue; flowFile: FlowFile }[] = [];
  const transfers: { relationship: string; flowFile: FlowFile }[] = [];
  const lineage: ProvenanceEvent[] = [];
  const routed: ProvenanceEvent[] = [];
  const drops: ProvenanceEvent[] = [];
  const usedClaims = new Set<string>();
  const released = new Set<string>();
  let flowFilesIn = 0;
  let flowFilesOut = 0;

  for (const rec of changes.records.values()) {
    const ff = rec.current;
    if (rec.original && rec.source) {
      taken.push({ queue: rec.source, flowFile: rec.original });
      flowFilesIn++;
    }
    if (rec.target === null) {
      throw new SessionError(`FlowFile ${ff.uuid} (${ff.attributes['filename'] ?? ''}) was neither transferred nor removed`);
    }
    // Content the taken version had and the FlowFile may no longer use; the repository frees it unless a FlowFile still references it.
    const oldClaim = rec.original?.contentClaim ?? null;
    if (oldClaim !== null) released.add(oldClaim);
    if (rec.target === SELF) {
      // Not a route: no provenance, and it does not count as output.
      upserts.push({ flowFile: ff, connectionId: rec.source!.id });
      enqueued.push({ queue: rec.source!, flowFile: ff });
      if (ff.contentClaim !== null) usedClaims.add(ff.contentClaim);
      continue;
    }
    if (rec.target === REMOVED) {
      if (rec.original) deletes.push(ff.uuid);
      drops.push(event(host, 'DROP', ff, null, 'removed by the processor'));
      continue;
    }
    const rel = rec.target;
    if (!host.hasRelationship(rel)) throw new SessionError(`FlowFile ${ff.uuid} was transferred to unknown relationship '${rel}'`);
    const dest = host.destinations(rel);
    transfers.push({ relationship: rel, flowFile: ff });
    if (dest === 'drop') {
      if (rec.original) deletes.push(ff.uuid);
      drops.push(event(host, 'DROP', ff, rel, `auto-terminated by the '${rel}' relationship`));
      continue;
    }
    if (dest === null || dest.length === 0) {
      throw new SessionError(`relationship '${rel}' is neither connected nor auto-terminated`);
    }
    routed.push(event(host, routeType(rec), ff, rel, null));
    const cloneIds: string[] = [];
    for (let i = 0; i < dest.length; i++) {
      const queue = dest[i]!;
      let out: FlowFile;
      if (i === 0) {
        out = { ...ff, entryDate: now };
      } else {
        const uuid = host.newId();
        out = { ...ff, uuid, attributes: { ...ff.attributes, uuid }, parentUuids: [ff.uuid], entryDate: now };
        cloneIds.push(uuid);
      }
      upserts.push({ flowFile: out, connectionId: queue.id });
      enqueued.push({ queue, flowFile: out });
      if (out.contentClaim !== null) usedClaims.add(out.contentClaim);
      flowFilesOut++;
    }
    if (cloneIds.length) lineage.push(event(host, 'CLONE', ff, rel, `cloned to ${dest.length} connections`, undefined, cloneIds));
  }
  for (const [parent, children] of changes.forks) {
    const rec = changes.records.get(parent)!;
    lineage.push(event(host, 'FORK', rec.current, null, null, undefined, children));
  }
  for (const [parent, children] of changes.clones) {
    const rec = changes.records.get(parent)!;
    lineage.push(event(host, 'CLONE', rec.current, null, null, undefined, children));
  }
  for (const child of changes.joins) {
    const rec = changes.records.get(child)!;
    if (rec.target !== REMOVED) lineage.push(event(host, 'JOIN', rec.current, null, `joined ${rec.current.parentUuids.length} parents`));
  }
  const contents: { claim: string; bytes: Uint8Array }[] = [];
  for (const [claim, bytes] of changes.contents) if (usedClaims.has(claim)) contents.push({ claim, bytes });
  for (const claim of usedClaims) released.delete(claim);
  const events = lineage.concat(changes.extraEvents, routed, drops);
  return {
    transaction: { flowId, upserts, deletes, contents, released: [...released], provenance: events },
    enqueued,
    taken,
    events,
    counters: changes.counters,
    flowFilesIn,
    flowFilesOut,
    transfers,
  };
}

function routeType(rec: Rec): ProvenanceEventType {
  if (rec.origin === 'root') return 'CREATE';
  const base = rec.original ?? null;
  if (!base) return rec.current.contentClaim !== null && rec.origin === 'fork' ? 'CONTENT_MODIFIED' : 'ROUTE';
  if (base.contentClaim !== rec.current.contentClaim) return 'CONTENT_MODIFIED';
  if (base.attributes !== rec.current.attributes) return 'ATTRIBUTES_MODIFIED';
  return 'ROUTE';
}

function event(
  host: SessionHost,
  eventType: ProvenanceEventType,
  ff: FlowFile,
  relationship: string | null,
  details: string | null,
  transitUri?: string,
  childUuids: string[] = [],
): ProvenanceEvent {
  return provenanceEvent(host.flowId, host.id, eventType, ff, host.clock.now(), { relationship, details, transitUri, childUuids });
}
