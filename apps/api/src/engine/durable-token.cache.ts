import { Logger } from '@nestjs/common';
import type { TokenCache } from '@sluice/processors';
import type { DataSource, EntityManager } from 'typeorm';
import { SecretBox, SecretBoxError } from '../secrets/secret-box.js';

interface Entry {
  value: string;
  expiresAt: number | null;
}

/**
 * Login tokens and the credentials to log in again, shared by every flow's processors and kept in the database
 * sealed with the SecretBox: after a restart a step holding an expired token can still log in again. Reads come from
 * memory (loaded at start); `set` and `delete` resolve once the change is stored.
 */
export class DurableTokenCache implements TokenCache {
  private readonly log = new Logger('TokenCache');
  private readonly entries = new Map<string, Entry>();
  private chain: Promise<void> = Promise.resolve();
  private readonly pg: boolean;

  constructor(
    private readonly ds: DataSource,
    private readonly box: SecretBox,
    private readonly now: () => number = Date.now,
  ) {
    this.pg = ds.options.type === 'postgres';
  }

  /** Loads the stored entries that have not expired; entries sealed with another key are skipped with a warning. */
  async load(): Promise<void> {
    const rows = (await this.ds.query(`SELECT "key","value","expires_at" FROM "token_cache"`)) as { key: string; value: string; expires_at: string | number | null }[];
    let unreadable = 0;
    for (const r of rows) {
      const expiresAt = r.expires_at === null ? null : Number(r.expires_at);
      if (expiresAt !== null && expiresAt <= this.now()) continue;
      try {
        this.entries.set(r.key, { value: this.box.open(r.value), expiresAt });
      } catch (e) {
        if (!(e instanceof SecretBoxError)) throw e;
        unreadable++;
      }
    }
    if (unreadable) this.log.warn(`${unreadable} cached login(s) cannot be opened with this SLUICE_SECRET_KEY; those steps log in again when they can`);
  }

  get(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.expiresAt !== null && e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: string, value: string, expiresAt: number | null): Promise<void> {
    this.entries.set(key, { value, expiresAt });
    const sealed = this.box.seal(value);
    return this.enqueue((m) =>
      m.query(
        `INSERT INTO "token_cache" ("key","value","expires_at","updated_at") VALUES (${this.p(1)},${this.p(2)},${this.p(3)},${this.p(4)})
         ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "expires_at" = excluded."expires_at", "updated_at" = excluded."updated_at"`,
        [key, sealed, expiresAt, this.now()],
      ),
    );
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return this.enqueue((m) => m.query(`DELETE FROM "token_cache" WHERE "key" = ${this.p(1)}`, [key]));
  }

  /** Removes expired entries from the database (the retention run calls it). */
  prune(): Promise<void> {
    return this.enqueue((m) => m.query(`DELETE FROM "token_cache" WHERE "expires_at" IS NOT NULL AND "expires_at" <= ${this.p(1)}`, [this.now()]));
  }

  /**
   * Writes in call order, so a delete after a set of the same key wins; each in its own transaction, so it is stored
   * when the promise resolves (on SQLite's shared connection a lone statement could land in another transaction).
   */
  private enqueue(write: (m: EntityManager) => Promise<unknown>): Promise<void> {
    const result = this.chain.then(() => this.ds.transaction(write)).then(() => undefined);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private p(n: number): string {
    return this.pg ? `$${n}` : '?';
  }
}
