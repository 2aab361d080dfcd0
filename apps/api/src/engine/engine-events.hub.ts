import { Injectable } from '@nestjs/common';
import type { ProvenanceEvent } from '@sluice/flow-core';
import type { BulletinEvent, ExecutionUpdatedEvent, ProcessorStateChangedEvent, ProcessorStatsEvent, QueueChangedEvent } from '@sluice/contracts';

export interface HubEvents {
  'processor.state-changed': ProcessorStateChangedEvent;
  'connection.queue-changed': QueueChangedEvent;
  'processor.stats-updated': ProcessorStatsEvent;
  'processor.bulletin': BulletinEvent;
  'provenance.recorded': { flowId: string; count: number };
  /** Every committed provenance event as it is recorded (before it is stored), for live taps. */
  'provenance.events': readonly ProvenanceEvent[];
  'execution.updated': ExecutionUpdatedEvent;
}
type Listener<K extends keyof HubEvents> = (e: HubEvents[K]) => void;

/** In-process fan-out of engine events, so the engine never depends on the socket gateway. */
@Injectable()
export class EngineEventsHub {
  private readonly listeners = new Map<keyof HubEvents, Set<Listener<never>>>();

  on<K extends keyof HubEvents>(event: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set!.delete(listener as Listener<never>);
  }

  has(event: keyof HubEvents): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }

  emit<K extends keyof HubEvents>(event: K, payload: HubEvents[K]): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        (l as Listener<K>)(payload);
      } catch {
        // A faulty subscriber must not break the engine's commit path.
      }
    }
  }
}
