import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Timestamps are epoch milliseconds (bigint) so SQLite and Postgres store and compare them alike. */
export class InitialSchema1732300000000 implements MigrationInterface {
  name = 'InitialSchema1732300000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const blob = pg ? 'bytea' : 'blob';
    const serial = pg ? 'bigserial PRIMARY KEY' : 'integer PRIMARY KEY AUTOINCREMENT';
    await q.query(`CREATE TABLE "user" (
      "id" varchar(36) PRIMARY KEY, "username" varchar(100) NOT NULL UNIQUE, "password_hash" varchar(255) NOT NULL,
      "role" varchar(16) NOT NULL, "created_at" bigint NOT NULL)`);
    await q.query(`CREATE TABLE "flow" (
      "id" varchar(36) PRIMARY KEY, "name" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT '',
      "version" integer NOT NULL, "document" text NOT NULL, "state" varchar(16) NOT NULL DEFAULT 'stopped',
      "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "updated_by" varchar(100))`);
    await q.query(`CREATE TABLE "flowfile" (
      "uuid" varchar(36) PRIMARY KEY, "flow_id" varchar(36) NOT NULL, "connection_id" varchar(100) NOT NULL,
      "seq" bigint NOT NULL, "attributes" text NOT NULL, "content_claim" varchar(64), "size" bigint NOT NULL,
      "entry_date" bigint NOT NULL, "lineage_start" bigint NOT NULL, "parents" text NOT NULL)`);
    await q.query(`CREATE INDEX "ix_flowfile_queue" ON "flowfile" ("flow_id", "seq")`);
    await q.query(`CREATE INDEX "ix_flowfile_claim" ON "flowfile" ("content_claim")`);
    await q.query(`CREATE TABLE "content_claim" ("claim" varchar(64) PRIMARY KEY, "data" ${blob} NOT NULL)`);
    await q.query(`CREATE TABLE "provenance_event" (
      "id" ${serial}, "flow_id" varchar(36) NOT NULL, "flowfile_uuid" varchar(36) NOT NULL, "event_type" varchar(24) NOT NULL,
      "processor_id" varchar(64) NOT NULL, "relationship" varchar(100), "parents" text NOT NULL, "children" text NOT NULL,
      "transit_uri" text, "details" text, "attributes" text NOT NULL, "size" bigint NOT NULL, "timestamp" bigint NOT NULL)`);
    await q.query(`CREATE INDEX "ix_provenance_flow" ON "provenance_event" ("flow_id", "id")`);
    await q.query(`CREATE INDEX "ix_provenance_flowfile" ON "provenance_event" ("flowfile_uuid")`);
    await q.query(`CREATE TABLE "processor_state" (
      "flow_id" varchar(36) NOT NULL, "processor_id" varchar(64) NOT NULL, "scope" varchar(16) NOT NULL,
      "state" text NOT NULL, PRIMARY KEY ("flow_id", "processor_id", "scope"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['processor_state', 'provenance_event', 'content_claim', 'flowfile', 'flow', 'user']) await q.query(`DROP TABLE "${t}"`);
  }
}
