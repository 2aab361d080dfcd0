import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An execution's row log in its own order: SQLite searches it a bounded range of ids at a time, since one statement
 * over a large execution's lines held the event loop for over 100 ms.
 */
export class RowLogOrder1733600000000 implements MigrationInterface {
  name = 'RowLogOrder1733600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_row_execution_id" ON "row_log" ("execution_id", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_row_execution_id"`);
  }
}
