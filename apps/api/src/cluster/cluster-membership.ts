import { Logger } from '@nestjs/common';
import { createRequire } from 'node:module';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';

/** How often a node proves it is alive, and how long without proof makes it dead (its work is taken over). */
export const HEARTBEAT_MS = 1_000;
export const NODE_TIMEOUT_MS = 8_000;
/** Session advisory lock held by the leader; Postgres frees it when the leader's connection dies. */
const LEADER_LOCK = 0x51_75_1c_e0;
const CHANNEL = 'sluice_cluster';
/** pg, loaded in cluster mode only: a single server on SQLite does not carry it. */
const loadPg = () => createRequire(import.meta.url)('pg') as typeof pg;

export interface ClusterMessage {
  from: string;
  kind: 'flow';
  flowId: string;
}

export interface ClusterNodeRow {
  id: string;
  name: string;
  address: string | null;
  started_at: string | number;
  heartbeat_at: string | number;
  role: string;
  stopped_at: string | number | null;
}

/**
 * This process's place in a cluster: a heartbeat row, leadership through a Postgres advisory lock (taken over by
 * another node within a heartbeat once the leader's connection is gone), and cluster-wide messages through
 * LISTEN/NOTIFY. Outside cluster mode the process is alone and therefore always the leader.
 */
export class ClusterMembership {
  private readonly log = new Logger('Cluster');
  readonly enabled: boolean;
  readonly nodeId: string | null;
  private leader: boolean;
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private address: string | null = null;
  private readonly leadershipListeners: ((leader: boolean) => void)[] = [];
  private readonly messageListeners: ((m: ClusterMessage) => void)[] = [];
  private readonly tickListeners: (() => Promise<void>)[] = [];
  private ticking: Promise<void> | null = null;

  constructor(
    private readonly config: Pick<AppConfig, 'cluster' | 'database'>,
    private readonly ds: DataSource,
  ) {
    this.enabled = config.cluster.enabled;
    this.nodeId = config.cluster.enabled ? config.cluster.nodeId : null;
    this.leader = !this.enabled;
  }

  get name(): string {
    return this.config.cluster.enabled ? this.config.cluster.nodeName : 'local';
  }

  isLeader(): boolean {
    return this.leader;
  }

  onLeadership(listener: (leader: boolean) => void): void {
    this.leadershipListeners.push(listener);
  }

  onMessage(listener: (m: ClusterMessage) => void): void {
    this.messageListeners.push(listener);
  }

  /** Work done on every heartbeat (the leader's takeover of dead nodes' work), one round at a time. */
  onTick(listener: () => Promise<void>): void {
    this.tickListeners.push(listener);
  }

  setAddress(address: string): void {
    this.address = address;
  }

  async start(): Promise<void> {
    if (!this.enabled || this.nodeId === null) return;
    const now = Date.now();
    await this.ds.query(`INSERT INTO "cluster_node" ("id","name","address","started_at","heartbeat_at","role") VALUES ($1,$2,$3,$4,$4,'member')`, [this.nodeId, this.name, this.address, now]);
    await this.connect();
    this.log.log(`node '${this.name}' (${this.nodeId}) joined the cluster`);
    this.schedule();
  }

  async stop(): Promise<void> {
    if (!this.enabled || this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking?.catch(() => undefined);
    // A node leaving on purpose hands its queued work over at once instead of after the timeout.
    await this.ds.query(`UPDATE "cluster_node" SET "stopped_at" = $1, "role" = 'member' WHERE "id" = $2`, [Date.now(), this.nodeId]).catch(() => undefined);
    await this.client?.end().catch(() => undefined);
    this.client = null;
    this.setLeader(false);
  }

  async publish(m: Omit<ClusterMessage, 'from'>): Promise<void> {
    if (!this.enabled) return;
    await this.ds.query(`SELECT pg_notify($1, $2)`, [CHANNEL, JSON.stringify({ ...m, from: this.nodeId })]);
  }

  /** Nodes that heartbeat within the timeout, leader first. */
  async liveNodes(): Promise<ClusterNodeRow[]> {
    if (!this.enabled) return [];
    return (await this.ds.query(
      `SELECT * FROM "cluster_node" WHERE "stopped_at" IS NULL AND "heartbeat_at" >= $1 ORDER BY CASE WHEN "role" = 'leader' THEN 0 ELSE 1 END, "started_at"`,
      [Date.now() - NODE_TIMEOUT_MS],
    )) as ClusterNodeRow[];
  }

  /**
   * Nodes whose work another must take over (stopped, or silent past the timeout), fenced in the same statement: a
   * node that was only stalled finds its row fenced at its next heartbeat and exits instead of running on.
   */
  async fenceDeadNodes(): Promise<string[]> {
    const cutoff = Date.now() - NODE_TIMEOUT_MS;
    const [rows] = (await this.ds.query(
      `UPDATE "cluster_node" SET "stopped_at" = COALESCE("stopped_at", $1), "role" = 'gone' WHERE "id" <> $2 AND "role" <> 'gone' AND ("stopped_at" IS NOT NULL OR "heartbeat_at" < $3) RETURNING "id"`,
      [Date.now(), this.nodeId, cutoff],
    )) as [{ id: string }[], number];
    // Rows of nodes long gone are only history.
    await this.ds.query(`DELETE FROM "cluster_node" WHERE "role" = 'gone' AND "stopped_at" < $1`, [Date.now() - 3_600_000]);
    return rows.map((r) => r.id);
  }

  private async connect(): Promise<void> {
    const url = this.config.database.type === 'postgres' ? this.config.database.url : '';
    const client = new (loadPg().Client)({ connectionString: url });
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client, new Error('connection closed')));
    client.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      let m: ClusterMessage;
      try {
        m = JSON.parse(n.payload) as ClusterMessage;
      } catch {
        return;
      }
      if (m.from === this.nodeId) return;
      for (const l of this.messageListeners) l(m);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
  }

  /** The lock and the subscription went with the connection: step down now, reconnect at the next heartbeat. */
  private lost(client: pg.Client, e: Error): void {
    if (this.client !== client) return;
    this.client = null;
    if (!this.stopped) this.log.warn(`cluster connection lost: ${e.message}`);
    this.setLeader(false);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.beat()
        .catch((e: unknown) => this.log.warn(`heartbeat failed: ${String(e)}`))
        .finally(() => {
          this.ticking = null;
          this.schedule();
        });
    }, HEARTBEAT_MS);
  }

  private async beat(): Promise<void> {
    if (!this.client) await this.connect();
    const [, updated] = (await this.ds.query(`UPDATE "cluster_node" SET "heartbeat_at" = $1, "role" = $2, "address" = COALESCE($4, "address") WHERE "id" = $3 AND "stopped_at" IS NULL`, [
      Date.now(),
      this.leader ? 'leader' : 'member',
      this.nodeId,
      this.address,
    ])) as [unknown, number];
    if (updated === 0) {
      // Another node declared this one dead and took its work: running on would do that work twice.
      this.log.error(`node '${this.name}' was taken out of the cluster after missing its heartbeats; exiting`);
      process.exit(70);
    }
    if (!this.leader && this.client) {
      const [row] = (await this.client.query(`SELECT pg_try_advisory_lock($1) AS ok`, [LEADER_LOCK])).rows as { ok: boolean }[];
      if (row?.ok) {
        await this.ds.query(`UPDATE "cluster_node" SET "role" = 'leader' WHERE "id" = $1`, [this.nodeId]);
        this.log.log(`node '${this.name}' is the cluster leader`);
        this.setLeader(true);
      }
    }
    for (const l of this.tickListeners) await l();
  }

  private setLeader(leader: boolean): void {
    if (this.leader === leader) return;
    this.leader = leader;
    for (const l of this.leadershipListeners) l(leader);
  }
}
