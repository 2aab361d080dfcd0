import type { DataSource } from 'typeorm';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { TooManyRequestsError } from '../common/errors.js';
import { ADDRESS_FACTOR, type LoginAttempts, type LoginLimits } from './login-limiter.js';

interface Row {
  locked_until: string | number;
}

const PRUNE_EVERY_MS = 60_000;
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The lockout of LoginLimiter kept in the database (Postgres), so every node of a cluster counts the same failures:
 * attempts spread over nodes lock a user or an address as attempts on one node would. Each failure is one atomic
 * upsert, so concurrent failures on several nodes are all counted.
 */
export class SqlLoginLimiter implements LoginAttempts {
  private lastPrune = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly limits: LoginLimits,
    private readonly now: () => number = Date.now,
  ) {}

  async check(userKey: string, address: string): Promise<void> {
    const t = this.now();
    const rows = (await this.ds.query(`SELECT MAX("locked_until") AS "locked_until" FROM "login_attempt" WHERE "key" IN ($1, $2)`, [`u:${userKey}`, `a:${address}`])) as Row[];
    const until = Number(rows[0]?.locked_until ?? 0);
    if (until > t) {
      const seconds = Math.max(1, Math.ceil((until - t) / 1000));
      throw new TooManyRequestsError(`too many failed logins; try again in ${seconds} s`, seconds);
    }
  }

  async failed(userKey: string, address: string): Promise<void> {
    const t = this.now();
    await this.count(`u:${userKey}`, this.limits.maxFailures, t);
    await this.count(`a:${address}`, this.limits.maxFailures * ADDRESS_FACTOR, t);
    if (t - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = t;
      // Forgotten failures and ended locks: the table stays as small as the attacks of the last lockout period.
      await this.ds.query(`DELETE FROM "login_attempt" WHERE "locked_until" < $1 AND "last_at" < $1`, [t - this.limits.lockoutMs]);
    }
  }

  async succeeded(userKey: string): Promise<void> {
    await this.ds.query(`DELETE FROM "login_attempt" WHERE "key" = $1`, [`u:${userKey}`]);
  }

  /**
   * One failure: failures older than a lockout period, or from before an ended lock, are forgotten; reaching the
   * threshold locks the key for a lockout period and starts the count again. A key still locked keeps its lock.
   */
  private async count(key: string, threshold: number, t: number): Promise<void> {
    const lockout = this.limits.lockoutMs;
    await this.ds.query(
      `INSERT INTO "login_attempt" AS a ("key", "failures", "locked_until", "last_at")
       VALUES ($1, CASE WHEN 1 >= $4 THEN 0 ELSE 1 END, CASE WHEN 1 >= $4 THEN $2::bigint + $3::bigint ELSE 0 END, $2)
       ON CONFLICT ("key") DO UPDATE SET
         "failures" = CASE
           WHEN a."locked_until" > $2 THEN a."failures"
           WHEN (CASE WHEN a."locked_until" <> 0 OR $2 - a."last_at" > $3 THEN 0 ELSE a."failures" END) + 1 >= $4 THEN 0
           ELSE (CASE WHEN a."locked_until" <> 0 OR $2 - a."last_at" > $3 THEN 0 ELSE a."failures" END) + 1 END,
         "locked_until" = CASE
           WHEN a."locked_until" > $2 THEN a."locked_until"
           WHEN (CASE WHEN a."locked_until" <> 0 OR $2 - a."last_at" > $3 THEN 0 ELSE a."failures" END) + 1 >= $4 THEN $2::bigint + $3::bigint
           ELSE 0 END,
         "last_at" = $2`,
      [key, t, lockout, threshold],
    );
  }
}

/**
 * The login route's attempts per address and minute (@nestjs/throttler) counted in the database, so a cluster's
 * nodes share one window per address. A fixed window per key, in the lockout table under its own key prefix.
 */
export class SqlThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly ds: DataSource,
    private readonly now: () => number = Date.now,
  ) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, name: string): Promise<ThrottlerStorageRecord> {
    const t = this.now();
    const rows = (await this.ds.query(
      `INSERT INTO "login_attempt" AS a ("key", "failures", "locked_until", "last_at") VALUES ($1, 1, $2::bigint + $3::bigint, $2)
       ON CONFLICT ("key") DO UPDATE SET
         "failures" = CASE WHEN a."locked_until" <= $2 THEN 1 ELSE a."failures" + 1 END,
         "locked_until" = CASE WHEN a."locked_until" <= $2 THEN $2::bigint + $3::bigint ELSE a."locked_until" END,
         "last_at" = $2
       RETURNING "failures", "locked_until"`,
      [`r:${name}:${key}`, t, ttl],
    )) as { failures: number | string; locked_until: number | string }[];
    const hits = Number(rows[0]!.failures);
    const seconds = Math.max(1, Math.ceil((Number(rows[0]!.locked_until) - t) / 1000));
    const isBlocked = hits > limit;
    return { totalHits: hits, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
  }
}
