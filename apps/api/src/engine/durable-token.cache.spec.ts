import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDataSource } from '../testing/test-database.js';
import { SecretBox } from '../secrets/secret-box.js';
import { DurableTokenCache } from './durable-token.cache.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-tokens-'));
const box = new SecretBox(new TextEncoder().encode('k'.repeat(40)));
let ds: DataSource;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ ds, close } = await openTestDataSource(dir));
});
afterAll(async () => {
  await close?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('DurableTokenCache', () => {
  it('keeps logins across a restart, sealed at rest, and drops them once expired', async () => {
    let now = 1_000_000;
    const cache = new DurableTokenCache(ds, box, () => now);
    const recipe = JSON.stringify({ username: 'integrator', password: 'integrator-pass' });
    await cache.set('recipe|omnitron|http://o|integrator', recipe, null);
    await cache.set('omnitron|http://o|integrator', 'token-abc', now + 60_000);
    await cache.set('short', 'gone soon', now + 10);

    const stored = (await ds.query('SELECT "key","value" FROM "token_cache"')) as { key: string; value: string }[];
    expect(stored).toHaveLength(3);
    for (const row of stored) {
      expect(SecretBox.isSealed(row.value)).toBe(true);
      expect(row.value).not.toContain('integrator-pass');
      expect(row.value).not.toContain('token-abc');
    }

    now += 1_000;
    const restarted = new DurableTokenCache(ds, box, () => now);
    await restarted.load();
    expect(restarted.get('recipe|omnitron|http://o|integrator')?.value).toBe(recipe);
    expect(restarted.get('omnitron|http://o|integrator')).toEqual({ value: 'token-abc', expiresAt: 1_060_000 });
    expect(restarted.get('short')).toBeUndefined();
    await restarted.prune();
    expect(((await ds.query('SELECT "key" FROM "token_cache"')) as unknown[]).length).toBe(2);

    await restarted.delete('omnitron|http://o|integrator');
    const again = new DurableTokenCache(ds, box, () => now);
    await again.load();
    expect(again.get('omnitron|http://o|integrator')).toBeUndefined();
  });

  it('skips entries sealed with another key instead of failing the start', async () => {
    const other = new DurableTokenCache(ds, new SecretBox(new TextEncoder().encode('z'.repeat(40))));
    await other.set('sealed-elsewhere', 'secret', null);
    const cache = new DurableTokenCache(ds, box);
    await cache.load();
    expect(cache.get('sealed-elsewhere')).toBeUndefined();
    expect(cache.get('recipe|omnitron|http://o|integrator')).toBeDefined();
  });
});
