import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What recovery and bounded storage need: keyed row logs (one per row whatever is retried), read totals per step,
 * idempotency keys of outbound requests, durable sealed tokens, and an index to find expired executions.
 */
export class Durability1732300000002 implements MigrationInterface {
  name = 'Durability1732300000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "row_log" ADD COLUMN "source" varchar(36)`);
    await q.query(`ALTER TABLE "row_log" ADD COLUMN "row_key" varchar(200)`);
    await q.query(`CREATE UNIQUE INDEX "ux_row_key" ON "row_log" ("execution_id", "source", "row_key")`);
    await q.query(`ALTER TABLE "execution" ADD COLUMN "read_parts" text`);
    await q.query(`ALTER TABLE "execution" ADD COLUMN "idempotency_key" varchar(255)`);
    await q.query(`ALTER TABLE "execution" ADD COLUMN "request_hash" varchar(64)`);
    await q.query(`CREATE UNIQUE INDEX "ux_execution_idempotency" ON "execution" ("flow_id", "idempotency_key")`);
    await q.query(`CREATE INDEX "ix_execution_finished" ON "execution" ("finished_at")`);
    await q.query(`CREATE TABLE "token_cache" (
      "key" varchar(400) PRIMARY KEY, "value" text NOT NULL, "expires_at" bigint, "updated_at" bigint NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "token_cache"`);
    for (const index of ['ix_execution_finished', 'ux_execution_idempotency', 'ux_row_key']) await q.query(`DROP INDEX "${index}"`);
    for (const column of ['request_hash', 'idempotency_key', 'read_parts']) await q.query(`ALTER TABLE "execution" DROP COLUMN "${column}"`);
    for (const column of ['row_key', 'source']) await q.query(`ALTER TABLE "row_log" DROP COLUMN "${column}"`);
  }
}
