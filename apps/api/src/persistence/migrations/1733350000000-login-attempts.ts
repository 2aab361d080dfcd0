import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed logins and login attempts per address, kept in the database so that the nodes of a cluster lock out a
 * user or an address together (a single SQLite node counts in memory and leaves the table empty).
 */
export class LoginAttempts1733350000000 implements MigrationInterface {
  name = 'LoginAttempts1733350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "login_attempt" (
      "key" varchar(400) PRIMARY KEY, "failures" integer NOT NULL, "locked_until" bigint NOT NULL, "last_at" bigint NOT NULL)`);
    await q.query(`CREATE INDEX "ix_login_attempt_last" ON "login_attempt" ("last_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "login_attempt"`);
  }
}
