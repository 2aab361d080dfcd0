import {
  migrateProperties,
  newFlowFile,
  relationshipsFor,
  utf8,
  validateProcessor,
  type ControllerServiceDefinition,
  type FlowFile,
  type LogLevel,
  type ProcessorDefinition,
  type ProcessorServices,
  type PropertyMigration,
  type StateManager,
  type ValidationResult,
} from '@sluice/flow-api';
import { checkExpression } from '@sluice/expression';
import {
  checkCron,
  ConnectionQueue,
  StandardProcessContext,
  StandardProcessSession,
  TimeSlice,
  type ProvenanceEvent,
  type SessionHost,
  type SessionOutcome,
} from '@sluice/flow-core';
import { createTestServices } from './fake-services.js';
import { ManualClock } from './manual-clock.js';
import { TestControllerServices } from './test-controller-services.js';
import { AssertionFailure, MockFlowFile } from './mock-flow-file.js';

export interface TestRunnerOptions {
  services?: Partial<ProcessorServices>;
  clock?: ManualClock;
  parameters?: Record<string, string>;
  /** Whether the processor behaves as if it had an incoming connection; by default when it accepts input. */
  hasIncomingConnection?: boolean;
  penaltyDuration?: number;
  yieldDuration?: number;
  processorId?: string;
  flowId?: string;
  timeZone?: string;
  /**
   * Shares the event loop out by time as the engine does, on the runner's clock: each trigger begins a fresh slice
   * of this many ms and `ctx.sliceSpent()` tells once it has passed. Unset: the slice is never spent.
   */
  timeSliceMs?: number;
}

export interface RunOptions {
  /** Calls onStopped after the last iteration (default true). */
  stopOnFinish?: boolean;
  /** Calls onScheduled before the first iteration (default true). */
  initialize?: boolean;
}

/**
 * Runs one processor through the real StandardProcessSession and context, like nifi-mock's TestRunner:
 * enqueue, run, then assert what went to each relationship.
 */
export class TestRunner {
  readonly clock: ManualClock;
  readonly services: ProcessorServices;
  readonly processorId: string;
  readonly flowId: string;
  private readonly properties: Record<string, string> = {};
  private readonly parameters: Record<string, string>;
  private enabledLevels: ReadonlySet<LogLevel> | null = null;
  private readonly autoTerminated = new Set<string>();
  private readonly input: ConnectionQueue;
  private readonly outputs = new Map<string, ConnectionQueue>();
  private readonly contents = new Map<string, Uint8Array>();
  private readonly transferred = new Map<string, MockFlowFile[]>();
  private readonly events: ProvenanceEvent[] = [];
  private readonly logLines: { level: LogLevel; message: string }[] = [];
  private readonly counterValues = new Map<string, number>();
  private context: StandardProcessContext | null = null;
  private readonly slice: TimeSlice | null;
  private readonly controllerServices: TestControllerServices;
  private scheduled = false;
  private yieldCount = 0;
  private wakeCount = 0;
  private ids = 0;

  constructor(
    readonly definition: ProcessorDefinition,
    private readonly options: TestRunnerOptions = {},
  ) {
    this.clock = options.clock ?? new ManualClock();
    this.services = createTestServices(this.clock, options.services);
    this.processorId = options.processorId ?? `${definition.descriptor.type}-1`;
    this.flowId = options.flowId ?? 'test-flow';
    this.input = new ConnectionQueue('input', null, this.processorId, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    this.parameters = { ...(options.parameters ?? {}) };
    this.controllerServices = new TestControllerServices(this.parameters, (level, message) => this.logLines.push({ level, message }));
    const clock = this.clock;
    this.slice =
      options.timeSliceMs === undefined
        ? null
        : new TimeSlice({ now: () => clock.now(), nextTurn: (cb) => void clock.setTimeout(cb, 0), budgetMs: options.timeSliceMs });
  }

  // ---- configuration ----

  setProperty(name: string, value: string): this {
    this.properties[name] = value;
    this.context = null;
    return this;
  }

  /** Sets several properties at once, in order. */
  setProperties(properties: Readonly<Record<string, string>>): this {
    for (const [name, value] of Object.entries(properties)) this.setProperty(name, value);
    return this;
  }

  removeProperty(name: string): this {
    delete this.properties[name];
    this.context = null;
    return this;
  }

  /** Defines a flow parameter, read by `#{name}` (nifi-mock's `setParameterContextValue`). */
  setParameter(name: string, value: string): this {
    this.parameters[name] = value;
    this.controllerServices.changed();
    this.context = null;
    return this;
  }

  /**
   * Which log levels are written, as the server's log level decides (every level by default); processors that
   * skip work for an unwritten level (LogAttribute) see it through `log.isEnabled`.
   */
  setLogLevels(levels: readonly LogLevel[] | null): this {
    this.enabledLevels = levels ? new Set(levels) : null;
    this.context = null;
    return this;
  }

  /** The processor's state (nifi-mock's `getStateManager`); a `MemoryStateManager` unless services.state was given. */
  get stateManager(): StateManager {
    return this.services.state;
  }

  /**
   * Runs the processor's migrateProperties over the configured properties, as loading a flow does, and keeps the
   * result (nifi-mock's `migrateProperties`).
   */
  migrateProperties(): PropertyMigration {
    const result = migrateProperties(this.definition, this.properties);
    for (const k of Object.keys(this.properties)) delete this.properties[k];
    Object.assign(this.properties, result.properties);
    this.context = null;
    return result;
  }

  /** The configured properties (after any migration). */
  get configuredProperties(): Readonly<Record<string, string>> {
    return { ...this.properties };
  }

  /**
   * Adds a controller service the processor can name by `id` (nifi-mock's addControllerService, enabled unless
   * `enabled` is false). Its configuration is validated as a flow's is; an invalid one stays disabled.
   */
  addControllerService(id: string, definition: ControllerServiceDefinition, properties: Record<string, string> = {}, enabled = true): this {
    this.controllerServices.add(id, definition, properties, enabled);
    this.context = null;
    return this;
  }

  /**
   * Names another runner's enabled service `id` in this runner too, as two processors of one flow share a service
   * (HandleHttpRequest and HandleHttpResponse share one HTTP context map).
   */
  shareControllerService(id: string, from: TestRunner): this {
    this.controllerServices.share(id, from.controllerServices);
    this.context = null;
    return this;
  }

  /** The enabled instance of a service added with addControllerService (nifi-mock's getControllerService). */
  controllerService<T>(id: string): T {
    const found = this.controllerServices.enabled().lookup.get(id);
    if (!found) throw new AssertionFailure(`controller service '${id}' is not added or not enabled`);
    return found.instance as T;
  }

  enableControllerService(id: string): this {
    return this.setServiceEnabled(id, true);
  }

  disableControllerService(id: string): this {
    return this.setServiceEnabled(id, false);
  }

  private setServiceEnabled(id: string, enabled: boolean): this {
    this.controllerServices.setEnabled(id, enabled);
    this.context = null;
    return this;
  }

  setAutoTerminated(relationship: string, terminated = true): this {
    if (terminated) this.autoTerminated.add(relationship);
    else this.autoTerminated.delete(relationship);
    return this;
  }

  validate(): ValidationResult[] {
    return validateProcessor(this.definition, this.properties, { checkExpression, checkCron, parameters: this.parameters, controllerServices: this.controllerServices.enabled().summaries });
  }

  assertValid(): void {
    const issues = this.validate();
    if (issues.length) throw new AssertionFailure(`expected a valid configuration, got: ${issues.map((i) => `${i.property ?? '(processor)'}: ${i.message}`).join('; ')}`);
  }

  assertNotValid(): void {
    if (this.validate().length === 0) throw new AssertionFailure('expected an invalid configuration, but it is valid');
  }

  // ---- input ----

  /** Queues a FlowFile for the processor; objects are written as JSON. */
  enqueue(content: string | Uint8Array | object = '', attributes: Record<string, string> = {}): FlowFile {
    const bytes = typeof content === 'string' ? utf8(content) : content instanceof Uint8Array ? content : utf8(JSON.stringify(content));
    const uuid = this.newId();
    let claim: string | null = null;
    if (bytes.length) {
      claim = this.newId();
      this.contents.set(claim, bytes);
    }
    const now = this.clock.now();
    const ff = newFlowFile(uuid, now, { attributes, contentClaim: claim, size: bytes.length });
    this.input.offer(ff, now);
    return ff;
  }

  /** FlowFiles still queued for the processor (penalized ones included). */
  queued(): MockFlowFile[] {
    return this.input.list().map((ff) => this.mock(ff));
  }

  queueSize(): number {
    return this.input.count;
  }

  // ---- running ----

  /**
   * Triggers the processor `iterations` times, each in its own session that commits when onTrigger
   * returns. A throw rolls the session back (FlowFiles return to the queue, penalized) and is rethrown.
   */
  async run(iterations = 1, options: RunOptions = {}): Promise<void> {
    const { stopOnFinish = true, initialize = true } = options;
    const ctx = this.currentContext();
    if (initialize && !this.scheduled) {
      await this.definition.onScheduled?.(ctx);
      this.scheduled = true;
    }
    try {
      for (let i = 0; i < iterations; i++) {
        const session = new StandardProcessSession(this.host(ctx));
        // Every trigger runs on a turn of its own.
        this.slice?.turned();
        try {
          await this.definition.onTrigger(ctx, session);
        } catch (e) {
          session.rollback(true);
          throw e;
        }
        await session.commit(true);
      }
    } finally {
      if (stopOnFinish && this.scheduled) {
        this.scheduled = false;
        await this.definition.onStopped?.(ctx);
      }
    }
  }

  /** How often the processor called `wake()` (a listener that received a request). */
  get wakes(): number {
    return this.wakeCount;
  }

  /** How often the processor called `yield()`. */
  get yields(): number {
    return this.yieldCount;
  }

  // ---- results ----

  flowFilesFor(relationship: string): MockFlowFile[] {
    this.assertKnownRelationship(relationship);
    return [...(this.transferred.get(relationship) ?? [])];
  }

  assertTransferCount(relationship: string, count: number): void {
    const n = this.flowFilesFor(relationship).length;
    if (n !== count) throw new AssertionFailure(`expected ${count} FlowFile(s) on '${relationship}', got ${n}${this.summary()}`);
  }

  /** Every transferred FlowFile went to `relationship` (and, when given, exactly `count` of them). */
  assertAllTransferred(relationship: string, count?: number): void {
    this.assertKnownRelationship(relationship);
    for (const [rel, list] of this.transferred) {
      if (rel !== relationship && list.length) throw new AssertionFailure(`expected everything on '${relationship}', but ${list.length} went to '${rel}'${this.summary()}`);
    }
    if (count !== undefined) this.assertTransferCount(relationship, count);
  }

  /** The relationships that received at least one FlowFile, sorted. */
  transferredRelationships(): string[] {
    return [...this.transferred].filter(([, list]) => list.length > 0).map(([rel]) => rel).sort();
  }

  assertQueueEmpty(): void {
    if (this.input.count) throw new AssertionFailure(`expected an empty input queue, ${this.input.count} FlowFile(s) remain`);
  }

  assertQueueNotEmpty(): void {
    if (!this.input.count) throw new AssertionFailure('expected FlowFiles in the input queue, it is empty');
  }

  provenanceEvents(): ProvenanceEvent[] {
    return [...this.events];
  }

  logs(level?: LogLevel): { level: LogLevel; message: string }[] {
    return level ? this.logLines.filter((l) => l.level === level) : [...this.logLines];
  }

  counter(name: string): number {
    return this.counterValues.get(name) ?? 0;
  }

  clearTransferState(): void {
    this.transferred.clear();
    this.events.length = 0;
    this.logLines.length = 0;
  }

  // ---- internals ----

  private newId(): string {
    this.ids++;
    return `ff-${this.ids.toString().padStart(6, '0')}`;
  }

  private summary(): string {
    const parts = [...this.transferred].filter(([, l]) => l.length).map(([r, l]) => `${r}=${l.length}`);
    const errors = this.logLines.filter((l) => l.level === 'error').map((l) => l.message);
    return ` (transferred: ${parts.join(', ') || 'none'}${errors.length ? `; errors: ${errors.join(' | ')}` : ''})`;
  }

  private relationshipNames(): Set<string> {
    return new Set(relationshipsFor(this.definition.descriptor, this.properties).map((r) => r.name));
  }

  private assertKnownRelationship(relationship: string): void {
    if (!this.relationshipNames().has(relationship)) {
      throw new AssertionFailure(`${this.definition.descriptor.type} has no relationship '${relationship}' (has: ${[...this.relationshipNames()].join(', ')})`);
    }
  }

  private mock(ff: FlowFile): MockFlowFile {
    return new MockFlowFile(ff, ff.contentClaim === null ? new Uint8Array(0) : (this.contents.get(ff.contentClaim) ?? new Uint8Array(0)));
  }

  private currentContext(): StandardProcessContext {
    if (this.context) return this.context;
    const descriptor = this.definition.descriptor;
    this.context = new StandardProcessContext({
      flowId: this.flowId,
      processorId: this.processorId,
      processorName: descriptor.displayName,
      definition: this.definition,
      properties: { ...this.properties },
      parameters: { ...this.parameters },
      services: this.services,
      isConnected: (rel) => !this.autoTerminated.has(rel),
      hasIncomingConnection: this.options.hasIncomingConnection ?? descriptor.inputRequirement !== 'forbidden',
      onYield: () => {
        this.yieldCount++;
      },
      onWake: () => {
        this.wakeCount++;
      },
      sliceSpent: () => this.slice?.spent() ?? false,
      onLog: (level, message, details) => {
        if (this.enabledLevels && !this.enabledLevels.has(level)) return;
        this.logLines.push({ level, message: details === undefined ? message : `${message}: ${details instanceof Error ? details.message : JSON.stringify(details)}` });
      },
      logEnabled: (level) => this.enabledLevels?.has(level) ?? true,
      timeZone: this.options.timeZone,
      controllerServices: this.controllerServices.enabled().lookup,
    });
    return this.context;
  }

  private host(_ctx: StandardProcessContext): SessionHost {
    const relationships = this.relationshipNames();
    return {
      flowId: this.flowId,
      id: this.processorId,
      clock: this.clock,
      penaltyMs: this.options.penaltyDuration ?? 30_000,
      incoming: [this.input],
      hasRelationship: (name) => relationships.has(name),
      destinations: (rel) => {
        let q = this.outputs.get(rel);
        if (!q) this.outputs.set(rel, (q = new ConnectionQueue(`output:${rel}`, this.processorId, null, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)));
        return [q];
      },
      readContent: async (claim) => {
        const bytes = this.contents.get(claim);
        if (!bytes) throw new Error(`content claim '${claim}' not found`);
        return bytes;
      },
      newId: () => this.newId(),
      commit: async (outcome: SessionOutcome) => this.apply(outcome),
    };
  }

  private apply(outcome: SessionOutcome): void {
    for (const c of outcome.transaction.contents) this.contents.set(c.claim, c.bytes);
    for (const t of outcome.taken) t.queue.acknowledge(1, t.flowFile.size);
    for (const t of outcome.transfers) {
      let list = this.transferred.get(t.relationship);
      if (!list) this.transferred.set(t.relationship, (list = []));
      list.push(this.mock(t.flowFile));
    }
    // Output queues only mirror what went out; results are read from `transferred`. A FlowFile transferred back to
    // itself (penalized, to retry) waits in the input queue again.
    for (const e of outcome.enqueued) {
      if (e.queue === this.input) this.input.offer(e.flowFile, this.clock.now());
      else e.queue.clear();
    }
    this.events.push(...outcome.events);
    for (const [k, v] of outcome.counters) this.counterValues.set(k, (this.counterValues.get(k) ?? 0) + v);
  }
}
