import { Inject, Injectable, Optional, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ClusterMembership } from '../cluster/cluster-membership.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DurableTokenCache } from '../engine/durable-token.cache.js';
import { betweenTransactions } from '../persistence/data-source.js';
import { SqlFlowFileRepository } from '../persistence/sql-flowfile.repository.js';
import { IDEMPOTENCY_WINDOW_MS } from '../integration/integration.service.js';
import { PRUNE_BATCH, RetentionRepository } from './retention.repository.js';

const EXECUTIONS_PER_ROUND = 50;
/** Pause between two small transactions, so a prune never holds the database while flows commit. */
const PAUSE_MS = 5;

export interface RetentionReport {
  executions: number;
  rowLogs: number;
  provenance: number;
  /** SQLite pages given back to the file system. */
  pagesFreed: number;
}

/** How often retention runs: a sixth of the retention period, between 5 seconds and 10 minutes. */
export function retentionInterval(retentionMs: number): number {
  return Math.min(600_000, Math.max(5_000, Math.floor(retentionMs / 6)));
}

/**
 * Keeps storage bounded: finished executions older than SLUICE_RETENTION go with their steps and row logs, and so
 * does older provenance; expired cached logins and unreferenced content are dropped, and SQLite gives the freed
 * pages back. Runs at start and then periodically, in small transactions with pauses, one run at a time.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Retention');
  private readonly repository: RetentionRepository;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionReport> | null = null;
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: DurableTokenCache,
    private readonly flowFiles: SqlFlowFileRepository,
    /** In a cluster only the leader prunes and sweeps; alone, this process always does. */
    @Optional() private readonly membership?: ClusterMembership,
  ) {
    this.repository = new RetentionRepository(ds);
  }

  onApplicationBootstrap(): void {
    const tick = () => {
      void this.run().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, retentionInterval(this.config.retentionMs));
      });
    };
    tick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass; a second call while one runs waits for it. Never rejects: problems are logged and retried next time. */
  run(): Promise<RetentionReport> {
    this.running ??= this.prune()
      .catch((e: unknown) => {
        this.log.error(`pruning failed: ${String(e)}`);
        return { executions: 0, rowLogs: 0, provenance: 0, pagesFreed: 0 };
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async prune(): Promise<RetentionReport> {
    const cutoff = Date.now() - this.config.retentionMs;
    const report: RetentionReport = { executions: 0, rowLogs: 0, provenance: 0, pagesFreed: 0 };
    if (this.membership && !this.membership.isLeader()) return report;
    while (!this.stopped) {
      const ids = await this.repository.expiredExecutions(cutoff, EXECUTIONS_PER_ROUND);
      if (ids.length === 0) break;
      for (;;) {
        const n = await this.repository.deleteRowLogs(ids);
        report.rowLogs += n;
        await pause();
        if (n < PRUNE_BATCH || this.stopped) break;
      }
      if (this.stopped) break;
      await this.repository.deleteExecutions(ids);
      report.executions += ids.length;
      await pause();
    }
    while (!this.stopped) {
      const n = await this.repository.deleteProvenance(cutoff);
      report.provenance += n;
      if (n === 0) break;
      await pause();
    }
    while (!this.stopped && (await this.repository.deleteProvenanceContent(cutoff)) > 0) await pause();
    while (!this.stopped && (await this.repository.deleteBulletins(cutoff)) > 0) await pause();
    // Keys answer repeats for 24 hours whatever the retention, even once their execution is gone.
    while (!this.stopped && (await this.repository.deleteIdempotencyKeys(Date.now() - IDEMPOTENCY_WINDOW_MS)) > 0) await pause();
    await this.tokens.prune();
    await this.flowFiles.sweep();
    report.pagesFreed = await this.reclaim();
    if (report.executions || report.provenance) {
      this.log.log(`pruned ${report.executions} execution(s), ${report.rowLogs} row log(s) and ${report.provenance} provenance event(s) older than the retention; ${report.pagesFreed} page(s) freed`);
    }
    return report;
  }

  /** SQLite keeps freed pages inside the file; give them back step by step, then checkpoint so the files shrink. */
  private async reclaim(): Promise<number> {
    if (!this.repository.sqlite) return 0;
    const before = await this.repository.freePages();
    let left = before;
    while (left > 0 && !this.stopped) {
      await betweenTransactions(this.ds, () => this.repository.vacuumStep());
      const now = await this.repository.freePages();
      if (now >= left) break;
      left = now;
      await pause();
    }
    await betweenTransactions(this.ds, () => this.repository.checkpoint());
    return before - left;
  }
}

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
}
