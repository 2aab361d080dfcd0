import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ExecutionDto, ExecutionStatus, ExecutionStepDto, ExecutionTrigger, Page, RowLogDto } from '@sluice/contracts';
import type { ExecutionLog, FlowFile, RowLog } from '@sluice/flow-api';
import type { ProvenanceEvent } from '@sluice/flow-core';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/errors.js';
import { EngineEventsHub } from '../engine/engine-events.hub.js';

/** The attribute that ties every FlowFile of one run to its execution. */
export const EXECUTION_ATTRIBUTE = 'execution.id';
/** Relationships that mean the step failed for that FlowFile. */
const FAILURE_RELATIONSHIP = /^(failure|retry|no retry)$/i;
/** Attributes processors use for the reason of a failure, most specific first. */
const ERROR_ATTRIBUTES = ['log.error.script_error', 'login.error', 'erp.error', 'omnitron.error', 'jolt.error', 'script.error', 'error.message', 'invokehttp.java.exception.message'];
const ROW_FLUSH_MS = 250;
/** Row logs are written on a timer, off the write path; only a buffer this large is flushed at once. */
const ROW_BUFFER_MAX = 25_000;
const ROWS_PER_STATEMENT = 150;
const EMIT_MS = 250;

interface StepAgg {
  processorId: string;
  startedAt: number;
  lastAt: number;
  inputSize: number;
  outputSize: number;
  flowFilesIn: number;
  flowFilesOut: number;
  error: string | null;
}

interface LiveExecution {
  id: string;
  flowId: string;
  trigger: ExecutionTrigger;
  triggeredBy: string | null;
  startedAt: number;
  /** FlowFiles of this execution still in the flow. */
  live: Set<string>;
  /** Whether any FlowFile was seen; until then an empty `live` set means "not started yet". */
  seen: boolean;
  /** Per-uuid: the processor it was last seen at and its size then, to attribute input sizes to steps. */
  lastSeen: Map<string, { processorId: string; size: number }>;
  counted: Set<string>;
  counts: { read: number; written: number; failed: number };
  failed: boolean;
  error: string | null;
  emptyMeansEmpty: boolean;
  steps: Map<string, StepAgg>;
  stepNames: Map<string, string>;
  dirty: boolean;
}

export interface FinishedExecution {
  id: string;
  flowId: string;
  trigger: ExecutionTrigger;
  status: ExecutionStatus;
  startedAt: number;
  params: Record<string, string>;
}

interface ExecutionRow {
  id: string;
  flow_id: string;
  trigger: ExecutionTrigger;
  triggered_by: string | null;
  state: ExecutionDto['state'];
  status: ExecutionStatus;
  rows_read: number | string;
  rows_written: number | string;
  rows_failed: number | string;
  params: string;
  error: string | null;
  started_at: number | string;
  finished_at: number | string | null;
}

export interface ExecutionQuery {
  flowId?: string;
  status?: string;
  from?: number;
  to?: number;
  sku?: string;
  offset: number;
  limit: number;
}

/**
 * Integrator's three log levels. An execution is every FlowFile carrying its `execution.id`; it finishes when the
 * last of them leaves the flow (provenance DROP), failed when any was routed to a failure-like relationship.
 * Row logs and step updates are batched off the write path.
 */
@Injectable()
export class ExecutionsService implements ExecutionLog, OnApplicationShutdown {
  private readonly log = new Logger('Executions');
  private readonly active = new Map<string, LiveExecution>();
  private rowBuffer: { executionId: string; flowId: string; row: RowLog; at: number }[] = [];
  private rowTimer: NodeJS.Timeout | null = null;
  private emitTimer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly finishedListeners: ((e: FinishedExecution) => void)[] = [];
  private readonly pg: boolean;

  constructor(
    private readonly ds: DataSource,
    private readonly hub: EngineEventsHub,
  ) {
    this.pg = ds.options.type === 'postgres';
  }

  onFinished(listener: (e: FinishedExecution) => void): void {
    this.finishedListeners.push(listener);
  }

  /** Records a new execution before any of its FlowFiles exist, so a crash right after still leaves a trace. */
  async begin(
    flowId: string,
    trigger: ExecutionTrigger,
    options: { triggeredBy?: string | null; params?: Record<string, string>; read?: number; stepNames?: Map<string, string>; emptyMeansEmpty?: boolean } = {},
  ): Promise<string> {
    const id = randomUUID();
    const now = Date.now();
    const exec: LiveExecution = {
      id,
      flowId,
      trigger,
      triggeredBy: options.triggeredBy ?? null,
      startedAt: now,
      live: new Set(),
      seen: false,
      lastSeen: new Map(),
      counted: new Set(),
      counts: { read: options.read ?? 0, written: 0, failed: 0 },
      failed: false,
      error: null,
      emptyMeansEmpty: options.emptyMeansEmpty ?? false,
      steps: new Map(),
      stepNames: options.stepNames ?? new Map(),
      dirty: false,
    };
    await this.ds.query(
      `INSERT INTO "execution" ("id","flow_id","trigger","triggered_by","state","status","rows_read","rows_written","rows_failed","params","error","started_at","finished_at")
       VALUES (${this.ps(13)})`,
      [id, flowId, trigger, exec.triggeredBy, 'start', 'in-progress', exec.counts.read, 0, 0, JSON.stringify(options.params ?? {}), null, now, null],
    );
    this.active.set(id, exec);
    this.emit(exec, 'start');
    return id;
  }

  /** Executions of the flow still processing (the outbound concurrency limit counts these). */
  activeCount(flowId: string): number {
    let n = 0;
    for (const e of this.active.values()) if (e.flowId === flowId) n++;
    return n;
  }

  /** Marks an execution that never got its FlowFiles into the flow (ingress refused) as failed. */
  async abort(executionId: string, error: string): Promise<void> {
    const exec = this.active.get(executionId);
    if (!exec) return;
    exec.failed = true;
    exec.error = error;
    await this.finish(exec);
  }

  // ExecutionLog (called by processors)
  rows(flowFile: FlowFile, rows: readonly RowLog[]): void {
    const executionId = flowFile.attributes[EXECUTION_ATTRIBUTE];
    if (!executionId || rows.length === 0) return;
    const exec = this.active.get(executionId);
    const flowId = exec?.flowId ?? flowFile.attributes['flow.id'] ?? '';
    const at = Date.now();
    for (const row of rows) this.rowBuffer.push({ executionId, flowId, row, at });
    // Counts come from progress(): a row log line is not always one written row (an image product logs once per image).
    if (exec) this.touch(exec);
    if (this.rowBuffer.length >= ROW_BUFFER_MAX) void this.flushRows();
    else if (!this.rowTimer) this.rowTimer = setTimeout(() => void this.flushRows(), ROW_FLUSH_MS);
  }

  progress(flowFile: FlowFile, counts: { read?: number; written?: number; failed?: number }): void {
    const exec = this.active.get(flowFile.attributes[EXECUTION_ATTRIBUTE] ?? '');
    if (!exec) return;
    exec.counts.read += counts.read ?? 0;
    exec.counts.written += counts.written ?? 0;
    exec.counts.failed += counts.failed ?? 0;
    this.touch(exec);
  }

  /** Follows committed provenance to know which FlowFiles of which execution are still in the flow. */
  observe(events: readonly ProvenanceEvent[]): void {
    const done = new Set<LiveExecution>();
    for (const e of events) {
      const exec = this.active.get(e.attributes[EXECUTION_ATTRIBUTE] ?? '');
      if (!exec) continue;
      exec.seen = true;
      this.step(exec, e);
      switch (e.eventType) {
        case 'DROP':
          exec.live.delete(e.flowFileUuid);
          break;
        case 'JOIN':
          exec.live.add(e.flowFileUuid);
          break;
        default:
          exec.live.add(e.flowFileUuid);
          for (const c of e.childUuids) exec.live.add(c);
      }
      if (e.relationship && FAILURE_RELATIONSHIP.test(e.relationship)) {
        exec.failed = true;
        const reason = ERROR_ATTRIBUTES.map((a) => e.attributes[a]).find((v) => v);
        const step = exec.steps.get(e.processorId);
        const message = `${exec.stepNames.get(e.processorId) ?? e.processorId}: ${reason ?? `routed to ${e.relationship}`}`;
        exec.error ??= message;
        if (step) step.error ??= reason ?? `routed to ${e.relationship}`;
      }
      this.touch(exec);
      if (exec.live.size === 0) done.add(exec);
    }
    for (const exec of done) if (exec.live.size === 0 && this.active.has(exec.id)) void this.finish(exec);
  }

  /**
   * After a restart: executions whose FlowFiles came back in the queues go on; the others were cut short by the crash.
   */
  async recover(queued: Map<string, Set<string>>, stepNames: (flowId: string) => Map<string, string>): Promise<void> {
    const rows = (await this.ds.query(`SELECT * FROM "execution" WHERE "state" <> 'finished'`)) as ExecutionRow[];
    for (const r of rows) {
      const live = queued.get(r.id);
      const exec: LiveExecution = {
        id: r.id,
        flowId: r.flow_id,
        trigger: r.trigger,
        triggeredBy: r.triggered_by,
        startedAt: Number(r.started_at),
        live: new Set(live ?? []),
        seen: true,
        lastSeen: new Map(),
        counted: new Set(),
        counts: { read: Number(r.rows_read), written: Number(r.rows_written), failed: Number(r.rows_failed) },
        failed: !live,
        error: live ? null : 'interrupted: the server stopped while this execution was running and none of its data was queued',
        emptyMeansEmpty: false,
        steps: new Map(),
        stepNames: stepNames(r.flow_id),
        dirty: false,
      };
      this.active.set(exec.id, exec);
      if (!live) await this.finish(exec);
    }
  }

  async list(q: ExecutionQuery): Promise<Page<ExecutionDto>> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: (p: string) => string, v: unknown) => {
      args.push(v);
      where.push(sql(this.p(args.length)));
    };
    if (q.flowId) add((p) => `"flow_id" = ${p}`, q.flowId);
    if (q.status) add((p) => `"status" = ${p}`, q.status);
    if (q.from !== undefined) add((p) => `"started_at" >= ${p}`, q.from);
    if (q.to !== undefined) add((p) => `"started_at" <= ${p}`, q.to);
    if (q.sku) add((p) => `"id" IN (SELECT "execution_id" FROM "row_log" WHERE "sku" = ${p})`, q.sku);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    await this.flushRows();
    const [{ n }] = (await this.ds.query(`SELECT COUNT(*) AS n FROM "execution" ${clause}`, args)) as { n: string | number }[];
    const rows = (await this.ds.query(
      `SELECT * FROM "execution" ${clause} ORDER BY "started_at" DESC, "id" LIMIT ${Math.trunc(q.limit)} OFFSET ${Math.trunc(q.offset)}`,
      args,
    )) as ExecutionRow[];
    return { items: rows.map((r) => this.dto(r)), total: Number(n), offset: q.offset, limit: q.limit };
  }

  async get(id: string): Promise<ExecutionDto> {
    const live = this.active.get(id);
    if (live?.dirty) await this.persist(live);
    const [row] = (await this.ds.query(`SELECT * FROM "execution" WHERE "id" = ${this.p(1)}`, [id])) as ExecutionRow[];
    if (!row) throw new NotFoundError('execution', id);
    return this.dto(row);
  }

  async steps(id: string): Promise<ExecutionStepDto[]> {
    await this.get(id);
    const live = this.active.get(id);
    if (live) return [...live.steps.values()].map((s) => this.stepDto(live, s));
    const rows = (await this.ds.query(`SELECT * FROM "execution_step" WHERE "execution_id" = ${this.p(1)} ORDER BY "started_at"`, [id])) as {
      id: string;
      execution_id: string;
      processor_id: string;
      name: string;
      started_at: string | number;
      duration_ms: number;
      input_size: string | number;
      output_size: string | number;
      error: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      executionId: r.execution_id,
      processorId: r.processor_id,
      name: r.name,
      startedAt: new Date(Number(r.started_at)).toISOString(),
      durationMs: Number(r.duration_ms),
      inputSize: Number(r.input_size),
      outputSize: Number(r.output_size),
      error: r.error,
    }));
  }

  async rowLogs(id: string, q: { status?: string; sku?: string; offset: number; limit: number }): Promise<Page<RowLogDto>> {
    await this.get(id);
    await this.flushRows();
    const args: unknown[] = [id];
    let clause = `WHERE "execution_id" = ${this.p(1)}`;
    if (q.status) {
      args.push(q.status);
      clause += ` AND "status" = ${this.p(args.length)}`;
    }
    if (q.sku) {
      // Case-insensitive substring on both databases (Postgres LIKE is case-sensitive, SQLite's is not).
      args.push(`%${q.sku.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      clause += ` AND LOWER("sku") LIKE ${this.p(args.length)} ESCAPE '\\'`;
    }
    const [{ n }] = (await this.ds.query(`SELECT COUNT(*) AS n FROM "row_log" ${clause}`, args)) as { n: string | number }[];
    const rows = (await this.ds.query(`SELECT * FROM "row_log" ${clause} ORDER BY "id" LIMIT ${Math.trunc(q.limit)} OFFSET ${Math.trunc(q.offset)}`, args)) as {
      id: string | number;
      execution_id: string;
      sku: string | null;
      status: RowLogDto['status'];
      message: string;
      step: string | null;
      created_at: string | number;
    }[];
    return {
      items: rows.map((r) => ({
        id: Number(r.id),
        executionId: r.execution_id,
        sku: r.sku,
        status: r.status,
        message: r.message,
        step: r.step,
        createdAt: new Date(Number(r.created_at)).toISOString(),
      })),
      total: Number(n),
      offset: q.offset,
      limit: q.limit,
    };
  }

  /** Rows per hour and error rate, for the executions chart. */
  async hourly(flowId: string | undefined, from: number, to: number): Promise<{ hour: string; written: number; failed: number; executions: number; errorRate: number }[]> {
    await this.flushRows();
    const hourExpr = this.pg ? `("created_at" / 3600000)` : `("created_at" / 3600000)`;
    const args: unknown[] = [from, to];
    let flowClause = '';
    if (flowId) {
      args.push(flowId);
      flowClause = ` AND "flow_id" = ${this.p(3)}`;
    }
    const rows = (await this.ds.query(
      `SELECT ${hourExpr} AS h, SUM(CASE WHEN "status" = 'success' THEN 1 ELSE 0 END) AS ok, SUM(CASE WHEN "status" = 'failed' THEN 1 ELSE 0 END) AS bad,
              COUNT(DISTINCT "execution_id") AS ex
       FROM "row_log" WHERE "created_at" >= ${this.p(1)} AND "created_at" <= ${this.p(2)}${flowClause} GROUP BY h ORDER BY h`,
      args,
    )) as { h: string | number; ok: string | number; bad: string | number; ex: string | number }[];
    return rows.map((r) => {
      const written = Number(r.ok);
      const failed = Number(r.bad);
      return {
        hour: new Date(Math.trunc(Number(r.h)) * 3_600_000).toISOString(),
        written,
        failed,
        executions: Number(r.ex),
        errorRate: written + failed === 0 ? 0 : failed / (written + failed),
      };
    });
  }

  async flushRows(): Promise<void> {
    if (this.rowTimer) clearTimeout(this.rowTimer);
    this.rowTimer = null;
    const batch = this.rowBuffer;
    this.rowBuffer = [];
    if (batch.length) {
      this.writing = this.writing
        .then(() =>
          this.ds.transaction(async (m) => {
            for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
              const chunk = batch.slice(i, i + ROWS_PER_STATEMENT);
              const values: unknown[] = [];
              const tuples = chunk.map((b, j) => {
                values.push(b.executionId, b.flowId, b.row.sku, b.row.status, b.row.message, b.row.step ?? null, b.at);
                return `(${Array.from({ length: 7 }, (_, k) => this.p(j * 7 + k + 1)).join(',')})`;
              });
              await m.query(`INSERT INTO "row_log" ("execution_id","flow_id","sku","status","message","step","created_at") VALUES ${tuples.join(',')}`, values);
            }
          }),
        )
        .catch((e: unknown) => this.log.error(`row logs not written: ${String(e)}`));
    }
    await this.writing;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.emitTimer) clearTimeout(this.emitTimer);
    await this.flushRows();
    for (const exec of this.active.values()) if (exec.dirty) await this.persist(exec);
  }

  private step(exec: LiveExecution, e: ProvenanceEvent): void {
    let s = exec.steps.get(e.processorId);
    if (!s) {
      // A step starts when its input became available: when the previous step last produced output.
      let previousEnd = exec.startedAt;
      for (const other of exec.steps.values()) previousEnd = Math.max(previousEnd, other.lastAt);
      s = { processorId: e.processorId, startedAt: Math.min(previousEnd, e.timestamp), lastAt: e.timestamp, inputSize: 0, outputSize: 0, flowFilesIn: 0, flowFilesOut: 0, error: null };
      exec.steps.set(e.processorId, s);
    }
    s.lastAt = Math.max(s.lastAt, e.timestamp);
    const key = `${e.processorId}\u0000${e.flowFileUuid}`;
    const before = exec.lastSeen.get(e.flowFileUuid);
    if (before && before.processorId !== e.processorId && !exec.counted.has(key)) {
      exec.counted.add(key);
      s.inputSize += before.size;
      s.flowFilesIn++;
    }
    if (e.eventType !== 'DROP' && e.relationship) {
      s.outputSize += e.size;
      s.flowFilesOut++;
    }
    exec.lastSeen.set(e.flowFileUuid, { processorId: e.processorId, size: e.size });
  }

  private async finish(exec: LiveExecution): Promise<void> {
    this.active.delete(exec.id);
    const status: ExecutionStatus = exec.failed ? 'failed' : exec.emptyMeansEmpty && exec.counts.read === 0 && exec.counts.written === 0 ? 'empty' : 'success';
    const now = Date.now();
    await this.flushRows();
    const steps = [...exec.steps.values()];
    await this.ds.transaction(async (m) => {
      await m.query(
        `UPDATE "execution" SET "state" = 'finished', "status" = ${this.p(1)}, "rows_read" = ${this.p(2)}, "rows_written" = ${this.p(3)}, "rows_failed" = ${this.p(4)},
         "error" = ${this.p(5)}, "finished_at" = ${this.p(6)} WHERE "id" = ${this.p(7)}`,
        [status, exec.counts.read, exec.counts.written, exec.counts.failed, exec.error, now, exec.id],
      );
      for (const s of steps) {
        const d = this.stepDto(exec, s);
        await m.query(
          `INSERT INTO "execution_step" ("id","execution_id","processor_id","name","started_at","duration_ms","input_size","output_size","flowfiles_in","flowfiles_out","error")
           VALUES (${this.ps(11)})`,
          [d.id, exec.id, s.processorId, d.name, s.startedAt, d.durationMs, s.inputSize, s.outputSize, s.flowFilesIn, s.flowFilesOut, s.error],
        );
      }
    });
    this.hub.emit('execution.updated', { flowId: exec.flowId, executionId: exec.id, status, state: 'finished', counts: { ...exec.counts } });
    const [row] = (await this.ds.query(`SELECT "params" FROM "execution" WHERE "id" = ${this.p(1)}`, [exec.id])) as { params: string }[];
    const finished: FinishedExecution = { id: exec.id, flowId: exec.flowId, trigger: exec.trigger, status, startedAt: exec.startedAt, params: JSON.parse(row?.params ?? '{}') as Record<string, string> };
    for (const l of this.finishedListeners) {
      try {
        l(finished);
      } catch (e) {
        this.log.error(`execution listener failed: ${String(e)}`);
      }
    }
  }

  private touch(exec: LiveExecution): void {
    exec.dirty = true;
    if (!this.emitTimer) this.emitTimer = setTimeout(() => void this.emitDirty(), EMIT_MS);
  }

  /** Progress goes to the database and the browser at most every EMIT_MS, however busy the flow. */
  private async emitDirty(): Promise<void> {
    this.emitTimer = null;
    for (const exec of this.active.values()) {
      if (!exec.dirty) continue;
      this.emit(exec, 'in-progress');
      await this.persist(exec).catch((e: unknown) => this.log.error(`execution ${exec.id} not saved: ${String(e)}`));
    }
  }

  private async persist(exec: LiveExecution): Promise<void> {
    exec.dirty = false;
    await this.ds.query(
      `UPDATE "execution" SET "state" = 'in-progress', "rows_read" = ${this.p(1)}, "rows_written" = ${this.p(2)}, "rows_failed" = ${this.p(3)} WHERE "id" = ${this.p(4)} AND "state" <> 'finished'`,
      [exec.counts.read, exec.counts.written, exec.counts.failed, exec.id],
    );
  }

  private emit(exec: LiveExecution, state: string): void {
    this.hub.emit('execution.updated', { flowId: exec.flowId, executionId: exec.id, status: 'in-progress', state, counts: { ...exec.counts } });
  }

  private stepDto(exec: LiveExecution, s: StepAgg): ExecutionStepDto {
    return {
      id: `${exec.id}:${s.processorId}`,
      executionId: exec.id,
      processorId: s.processorId,
      name: exec.stepNames.get(s.processorId) ?? s.processorId,
      startedAt: new Date(s.startedAt).toISOString(),
      durationMs: Math.max(0, s.lastAt - s.startedAt),
      inputSize: s.inputSize,
      outputSize: s.outputSize,
      error: s.error,
    };
  }

  private dto(r: ExecutionRow): ExecutionDto {
    const live = this.active.get(r.id);
    return {
      id: r.id,
      flowId: r.flow_id,
      trigger: r.trigger,
      triggeredBy: r.triggered_by,
      state: r.state,
      status: r.status,
      counts: live ? { ...live.counts } : { read: Number(r.rows_read), written: Number(r.rows_written), failed: Number(r.rows_failed) },
      startedAt: new Date(Number(r.started_at)).toISOString(),
      finishedAt: r.finished_at === null ? null : new Date(Number(r.finished_at)).toISOString(),
      error: r.error,
    };
  }

  private p(i: number): string {
    return this.pg ? `$${i}` : '?';
  }

  private ps(n: number): string {
    return Array.from({ length: n }, (_, i) => this.p(i + 1)).join(',');
  }
}
