import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ExecutionDto, ExecutionStatus, ExecutionStepDto, ExecutionTrigger, FlowSummaryDto, HourlyMetricDto, Page, RowLogDto } from '@sluice/contracts';
import type { ProvenanceEvent } from '@sluice/flow-core';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { NotFoundError } from '../common/errors.js';
import { redactText } from '../secrets/redaction.js';
import { EngineEventsHub } from '../engine/engine-events.hub.js';
import { ExecutionTracker, executionStatus, type ExecutionSteps, type SeenAt, type StepAggregate, type TrackedExecution } from './execution-tracker.js';
import { executionStepLog, type DurableExecutionLog } from './execution-step-log.js';
import {
  ExecutionsRepository,
  parseReadParts,
  stepAggregate,
  stepDto,
  type Admission,
  type ExecutionInput,
  type ExecutionQuery,
  type ExecutionRow,
  type ExecutionSnapshot,
  type NewExecution,
} from './executions.repository.js';
import { QueuedExecutions } from './queued-executions.js';
import { RowLogRepository } from './row-log.repository.js';
import { RowLogWriter } from './row-log.writer.js';

export { EXECUTION_ATTRIBUTE, executionSteps, type ExecutionSteps, type SeenAt } from './execution-tracker.js';
export type { ExecutionInput, ExecutionQuery } from './executions.repository.js';

const EMIT_MS = 250;
/** A finish that failed (the database was busy or gone) is tried again this often, then left to the next start. */
const FINISH_RETRY_MS = 2_000;
const FINISH_ATTEMPTS = 30;
const INTERRUPTED = 'interrupted: the server stopped while this execution was running and none of its data was queued';

export interface FinishedExecution {
  id: string;
  flowId: string;
  trigger: ExecutionTrigger;
  status: ExecutionStatus;
  /** A FlowFile was routed to failure on the way (so not everything the run read went through). */
  routedToFailure: boolean;
  startedAt: number;
  params: Record<string, string>;
}

export interface BeginOptions {
  triggeredBy?: string | null;
  params?: Record<string, string>;
  read?: number;
  stepNames?: Map<string, string>;
  stepTypes?: Map<string, string>;
  emptyMeansEmpty?: boolean;
  /** Outbound: the request's Idempotency-Key and a hash of its body; an older use of the key before `keyWindowStart` is forgotten. */
  idempotencyKey?: string;
  requestHash?: string;
  keyWindowStart?: number;
  /** Cluster mode: the flow's limit, checked against every node's unfinished executions as the row is written. */
  admission?: Admission;
  /** The execution's id, when its FlowFile's attributes need it before the row exists. */
  id?: string;
}

/**
 * Integrator's three log levels. An execution is every FlowFile carrying its `execution.id`; it finishes when the
 * last of them leaves the flow. Its written and failed counts are its row logs, so they stay exact across retries and
 * restarts; steps, failures and read totals are stored in the FlowFile commits that make them true, so a restart
 * carries on from exactly what the data shows.
 */
@Injectable()
export class ExecutionsService implements OnApplicationShutdown {
  private readonly log = new Logger('Executions');
  private readonly tracker = new ExecutionTracker();
  private readonly repository: ExecutionsRepository;
  private readonly rows: RowLogRepository;
  private readonly queued: QueuedExecutions;
  private readonly writer: RowLogWriter;
  private readonly finishedListeners: ((e: FinishedExecution) => void)[] = [];
  private emitTimer: NodeJS.Timeout | null = null;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private closed = false;

  /** The cluster node this process is (null on a single node): its executions carry it, and it recovers only its own. */
  private node: string | null = null;

  constructor(ds: DataSource, private readonly hub: EngineEventsHub) {
    this.repository = new ExecutionsRepository(ds);
    this.rows = new RowLogRepository(ds);
    this.queued = new QueuedExecutions(ds);
    this.writer = new RowLogWriter(this.rows, {
      stored: (id, written, failed) => {
        const exec = this.tracker.rowsStored(id, written, failed);
        if (exec) this.touch();
      },
      error: (message) => this.log.error(message),
    });
  }

  /** Cluster mode: set before the application boots. */
  setNode(node: string | null): void {
    this.node = node;
  }

  get store(): ExecutionsRepository {
    return this.repository;
  }

  /** Cluster mode: executions waiting in the work queue. */
  get queue(): QueuedExecutions {
    return this.queued;
  }

  /** Whether this process follows the execution now. */
  tracks(id: string): boolean {
    return this.tracker.get(id) !== undefined;
  }

  onFinished(listener: (e: FinishedExecution) => void): void {
    this.finishedListeners.push(listener);
  }

  /** Records a new execution before any of its FlowFiles exist, so a crash right after still leaves a trace. */
  async begin(flowId: string, trigger: ExecutionTrigger, options: BeginOptions = {}): Promise<string> {
    const id = options.id ?? randomUUID();
    const startedAt = Date.now();
    await this.repository.insert(this.newRow(id, flowId, trigger, startedAt, options, this.node), options.keyWindowStart, options.admission);
    const exec = this.tracker.begin({ id, flowId, trigger, triggeredBy: options.triggeredBy, startedAt, read: options.read, stepNames: options.stepNames, stepTypes: options.stepTypes, emptyMeansEmpty: options.emptyMeansEmpty });
    this.emit(exec, 'start');
    return id;
  }

  /**
   * Cluster mode: records an execution that waits in the queue with its input, and (through `admission.job`) its
   * job, in one transaction. No node follows it until one claims it.
   */
  async admit(flowId: string, trigger: ExecutionTrigger, options: BeginOptions & { id: string; input: ExecutionInput; admission: Admission }): Promise<void> {
    await this.repository.insert({ ...this.newRow(options.id, flowId, trigger, Date.now(), options, null), input: options.input }, options.keyWindowStart, options.admission);
    const counts = { read: options.read ?? 0, written: 0, failed: 0 };
    this.hub.emit('execution.updated', { flowId, executionId: options.id, status: 'in-progress', state: 'queued', counts });
  }

  private newRow(id: string, flowId: string, trigger: ExecutionTrigger, startedAt: number, o: BeginOptions, node: string | null): NewExecution {
    const { triggeredBy = null, read = 0, params = {}, idempotencyKey = null, requestHash = null } = o;
    return { id, flowId, trigger, triggeredBy, read, params, startedAt, idempotencyKey, requestHash, node };
  }

  /**
   * Cluster mode: makes a queued execution this node's and follows it from now on; returns what its FlowFile is
   * made of, or undefined when it is not (or no longer) queued.
   */
  async claim(id: string, flowOf: (flowId: string) => Promise<Partial<ExecutionSteps> & { inbound: boolean }>): Promise<{ flowId: string; input: ExecutionInput } | undefined> {
    if (this.node === null) throw new Error('only a cluster node claims queued executions');
    const hit = await this.queued.claim(id, this.node);
    if (!hit) return undefined;
    const r = hit.row;
    const flow = await flowOf(r.flow_id);
    const exec = this.tracker.begin({
      id,
      flowId: r.flow_id,
      trigger: r.trigger,
      triggeredBy: r.triggered_by,
      startedAt: Number(r.started_at),
      read: Number(r.rows_read),
      stepNames: flow.stepNames,
      stepTypes: flow.stepTypes,
      emptyMeansEmpty: flow.inbound,
    });
    this.emit(exec, 'start');
    return { flowId: r.flow_id, input: hit.input };
  }

  /** Executions this process follows, per flow. */
  activeByFlow(): Map<string, number> {
    const n = new Map<string, number>();
    for (const e of this.tracker.all()) n.set(e.flowId, (n.get(e.flowId) ?? 0) + 1);
    return n;
  }

  /** Executions of the flow still processing (the outbound concurrency limit counts these). */
  activeCount(flowId: string): number {
    return this.tracker.activeCount(flowId);
  }

  /** Marks an execution that never got its FlowFiles into the flow (ingress refused) as failed. */
  async abort(executionId: string, error: string): Promise<void> {
    const exec = this.tracker.get(executionId);
    if (!exec) return;
    this.tracker.fail(exec, error);
    await this.repository.releaseIdempotencyKeyOf(executionId).catch((e: unknown) => this.log.error(`execution ${executionId}: ${String(e)}`));
    await this.finish(exec);
  }

  /** The outbound execution a request with this Idempotency-Key created within the window, if any. */
  async byIdempotencyKey(flowId: string, key: string, since: number): Promise<{ id: string; requestHash: string } | undefined> {
    const hit = await this.repository.byIdempotencyKey(flowId, key, since);
    return hit ? { id: hit.executionId, requestHash: hit.requestHash } : undefined;
  }

  /** The Integrator's execution log one processor sees: read totals are kept per step. */
  stepLog(processorId: string): DurableExecutionLog {
    return executionStepLog(processorId, { writer: this.writer, rows: this.rows, tracker: this.tracker, touched: () => this.touch() });
  }

  /** Follows committed provenance to know which FlowFiles of which execution are still in the flow. */
  observe(events: readonly ProvenanceEvent[]): void {
    const done = this.tracker.observe(events);
    this.touch();
    for (const exec of done) void this.finish(exec);
  }

  /**
   * Runs inside the FlowFile repository's group commit, before that provenance is observed: the steps the commit
   * touches (new ones included), a first failure and the read totals reported for it are stored in the same
   * transaction as the FlowFile moves, so a crash cannot keep the data and lose what the execution knew of it.
   * Returns what to note once the transaction is durable.
   */
  async inCommit(m: EntityManager, events: readonly ProvenanceEvent[]): Promise<() => void> {
    const changes = this.tracker.plan(events);
    const steps: { executionId: string; step: StepAggregate & { name: string } }[] = [];
    const saved: { exec: TrackedExecution; version: number }[] = [];
    for (const { exec, steps: touched, error } of changes.values()) {
      for (const s of touched.values()) steps.push({ executionId: exec.id, step: { ...s, name: exec.stepNames.get(s.processorId) ?? s.processorId } });
      const readChanged = exec.readVersion !== exec.savedReadVersion;
      if (error === null && !readChanged) continue;
      const readParts = Object.fromEntries(exec.readParts);
      await this.repository.commitProgress(m, { id: exec.id, read: this.tracker.counts(exec).read, readParts: readChanged ? readParts : null, error });
      if (readChanged) saved.push({ exec, version: exec.readVersion });
    }
    await this.repository.upsertSteps(m, steps);
    return () => {
      for (const { exec, version } of saved) exec.savedReadVersion = Math.max(exec.savedReadVersion, version);
    };
  }

  /**
   * After a restart, before any engine runs: executions whose FlowFiles came back in the queues (each with the
   * processor that queued it) go on with their stored counts and steps; the others ended while the server was down
   * (or never got their data) and finish now.
   */
  async recover(
    queued: Map<string, Map<string, SeenAt | null>>,
    flowOf: (flowId: string) => Partial<ExecutionSteps> & { inbound: boolean },
    only?: ReadonlySet<string>,
  ): Promise<void> {
    await this.writer.replayJournal();
    for (const r of await this.repository.unfinished(this.node)) {
      // A takeover in a cluster recovers the executions it adopted, never one this node already follows.
      if (only && !only.has(r.id)) continue;
      if (this.tracker.get(r.id)) continue;
      const live = queued.get(r.id);
      const counts = await this.rows.rowCounts(r.id);
      const steps = (await this.repository.steps(r.id)).map(stepAggregate);
      const readParts = parseReadParts(r.read_parts);
      const exec = this.tracker.restore({
        id: r.id,
        flowId: r.flow_id,
        trigger: r.trigger,
        triggeredBy: r.triggered_by,
        startedAt: Number(r.started_at),
        read: Number(r.rows_read) - Object.values(readParts).reduce((n, v) => n + (Number(v) || 0), 0),
        stepNames: flowOf(r.flow_id).stepNames,
        stepTypes: flowOf(r.flow_id).stepTypes,
        emptyMeansEmpty: flowOf(r.flow_id).inbound,
        live: live ?? new Map(),
        readParts,
        ...counts,
        error: r.error,
        steps,
      });
      if (live) continue;
      // The commit that queued its data stored its first step with it: without one, the data never got in.
      if (steps.length === 0 && counts.written + counts.failed === 0 && !r.error) {
        this.tracker.fail(exec, INTERRUPTED);
        // The request was never acknowledged: its key must not point at an execution without data.
        await this.repository.releaseIdempotencyKeyOf(r.id);
      }
      await this.finish(exec);
    }
  }

  async list(q: ExecutionQuery): Promise<Page<ExecutionDto>> {
    await this.writer.flush();
    const { rows, total } = await this.repository.list(q);
    return { items: rows.map((r) => this.dto(r)), total, offset: q.offset, limit: q.limit };
  }

  async get(id: string): Promise<ExecutionDto> {
    const row = await this.repository.byId(id);
    if (!row) throw new NotFoundError('execution', id);
    return this.dto(row);
  }

  async steps(id: string): Promise<ExecutionStepDto[]> {
    await this.get(id);
    const live = this.tracker.get(id);
    if (live) return this.tracker.stepDtos(live);
    return (await this.repository.steps(id)).map(stepDto);
  }

  async rowLogs(id: string, q: { status?: string; sku?: string; offset: number; limit: number }): Promise<Page<RowLogDto>> {
    await this.get(id);
    await this.writer.flush();
    return this.rows.rowLogs(id, q);
  }

  /** Rows written and failed, the error rate and executions by status, per hour in which executions finished. */
  /** Each flow's newest execution and its failures in the last 24 hours, keyed by flow id. */
  async flowHealth(now = Date.now()): Promise<Map<string, Pick<FlowSummaryDto, 'lastExecution' | 'last24h'>>> {
    const { latest, failures } = await this.repository.flowHealth(now - 24 * 3_600_000);
    const out = new Map<string, Pick<FlowSummaryDto, 'lastExecution' | 'last24h'>>();
    for (const l of latest) {
      out.set(l.flowId, {
        lastExecution: { id: l.id, status: l.status, startedAt: new Date(l.startedAt).toISOString(), finishedAt: l.finishedAt === null ? null : new Date(l.finishedAt).toISOString(), error: l.error === null ? null : redactText(l.error) },
        last24h: { failedExecutions: 0, failedRows: 0 },
      });
    }
    for (const f of failures) out.set(f.flowId, { ...out.get(f.flowId), last24h: { failedExecutions: f.executions, failedRows: f.rows } });
    return out;
  }

  async hourly(flowId: string | undefined, from: number, to: number): Promise<HourlyMetricDto[]> {
    const hours = new Map<number, HourlyMetricDto>();
    for (const r of await this.repository.hourly(flowId, from, to)) {
      let m = hours.get(r.h);
      if (!m) hours.set(r.h, (m = { hour: new Date(r.h * 3_600_000).toISOString(), written: 0, failed: 0, executions: 0, errorRate: 0, statuses: {} }));
      m.written += r.written;
      m.failed += r.failed;
      m.executions += r.n;
      m.statuses[r.status] = r.n;
      m.errorRate = m.written + m.failed === 0 ? 0 : m.failed / (m.written + m.failed);
    }
    return [...hours.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m);
  }

  flushRows(): Promise<void> {
    return this.writer.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.emitTimer) clearTimeout(this.emitTimer);
    for (const t of this.retryTimers) clearTimeout(t);
    await this.writer.flush();
    await this.saveDirty();
  }

  /**
   * Writes the final status and counts. Never rejects: a failure is logged and tried again later, and an execution
   * still unfinished at the next start is recovered then.
   */
  private async finish(exec: TrackedExecution, attempt = 1): Promise<void> {
    this.tracker.release(exec.id);
    let finished: FinishedExecution;
    try {
      await this.writer.flush();
      const stored = await this.rows.rowCounts(exec.id);
      exec.written = stored.written;
      exec.failed = stored.failed;
      const counts = this.tracker.counts(exec);
      const status = executionStatus(exec, counts);
      const params = await this.repository.finish(this.snapshot(exec), status, Date.now());
      this.hub.emit('execution.updated', { flowId: exec.flowId, executionId: exec.id, status, state: 'finished', counts });
      finished = { id: exec.id, flowId: exec.flowId, trigger: exec.trigger, status, routedToFailure: exec.routedFailure, startedAt: exec.startedAt, params };
    } catch (e) {
      this.log.error(`execution ${exec.id} could not be finished (attempt ${attempt}): ${String(e)}`);
      if (this.closed || attempt >= FINISH_ATTEMPTS) return;
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        void this.finish(exec, attempt + 1);
      }, FINISH_RETRY_MS);
      this.retryTimers.add(timer);
      return;
    }
    for (const l of this.finishedListeners) {
      try {
        l(finished);
      } catch (e) {
        this.log.error(`execution listener failed: ${String(e)}`);
      }
    }
  }

  private snapshot(exec: TrackedExecution): ExecutionSnapshot {
    return {
      id: exec.id,
      counts: this.tracker.counts(exec),
      readParts: Object.fromEntries(exec.readParts),
      error: exec.error,
      steps: [...exec.steps.values()].map((s) => ({ ...s, name: exec.stepNames.get(s.processorId) ?? s.processorId })),
    };
  }

  private touch(): void {
    if (this.closed) return;
    if (!this.emitTimer) this.emitTimer = setTimeout(() => void this.saveDirty(), EMIT_MS);
  }

  /**
   * Progress goes to the browser, and the row counts to the database, at most every EMIT_MS however busy the flow.
   * Steps, failures and read totals are not saved here: the commits that make them true store them (`inCommit`).
   */
  private async saveDirty(): Promise<void> {
    this.emitTimer = null;
    for (const exec of [...this.tracker.all()]) {
      if (!exec.dirty) continue;
      exec.dirty = false;
      this.emit(exec, 'in-progress');
      await this.repository.saveProgress(this.snapshot(exec)).catch((e: unknown) => {
        exec.dirty = true;
        this.log.error(`execution ${exec.id} not saved: ${String(e)}`);
      });
    }
  }

  private emit(exec: TrackedExecution, state: string): void {
    this.hub.emit('execution.updated', { flowId: exec.flowId, executionId: exec.id, status: 'in-progress', state, counts: this.tracker.counts(exec) });
  }

  private dto(r: ExecutionRow): ExecutionDto {
    const live = this.tracker.get(r.id);
    return {
      id: r.id,
      flowId: r.flow_id,
      trigger: r.trigger,
      triggeredBy: r.triggered_by,
      state: r.state,
      status: r.status,
      counts: live ? this.tracker.counts(live) : { read: Number(r.rows_read), written: Number(r.rows_written), failed: Number(r.rows_failed) },
      startedAt: new Date(Number(r.started_at)).toISOString(),
      finishedAt: r.finished_at === null ? null : new Date(Number(r.finished_at)).toISOString(),
      error: r.error,
      ...(this.node === null ? {} : { node: r.node_id ?? null }),
    };
  }
}
