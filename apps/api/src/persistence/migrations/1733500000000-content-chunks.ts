import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Large contents (an outbound batch of tens of megabytes) are stored in pieces, one statement each: SQLite writes and
 * reads on the event loop, and one 40 MB blob holds it for half a second either way. The claim's own row then holds
 * no data.
 */
export class ContentChunks1733500000000 implements MigrationInterface {
  name = 'ContentChunks1733500000000';

  async up(q: QueryRunner): Promise<void> {
    const blob = q.connection.options.type === 'postgres' ? 'bytea' : 'blob';
    await q.query(`CREATE TABLE "content_chunk" ("claim" varchar(64) NOT NULL, "seq" integer NOT NULL, "data" ${blob} NOT NULL, PRIMARY KEY ("claim", "seq"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "content_chunk"`);
  }
}
