import type { TokenCache } from '@sluice/flow-api';

/** Login tokens shared by every flow's processors until they expire; deliberately never persisted. */
export class MemoryTokenCache implements TokenCache {
  private readonly entries = new Map<string, { value: string; expiresAt: number | null }>();

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): { value: string; expiresAt: number | null } | undefined {
    const e = this.entries.get(key);
    if (e && e.expiresAt !== null && e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: string, value: string, expiresAt: number | null): void {
    this.entries.set(key, { value, expiresAt });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
