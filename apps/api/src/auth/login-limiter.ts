import { TooManyRequestsError } from '../common/errors.js';

export interface LoginLimits {
  /** Failed logins in a row after which the user is locked out. */
  readonly maxFailures: number;
  readonly lockoutMs: number;
}

/** Failed-login bookkeeping: in this process (one node) or in the database (a cluster's nodes together). */
export interface LoginAttempts {
  /** Throws 429 with Retry-After when the user or the address is locked. */
  check(userKey: string, address: string): void | Promise<void>;
  failed(userKey: string, address: string): void | Promise<void>;
  succeeded(userKey: string): void | Promise<void>;
}

interface Entry {
  failures: number;
  lockedUntil: number;
  lastAt: number;
}

/** An address may fail this many times the per-user threshold before it is locked out too. */
export const ADDRESS_FACTOR = 4;
const MAX_ENTRIES = 50_000;

/**
 * Temporary lockout after repeated failed logins, per user and per client address. A locked user or address gets
 * 429 with Retry-After even with the right password, so guessing cannot go on under the lock. In memory: a restart
 * forgets locks, which only shortens them.
 */
export class LoginLimiter implements LoginAttempts {
  private readonly users = new Map<string, Entry>();
  private readonly addresses = new Map<string, Entry>();

  constructor(
    private readonly limits: LoginLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws 429 when the user or the address is locked. */
  check(userKey: string, address: string): void {
    const t = this.now();
    const until = Math.max(this.lockedUntil(this.users, userKey, t), this.lockedUntil(this.addresses, address, t));
    if (until > t) {
      const seconds = Math.max(1, Math.ceil((until - t) / 1000));
      throw new TooManyRequestsError(`too many failed logins; try again in ${seconds} s`, seconds);
    }
  }

  failed(userKey: string, address: string): void {
    const t = this.now();
    this.count(this.users, userKey, this.limits.maxFailures, t);
    this.count(this.addresses, address, this.limits.maxFailures * ADDRESS_FACTOR, t);
  }

  succeeded(userKey: string): void {
    this.users.delete(userKey);
  }

  private lockedUntil(map: Map<string, Entry>, key: string, t: number): number {
    const e = map.get(key);
    if (!e) return 0;
    if (e.lockedUntil > t) return e.lockedUntil;
    // Failures older than a lockout period are forgotten.
    if (e.lockedUntil !== 0 || t - e.lastAt > this.limits.lockoutMs) map.delete(key);
    return 0;
  }

  private count(map: Map<string, Entry>, key: string, threshold: number, t: number): void {
    let e = map.get(key);
    if (!e || t - e.lastAt > this.limits.lockoutMs) {
      e = { failures: 0, lockedUntil: 0, lastAt: t };
      map.delete(key);
      map.set(key, e);
      while (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
    }
    e.failures++;
    e.lastAt = t;
    if (e.failures >= threshold) {
      e.lockedUntil = t + this.limits.lockoutMs;
      e.failures = 0;
    }
  }
}
