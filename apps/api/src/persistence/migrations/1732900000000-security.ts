import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Token versions and case-insensitive usernames for users; per-flow API keys for outbound callers. */
export class Security1732900000000 implements MigrationInterface {
  name = 'Security1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "user" ADD COLUMN "token_version" integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE "user" ADD COLUMN "username_key" varchar(100) NOT NULL DEFAULT ''`);
    const update = q.connection.options.type === 'postgres' ? `UPDATE "user" SET "username_key" = $1 WHERE "id" = $2` : `UPDATE "user" SET "username_key" = ? WHERE "id" = ?`;
    const users = (await q.query(`SELECT "id", "username" FROM "user"`)) as { id: string; username: string }[];
    const keys = new Set<string>();
    let clash = false;
    for (const u of users) {
      const key = u.username.normalize('NFC').toLowerCase();
      clash ||= keys.has(key);
      keys.add(key);
      await q.query(update, [key, u.id]);
    }
    // Users that differ only in case from an older version keep working; new ones cannot clash (the service checks).
    if (!clash) await q.query(`CREATE UNIQUE INDEX "ux_user_username_key" ON "user" ("username_key")`);
    await q.query(`CREATE TABLE "api_key" (
      "id" varchar(36) PRIMARY KEY, "flow_id" varchar(36) NOT NULL, "name" varchar(100) NOT NULL, "prefix" varchar(16) NOT NULL,
      "key_hash" varchar(64) NOT NULL UNIQUE, "created_by" varchar(100), "created_at" bigint NOT NULL, "last_used_at" bigint)`);
    await q.query(`CREATE INDEX "ix_api_key_flow" ON "api_key" ("flow_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "api_key"`);
    await q.query(`DROP INDEX IF EXISTS "ux_user_username_key"`);
    await q.query(`ALTER TABLE "user" DROP COLUMN "username_key"`);
    await q.query(`ALTER TABLE "user" DROP COLUMN "token_version"`);
  }
}
