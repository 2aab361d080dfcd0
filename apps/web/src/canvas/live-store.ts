import { useSyncExternalStore } from 'react';
import type { BulletinEvent, ExecutionUpdatedEvent } from '@sluice/contracts';

export interface ProcessorLive {
  state: string;
  activeTasks: number;
  in?: number;
  out?: number;
  tasks?: number;
}
export interface ConnectionLive {
  count: number;
  bytes: number;
  fill: number;
}

type Listener = () => void;

/**
 * Live run state kept apart from the graph: each node and edge subscribes to its own key, so a stats tick
 * re-renders only the components whose numbers changed, never the whole canvas.
 */
export class LiveStore {
  private processors = new Map<string, ProcessorLive>();
  private connections = new Map<string, ConnectionLive>();
  private listeners = new Map<string, Set<Listener>>();
  bulletins: BulletinEvent[] = [];
  executions = new Map<string, ExecutionUpdatedEvent>();
  flowState = 'stopped';

  subscribe = (key: string, fn: Listener): (() => void) => {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  };

  private emit(key: string) {
    this.listeners.get(key)?.forEach((fn) => fn());
  }

  processor(id: string): ProcessorLive | undefined {
    return this.processors.get(id);
  }
  connection(id: string): ConnectionLive | undefined {
    return this.connections.get(id);
  }

  setProcessor(id: string, patch: Partial<ProcessorLive>) {
    const prev = this.processors.get(id);
    const next = { state: 'stopped', activeTasks: 0, ...prev, ...patch };
    if (prev && Object.keys(next).every((k) => prev[k as keyof ProcessorLive] === next[k as keyof ProcessorLive])) return;
    this.processors.set(id, next);
    this.emit(`p:${id}`);
  }

  setConnection(id: string, value: ConnectionLive) {
    const prev = this.connections.get(id);
    if (prev && prev.count === value.count && prev.bytes === value.bytes && prev.fill === value.fill) return;
    this.connections.set(id, value);
    this.emit(`c:${id}`);
  }

  setFlowState(state: string) {
    if (state === this.flowState) return;
    this.flowState = state;
    this.emit('flow');
  }

  addBulletin(b: BulletinEvent) {
    this.bulletins = [b, ...this.bulletins].slice(0, 200);
    this.emit('bulletins');
    if (b.processorId) this.emit(`b:${b.processorId}`);
  }

  /** The stored bulletins (newest first), loaded when the designer opens: they survive a reload. */
  setBulletins(list: BulletinEvent[]) {
    const seen = new Set(list.map((b) => `${b.timestamp}|${b.processorId}|${b.message}`));
    // Ones that arrived over the socket while the list was loading stay.
    const newer = this.bulletins.filter((b) => !seen.has(`${b.timestamp}|${b.processorId}|${b.message}`));
    this.bulletins = [...newer, ...list].sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp)).slice(0, 200);
    this.emit('bulletins');
    for (const id of new Set(this.bulletins.map((b) => b.processorId))) if (id) this.emit(`b:${id}`);
  }

  latestBulletin(processorId: string): BulletinEvent | undefined {
    return this.bulletins.find((b) => b.processorId === processorId);
  }

  clearBulletins() {
    const ids = new Set(this.bulletins.map((b) => b.processorId));
    this.bulletins = [];
    this.emit('bulletins');
    for (const id of ids) if (id) this.emit(`b:${id}`);
  }

  setExecution(e: ExecutionUpdatedEvent) {
    this.executions = new Map(this.executions).set(e.executionId, e);
    this.emit('executions');
  }
}

export function useProcessorLive(store: LiveStore, id: string): ProcessorLive | undefined {
  return useSyncExternalStore(
    (fn) => store.subscribe(`p:${id}`, fn),
    () => store.processor(id),
  );
}
export function useConnectionLive(store: LiveStore, id: string): ConnectionLive | undefined {
  return useSyncExternalStore(
    (fn) => store.subscribe(`c:${id}`, fn),
    () => store.connection(id),
  );
}
export function useFlowState(store: LiveStore): string {
  return useSyncExternalStore(
    (fn) => store.subscribe('flow', fn),
    () => store.flowState,
  );
}
export function useBulletins(store: LiveStore): BulletinEvent[] {
  return useSyncExternalStore(
    (fn) => store.subscribe('bulletins', fn),
    () => store.bulletins,
  );
}
export function useLatestBulletin(store: LiveStore, processorId: string): BulletinEvent | undefined {
  return useSyncExternalStore(
    (fn) => store.subscribe(`b:${processorId}`, fn),
    () => store.latestBulletin(processorId),
  );
}
export function useExecutions(store: LiveStore): Map<string, ExecutionUpdatedEvent> {
  return useSyncExternalStore(
    (fn) => store.subscribe('executions', fn),
    () => store.executions,
  );
}
