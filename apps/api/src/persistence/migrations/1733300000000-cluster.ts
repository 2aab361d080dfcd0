import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cluster mode: each queued FlowFile and each execution names the node that owns it (null on a single node), and
 * every node of a cluster keeps a heartbeat row.
 */
export class Cluster1733300000000 implements MigrationInterface {
  name = 'Cluster1733300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "flowfile" ADD COLUMN "owner_node" varchar(64)`);
    await q.query(`CREATE INDEX "ix_flowfile_owner" ON "flowfile" ("owner_node", "flow_id")`);
    await q.query(`ALTER TABLE "execution" ADD COLUMN "node_id" varchar(64)`);
    await q.query(`CREATE TABLE "cluster_node" (
      "id" varchar(64) PRIMARY KEY, "name" varchar(200) NOT NULL, "address" varchar(200), "started_at" bigint NOT NULL,
      "heartbeat_at" bigint NOT NULL, "role" varchar(16) NOT NULL DEFAULT 'member', "stopped_at" bigint)`);
    // Large socket.io events between nodes travel through this table (the Postgres adapter's attachments).
    if (q.connection.options.type === 'postgres') {
      await q.query(`CREATE TABLE IF NOT EXISTS "socket_io_attachments" ("id" bigserial UNIQUE, "created_at" timestamptz DEFAULT NOW(), "payload" bytea)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS "socket_io_attachments"`);
    await q.query(`DROP TABLE "cluster_node"`);
    await q.query(`ALTER TABLE "execution" DROP COLUMN "node_id"`);
    await q.query(`DROP INDEX IF EXISTS "ix_flowfile_owner"`);
    await q.query(`ALTER TABLE "flowfile" DROP COLUMN "owner_node"`);
  }
}
