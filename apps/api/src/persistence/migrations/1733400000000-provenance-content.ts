import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provenance that can show the data: each event names its execution and the content claim the FlowFile had, and
 * the content itself is kept (deflated, bounded) apart from the live claims, for as long as provenance is retained.
 */
export class ProvenanceContent1733400000000 implements MigrationInterface {
  name = 'ProvenanceContent1733400000000';

  async up(q: QueryRunner): Promise<void> {
    const blob = q.connection.options.type === 'postgres' ? 'bytea' : 'blob';
    await q.query(`ALTER TABLE "provenance_event" ADD COLUMN "execution_id" varchar(36)`);
    await q.query(`ALTER TABLE "provenance_event" ADD COLUMN "content_claim" varchar(64)`);
    await q.query(`CREATE INDEX "ix_provenance_execution" ON "provenance_event" ("execution_id", "processor_id", "id")`);
    await q.query(`CREATE TABLE "provenance_content" (
      "claim" varchar(64) PRIMARY KEY, "data" ${blob} NOT NULL, "size" bigint NOT NULL, "kept" bigint NOT NULL, "created_at" bigint NOT NULL)`);
    await q.query(`CREATE INDEX "ix_provenance_content_created" ON "provenance_content" ("created_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "provenance_content"`);
    await q.query(`DROP INDEX "ix_provenance_execution"`);
    await q.query(`ALTER TABLE "provenance_event" DROP COLUMN "content_claim"`);
    await q.query(`ALTER TABLE "provenance_event" DROP COLUMN "execution_id"`);
  }
}
