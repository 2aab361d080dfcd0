import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What recovery and bounded storage need: keyed row logs (one per row whatever is retried) with a journal for the
 * chunk being written, read totals per step,
 * Idempotency-Keys of outbound requests, durable sealed tokens, and an index to find expired executions. The row
 * log loses its flow column: the hourly chart reads executions, and every byte per row counts at millions of rows.
 */
export class Durability1732300000002 implements MigrationInterface {
  name = 'Durability1732300000002';

  async up(q: QueryRunner): Promise<void> {
    // The FlowFile a row came from, as a 96-bit digest of its uuid: a row log is stored millions of times.
    await q.query(`ALTER TABLE "row_log" ADD COLUMN "source" varchar(16)`);
    await q.query(`ALTER TABLE "row_log" ADD COLUMN "row_key" varchar(200)`);
    // One index both keeps a keyed row unique within its FlowFile and execution and serves every per-execution query.
    await q.query(`CREATE UNIQUE INDEX "ux_row_key" ON "row_log" ("execution_id", "source", "row_key")`);
    await q.query(`DROP INDEX "ix_row_execution"`);
    await q.query(`DROP INDEX "ix_row_flow_time"`);
    await q.query(`ALTER TABLE "row_log" DROP COLUMN "flow_id"`);
    // A chunk's row logs in one row, stored before the step sends its next chunk; expanded into row_log shortly after.
    const serial = q.connection.options.type === 'postgres' ? 'bigserial PRIMARY KEY' : 'integer PRIMARY KEY AUTOINCREMENT';
    await q.query(`CREATE TABLE "row_journal" (
      "id" ${serial}, "execution_id" varchar(36) NOT NULL, "source" varchar(16), "rows" text NOT NULL, "created_at" bigint NOT NULL)`);
    await q.query(`ALTER TABLE "execution" ADD COLUMN "read_parts" text`);
    await q.query(`CREATE INDEX "ix_execution_finished" ON "execution" ("finished_at")`);
    await q.query(`CREATE TABLE "idempotency_key" (
      "flow_id" varchar(36) NOT NULL, "key" varchar(255) NOT NULL, "execution_id" varchar(36) NOT NULL,
      "request_hash" varchar(64) NOT NULL, "created_at" bigint NOT NULL, PRIMARY KEY ("flow_id", "key"))`);
    await q.query(`CREATE INDEX "ix_idempotency_created" ON "idempotency_key" ("created_at")`);
    await q.query(`CREATE TABLE "token_cache" (
      "key" varchar(400) PRIMARY KEY, "value" text NOT NULL, "expires_at" bigint, "updated_at" bigint NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "token_cache"`);
    await q.query(`DROP TABLE "idempotency_key"`);
    await q.query(`DROP TABLE "row_journal"`);
    await q.query(`DROP INDEX "ix_execution_finished"`);
    await q.query(`ALTER TABLE "execution" DROP COLUMN "read_parts"`);
    await q.query(`ALTER TABLE "row_log" ADD COLUMN "flow_id" varchar(36) NOT NULL DEFAULT ''`);
    await q.query(`CREATE INDEX "ix_row_flow_time" ON "row_log" ("flow_id", "created_at")`);
    await q.query(`DROP INDEX "ux_row_key"`);
    await q.query(`CREATE INDEX "ix_row_execution" ON "row_log" ("execution_id", "status")`);
    for (const column of ['row_key', 'source']) await q.query(`ALTER TABLE "row_log" DROP COLUMN "${column}"`);
  }
}
