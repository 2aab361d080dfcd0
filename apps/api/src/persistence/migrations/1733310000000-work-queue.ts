import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cluster mode's unit of work: an admitted execution waits, with what it runs on (its entry processor, attributes and
 * content), until a node claims it from the queue; the node that claims it queues its FlowFile and drops the row.
 */
export class WorkQueue1733310000000 implements MigrationInterface {
  name = 'WorkQueue1733310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "execution_input" (
      "execution_id" varchar(36) PRIMARY KEY, "entry_id" varchar(64) NOT NULL, "attributes" text NOT NULL, "content" text NOT NULL, "created_at" bigint NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "execution_input"`);
  }
}
