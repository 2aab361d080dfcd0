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

describe('SLUICE_REGEX_TIMEOUT', () => {
  it('defaults to 10 seconds, takes NiFi-style durations and refuses anything else', () => {
    expect(load({}).regexTimeoutMs).toBe(10_000);
    expect(load({ SLUICE_REGEX_TIMEOUT: '500 millis' }).regexTimeoutMs).toBe(500);
    for (const bad of ['soon', '30', '0 sec']) expect(() => load({ SLUICE_REGEX_TIMEOUT: bad })).toThrow(/SLUICE_REGEX_TIMEOUT must be a duration/);
  });
});

describe('SLUICE_CLUSTER', () => {
  const secrets = { SLUICE_JWT_SECRET: 'j'.repeat(32), SLUICE_SECRET_KEY: 'k'.repeat(32) };
  const pg = { SLUICE_DB_TYPE: 'postgres', SLUICE_DB_URL: 'postgres://u@127.0.0.1/db' };

  it('is off by default, so a single node generates its own secrets as before', () => {
    expect(load({}).cluster).toEqual({ enabled: false });
  });

  it('needs Postgres and the shared secrets, naming each missing one', () => {
    expect(() => load({ SLUICE_CLUSTER: 'true', ...secrets })).toThrow(/SLUICE_DB_TYPE: must be postgres/);
    expect(() => load({ SLUICE_CLUSTER: 'true', ...pg })).toThrow(/SLUICE_JWT_SECRET: required when SLUICE_CLUSTER=true[\s\S]*SLUICE_SECRET_KEY: required/);
    expect(() => load({ SLUICE_CLUSTER: 'true', ...pg, SLUICE_JWT_SECRET: 'short', SLUICE_SECRET_KEY: 'k'.repeat(32) })).toThrow(/at least 32 characters/);
  });

  it('gives the node a fresh id at every start and its configured name', () => {
    const one = load({ SLUICE_CLUSTER: 'true', ...pg, ...secrets, SLUICE_NODE_NAME: 'node-1' }).cluster;
    const two = load({ SLUICE_CLUSTER: 'true', ...pg, ...secrets, SLUICE_NODE_NAME: 'node-1' }).cluster;
    expect(one.enabled && one.nodeName).toBe('node-1');
    expect(one.enabled && two.enabled && one.nodeId !== two.nodeId).toBe(true);
  });

  it('runs four executions per node at once unless SLUICE_NODE_CONCURRENCY says otherwise (1 to 100)', () => {
    const node = (extra: Record<string, string>) => load({ SLUICE_CLUSTER: 'true', ...pg, ...secrets, ...extra }).cluster;
    expect(node({}).enabled && (node({}) as { concurrency: number }).concurrency).toBe(4);
    expect((node({ SLUICE_NODE_CONCURRENCY: '12' }) as { concurrency: number }).concurrency).toBe(12);
    expect(() => node({ SLUICE_NODE_CONCURRENCY: '0' })).toThrow(/SLUICE_NODE_CONCURRENCY/);
  });
});
