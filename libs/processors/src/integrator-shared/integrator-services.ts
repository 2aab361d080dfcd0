import { requireService, serviceKey, type FlowFile, type ProcessorServices } from '@sluice/flow-api';

/**
 * The services the Integrator steps need beyond the generic ones: a per-row log of each execution and a cache of
 * logins. They are the Integrator's, not the processor contract's: the host that runs these steps implements them
 * and provides them under the keys below (`serviceExtensions(provide(EXECUTION_LOG, …), provide(TOKEN_CACHE, …))`).
 */

/** One line of an Integrator row log: which record, and what happened to it. */
export interface RowLog {
  readonly sku: string | null;
  readonly status: 'success' | 'failed' | 'skipped';
  readonly message: string;
  readonly step?: string;
  /**
   * Identifies the row within its FlowFile (e.g. its index in the content). A keyed row is logged at most once
   * per FlowFile and execution, so a retry after a rollback or a restart cannot log it twice.
   */
  readonly key?: string;
}

export type RowStatus = RowLog['status'];

/**
 * Where the steps report per-row outcomes and progress of the execution a FlowFile belongs to. An execution's
 * written and failed counts are its `success` and `failed` row logs, so they add up whatever was retried.
 */
export interface ExecutionLog {
  /** Row log lines, stored shortly after, off the processor's path. */
  rows(flowFile: FlowFile, rows: readonly RowLog[]): void;
  /**
   * Row log lines, stored before the promise resolves: work recorded here is known after a crash, so the
   * step can skip it when the FlowFile comes back (see `logged`). A host without a durable log leaves it out;
   * steps then use `rows`.
   */
  record?(flowFile: FlowFile, rows: readonly RowLog[]): Promise<void>;
  /** The keyed rows already logged for this FlowFile in its execution: key → status (none when left out). */
  logged?(flowFile: FlowFile): Promise<ReadonlyMap<string, RowStatus>>;
  /**
   * Rows this step read so far for the FlowFile. A running total, not an increment: a later report for the
   * same FlowFile at the same step replaces the earlier one, so a step that reads again after a retry does not
   * count the rows twice.
   */
  progress(flowFile: FlowFile, counts: { read: number }): void;
}

/**
 * Secrets and tokens cached across executions (login tokens until they expire, the credentials to log in again).
 * The host may keep them durably: `set` and `delete` then resolve once stored, so a step that awaits them can rely
 * on the entry after a restart.
 */
export interface TokenCache {
  get(key: string): { value: string; expiresAt: number | null } | undefined;
  set(key: string, value: string, expiresAt: number | null): void | Promise<void>;
  delete(key: string): void | Promise<void>;
}

/** A dry run's row log: the rows the step would have logged, kept in the run; rows an earlier run logged are skipped as the real run would skip them. */
export class DryRunExecutionLog implements ExecutionLog {
  readonly lines: RowLog[] = [];
  readonly logged?: (flowFile: FlowFile) => Promise<ReadonlyMap<string, RowStatus>>;

  constructor(base: ExecutionLog) {
    if (base.logged) this.logged = (ff) => base.logged!(ff);
  }

  rows(_flowFile: FlowFile, rows: readonly RowLog[]): void {
    this.lines.push(...rows);
  }

  async record(flowFile: FlowFile, rows: readonly RowLog[]): Promise<void> {
    this.rows(flowFile, rows);
  }

  progress(): void {}
}

/** A dry run's token cache: reads the host's cached logins, keeps what it would cache in the run. */
function overlayTokens(base: TokenCache): TokenCache {
  const local = new Map<string, { value: string; expiresAt: number | null } | null>();
  return {
    get: (key) => (local.has(key) ? (local.get(key) ?? undefined) : base.get(key)),
    set: (key, value, expiresAt) => void local.set(key, { value, expiresAt }),
    delete: (key) => void local.set(key, null),
  };
}

export const EXECUTION_LOG = serviceKey<ExecutionLog>('processors/integrator-execution-log', 'the execution row log', { dryRun: (base) => new DryRunExecutionLog(base) });
export const TOKEN_CACHE = serviceKey<TokenCache>('processors/integrator-token-cache', 'the login token cache', { dryRun: overlayTokens });

/** Where the Integrator services are: a processor's `ctx.services`. */
type Host = Pick<ProcessorServices, 'extensions'>;

export const executionLog = (services: Host): ExecutionLog => requireService(services, EXECUTION_LOG);
export const tokenCache = (services: Host): TokenCache => requireService(services, TOKEN_CACHE);

/** The rows a dry run with these services would have logged. */
export function dryRunRows(services: Host): readonly RowLog[] {
  const log = services.extensions?.get(EXECUTION_LOG);
  return log instanceof DryRunExecutionLog ? log.lines : [];
}

/**
 * A FlowFile's keyed row log for a writer: the outcomes earlier tries logged, then this one's, and `record`, which
 * logs only rows without an outcome yet (durably when the host can).
 */
export async function keyedRowLog(services: Host, flowFile: FlowFile): Promise<{ outcomes: Map<string, RowStatus>; record(rows: readonly RowLog[]): Promise<void> }> {
  const log = executionLog(services);
  const outcomes = new Map<string, RowStatus>((await log.logged?.(flowFile)) ?? []);
  const record = async (rows: readonly RowLog[]) => {
    const fresh = rows.filter((l) => !outcomes.has(l.key!));
    if (fresh.length === 0) return;
    if (log.record) await log.record(flowFile, fresh);
    else log.rows(flowFile, fresh);
    for (const l of fresh) outcomes.set(l.key!, l.status);
  };
  return { outcomes, record };
}
