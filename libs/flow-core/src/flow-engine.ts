import {
  parseDataSize,
  parseDuration,
  relationshipsFor,
  utf8,
  type Clock,
  type ControllerServiceLookup,
  type FlowFile,
  type LogLevel,
  type ProcessorDefinition,
  type ProcessorServices,
} from '@sluice/flow-api';
import { ConnectionQueue, DEFAULT_DATA_SIZE_THRESHOLD, DEFAULT_OBJECT_THRESHOLD } from './connection-queue.js';
import { CronSchedule } from './cron-schedule.js';
import { enableControllerServices, summarizeControllerServices, type ControllerServiceRegistry } from './controller-services.js';
import { ingressConnectionId, validateGraph, type FlowGraph, type GraphIssue, type GraphProcessor } from './flow-graph.js';
import type { ContentRepository, EngineEventSink, FlowFileRepository, ProcessorRunState, ProvenanceEvent, ProvenanceSink } from './ports.js';
import { StandardProcessContext } from './standard-process-context.js';
import { StandardProcessSession, type Destinations, type SessionHost, type SessionOutcome } from './standard-process-session.js';

export interface FlowEngineOptions {
  flowId: string;
  graph: FlowGraph;
  registry: (type: string) => ProcessorDefinition | undefined;
  /** Controller service types the flow's services may use; none when absent. */
  serviceRegistry?: ControllerServiceRegistry;
  repository: FlowFileRepository;
  content: ContentRepository;
  provenance: ProvenanceSink;
  events: EngineEventSink;
  clock: Clock;
  /** Per-processor services (state is per processor); the engine calls it once per processor instance. */
  services: (processorId: string) => ProcessorServices;
  /** Time zone for expression dates; UTC when absent. */
  timeZone?: string;
  /** Where processors' log messages go (warnings and errors also become bulletins); dropped when absent. */
  log?: ProcessorLogSink;
}

export interface ProcessorLogSink {
  write(processor: { flowId: string; id: string; name: string }, level: LogLevel, message: string): void;
  enabled(level: LogLevel): boolean;
}

export interface QueueListing {
  count: number;
  bytes: number;
  flowFiles: { flowFile: FlowFile; penalized: boolean }[];
}

export interface EngineStatus {
  processors: { id: string; state: ProcessorRunState; activeTasks: number; valid: boolean }[];
  /** count and bytes include FlowFiles a running session took (`inFlight`), as the queue-changed event does. */
  connections: { id: string; count: number; bytes: number; inFlight: number; fill: number }[];
}

export interface TestProcessorResult {
  outputs: { relationship: string; attributes: Record<string, string>; content: Uint8Array }[];
  error?: string;
  logs: { level: string; message: string }[];
}

export interface IngressItem {
  attributes: Record<string, string>;
  content: Uint8Array | string;
}

/** A request the engine cannot serve: unknown processor or connection, or an ingress a processor refuses. */
export class FlowEngineError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'invalid' = 'invalid',
  ) {
    super(message);
    this.name = 'FlowEngineError';
  }
}

/** Caps one batched session, so a commit never grows without bound. */
const MAX_TRIGGERS_PER_SESSION = 1000;
const newId = (): string => globalThis.crypto.randomUUID();

/** Work-driven runs chain through microtasks; after this many the engine lets other I/O in through the clock. */
const MICROTASK_BUDGET = 256;
const CONTENT_CACHE_ENTRIES = 4096;
const CONTENT_CACHE_MAX_CLAIM = 256 * 1024;

class ProcessorNode implements SessionHost {
  state: ProcessorRunState = 'stopped';
  /** onScheduled finished; scheduling may trigger. */
  ready = false;
  activeTasks = 0;
  maxTasks: number;
  periodMs = 0;
  /** Batching processors: how long one task keeps triggering in the same session (0: one trigger per session). */
  runDurationMs = 0;
  cron: CronSchedule | null = null;
  penaltyMs: number;
  yieldMs: number;
  yieldUntil = 0;
  nextRunAt = 0;
  timer: unknown = null;
  timerAt = 0;
  kickQueued = false;
  backPressured = false;
  /** Set while a stop waits for running tasks and onStopped. */
  stopping: Promise<void> | null = null;
  /** The last task's session touched nothing (a source that found no work). */
  lastRunIdle = false;
  readonly incoming: ConnectionQueue[] = [];
  graphIncoming = 0;
  ingress: ConnectionQueue | null = null;
  readonly outgoing = new Map<string, ConnectionQueue[]>();
  readonly outgoingAll: ConnectionQueue[] = [];
  readonly relationships = new Set<string>();
  readonly autoTerminated: Set<string>;
  context: StandardProcessContext | null = null;
  services: ProcessorServices | null = null;
  stats = { flowFilesIn: 0, flowFilesOut: 0, tasks: 0 };
  idleWaiters: (() => void)[] = [];
  issues: GraphIssue[] = [];

  constructor(
    readonly engine: FlowEngine,
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
  get processorId(): string {
    return this.config.id;
  }
  get clock(): Clock {
    return this.engine.clock;
  }
  get valid(): boolean {
    return this.issues.length === 0;
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
}

/** Runs one flow: queues, sessions and scheduling, reaching the outside only through the given ports. */
export class FlowEngine {
  readonly flowId: string;
  readonly clock: Clock;
  readonly timeZone: string;
  private readonly nodes = new Map<string, ProcessorNode>();
  private readonly queues = new Map<string, ConnectionQueue>();
  private readonly contentCache = new Map<string, Uint8Array>();
  private readyList: ProcessorNode[] = [];
  private drainScheduled = false;
  private microtaskBudget = MICROTASK_BUDGET;
  private runningTasks = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private initialized = false;
  private readonly controllerServices: ControllerServiceLookup;

  constructor(readonly options: FlowEngineOptions) {
    this.flowId = options.flowId;
    this.clock = options.clock;
    this.timeZone = options.timeZone ?? 'UTC';
    const graph = options.graph;
    const issues = validateGraph(graph, options.registry, options.serviceRegistry);
    const serviceRegistry = options.serviceRegistry ?? (() => undefined);
    const { summaries } = summarizeControllerServices(graph.controllerServices ?? [], serviceRegistry, graph.parameters);
    const enabled = enableControllerServices(graph.controllerServices ?? [], serviceRegistry, summaries, graph.parameters, (service, level, message) => {
      if (level === 'warn' || level === 'error') this.bulletin(null, level, `${service.name}: ${message}`);
    });
    this.controllerServices = enabled.lookup;
    for (const f of enabled.failures) this.bulletin(null, 'error', f.message);
    for (const p of graph.processors) {
      const node = new ProcessorNode(this, p, options.registry(p.type));
      node.issues = issues.filter((i) => i.processorId === p.id);
      // A service that validated but could not be enabled keeps the processors that name it from starting.
      for (const d of options.registry(p.type)?.descriptor.properties ?? []) {
        const failed = d.identifiesControllerService ? enabled.failures.find((f) => f.serviceId === p.properties[d.name]) : undefined;
        if (failed) node.issues.push({ processorId: p.id, property: d.name, message: `${d.displayName}: ${failed.message}`, code: 'invalid' });
      }
      this.nodes.set(p.id, node);
    }
    for (const c of graph.connections) {
      const source = this.nodes.get(c.sourceId);
      const target = this.nodes.get(c.targetId);
      const queue = new ConnectionQueue(
        c.id,
        c.sourceId,
        c.targetId,
        c.backPressureObjectThreshold >= 1 ? c.backPressureObjectThreshold : DEFAULT_OBJECT_THRESHOLD,
        parseDataSize(c.backPressureDataSizeThreshold) ?? DEFAULT_DATA_SIZE_THRESHOLD,
      );
      this.queues.set(c.id, queue);
      if (target) {
        target.incoming.push(queue);
        target.graphIncoming++;
      }
      if (source) {
        source.outgoingAll.push(queue);
        for (const r of c.relationships) {
          const list = source.outgoing.get(r);
          if (list) list.push(queue);
          else source.outgoing.set(r, [queue]);
        }
      }
    }
    for (const node of this.nodes.values()) {
      const def = node.definition;
      if (def && def.descriptor.inputRequirement !== 'forbidden') {
        const ingress = new ConnectionQueue(ingressConnectionId(node.id), null, node.id);
        node.ingress = ingress;
        node.incoming.push(ingress);
        this.queues.set(ingress.id, ingress);
      }
      if (def) {
        node.services = options.services(node.id);
        node.context = this.createContext(node, node.services, (level, message) => this.logged(node, level, message), () => {
          node.yieldUntil = this.clock.now() + node.yieldMs;
        });
      }
    }
  }

  private createContext(
    node: ProcessorNode,
    services: ProcessorServices,
    onLog: (level: LogLevel, message: string) => void,
    onYield: () => void,
    logEnabled = (level: LogLevel) => level === 'warn' || level === 'error' || (this.options.log?.enabled(level) ?? false),
  ): StandardProcessContext {
    return new StandardProcessContext({
      flowId: this.flowId,
      processorId: node.id,
      processorName: node.config.name,
      definition: node.definition!,
      properties: node.config.properties,
      parameters: this.options.graph.parameters,
      services,
      isConnected: (rel) => (node.outgoing.get(rel)?.length ?? 0) > 0,
      hasIncomingConnection: node.graphIncoming > 0,
      onYield,
      onLog: (level, message, details) => onLog(level, details === undefined ? message : `${message}: ${describe(details)}`),
      logEnabled,
      timeZone: this.timeZone,
      controllerServices: this.controllerServices,
    });
  }

  private logged(node: ProcessorNode, level: LogLevel, message: string): void {
    const sink = this.options.log;
    if (sink?.enabled(level)) sink.write({ flowId: this.flowId, id: node.id, name: node.config.name }, level, message);
    if (level === 'warn' || level === 'error') this.bulletin(node.id, level, `${node.config.name}: ${message}`);
  }

  private bulletin(processorId: string | null, level: 'warn' | 'error', message: string): void {
    this.options.events.bulletin({ flowId: this.flowId, processorId, level, message, timestamp: this.clock.now() });
  }

  private node(processorId: string): ProcessorNode {
    const n = this.nodes.get(processorId);
    if (!n) throw new FlowEngineError(`unknown processor '${processorId}' in flow '${this.flowId}'`, 'not-found');
    return n;
  }

  private connection(connectionId: string): ConnectionQueue {
    const q = this.queues.get(connectionId);
    if (!q) throw new FlowEngineError(`unknown connection '${connectionId}' in flow '${this.flowId}'`, 'not-found');
    return q;
  }

  /** Loads queued FlowFiles from the repository (recovery). */
  async initialize(): Promise<void> {
    if (this.initialized) return;
    this.initialized = true;
    const queued = await this.options.repository.loadQueued(this.flowId);
    const now = this.clock.now();
    const orphans = new Map<string, number>();
    for (const q of queued) {
      const queue = this.queues.get(q.connectionId);
      if (!queue) {
        orphans.set(q.connectionId, (orphans.get(q.connectionId) ?? 0) + 1);
        continue;
      }
      queue.offer(q.flowFile, now);
    }
    for (const [id, n] of orphans) this.bulletin(null, 'warn', `${n} queued FlowFile(s) belong to connection '${id}', which is no longer in the flow; they stay in the repository`);
    for (const q of this.queues.values()) if (q.count > 0) this.queueChanged(q);
  }

  /** The whole flow or one processor; invalid processors do not start (bulletin). */
  start(processorId?: string): void {
    if (this.closed) throw new FlowEngineError(`flow '${this.flowId}' engine is closed`);
    const targets = processorId === undefined ? [...this.nodes.values()] : [this.node(processorId)];
    for (const node of targets) {
      if (node.state === 'running') continue;
      if (node.stopping) {
        // onStopped must not run after the new onScheduled: start once the stop has finished.
        const id = node.id;
        void node.stopping.then(() => {
          if (!this.closed) this.start(id);
        });
        continue;
      }
      if (!node.valid || !node.definition || !node.context) {
        const reasons = node.issues.map((i) => i.message).join('; ');
        this.bulletin(node.id, 'warn', `${node.config.name} is invalid and was not started: ${reasons}`);
        continue;
      }
      node.state = 'running';
      node.ready = false;
      node.yieldUntil = 0;
      node.nextRunAt = node.cron ? (node.cron.next(this.clock.now()) ?? Number.POSITIVE_INFINITY) : 0;
      this.stateChanged(node);
      const ctx = node.context;
      const def = node.definition;
      void (async () => {
        try {
          await def.onScheduled?.(ctx);
        } catch (e) {
          node.state = 'stopped';
          this.bulletin(node.id, 'error', `${node.config.name} could not be scheduled: ${errorMessage(e)}`);
          this.stateChanged(node);
          return;
        }
        if (node.state !== 'running') return;
        node.ready = true;
        this.kick(node);
      })();
    }
  }

  /** Stops scheduling; waits for running tasks to finish their sessions. */
  async stop(processorId?: string): Promise<void> {
    const targets = processorId === undefined ? [...this.nodes.values()] : [this.node(processorId)];
    await Promise.all(
      targets.map((node) => {
        // A second stop (or close) waits for the one in progress, so no task outlives it.
        if (node.stopping) return node.stopping;
        if (node.state !== 'running') return undefined;
        node.state = 'stopped';
        node.ready = false;
        this.clearTimer(node);
        node.stopping = (async () => {
          if (node.activeTasks > 0) await new Promise<void>((resolve) => node.idleWaiters.push(resolve));
          try {
            if (node.context) await node.definition?.onStopped?.(node.context);
          } catch (e) {
            this.bulletin(node.id, 'error', `${node.config.name}: stopping failed: ${errorMessage(e)}`);
          }
          this.stateChanged(node);
        })().finally(() => {
          node.stopping = null;
        });
        return node.stopping;
      }),
    );
  }

  /** One trigger, for testing; runs whether or not the processor is started. */
  async runOnce(processorId: string): Promise<void> {
    const node = this.node(processorId);
    if (!node.definition || !node.context) throw new FlowEngineError(`processor '${processorId}' has unknown type '${node.config.type}'`);
    if (!node.valid) {
      throw new FlowEngineError(`${node.config.name} is invalid: ${node.issues.map((i) => i.message).join('; ')}`);
    }
    const scheduled = node.state === 'running' && node.ready;
    if (!scheduled) await node.definition.onScheduled?.(node.context);
    try {
      await this.runTask(node, true);
    } finally {
      if (!scheduled) await node.definition.onStopped?.(node.context);
    }
  }

  /** External ingress (HTTP listeners, manual triggers): durable once resolved — acknowledge only after. */
  async enqueue(processorId: string, items: readonly IngressItem[]): Promise<FlowFile[]> {
    const node = this.node(processorId);
    // A closed engine would persist FlowFiles that no live engine queues until the next restart.
    if (this.closed) throw new FlowEngineError(`flow '${this.flowId}' engine is closed`);
    if (!node.ingress) throw new FlowEngineError(`${node.config.name} (${node.config.type}) does not accept input`);
    const now = this.clock.now();
    const flowFiles: FlowFile[] = [];
    const contents: { claim: string; bytes: Uint8Array }[] = [];
    for (const item of items) {
      const uuid = newId();
      const bytes = typeof item.content === 'string' ? utf8(item.content) : item.content;
      let claim: string | null = null;
      if (bytes.length > 0) {
        claim = newId();
        contents.push({ claim, bytes });
      }
      flowFiles.push({
        uuid,
        attributes: { filename: uuid, path: './', ...item.attributes, uuid },
        contentClaim: claim,
        size: bytes.length,
        lineageStartDate: now,
        entryDate: now,
        parentUuids: [],
        penaltyExpiration: 0,
      });
    }
    const ingress = node.ingress;
    const events: ProvenanceEvent[] = flowFiles.map((ff) => ({
      eventType: 'CREATE',
      flowId: this.flowId,
      processorId,
      flowFileUuid: ff.uuid,
      relationship: null,
      parentUuids: [],
      childUuids: [],
      details: 'received through ingress',
      timestamp: now,
      attributes: ff.attributes as Record<string, string>,
      size: ff.size,
    }));
    await this.options.repository.commit({ flowId: this.flowId, upserts: flowFiles.map((flowFile) => ({ flowFile, connectionId: ingress.id })), deletes: [], contents, provenance: events });
    for (const c of contents) this.cacheContent(c.claim, c.bytes);
    for (const ff of flowFiles) ingress.offer(ff, now);
    this.options.provenance.record(events);
    this.queueChanged(ingress);
    this.kick(node);
    return flowFiles;
  }

  queue(connectionId: string, limit = 100): QueueListing {
    const q = this.connection(connectionId);
    const now = this.clock.now();
    return { count: q.count, bytes: q.bytes, flowFiles: q.list(limit).map((flowFile) => ({ flowFile, penalized: flowFile.penaltyExpiration > now })) };
  }

  async emptyQueue(connectionId: string): Promise<number> {
    const q = this.connection(connectionId);
    const dropped = q.clear();
    try {
      // FlowFiles in flight still sit in this connection in the repository; dropping the whole connection
      // there would lose them if their session rolls back. Then only the dropped ones are deleted.
      if (q.inFlightCount === 0) await this.options.repository.dropQueue(this.flowId, connectionId);
      else if (dropped.length) await this.options.repository.commit({ flowId: this.flowId, upserts: [], deletes: dropped.map((ff) => ff.uuid), contents: [] });
    } catch (e) {
      q.returnToHead(dropped, this.clock.now());
      throw e;
    }
    const now = this.clock.now();
    if (dropped.length) {
      this.options.provenance.record(
        dropped.map((ff) => ({
          eventType: 'DROP',
          flowId: this.flowId,
          processorId: q.targetId ?? '',
          flowFileUuid: ff.uuid,
          relationship: null,
          parentUuids: ff.parentUuids as string[],
          childUuids: [],
          details: 'queue emptied',
          timestamp: now,
          attributes: ff.attributes as Record<string, string>,
          size: ff.size,
        })),
      );
    }
    this.queueChanged(q);
    this.queueDrained(q);
    this.checkIdle();
    return dropped.length;
  }

  status(): EngineStatus {
    return {
      processors: [...this.nodes.values()].map((n) => ({ id: n.id, state: n.state, activeTasks: n.activeTasks, valid: n.valid })),
      connections: [...this.queues.values()].map((q) => ({
        id: q.id,
        count: q.count + q.inFlightCount,
        bytes: q.bytes + q.inFlightBytes,
        inFlight: q.inFlightCount,
        fill: q.fill(),
      })),
    };
  }

  /** Problems that keep processors from starting, as validateGraph found them. */
  issues(): GraphIssue[] {
    return [...this.nodes.values()].flatMap((n) => n.issues);
  }

  /**
   * Runs the processor once on one chosen queued FlowFile (or a given one) in a session that is always
   * rolled back; returns what it would have transferred. Nothing continues.
   */
  async testProcessor(
    processorId: string,
    input?: { flowFileUuid?: string; attributes?: Record<string, string>; content?: Uint8Array | string },
    options: { services?: ProcessorServices } = {},
  ): Promise<TestProcessorResult> {
    const node = this.node(processorId);
    if (!node.definition) throw new FlowEngineError(`processor '${processorId}' has unknown type '${node.config.type}'`);
    const logs: { level: string; message: string }[] = [];
    const now = this.clock.now();
    const inputQueue = new ConnectionQueue(`test:${processorId}`, null, processorId);
    const localContent = new Map<string, Uint8Array>();
    let source: FlowFile | undefined;
    if (input?.flowFileUuid) {
      for (const q of node.incoming) source ??= q.find(input.flowFileUuid);
      if (!source) throw new FlowEngineError(`FlowFile ${input.flowFileUuid} is not queued for ${node.config.name}`, 'not-found');
    } else if (input && (input.attributes !== undefined || input.content !== undefined)) {
      const uuid = newId();
      const bytes = typeof input.content === 'string' ? utf8(input.content) : (input.content ?? new Uint8Array(0));
      const claim = bytes.length ? `test:${uuid}` : null;
      if (claim) localContent.set(claim, bytes);
      source = {
        uuid,
        attributes: { filename: uuid, path: './', ...(input.attributes ?? {}), uuid },
        contentClaim: claim,
        size: bytes.length,
        lineageStartDate: now,
        entryDate: now,
        parentUuids: [],
        penaltyExpiration: 0,
      };
    } else {
      for (const q of node.incoming) source ??= q.list(1)[0];
    }
    if (source) inputQueue.offer({ ...source, penaltyExpiration: 0 }, now);
    const captures = new Map<string, ConnectionQueue>();
    const host: SessionHost = {
      flowId: this.flowId,
      processorId,
      clock: this.clock,
      penaltyMs: node.penaltyMs,
      incoming: [inputQueue],
      hasRelationship: (name) => node.relationships.has(name),
      destinations: (rel) => {
        let q = captures.get(rel);
        if (!q) captures.set(rel, (q = new ConnectionQueue(`test:${rel}`, processorId, null)));
        return [q];
      },
      readContent: (claim) => {
        const local = localContent.get(claim);
        return local ? Promise.resolve(local) : this.readContent(claim);
      },
      newId,
      commit: () => Promise.reject(new Error('a test run never commits')),
    };
    // A dry run passes services that record instead of sending.
    const services = options.services ?? node.services ?? this.options.services(processorId);
    // A test run shows every level.
    const ctx = this.createContext(node, services, (level, message) => logs.push({ level, message }), () => undefined, () => true);
    const session = new StandardProcessSession(host);
    const outputs: TestProcessorResult['outputs'] = [];
    let error: string | undefined;
    try {
      await node.definition.onScheduled?.(ctx);
      try {
        await node.definition.onTrigger(ctx, session);
        const outcome = session.prepare();
        for (const t of outcome.transfers) {
          const claim = t.flowFile.contentClaim;
          const content = claim === null ? new Uint8Array(0) : (session.writtenContent(claim) ?? (await host.readContent(claim)));
          outputs.push({ relationship: t.relationship, attributes: { ...t.flowFile.attributes }, content });
        }
      } finally {
        await node.definition.onStopped?.(ctx);
      }
    } catch (e) {
      error = errorMessage(e);
    } finally {
      session.rollback(false);
    }
    return error === undefined ? { outputs, logs } : { outputs, error, logs };
  }

  /**
   * A live run on one queued FlowFile: the processor runs once for real, in a session that commits as a scheduled
   * task's does. The FlowFile leaves its queue and what the processor made of it goes where the flow sends it, so
   * the flow never processes it again. When the processor fails or leaves it, it goes back to its place.
   */
  async runLive(processorId: string, flowFileUuid: string): Promise<TestProcessorResult & { consumed: boolean }> {
    const node = this.node(processorId);
    const def = node.definition;
    if (!def || !node.services) throw new FlowEngineError(`processor '${processorId}' has unknown type '${node.config.type}'`);
    if (!node.valid) throw new FlowEngineError(`${node.config.name} is invalid: ${node.issues.map((i) => i.message).join('; ')}`);
    let source: ConnectionQueue | undefined;
    let flowFile: FlowFile | undefined;
    for (const q of node.incoming) {
      flowFile = q.take(flowFileUuid);
      if (flowFile) {
        source = q;
        break;
      }
    }
    if (!source || !flowFile) throw new FlowEngineError(`FlowFile ${flowFileUuid} is not queued for ${node.config.name}`, 'not-found');
    const from = source;
    const taken = flowFile;
    // The session takes the chosen FlowFile from a queue of its own; what it commits is applied to the real one.
    const pinned = new ConnectionQueue(from.id, from.sourceId, from.targetId);
    pinned.offer({ ...taken, penaltyExpiration: 0 }, this.clock.now());
    const real = (q: ConnectionQueue) => (q === pinned ? from : q);
    const host: SessionHost = {
      flowId: this.flowId,
      processorId,
      clock: this.clock,
      penaltyMs: node.penaltyMs,
      incoming: [pinned],
      hasRelationship: (name) => node.hasRelationship(name),
      destinations: (rel) => node.destinations(rel),
      readContent: (claim) => this.readContent(claim),
      newId,
      commit: (o) => this.applySession(node, { ...o, taken: o.taken.map((t) => ({ ...t, queue: real(t.queue) })), enqueued: o.enqueued.map((e) => ({ ...e, queue: real(e.queue) })) }),
    };
    const logs: { level: string; message: string }[] = [];
    const ctx = this.createContext(node, node.services, (level, message) => {
      logs.push({ level, message });
      this.logged(node, level, message);
    }, () => undefined);
    const scheduled = node.state === 'running' && node.ready;
    const session = new StandardProcessSession(host);
    const outputs: TestProcessorResult['outputs'] = [];
    let error: string | undefined;
    let consumed = false;
    node.activeTasks++;
    this.runningTasks++;
    try {
      if (!scheduled) await def.onScheduled?.(ctx);
      try {
        await def.onTrigger(ctx, session);
        const outcome = session.prepare();
        for (const t of outcome.transfers) {
          const claim = t.flowFile.contentClaim;
          const content = claim === null ? new Uint8Array(0) : (session.writtenContent(claim) ?? (await this.readContent(claim)));
          outputs.push({ relationship: t.relationship, attributes: { ...t.flowFile.attributes }, content });
        }
        // A FlowFile put back in its queue (a retry later) is not consumed: the flow takes it again.
        consumed = outcome.taken.length > 0 && !outcome.enqueued.some((e) => e.queue === pinned);
        await session.commit();
      } finally {
        if (!scheduled) await def.onStopped?.(ctx);
      }
    } catch (e) {
      consumed = false;
      error = errorMessage(e);
      session.rollback(false);
    } finally {
      if (pinned.count > 0) {
        pinned.clear();
        from.acknowledge(1, taken.size);
        from.returnToHead([taken], this.clock.now());
      }
      node.activeTasks--;
      this.runningTasks--;
      if (node.activeTasks === 0 && node.idleWaiters.length) for (const w of node.idleWaiters.splice(0)) w();
      this.queueChanged(from);
      this.kick(node);
      this.checkIdle();
    }
    return { outputs, logs, consumed, ...(error === undefined ? {} : { error }) };
  }

  /** Resolves when no FlowFile is queued or in flight (for tests and the demo). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.stop();
    this.closed = true;
    for (const node of this.nodes.values()) this.clearTimer(node);
    this.readyList = [];
  }

  // ---- content ----

  /** Reads a claim through a small in-memory cache of recent claims. */
  readContent(claim: string): Promise<Uint8Array> {
    const hit = this.contentCache.get(claim);
    if (hit) return Promise.resolve(hit);
    return this.options.content.read(claim).then((bytes) => {
      this.cacheContent(claim, bytes);
      return bytes;
    });
  }

  private cacheContent(claim: string, bytes: Uint8Array): void {
    if (bytes.length > CONTENT_CACHE_MAX_CLAIM) return;
    if (this.contentCache.size >= CONTENT_CACHE_ENTRIES) this.contentCache.delete(this.contentCache.keys().next().value!);
    this.contentCache.set(claim, bytes);
  }

  // ---- sessions ----

  /** Persists a validated session, then applies it to the queues and emits events (the SessionHost commit). */
  async applySession(node: ProcessorNode, outcome: SessionOutcome): Promise<void> {
    const tx = outcome.transaction;
    if (tx.upserts.length || tx.deletes.length || tx.contents.length) await this.options.repository.commit(tx);
    const now = this.clock.now();
    for (const c of tx.contents) this.cacheContent(c.claim, c.bytes);
    const touched = new Set<ConnectionQueue>();
    let lastQueue: ConnectionQueue | null = null;
    let count = 0;
    let bytes = 0;
    for (const t of outcome.taken) {
      if (t.queue !== lastQueue) {
        if (lastQueue) lastQueue.acknowledge(count, bytes);
        lastQueue = t.queue;
        touched.add(t.queue);
        count = 0;
        bytes = 0;
      }
      count++;
      bytes += t.flowFile.size;
    }
    if (lastQueue) lastQueue.acknowledge(count, bytes);
    const targets = new Set<ProcessorNode>();
    for (const e of outcome.enqueued) {
      e.queue.offer(e.flowFile, now);
      if (!touched.has(e.queue)) {
        touched.add(e.queue);
        const target = e.queue.targetId === null ? undefined : this.nodes.get(e.queue.targetId);
        if (target) targets.add(target);
      }
    }
    node.stats.flowFilesIn += outcome.flowFilesIn;
    node.stats.flowFilesOut += outcome.flowFilesOut;
    if (outcome.events.length) this.options.provenance.record(outcome.events);
    for (const q of touched) {
      this.queueChanged(q);
      if (q.targetId === node.id) this.queueDrained(q);
    }
    for (const t of targets) this.kick(t);
  }

  /** `manual`: a run-once request, which batches like a scheduled task even while the processor is stopped. */
  private async runTask(node: ProcessorNode, manual = false): Promise<void> {
    const def = node.definition!;
    const ctx = node.context!;
    node.activeTasks++;
    this.runningTasks++;
    const session = new StandardProcessSession(node);
    try {
      await def.onTrigger(ctx, session);
      if (node.runDurationMs > 0 && !session.isEmpty) {
        // NiFi's run duration: more triggers in this session while there is work, then one commit for all.
        const until = this.clock.now() + node.runDurationMs;
        for (let n = 1; n < MAX_TRIGGERS_PER_SESSION && (manual || node.state === 'running') && !this.closed; n++) {
          const now = this.clock.now();
          if (now >= until || !node.hasWork(now) || node.outgoingFull()) break;
          await def.onTrigger(ctx, session);
        }
      }
      node.lastRunIdle = session.isEmpty;
      if (!node.lastRunIdle) await session.commit(true);
    } catch (e) {
      session.rollback(true);
      node.yieldUntil = this.clock.now() + node.yieldMs;
      this.bulletin(node.id, 'error', `${node.config.name}: ${errorMessage(e)}; the session was rolled back and its FlowFiles penalized`);
      for (const q of node.incoming) this.queueChanged(q);
    } finally {
      node.activeTasks--;
      this.runningTasks--;
      node.stats.tasks++;
      this.options.events.processorStats?.({ flowId: this.flowId, processorId: node.id, ...node.stats });
      if (node.activeTasks === 0 && node.idleWaiters.length) {
        const waiters = node.idleWaiters;
        node.idleWaiters = [];
        for (const w of waiters) w();
      }
      this.afterTask(node);
      this.checkIdle();
    }
  }

  // ---- scheduling ----

  private afterTask(node: ProcessorNode): void {
    if (node.state !== 'running' || !node.ready) return;
    const now = this.clock.now();
    if (node.hasWork(now)) this.kick(node);
    else if (node.isSource && node.config.scheduling.strategy !== 'event') {
      const at = Math.max(node.nextRunAt, node.yieldUntil);
      // A source that produced something and is due again chains through microtasks (the drain budget still
      // lets I/O in); one that found nothing waits for a clock turn, so an idle 0 sec source does not spin.
      if (at <= now && !node.lastRunIdle) this.kick(node);
      else this.armTimer(node, at);
    }
    else {
      const t = node.nextPenaltyExpiry();
      if (t !== null) this.armTimer(node, t);
    }
  }

  private kick(node: ProcessorNode): void {
    if (node.kickQueued || node.state !== 'running' || !node.ready || this.closed) return;
    node.kickQueued = true;
    this.readyList.push(node);
    this.scheduleDrain();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    if (this.microtaskBudget-- > 0) {
      queueMicrotask(() => this.drain());
    } else {
      this.clock.setTimeout(() => {
        this.microtaskBudget = MICROTASK_BUDGET;
        this.drain();
      }, 0);
    }
  }

  private drain(): void {
    this.drainScheduled = false;
    const list = this.readyList;
    this.readyList = [];
    for (const node of list) {
      node.kickQueued = false;
      this.tryRun(node);
    }
  }

  private tryRun(node: ProcessorNode): void {
    const strategy = node.config.scheduling.strategy;
    while (node.state === 'running' && node.ready && !this.closed && node.activeTasks < node.maxTasks) {
      const now = this.clock.now();
      if (node.yieldUntil > now) {
        this.armTimer(node, node.yieldUntil);
        return;
      }
      if (node.outgoingFull()) {
        node.backPressured = true;
        return;
      }
      node.backPressured = false;
      const work = node.hasWork(now);
      if (!work) {
        const penalty = node.nextPenaltyExpiry();
        if (!node.isSource || strategy === 'event') {
          if (penalty !== null) this.armTimer(node, penalty);
          return;
        }
      }
      if (node.nextRunAt > now) {
        this.armTimer(node, node.nextRunAt);
        return;
      }
      if (node.cron) node.nextRunAt = node.cron.next(now) ?? Number.POSITIVE_INFINITY;
      else if (strategy === 'timer') node.nextRunAt = now + node.periodMs;
      const sourceRun = !work;
      void this.runTask(node);
      // A source with nothing queued runs one task per drain; afterTask schedules the next.
      if (sourceRun) return;
    }
  }

  private armTimer(node: ProcessorNode, at: number): void {
    if (at === Number.POSITIVE_INFINITY) return;
    if (node.timer !== null) {
      if (node.timerAt <= at) return;
      this.clock.clearTimeout(node.timer);
    }
    node.timerAt = at;
    node.timer = this.clock.setTimeout(() => {
      node.timer = null;
      this.kick(node);
    }, Math.max(0, at - this.clock.now()));
  }

  private clearTimer(node: ProcessorNode): void {
    if (node.timer !== null) this.clock.clearTimeout(node.timer);
    node.timer = null;
  }

  /** A queue got smaller: its source may resume if back pressure held it. */
  private queueDrained(q: ConnectionQueue): void {
    if (q.sourceId === null) return;
    const source = this.nodes.get(q.sourceId);
    if (source?.backPressured && !q.isFull()) this.kick(source);
  }

  // ---- events ----

  private queueChanged(q: ConnectionQueue): void {
    this.options.events.queueChanged({ flowId: this.flowId, connectionId: q.id, count: q.count + q.inFlightCount, bytes: q.bytes + q.inFlightBytes, fill: q.fill() });
  }

  private stateChanged(node: ProcessorNode): void {
    this.options.events.processorStateChanged({ flowId: this.flowId, processorId: node.id, state: node.state, activeTasks: node.activeTasks });
  }

  private isIdle(): boolean {
    if (this.runningTasks > 0) return false;
    for (const q of this.queues.values()) if (q.count > 0 || q.inFlightCount > 0) return false;
    return true;
  }

  private checkIdle(): void {
    if (!this.idleWaiters.length || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
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
