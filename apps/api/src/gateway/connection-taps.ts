import type { ConnectionTappedEvent } from '@sluice/contracts';
import type { ProvenanceEvent } from '@sluice/flow-core';

/** FlowFiles per connection and batch a browser is sent; a busy connection cannot flood it. */
export const MAX_PER_BATCH = 50;
/** Connections one socket may tap at once. */
export const MAX_TAPS_PER_SOCKET = 10;

interface Tap {
  socketId: string;
  flowId: string;
  connectionId: string;
  sourceId: string;
  relationships: ReadonlySet<string>;
}

interface Pending {
  events: ConnectionTappedEvent[];
  dropped: Record<string, number>;
}

/**
 * Live taps on connections (the designer's debug panel). A FlowFile went along a connection when its source
 * processor's provenance event names one of the connection's relationships.
 */
export class ConnectionTaps {
  private readonly byFlow = new Map<string, Tap[]>();
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly mask: (attributes: Record<string, string>) => Record<string, string>) {}

  get size(): number {
    let n = 0;
    for (const list of this.byFlow.values()) n += list.length;
    return n;
  }

  count(socketId: string): number {
    let n = 0;
    for (const list of this.byFlow.values()) n += list.filter((t) => t.socketId === socketId).length;
    return n;
  }

  add(tap: Omit<Tap, 'relationships'> & { relationships: readonly string[] }): void {
    this.remove(tap.socketId, tap.flowId, tap.connectionId);
    const list = this.byFlow.get(tap.flowId) ?? [];
    list.push({ ...tap, relationships: new Set(tap.relationships) });
    this.byFlow.set(tap.flowId, list);
  }

  remove(socketId: string, flowId: string, connectionId: string): void {
    const list = this.byFlow.get(flowId)?.filter((t) => !(t.socketId === socketId && t.connectionId === connectionId));
    if (!list?.length) this.byFlow.delete(flowId);
    else this.byFlow.set(flowId, list);
  }

  removeSocket(socketId: string): void {
    for (const [flowId, list] of this.byFlow) {
      const kept = list.filter((t) => t.socketId !== socketId);
      if (kept.length) this.byFlow.set(flowId, kept);
      else this.byFlow.delete(flowId);
    }
    this.pending.delete(socketId);
  }

  /** Returns whether anything was queued for a socket. */
  collect(events: readonly ProvenanceEvent[]): boolean {
    let queued = false;
    for (const e of events) {
      if (e.relationship === null) continue;
      const taps = this.byFlow.get(e.flowId);
      if (!taps) continue;
      for (const t of taps) {
        if (t.sourceId !== e.processorId || !t.relationships.has(e.relationship)) continue;
        let p = this.pending.get(t.socketId);
        if (!p) this.pending.set(t.socketId, (p = { events: [], dropped: {} }));
        if (p.events.filter((x) => x.connectionId === t.connectionId).length >= MAX_PER_BATCH) {
          p.dropped[t.connectionId] = (p.dropped[t.connectionId] ?? 0) + 1;
        } else {
          p.events.push({
            flowId: e.flowId,
            connectionId: t.connectionId,
            flowFileUuid: e.flowFileUuid,
            eventType: e.eventType,
            attributes: this.mask(e.attributes),
            size: e.size,
            timestamp: new Date(e.timestamp).toISOString(),
          });
        }
        queued = true;
      }
    }
    return queued;
  }

  /** What to send now, per socket; clears it. */
  drain(): Map<string, Pending> {
    const out = new Map(this.pending);
    this.pending.clear();
    return out;
  }
}
