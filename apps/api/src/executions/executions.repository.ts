import type { ExecutionDto, ExecutionStatus, ExecutionStepDto, ExecutionTrigger } from '@sluice/contracts';
import type { EntityManager } from 'typeorm';
import { SqlRepository } from '../persistence/sql-repository.js';
import type { StepAggregate } from './execution-tracker.js';

export interface ExecutionRow {
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
  read_parts: string | null;
  node_id?: string | null;
}

export interface StepRow {
  id: string;
  execution_id: string;
  processor_id: string;
  name: string;
  started_at: string | number;
  duration_ms: number | string;
  input_size: string | number;
  output_size: string | number;
  flowfiles_in: number | string;
  flowfiles_out: number | string;
  error: string | null;
}

/** A stored step as the tracker follows it (after a restart). */
export function stepAggregate(s: StepRow): StepAggregate {
  return {
    processorId: s.processor_id,
    startedAt: Number(s.started_at),
    lastAt: Number(s.started_at) + Number(s.duration_ms),
    inputSize: Number(s.input_size),
    outputSize: Number(s.output_size),
    flowFilesIn: Number(s.flowfiles_in),
    flowFilesOut: Number(s.flowfiles_out),
    error: s.error,
  };
}

export function stepDto(r: StepRow): ExecutionStepDto {
  return {
    id: r.id,
    executionId: r.execution_id,
    processorId: r.processor_id,
    name: r.name,
    startedAt: new Date(Number(r.started_at)).toISOString(),
    durationMs: Number(r.duration_ms),
    inputSize: Number(r.input_size),
    outputSize: Number(r.output_size),
    error: r.error,
  };
}

/** An execution's `read_parts`: the read totals its steps reported per FlowFile (none when unset or unreadable). */
export function parseReadParts(text: string | null): Record<string, number> {
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, number>;
  } catch {
    return {};
  }
}

export interface NewExecution {
  id: string;
  flowId: string;
  trigger: ExecutionTrigger;
  triggeredBy: string | null;
  read: number;
  params: Record<string, string>;
  startedAt: number;
  idempotencyKey: string | null;
  requestHash: string | null;
  /** The cluster node running it (null on a single node, and while it waits in the cluster's queue). */
  node?: string | null;
  /** Cluster mode: the execution waits in the queue with what its FlowFile is made of, until a node claims it. */
  input?: ExecutionInput;
}

/** What a queued execution's first FlowFile is made of, and where it enters the flow. */
export interface ExecutionInput {
  entryId: string;
  attributes: Record<string, string>;
  content: string;
}

/** Cluster admission: at most `limit` unfinished executions of the flow across every node, counted under its lock. */
export interface Admission {
  limit: number;
  refuse(): Error;
  /** Stores the execution's job in the same transaction (the cluster's queue). */
  job?: (m: EntityManager) => Promise<void>;
}

/** The execution's row as progress or its end leaves it, with its steps. */
export interface ExecutionSnapshot {
  id: string;
  counts: { read: number; written: number; failed: number };
  readParts: Record<string, number>;
  error: string | null;
  steps: (StepAggregate & { name: string })[];
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

const STEPS_PER_STATEMENT = 80;
const STEP_COLUMNS = 11;

/** The queries of executions and their steps, on SQLite and Postgres alike; row logs have their own (RowLogRepository). */
export class ExecutionsRepository extends SqlRepository {
  /** The execution row, and with an Idempotency-Key the key pointing at it (a key whose window ended is replaced). */
  async insert(e: NewExecution, keyWindowStart = 0, admission?: Admission): Promise<void> {
    await this.ds.transaction(async (m) => {
      if (admission && this.pg) {
        // Requests for one flow on every node queue here: the count and the new row are one decision.
        await m.query(`SELECT pg_advisory_xact_lock(hashtext('sluice.admission'), hashtext($1))`, [e.flowId]);
        const [row] = (await m.query(`SELECT COUNT(*) AS n FROM "execution" WHERE "flow_id" = $1 AND "state" <> 'finished'`, [e.flowId])) as { n: string }[];
        if (Number(row?.n ?? 0) >= admission.limit) throw admission.refuse();
      }
      await m.query(
        `INSERT INTO "execution" ("id","flow_id","trigger","triggered_by","state","status","rows_read","rows_written","rows_failed","params","error","started_at","finished_at","node_id")
         VALUES (${this.ps(14)})`,
        [e.id, e.flowId, e.trigger, e.triggeredBy, e.input ? 'queued' : 'start', 'in-progress', e.read, 0, 0, JSON.stringify(e.params), null, e.startedAt, null, e.node ?? null],
      );
      if (e.input) {
        await m.query(`INSERT INTO "execution_input" ("execution_id","entry_id","attributes","content","created_at") VALUES (${this.ps(5)})`, [
          e.id,
          e.input.entryId,
          JSON.stringify(e.input.attributes),
          e.input.content,
          e.startedAt,
        ]);
      }
      if (admission?.job) await admission.job(m);
      if (e.idempotencyKey === null) return;
      await m.query(`DELETE FROM "idempotency_key" WHERE "flow_id" = ${this.p(1)} AND "key" = ${this.p(2)} AND "created_at" < ${this.p(3)}`, [e.flowId, e.idempotencyKey, keyWindowStart]);
      await m.query(`INSERT INTO "idempotency_key" ("flow_id","key","execution_id","request_hash","created_at") VALUES (${this.ps(5)})`, [
        e.flowId,
        e.idempotencyKey,
        e.id,
        e.requestHash ?? '',
        e.startedAt,
      ]);
    });
  }

  /** Row counts of a running execution, for other readers of the table; never touches one that finished meanwhile. */
  async saveProgress(s: ExecutionSnapshot): Promise<void> {
    // Its own transaction: on SQLite's shared connection a lone statement could land in a group commit's.
    await this.ds.transaction((m) =>
      m.query(`UPDATE "execution" SET "state" = 'in-progress', "rows_written" = ${this.p(1)}, "rows_failed" = ${this.p(2)} WHERE "id" = ${this.p(3)} AND "state" <> 'finished'`, [
        s.counts.written,
        s.counts.failed,
        s.id,
      ]),
    );
  }

  /**
   * In a FlowFile commit's transaction: the read totals its sessions reported (when they changed) and a first
   * failure. An error, once stored, stays.
   */
  async commitProgress(m: EntityManager, p: { id: string; read: number; readParts: Record<string, number> | null; error: string | null }): Promise<void> {
    const sets = [`"state" = 'in-progress'`, `"error" = COALESCE("error", ${this.p(1)})`];
    const args: unknown[] = [p.error];
    if (p.readParts !== null) {
      args.push(p.read, JSON.stringify(p.readParts));
      sets.push(`"rows_read" = ${this.p(2)}`, `"read_parts" = ${this.p(3)}`);
    }
    args.push(p.id);
    await m.query(`UPDATE "execution" SET ${sets.join(', ')} WHERE "id" = ${this.p(args.length)} AND "state" <> 'finished'`, args);
  }

  async finish(s: ExecutionSnapshot, status: ExecutionStatus, finishedAt: number): Promise<Record<string, string>> {
    return this.ds.transaction(async (m) => {
      await m.query(`DELETE FROM "execution_input" WHERE "execution_id" = ${this.p(1)}`, [s.id]);
      await m.query(
        `UPDATE "execution" SET "state" = 'finished', "status" = ${this.p(1)}, "rows_read" = ${this.p(2)}, "rows_written" = ${this.p(3)}, "rows_failed" = ${this.p(4)},
         "read_parts" = ${this.p(5)}, "error" = COALESCE(${this.p(6)}, "error"), "finished_at" = ${this.p(7)} WHERE "id" = ${this.p(8)}`,
        [status, s.counts.read, s.counts.written, s.counts.failed, JSON.stringify(s.readParts), s.error, finishedAt, s.id],
      );
      await this.upsertSteps(
        m,
        s.steps.map((step) => ({ executionId: s.id, step })),
      );
      const [row] = (await m.query(`SELECT "params" FROM "execution" WHERE "id" = ${this.p(1)}`, [s.id])) as { params: string }[];
      return JSON.parse(row?.params ?? '{}') as Record<string, string>;
    });
  }

  /** Unfinished executions; in a cluster only those of `node`. */
  unfinished(node: string | null = null): Promise<ExecutionRow[]> {
    if (node === null) return this.ds.query(`SELECT * FROM "execution" WHERE "state" <> 'finished'`) as Promise<ExecutionRow[]>;
    return this.ds.query(`SELECT * FROM "execution" WHERE "state" <> 'finished' AND "node_id" = ${this.p(1)}`, [node]) as Promise<ExecutionRow[]>;
  }

  /** Hands the unfinished executions of nodes that are gone (and any without a node) to `node`; returns their ids. */
  async adopt(node: string, from: readonly string[]): Promise<string[]> {
    const params = [node, ...from];
    const among = from.length ? ` OR "node_id" IN (${from.map((_, i) => this.p(i + 2)).join(',')})` : '';
    // Queued executions have no node yet: a node claims them from the queue.
    const [rows] = (await this.ds.query(`UPDATE "execution" SET "node_id" = ${this.p(1)} WHERE "state" NOT IN ('finished','queued') AND ("node_id" IS NULL${among}) RETURNING "id"`, params)) as [
      { id: string }[],
      number,
    ];
    return rows.map((r) => r.id);
  }

  /** Unfinished executions per node, for the cluster overview. */
  async runningByNode(): Promise<Map<string, number>> {
    const rows = (await this.ds.query(`SELECT "node_id", COUNT(*) AS n FROM "execution" WHERE "state" <> 'finished' AND "node_id" IS NOT NULL GROUP BY "node_id"`)) as {
      node_id: string;
      n: string | number;
    }[];
    return new Map(rows.map((r) => [r.node_id, Number(r.n)]));
  }

  byId(id: string): Promise<ExecutionRow | undefined> {
    return (this.ds.query(`SELECT * FROM "execution" WHERE "id" = ${this.p(1)}`, [id]) as Promise<ExecutionRow[]>).then((r) => r[0]);
  }

  steps(executionId: string): Promise<StepRow[]> {
    return this.ds.query(`SELECT * FROM "execution_step" WHERE "execution_id" = ${this.p(1)} ORDER BY "started_at"`, [executionId]) as Promise<StepRow[]>;
  }

  /** The execution an outbound request with this key created since `since`, with the hash of its body. */
  async byIdempotencyKey(flowId: string, key: string, since: number): Promise<{ executionId: string; requestHash: string } | undefined> {
    const rows = (await this.ds.query(`SELECT "execution_id","request_hash" FROM "idempotency_key" WHERE "flow_id" = ${this.p(1)} AND "key" = ${this.p(2)} AND "created_at" >= ${this.p(3)}`, [
      flowId,
      key,
      since,
    ])) as { execution_id: string; request_hash: string }[];
    return rows[0] ? { executionId: rows[0].execution_id, requestHash: rows[0].request_hash } : undefined;
  }

  /** Frees the key of an execution that never got its data, so the client's retry makes a new one. */
  async releaseIdempotencyKeyOf(executionId: string): Promise<void> {
    await this.ds.query(`DELETE FROM "idempotency_key" WHERE "execution_id" = ${this.p(1)}`, [executionId]);
  }

  async list(q: ExecutionQuery): Promise<{ rows: ExecutionRow[]; total: number }> {
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
    const [{ n }] = (await this.ds.query(`SELECT COUNT(*) AS n FROM "execution" ${clause}`, args)) as { n: string | number }[];
    const rows = (await this.ds.query(
      `SELECT * FROM "execution" ${clause} ORDER BY "started_at" DESC, "id" LIMIT ${Math.trunc(q.limit)} OFFSET ${Math.trunc(q.offset)}`,
      args,
    )) as ExecutionRow[];
    return { rows, total: Number(n) };
  }

  /** Finished executions per hour of their end and status, with the rows they wrote and failed. */
  /** Per flow: its newest execution, and failures since `since` (the flow list's health column). */
  async flowHealth(since: number): Promise<{
    latest: { flowId: string; id: string; status: ExecutionStatus; startedAt: number; finishedAt: number | null; error: string | null }[];
    failures: { flowId: string; executions: number; rows: number }[];
  }> {
    const latest = (await this.ds.query(
      `SELECT e."flow_id", e."id", e."status", e."started_at", e."finished_at", e."error" FROM "execution" e
       JOIN (SELECT "flow_id", MAX("started_at") AS m FROM "execution" GROUP BY "flow_id") l ON l."flow_id" = e."flow_id" AND l.m = e."started_at"`,
    )) as { flow_id: string; id: string; status: ExecutionStatus; started_at: string | number; finished_at: string | number | null; error: string | null }[];
    const failures = (await this.ds.query(
      `SELECT "flow_id", SUM(CASE WHEN "status" IN ('failed', 'partial') THEN 1 ELSE 0 END) AS ex, SUM("rows_failed") AS r FROM "execution"
       WHERE "started_at" >= ${this.p(1)} GROUP BY "flow_id"`,
      [since],
    )) as { flow_id: string; ex: string | number | null; r: string | number | null }[];
    const seen = new Set<string>();
    return {
      // Two executions of one flow may share a start millisecond: keep one.
      latest: latest
        .filter((r) => !seen.has(r.flow_id) && seen.add(r.flow_id))
        .map((r) => ({ flowId: r.flow_id, id: r.id, status: r.status, startedAt: Number(r.started_at), finishedAt: r.finished_at === null ? null : Number(r.finished_at), error: r.error })),
      failures: failures.map((r) => ({ flowId: r.flow_id, executions: Number(r.ex ?? 0), rows: Number(r.r ?? 0) })),
    };
  }

  async hourly(flowId: string | undefined, from: number, to: number): Promise<{ h: number; status: ExecutionStatus; n: number; written: number; failed: number }[]> {
    const args: unknown[] = [from, to];
    let flowClause = '';
    if (flowId) {
      args.push(flowId);
      flowClause = ` AND "flow_id" = ${this.p(3)}`;
    }
    const rows = (await this.ds.query(
      `SELECT ("finished_at" / 3600000) AS h, "status", COUNT(*) AS n, SUM("rows_written") AS written, SUM("rows_failed") AS failed FROM "execution"
       WHERE "finished_at" >= ${this.p(1)} AND "finished_at" <= ${this.p(2)}${flowClause} GROUP BY h, "status"`,
      args,
    )) as { h: string | number; status: ExecutionStatus; n: string | number; written: string | number | null; failed: string | number | null }[];
    return rows.map((r) => ({ h: Math.trunc(Number(r.h)), status: r.status, n: Number(r.n), written: Number(r.written ?? 0), failed: Number(r.failed ?? 0) }));
  }

  /**
   * Steps as they are now, keyed by execution and processor, so storing them again (a later commit, the finish,
   * a restart) updates them in place. A step's error, once stored, stays.
   */
  async upsertSteps(m: EntityManager, steps: readonly { executionId: string; step: StepAggregate & { name: string } }[]): Promise<void> {
    for (let i = 0; i < steps.length; i += STEPS_PER_STATEMENT) {
      const chunk = steps.slice(i, i + STEPS_PER_STATEMENT);
      const values: unknown[] = [];
      const tuples = chunk.map(({ executionId, step }, j) => {
        values.push(
          `${executionId}:${step.processorId}`,
          executionId,
          step.processorId,
          step.name,
          step.startedAt,
          Math.max(0, step.lastAt - step.startedAt),
          step.inputSize,
          step.outputSize,
          step.flowFilesIn,
          step.flowFilesOut,
          step.error,
        );
        return `(${Array.from({ length: STEP_COLUMNS }, (_, k) => this.p(j * STEP_COLUMNS + k + 1)).join(',')})`;
      });
      await m.query(
        `INSERT INTO "execution_step" ("id","execution_id","processor_id","name","started_at","duration_ms","input_size","output_size","flowfiles_in","flowfiles_out","error")
         VALUES ${tuples.join(',')}
         ON CONFLICT ("id") DO UPDATE SET "started_at" = excluded."started_at", "duration_ms" = excluded."duration_ms", "input_size" = excluded."input_size",
           "output_size" = excluded."output_size", "flowfiles_in" = excluded."flowfiles_in", "flowfiles_out" = excluded."flowfiles_out",
           "error" = COALESCE("execution_step"."error", excluded."error")`,
        values,
      );
    }
  }
}
