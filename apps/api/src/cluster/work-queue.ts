import { Logger } from '@nestjs/common';
import { createRequire } from 'node:module';
import type PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';

/** The pg-boss queue of admitted executions, one job per execution. */
export const EXECUTION_QUEUE = 'sluice-execution';
/** How often an idle node asks for work: a job waits at most this long before a node with room claims it. */
const POLL_MS = 250;
/**
 * A job a node fetched but did not complete (it died between the fetch and queuing the execution's FlowFile) goes
 * back to the queue after this long; claiming is quick, so this only bounds how late such a job runs.
 */
const EXPIRE_SECONDS = 60;

export interface ExecutionJob {
  executionId: string;
}

/**
 * Cluster mode's work distribution on the Postgres the cluster shares: an admission sends its execution's job in
 * its own transaction, and every node claims jobs while it runs fewer executions than its concurrency allows, so
 * work spreads over the nodes wherever it was posted. Outside cluster mode there is no queue and runs start where
 * they are admitted.
 */
export class WorkQueue {
  private readonly log = new Logger('WorkQueue');
  readonly enabled: boolean;
  readonly concurrency: number;
  private boss: PgBoss | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;
  private handler: ((job: ExecutionJob) => Promise<void>) | null = null;
  private load: () => number = () => 0;

  constructor(private readonly config: Pick<AppConfig, 'cluster' | 'database'>) {
    this.enabled = config.cluster.enabled && config.database.type === 'postgres';
    this.concurrency = config.cluster.enabled ? config.cluster.concurrency : 1;
  }

  /** Creates pg-boss's schema and the queue if needed; jobs can be sent from then on. */
  async start(): Promise<void> {
    if (!this.enabled || this.boss || this.config.database.type !== 'postgres') return;
    // Loaded in cluster mode only: with pg, ~18 MB a single server does not need.
    const Boss = createRequire(import.meta.url)('pg-boss') as typeof PgBoss;
    const boss = new Boss({ connectionString: this.config.database.url, max: 4, schedule: false, application_name: 'sluice-queue' });
    boss.on('error', (e: Error) => this.log.warn(`queue: ${e.message}`));
    await boss.start();
    await boss.createQueue(EXECUTION_QUEUE, { name: EXECUTION_QUEUE, expireInSeconds: EXPIRE_SECONDS, retryLimit: 1_000, retryDelay: 1 });
    this.boss = boss;
  }

  /**
   * Claims jobs from now on: `handler` runs each claimed job's execution here (the job completes when it returns and
   * is retried elsewhere when it throws); `load` is how many executions this node runs now.
   */
  work(handler: (job: ExecutionJob) => Promise<void>, load: () => number): void {
    this.handler = handler;
    this.load = load;
    this.schedule(0);
  }

  /** Sends the execution's job inside the admission's transaction: both are stored, or neither. */
  async sendIn(m: EntityManager, executionId: string): Promise<void> {
    if (!this.boss) throw new Error('the work queue is not started');
    const client = (await m.queryRunner!.connect()) as { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> };
    await this.boss.send(EXECUTION_QUEUE, { executionId } satisfies ExecutionJob, { db: { executeSql: (text, values) => client.query(text, values) } });
  }

  /** Sends a job again for an execution that went back to the queue (its node died before running it). */
  async send(executionId: string): Promise<void> {
    if (!this.boss) throw new Error('the work queue is not started');
    await this.boss.send(EXECUTION_QUEUE, { executionId } satisfies ExecutionJob);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling?.catch(() => undefined);
    // Jobs this node fetched but did not finish return to the queue when they expire.
    await this.boss?.stop({ graceful: false, wait: true, close: true }).catch(() => undefined);
    this.boss = null;
  }

  private schedule(ms: number): void {
    if (this.stopped || !this.handler) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll()
        .then((claimed) => this.schedule(claimed ? 0 : POLL_MS))
        .catch((e: unknown) => {
          this.log.warn(`claiming work failed: ${String(e)}`);
          this.schedule(POLL_MS * 4);
        })
        .finally(() => (this.polling = null));
    }, ms);
  }

  /** One round: as many jobs as this node has room for, each run to its start before it completes. */
  private async poll(): Promise<boolean> {
    const room = this.concurrency - this.load();
    if (room <= 0 || !this.boss || this.stopped) return false;
    const jobs = (await this.boss.fetch<ExecutionJob>(EXECUTION_QUEUE, { batchSize: room })) ?? [];
    await Promise.all(
      jobs.map(async (job) => {
        try {
          await this.handler!(job.data);
          await this.boss!.complete(EXECUTION_QUEUE, job.id);
        } catch (e) {
          this.log.warn(`execution ${job.data.executionId} not started here, back to the queue: ${String(e)}`);
          await this.boss!.fail(EXECUTION_QUEUE, job.id, { message: String(e) }).catch(() => undefined);
        }
      }),
    );
    return jobs.length > 0;
  }
}
