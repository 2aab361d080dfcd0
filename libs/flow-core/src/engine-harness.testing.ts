import {
  defineProcessor,
  type Clock,
  type ProcessorDefinition,
  type ProcessorDescriptor,
  type ProcessorServices,
  type StateManager,
} from '@sluice/flow-api';
import { FlowEngine } from './flow-engine.js';
import type { FlowEngineOptions } from './flow-engine-types.js';
import type { FlowGraph, GraphConnection, GraphProcessor } from './flow-graph.js';
import { createInMemoryRepositories, InMemoryFlowFileRepository, InMemoryStore } from './in-memory-repository.js';
import type { EngineEventSink, FlowFileRepository, ProvenanceEvent, ProvenanceSink, RepositoryTransaction } from './ports.js';

/*
 * Spec support for flow-core. flow-testing depends on flow-core, so these specs cannot use its
 * ManualClock; this is the minimal equivalent plus graph and sink helpers.
 */

type Immediate = (callback: () => void) => void;
const setImmediateFn = (globalThis as unknown as { setImmediate?: Immediate }).setImmediate;
/** The next event-loop turn: setImmediate on Node (no minimum delay), a 0 ms timer elsewhere. */
const nextTurn: Immediate = setImmediateFn ? (cb) => setImmediateFn(cb) : (cb) => void globalThis.setTimeout(cb, 0);

/** Lets pending promise chains (sessions, repository commits) run to completion. */
export function settle(): Promise<void> {
  return new Promise((resolve) => nextTurn(resolve));
}

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

/** A clock that moves only when a spec calls `advance`; due timers fire in time order. */
export class TestClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const t = { id: this.nextId++, at: this.current + Math.max(0, ms), callback };
    this.timers.push(t);
    return t.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Fires only the timers due now that exist already (not the ones they arm), then settles. */
  async tick(): Promise<void> {
    const due = this.timers.filter((t) => t.at <= this.current).sort((a, b) => a.at - b.at || a.id - b.id);
    this.timers = this.timers.filter((t) => !due.includes(t));
    for (const t of due) t.callback();
    await settle();
  }

  async advance(ms = 0): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (let fired = 0; ; fired++) {
      if (fired > 100_000) throw new Error('TestClock.advance: timers keep firing without time passing');
      let next: Timer | undefined;
      for (const t of this.timers) if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t;
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.at);
      next.callback();
      await settle();
    }
    this.current = target;
    await settle();
  }
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** An in-memory repository whose commits a spec can hold open (or fail), recording every transaction. */
export class HoldingRepository extends InMemoryFlowFileRepository {
  gate: Deferred<void> | null = null;
  readonly transactions: RepositoryTransaction[] = [];
  override async commit(tx: RepositoryTransaction): Promise<void> {
    this.transactions.push(tx);
    if (this.gate) await this.gate.promise;
    return super.commit(tx);
  }
  override async dropQueue(flowId: string, connectionId: string): Promise<number> {
    if (this.gate) await this.gate.promise;
    return super.dropQueue(flowId, connectionId);
  }
}

/** A processor definition with a complete descriptor from the few fields a spec cares about. */
export function specProcessor(
  descriptor: Partial<ProcessorDescriptor> & Pick<ProcessorDescriptor, 'type'>,
  hooks: Omit<ProcessorDefinition, 'descriptor'>,
): ProcessorDefinition {
  return defineProcessor({
    descriptor: {
      version: 1,
      displayName: descriptor.type,
      description: `${descriptor.type} (spec)`,
      category: 'utility',
      tags: [],
      properties: [],
      relationships: [{ name: 'success', description: 'out' }],
      inputRequirement: 'allowed',
      ...descriptor,
    },
    ...hooks,
  });
}

export function graphProcessor(id: string, type: string, overrides: Partial<Omit<GraphProcessor, 'scheduling'>> & { scheduling?: Partial<GraphProcessor['scheduling']> } = {}): GraphProcessor {
  return {
    id,
    type,
    name: overrides.name ?? id,
    properties: overrides.properties ?? {},
    autoTerminated: overrides.autoTerminated ?? [],
    ...(overrides.parameters ? { parameters: overrides.parameters } : {}),
    ...(overrides.services ? { services: overrides.services } : {}),
    scheduling: {
      strategy: 'timer',
      period: '0 sec',
      concurrentTasks: 1,
      penaltyDuration: '30 sec',
      yieldDuration: '1 sec',
      ...overrides.scheduling,
    },
  };
}

export function graphConnection(id: string, sourceId: string, targetId: string, overrides: Partial<GraphConnection> = {}): GraphConnection {
  return {
    id,
    sourceId,
    targetId,
    relationships: ['success'],
    backPressureObjectThreshold: 10_000,
    backPressureDataSizeThreshold: '1 GB',
    ...overrides,
  };
}

export class RecordingProvenance implements ProvenanceSink {
  readonly events: ProvenanceEvent[] = [];
  record(events: readonly ProvenanceEvent[]): void {
    this.events.push(...events);
  }
  types(): string[] {
    return this.events.map((e) => e.eventType);
  }
}

type Bulletin = Parameters<EngineEventSink['bulletin']>[0];
type QueueEvent = Parameters<EngineEventSink['queueChanged']>[0];
type StateEvent = Parameters<EngineEventSink['processorStateChanged']>[0];

export class RecordingEvents implements EngineEventSink {
  readonly bulletins: Bulletin[] = [];
  readonly queues: QueueEvent[] = [];
  readonly states: StateEvent[] = [];
  readonly stats: NonNullable<Parameters<NonNullable<EngineEventSink['processorStats']>>[0]>[] = [];
  processorStats(e: RecordingEvents['stats'][number]): void {
    this.stats.push(e);
  }
  processorStateChanged(e: StateEvent): void {
    this.states.push(e);
  }
  queueChanged(e: QueueEvent): void {
    this.queues.push(e);
  }
  bulletin(e: Bulletin): void {
    this.bulletins.push(e);
  }
}

class MapState implements StateManager {
  private state: Record<string, string> = {};
  async get(): Promise<Record<string, string>> {
    return { ...this.state };
  }
  async set(state: Record<string, string>): Promise<void> {
    this.state = { ...state };
  }
  async replace(expected: Record<string, string>, next: Record<string, string>): Promise<boolean> {
    if (JSON.stringify(expected) !== JSON.stringify(this.state)) return false;
    this.state = { ...next };
    return true;
  }
  async clear(): Promise<void> {
    this.state = {};
  }
}

export function testServices(clock: Clock): ProcessorServices {
  let n = 0;
  return {
    clock,
    http: { request: () => Promise.reject(new Error('no HTTP in flow-core specs')) },
    scripts: { run: () => Promise.reject(new Error('no scripts in flow-core specs')) },
    state: new MapState(),
    randomUuid: () => `uuid-${++n}`,
  };
}

export interface Harness {
  engine: FlowEngine;
  clock: TestClock;
  store: InMemoryStore;
  repository: FlowFileRepository;
  provenance: RecordingProvenance;
  events: RecordingEvents;
}

/** An engine over in-memory repositories (or the given repository and store) and a TestClock. */
export function createHarness(options: {
  graph: Partial<FlowGraph> & Pick<FlowGraph, 'processors'>;
  definitions: readonly ProcessorDefinition[];
  store?: InMemoryStore;
  repository?: FlowFileRepository;
  clock?: TestClock;
  flowId?: string;
  services?: ProcessorServices;
  serviceRegistry?: FlowEngineOptions['serviceRegistry'];
  timeSlice?: FlowEngineOptions['timeSlice'];
}): Harness {
  const clock = options.clock ?? new TestClock();
  const repos = createInMemoryRepositories(options.store ?? new InMemoryStore());
  const repository = options.repository ?? repos.repository;
  const byType = new Map(options.definitions.map((d) => [d.descriptor.type, d]));
  const provenance = new RecordingProvenance();
  const events = new RecordingEvents();
  const engine = new FlowEngine({
    flowId: options.flowId ?? 'flow-1',
    graph: { connections: [], parameters: {}, ...options.graph },
    registry: (type) => byType.get(type),
    serviceRegistry: options.serviceRegistry,
    timeSlice: options.timeSlice,
    repository,
    content: repos.content,
    provenance,
    events,
    clock,
    services: () => options.services ?? testServices(clock),
  });
  return { engine, clock, store: repos.store, repository, provenance, events };
}

/**
 * Waits for `engine.whenIdle()`, advancing the clock by 0 ms meanwhile: after a burst of work the engine
 * yields to I/O through a 0 ms clock timer, which a TestClock fires only when advanced.
 */
export async function runUntilIdle(h: Pick<Harness, 'engine' | 'clock'>, maxTurns = 10_000): Promise<void> {
  let idle = false;
  void h.engine.whenIdle().then(() => (idle = true));
  for (let i = 0; !idle; i++) {
    if (i >= maxTurns) throw new Error(`the engine did not become idle: ${JSON.stringify(h.engine.status().connections.filter((c) => c.count > 0))}`);
    await h.clock.advance(0);
  }
}
