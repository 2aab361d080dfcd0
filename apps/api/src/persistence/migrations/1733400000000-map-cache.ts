import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The map cache that DetectDuplicate, Wait and Notify share through a map cache client service, per flow. */
export class MapCache1733400000000 implements MigrationInterface {
  name = 'MapCache1733400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "map_cache_entry" (
      "flow_id" varchar(36) NOT NULL, "cache_name" varchar(300) NOT NULL, "entry_key" varchar(1024) NOT NULL,
      "value" text NOT NULL, "revision" bigint NOT NULL, "expires_at" bigint,
      PRIMARY KEY ("flow_id", "cache_name", "entry_key"))`);
    await q.query(`CREATE INDEX "ix_map_cache_expiry" ON "map_cache_entry" ("expires_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "map_cache_entry"`);
  }
}
