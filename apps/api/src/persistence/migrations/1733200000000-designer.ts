import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The processors the user keeps running, per flow (a save never changes them, a restart brings them back), and
 * bulletins, so a processor's latest failure survives a reload.
 */
export class Designer1733200000000 implements MigrationInterface {
  name = 'Designer1733200000000';

  async up(q: QueryRunner): Promise<void> {
    // JSON array of processor ids; null for flows from before: every processor of a running flow runs.
    await q.query(`ALTER TABLE "flow" ADD COLUMN "running_processors" text`);
    const serial = q.connection.options.type === 'postgres' ? 'bigserial PRIMARY KEY' : 'integer PRIMARY KEY AUTOINCREMENT';
    await q.query(`CREATE TABLE "bulletin" (
      "id" ${serial}, "flow_id" varchar(36) NOT NULL, "processor_id" varchar(64) NOT NULL, "level" varchar(8) NOT NULL,
      "message" text NOT NULL, "created_at" bigint NOT NULL)`);
    await q.query(`CREATE INDEX "ix_bulletin_processor" ON "bulletin" ("flow_id", "processor_id", "id")`);
    await q.query(`CREATE INDEX "ix_bulletin_created" ON "bulletin" ("created_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "bulletin"`);
    await q.query(`ALTER TABLE "flow" DROP COLUMN "running_processors"`);
  }
}
