import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './app-config.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const load = (env: Record<string, string>) => loadConfig({ SLUICE_DATA_DIR: dir, ...env }, dir);

describe('SLUICE_RETENTION', () => {
  it('defaults to 30 days and takes NiFi-style durations', () => {
    expect(load({}).retentionMs).toBe(30 * 24 * 3_600_000);
    expect(load({ SLUICE_RETENTION: '12 hours' }).retentionMs).toBe(12 * 3_600_000);
    expect(load({ SLUICE_RETENTION: '15 mins' }).retentionMs).toBe(15 * 60_000);
  });

  it('stops the start with a message naming it when the value is not a duration of at least a minute', () => {
    for (const bad of ['forever', '30', '10 secs', '']) {
      expect(() => load({ SLUICE_RETENTION: bad })).toThrow(ConfigError);
      expect(() => load({ SLUICE_RETENTION: bad })).toThrow(/SLUICE_RETENTION: SLUICE_RETENTION must be a duration of at least 1 min/);
    }
  });
});
