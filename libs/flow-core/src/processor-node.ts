import { parseDuration, relationshipsFor, type Clock, type ControllerServiceLookup, type FlowFile, type LogLevel, type ProcessorDefinition, type ProcessorServices } from '@sluice/flow-api';
import type { ConnectionQueue } from './connection-queue.js';
import { CronSchedule } from './cron-schedule.js';
import type { GraphIssue, GraphProcessor } from './flow-graph.js';
import type { ProcessorRunState } from './ports.js';
import { StandardProcessContext } from './standard-process-context.js';
import type { Destinations, SessionHost, SessionOutcome } from './standard-process-session.js';

/**
 * Where a processor is in its life: `starting` while onScheduled runs (nothing is triggered yet), `running` once it
 * may be triggered, `stopping` while running tasks finish and onStopped runs.
 */
export type ProcessorLifecycle = 'stopped' | 'starting' | 'running' | 'stopping';

/** What a node needs from the engine that runs it. */
export interface NodeEngine {
  readonly flowId: string;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** The flow's enabled controller services, which processors reach through their context. */
  readonly controllerServices?: ControllerServiceLookup;
  readContent(claim: string): Promise<Uint8Array>;
  applySession(node: ProcessorNode, outcome: SessionOutcome): Promise<void>;
}

const newId = (): string => globalThis.crypto.randomUUID();

/** One processor of a running flow: its configuration, connections, lifecycle and counters. */
export class ProcessorNode implements SessionHost {
  lifecycle: ProcessorLifecycle = 'stopped';
  /** While `stopping`: settles once running tasks ended and onStopped ran. */
  stopped: Promise<void> | null = null;
  activeTasks = 0;
  /** The last start's onScheduled: settles with its error message, or null once it succeeded. */
  scheduling: Promise<string | null> = Promise.resolve(null);
  readonly maxTasks: number;
  readonly penaltyMs: number;
  readonly yieldMs: number;
  /** Timer-driven: the period between triggers. */
  readonly periodMs: number = 0;
  /** Batching processors: how long one task keeps triggering in the same session (0: one trigger per session). */
  readonly runDurationMs: number = 0;
  readonly cron: CronSchedule | null = null;
  readonly incoming: ConnectionQueue[] = [];
  /** Connections of the flow into this processor (the ingress queue not counted). */
  graphIncoming = 0;
  ingress: ConnectionQueue | null = null;
  readonly outgoing = new Map<string, ConnectionQueue[]>();
  readonly outgoingAll: ConnectionQueue[] = [];
  readonly relationships = new Set<string>();
  readonly autoTerminated: Set<string>;
  context: StandardProcessContext | null = null;
  services: ProcessorServices | null = null;
  readonly stats = { flowFilesIn: 0, flowFilesOut: 0, tasks: 0 };
  /** Called when the last running task ends. */
  idleWaiters: (() => void)[] = [];
  issues: GraphIssue[] = [];

  constructor(
    readonly engine: NodeEngine,
    readonly config: GraphProcessor,
    readonly definition: ProcessorDefinition | undefined,
  ) {
    const s = config.scheduling;
    this.maxTasks = definition?.descriptor.triggerSerially ? 1 : Math.max(1, s.concurrentTasks | 0);
    this.penaltyMs = parseDuration(s.penaltyDuration) ?? 30_000;
    this.yieldMs = parseDuration(s.yieldDuration) ?? 1_000;
    const batching = definition?.descriptor.defaultRunDuration;
    if (batching !== undefined) this.runDurationMs = parseDuration(s.runDuration ?? batching) ?? 0;
    if (s.strategy === 'timer') this.periodMs = parseDuration(s.period) ?? 0;
    if (s.strategy === 'cron') {
      try {
        this.cron = new CronSchedule(s.period, engine.timeZone);
      } catch {
        this.cron = null;
      }
    }
    this.autoTerminated = new Set(config.autoTerminated);
    if (definition) for (const r of relationshipsFor(definition.descriptor, config.properties)) this.relationships.add(r.name);
  }

  get id(): string {
    return this.config.id;
  }
  get flowId(): string {
    return this.engine.flowId;
  }
  get clock(): Clock {
    return this.engine.clock;
  }
  get valid(): boolean {
    return this.issues.length === 0;
  }
  /** Started, whether or not onScheduled has finished. */
  get scheduled(): boolean {
    return this.lifecycle === 'starting' || this.lifecycle === 'running';
  }
  /** What clients see: a processor being started counts as running, one being stopped as stopped. */
  get runState(): ProcessorRunState {
    return this.scheduled ? 'running' : 'stopped';
  }
  /** Runs on its schedule even with nothing queued. A processor that requires input never does, even when only ingress feeds it. */
  get isSource(): boolean {
    return this.graphIncoming === 0 && this.definition?.descriptor.inputRequirement !== 'required';
  }

  hasRelationship(name: string): boolean {
    return this.relationships.has(name);
  }

  destinations(relationship: string): Destinations {
    const list = this.outgoing.get(relationship);
    if (list && list.length) return list;
    return this.autoTerminated.has(relationship) ? 'drop' : null;
  }

  readContent(claim: string): Promise<Uint8Array> {
    return this.engine.readContent(claim);
  }

  newId(): string {
    return newId();
  }

  commit(outcome: SessionOutcome): Promise<void> {
    return this.engine.applySession(this, outcome);
  }

  /** Takes one queued FlowFile by uuid from whichever incoming connection holds it; it counts as in flight there. */
  takeQueued(uuid: string): { queue: ConnectionQueue; flowFile: FlowFile } | undefined {
    for (const queue of this.incoming) {
      const flowFile = queue.take(uuid);
      if (flowFile) return { queue, flowFile };
    }
    return undefined;
  }

  hasWork(now: number): boolean {
    for (const q of this.incoming) if (q.hasReady(now)) return true;
    return false;
  }

  nextPenaltyExpiry(): number | null {
    let min: number | null = null;
    for (const q of this.incoming) {
      const t = q.nextPenaltyExpiry();
      if (t !== null && (min === null || t < min)) min = t;
    }
    return min;
  }

  outgoingFull(): boolean {
    for (const q of this.outgoingAll) if (q.isFull()) return true;
    return false;
  }

  /** A context for this processor; `onLog` gets the message with its details already appended. */
  newContext(
    services: ProcessorServices,
    onLog: (level: LogLevel, message: string) => void,
    onYield: () => void,
    logEnabled: (level: LogLevel) => boolean,
    onWake?: () => void,
    sliceSpent?: () => boolean,
  ): StandardProcessContext {
    return new StandardProcessContext({
      flowId: this.flowId,
      processorId: this.id,
      processorName: this.config.name,
      definition: this.definition!,
      properties: this.config.properties,
      parameters: this.config.parameters ?? this.engine.parameters,
      services,
      isConnected: (rel) => (this.outgoing.get(rel)?.length ?? 0) > 0,
      hasIncomingConnection: this.graphIncoming > 0,
      onYield,
      onWake,
      sliceSpent,
      onLog: (level, message, details) => onLog(level, details === undefined ? message : `${message}: ${describe(details)}`),
      logEnabled,
      timeZone: this.engine.timeZone,
      controllerServices: this.engine.controllerServices,
    });
  }

  /** Wakes whoever waits for the running tasks to end. */
  tasksEnded(): void {
    if (this.activeTasks > 0 || !this.idleWaiters.length) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function describe(details: unknown): string {
  if (details instanceof Error) return details.message;
  if (typeof details === 'string') return details;
  try {
    return JSON.stringify(details);
  } catch {
    return String(details);
  }
}
