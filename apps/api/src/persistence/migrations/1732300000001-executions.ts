import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Integrator logs at three levels: executions (main log), steps (sub logs), rows (line logs). */
export class Executions1732300000001 implements MigrationInterface {
  name = 'Executions1732300000001';

  async up(q: QueryRunner): Promise<void> {
    const serial = q.connection.options.type === 'postgres' ? 'bigserial PRIMARY KEY' : 'integer PRIMARY KEY AUTOINCREMENT';
    await q.query(`CREATE TABLE "execution" (
      "id" varchar(36) PRIMARY KEY, "flow_id" varchar(36) NOT NULL, "trigger" varchar(24) NOT NULL, "triggered_by" varchar(200),
      "state" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "rows_read" integer NOT NULL DEFAULT 0,
      "rows_written" integer NOT NULL DEFAULT 0, "rows_failed" integer NOT NULL DEFAULT 0, "params" text NOT NULL DEFAULT '{}',
      "error" text, "started_at" bigint NOT NULL, "finished_at" bigint)`);
    await q.query(`CREATE INDEX "ix_execution_flow" ON "execution" ("flow_id", "started_at")`);
    await q.query(`CREATE INDEX "ix_execution_status" ON "execution" ("status")`);
    await q.query(`CREATE TABLE "execution_step" (
      "id" varchar(80) PRIMARY KEY, "execution_id" varchar(36) NOT NULL, "processor_id" varchar(64) NOT NULL,
      "name" varchar(200) NOT NULL, "started_at" bigint NOT NULL, "duration_ms" integer NOT NULL, "input_size" bigint NOT NULL,
      "output_size" bigint NOT NULL, "flowfiles_in" integer NOT NULL, "flowfiles_out" integer NOT NULL, "error" text)`);
    await q.query(`CREATE INDEX "ix_step_execution" ON "execution_step" ("execution_id")`);
    await q.query(`CREATE TABLE "row_log" (
      "id" ${serial}, "execution_id" varchar(36) NOT NULL, "flow_id" varchar(36) NOT NULL, "sku" varchar(200),
      "status" varchar(16) NOT NULL, "message" text NOT NULL, "step" varchar(200), "created_at" bigint NOT NULL)`);
    await q.query(`CREATE INDEX "ix_row_execution" ON "row_log" ("execution_id", "status")`);
    await q.query(`CREATE INDEX "ix_row_sku" ON "row_log" ("sku")`);
    await q.query(`CREATE INDEX "ix_row_flow_time" ON "row_log" ("flow_id", "created_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['row_log', 'execution_step', 'execution']) await q.query(`DROP TABLE "${t}"`);
  }
}
