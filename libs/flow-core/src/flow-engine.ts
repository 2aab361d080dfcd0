import { newFlowFile, utf8, type Clock, type ControllerServiceLookup, type FlowFile, type LogLevel, type ProcessorServices } from '@sluice/flow-api';
import type { ConnectionQueue } from './connection-queue.js';
import { ContentCache } from './content-cache.js';
import type { GraphIssue } from './flow-graph.js';
import { FlowEngineError, type EngineStatus, type FlowEngineOptions, type IngressItem, type LiveRunResult, type QueueListing, type TestProcessorInput, type TestProcessorResult } from './flow-engine-types.js';
import { wireFlowSteps, type WiredFlow } from './flow-wiring.js';
import { runSteps } from './flow-graph.js';
import { runLiveOnNode } from './live-run.js';
import { errorMessage, startNode, stopNode, type LifecycleHost } from './node-lifecycle.js';
import type { NodeEngine, ProcessorNode } from './processor-node.js';
import { provenanceEvent } from './provenance-event.js';
import { Scheduler } from './scheduler.js';
import { StandardProcessSession, type SessionOutcome } from './standard-process-session.js';
import { testNode } from './test-sandbox.js';
import { TimeSlice } from './time-slice.js';

/** Caps one batched session, so a commit never grows without bound. */
const MAX_TRIGGERS_PER_SESSION = 1000;
const newId = (): string => globalThis.crypto.randomUUID();
/** Passed by FlowEngine.build only: the nodes are wired after construction, a step at a time. */
const WIRED_LATER = Symbol('wired later');
/** How many nodes get their contexts between two steps of FlowEngine.build. */
const CONTEXTS_PER_STEP = 100;

/** Runs one flow: queues, sessions and scheduling, reaching the outside only through the given ports. */
export class FlowEngine implements NodeEngine {
  readonly flowId: string;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly parameters: Readonly<Record<string, string>>;
  private nodes: ReadonlyMap<string, ProcessorNode> = new Map();
  private queues: ReadonlyMap<string, ConnectionQueue> = new Map();
  private readonly contentCache = new ContentCache();
  private readonly scheduler: Scheduler;
  private readonly slice: TimeSlice;
  private readonly lifecycleHost: LifecycleHost;
  private runningTasks = 0;
  private idleWaiters: (() => void)[] = [];
  private isClosed = false;
  private initialized = false;
  controllerServices: ControllerServiceLookup = { get: () => undefined };

  constructor(
    readonly options: FlowEngineOptions,
    wiring?: typeof WIRED_LATER,
  ) {
    this.flowId = options.flowId;
    this.clock = options.clock;
    this.timeZone = options.timeZone ?? 'UTC';
    this.parameters = options.graph.parameters;
    this.slice = options.timeSlice ?? TimeSlice.onClock(this.clock);
    this.scheduler = new Scheduler({ clock: this.clock, slice: this.slice, isClosed: () => this.isClosed, runTask: (node) => void this.runTask(node) });
    this.lifecycleHost = { scheduler: this.scheduler, bulletin: (id, level, message) => this.bulletin(id, level, message), stateChanged: (node) => this.stateChanged(node) };
    if (wiring !== WIRED_LATER) runSteps(this.wire());
  }

  /**
   * Builds an engine a step at a time: the generator yields between slices of the wiring and returns the engine
   * once it is whole. It holds no FlowFile and runs nothing until then, so a host may drop it half-built.
   */
  static *build(options: FlowEngineOptions): Generator<void, FlowEngine> {
    const engine = new FlowEngine(options, WIRED_LATER);
    yield* engine.wire();
    return engine;
  }

  private *wire(): Generator<void, void> {
    const wired: WiredFlow = yield* wireFlowSteps(this, this.options, (level, message) => this.bulletin(null, level, message));
    // Contexts read the services as they are created.
    this.controllerServices = wired.controllerServices;
    this.nodes = wired.nodes;
    this.queues = wired.queues;
    let n = 0;
    for (const node of wired.nodes.values()) {
      if (!node.definition) continue;
      node.services = this.options.services(node.id);
      node.context = node.newContext(
        node.services,
        (level, message) => this.logged(node, level, message),
        () => this.scheduler.yielded(node),
        (level) => this.logEnabled(level),
        () => this.scheduler.wake(node),
        () => this.slice.spent(),
      );
      if (++n % CONTEXTS_PER_STEP === 0) yield;
    }
  }

  /** Warnings and errors always reach bulletins; other levels only when the log sink wants them. */
  private logEnabled(level: LogLevel): boolean {
    return level === 'warn' || level === 'error' || (this.options.log?.enabled(level) ?? false);
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
    if (this.isClosed) throw new FlowEngineError(`flow '${this.flowId}' engine is closed`);
    const targets = processorId === undefined ? [...this.nodes.values()] : [this.node(processorId)];
    for (const node of targets) {
      if (node.scheduled) continue;
      if (node.lifecycle === 'stopping') {
        // onStopped must not run after the new onScheduled: start once the stop has finished.
        const id = node.id;
        void node.stopped!.then(() => {
          if (!this.isClosed) this.start(id);
        });
        continue;
      }
      if (!node.valid || !node.definition || !node.context) {
        const reasons = node.issues.map((i) => i.message).join('; ');
        this.bulletin(node.id, 'warn', `${node.config.name} is invalid and was not started: ${reasons}`);
        continue;
      }
      node.scheduling = startNode(node, this.lifecycleHost);
    }
  }

  /**
   * Waits for the onScheduled of the processors just started (all when none are named) and answers those that
   * failed, with the reason (a listener whose port is taken); they are stopped again.
   */
  async schedulingFailures(processorIds?: readonly string[]): Promise<{ processorId: string; name: string; message: string }[]> {
    const nodes = processorIds === undefined ? [...this.nodes.values()] : processorIds.map((id) => this.node(id));
    const out: { processorId: string; name: string; message: string }[] = [];
    for (const node of nodes) {
      const message = await node.scheduling;
      if (message) out.push({ processorId: node.id, name: node.config.name, message });
    }
    return out;
  }

  /** Stops scheduling; waits for running tasks to finish their sessions. */
  async stop(processorId?: string): Promise<void> {
    const targets = processorId === undefined ? [...this.nodes.values()] : [this.node(processorId)];
    await Promise.all(
      targets.map((node) => {
        // A second stop (or close) waits for the one in progress, so no task outlives it.
        if (node.lifecycle === 'stopping') return node.stopped;
        if (!node.scheduled) return undefined;
        return stopNode(node, this.lifecycleHost);
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
    const scheduled = node.lifecycle === 'running';
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
    if (this.isClosed) throw new FlowEngineError(`flow '${this.flowId}' engine is closed`);
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
      flowFiles.push(newFlowFile(uuid, now, { attributes: item.attributes, contentClaim: claim, size: bytes.length }));
    }
    const ingress = node.ingress;
    const events = flowFiles.map((ff) => provenanceEvent(this.flowId, processorId, 'CREATE', ff, now, { details: 'received through ingress' }));
    await this.options.repository.commit({ flowId: this.flowId, upserts: flowFiles.map((flowFile) => ({ flowFile, connectionId: ingress.id })), deletes: [], contents, provenance: events });
    for (const c of contents) this.contentCache.put(c.claim, c.bytes);
    for (const ff of flowFiles) ingress.offer(ff, now);
    this.options.provenance.record(events);
    this.queueChanged(ingress);
    this.scheduler.kick(node);
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
      this.options.provenance.record(dropped.map((ff) => provenanceEvent(this.flowId, q.targetId ?? '', 'DROP', ff, now, { details: 'queue emptied' })));
    }
    this.queueChanged(q);
    this.queueDrained(q);
    this.checkIdle();
    return dropped.length;
  }

  status(): EngineStatus {
    return {
      processors: [...this.nodes.values()].map((n) => ({ id: n.id, state: n.runState, activeTasks: n.activeTasks, valid: n.valid })),
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
  async testProcessor(processorId: string, input?: TestProcessorInput, options: { services?: ProcessorServices } = {}): Promise<TestProcessorResult> {
    const node = this.node(processorId);
    // A dry run passes services that record instead of sending.
    return testNode(node, input, options.services ?? node.services ?? this.options.services(processorId));
  }

  /**
   * A live run on one queued FlowFile (see live-run.ts): it runs for real and commits, so the flow never processes
   * that FlowFile again; when the processor fails or leaves it, it goes back to its place.
   */
  async runLive(processorId: string, flowFileUuid: string): Promise<LiveRunResult> {
    const node = this.node(processorId);
    if (!node.definition || !node.services) throw new FlowEngineError(`processor '${processorId}' has unknown type '${node.config.type}'`);
    if (!node.valid) throw new FlowEngineError(`${node.config.name} is invalid: ${node.issues.map((i) => i.message).join('; ')}`);
    const chosen = node.takeQueued(flowFileUuid);
    if (!chosen) throw new FlowEngineError(`FlowFile ${flowFileUuid} is not queued for ${node.config.name}`, 'not-found');
    const from = chosen.queue;
    this.runningTasks++;
    try {
      return await runLiveOnNode(node, from, chosen.flowFile, { write: (level, message) => this.logged(node, level, message), enabled: (level) => this.logEnabled(level) });
    } finally {
      this.runningTasks--;
      this.queueChanged(from);
      this.scheduler.kick(node);
      this.checkIdle();
    }
  }

  /** Resolves when no FlowFile is queued or in flight (for tests and the demo). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    await this.stop();
    this.isClosed = true;
    this.scheduler.close();
  }

  /** Reads a claim through a cache of the most recently used ones. */
  readContent(claim: string): Promise<Uint8Array> {
    const hit = this.contentCache.get(claim);
    if (hit) return Promise.resolve(hit);
    return this.options.content.read(claim).then((bytes) => {
      this.contentCache.put(claim, bytes);
      return bytes;
    });
  }

  /** Persists a validated session, then applies it to the queues and emits events (the SessionHost commit). */
  async applySession(node: ProcessorNode, outcome: SessionOutcome): Promise<void> {
    const tx = outcome.transaction;
    if (tx.upserts.length || tx.deletes.length || tx.contents.length) await this.options.repository.commit(tx);
    const now = this.clock.now();
    for (const c of tx.contents) this.contentCache.put(c.claim, c.bytes);
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
    for (const t of targets) this.scheduler.kick(t);
  }

  /** `manual`: a run-once request, which batches like a scheduled task even while the processor is stopped. */
  private async runTask(node: ProcessorNode, manual = false): Promise<void> {
    const def = node.definition!;
    const ctx = node.context!;
    node.activeTasks++;
    this.runningTasks++;
    const session = new StandardProcessSession(node);
    let idle: boolean | undefined;
    try {
      await def.onTrigger(ctx, session);
      if (node.runDurationMs > 0 && !session.isEmpty) {
        // NiFi's run duration: more triggers in this session while there is work, then one commit for all.
        // Synchronous triggers chain as microtasks, so the session lets the loop turn whenever the slice is spent.
        const until = this.clock.now() + node.runDurationMs;
        for (let n = 1; n < MAX_TRIGGERS_PER_SESSION; n++) {
          if (!this.slice.tryChain()) await this.slice.yield();
          if ((!manual && !node.scheduled) || this.isClosed) break;
          const now = this.clock.now();
          if (now >= until || !node.hasWork(now) || node.outgoingFull()) break;
          await def.onTrigger(ctx, session);
        }
      }
      idle = session.isEmpty;
      if (!idle) await session.commit(true);
    } catch (e) {
      session.rollback(true);
      this.scheduler.yielded(node);
      this.bulletin(node.id, 'error', `${node.config.name}: ${errorMessage(e)}; the session was rolled back and its FlowFiles penalized`);
      for (const q of node.incoming) this.queueChanged(q);
    } finally {
      node.activeTasks--;
      this.runningTasks--;
      node.stats.tasks++;
      this.options.events.processorStats?.({ flowId: this.flowId, processorId: node.id, ...node.stats });
      node.tasksEnded();
      this.scheduler.taskEnded(node, idle);
      this.checkIdle();
    }
  }

  /** A queue got smaller: its source may resume if back pressure held it. */
  private queueDrained(q: ConnectionQueue): void {
    if (q.sourceId !== null) this.scheduler.queueDrained(this.nodes.get(q.sourceId), q);
  }

  private queueChanged(q: ConnectionQueue): void {
    this.options.events.queueChanged({ flowId: this.flowId, connectionId: q.id, count: q.count + q.inFlightCount, bytes: q.bytes + q.inFlightBytes, fill: q.fill() });
  }

  private stateChanged(node: ProcessorNode): void {
    this.options.events.processorStateChanged({ flowId: this.flowId, processorId: node.id, state: node.runState, activeTasks: node.activeTasks });
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
