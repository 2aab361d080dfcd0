import { provide, requireService, serviceExtensions, type FlowFile } from '@sluice/flow-api';
import { ManualClock } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { dryRunRows, EXECUTION_LOG, executionLog, keyedRowLog, TOKEN_CACHE, tokenCache } from './integrator-services.js';
import { MemoryExecutionLog, MemoryTokenCache } from './integrator-services.testing.js';

const ff = (uuid: string) => ({ uuid }) as FlowFile;

describe('Integrator services', () => {
  it('are looked up by key, and a host without them is named in the error', () => {
    const log = new MemoryExecutionLog();
    const tokens = new MemoryTokenCache();
    const services = { extensions: serviceExtensions(provide(EXECUTION_LOG, log), provide(TOKEN_CACHE, tokens)) };
    expect(requireService(services, EXECUTION_LOG)).toBe(log);
    expect(requireService(services, TOKEN_CACHE)).toBe(tokens);
    expect(() => requireService({}, EXECUTION_LOG)).toThrow('this host does not provide the execution row log');
    expect(() => requireService({}, TOKEN_CACHE)).toThrow('this host does not provide the login token cache');
  });

  it('log a writer’s keyed rows once: what earlier tries logged is known and skipped', async () => {
    const log = new MemoryExecutionLog();
    log.keys.set('u1', new Map([['0', 'success']]));
    const services = { extensions: serviceExtensions(provide(EXECUTION_LOG, log)) };
    const { outcomes, record } = await keyedRowLog(services, ff('u1'));
    expect([...outcomes]).toEqual([['0', 'success']]);
    await record([
      { sku: 'A', status: 'success', message: 'written again', key: '0' },
      { sku: 'B', status: 'failed', message: 'rejected', key: '1' },
    ]);
    await record([{ sku: 'B', status: 'failed', message: 'rejected again', key: '1' }]);
    expect(log.lines.map((r) => r.message)).toEqual(['rejected']);
    expect([...outcomes]).toEqual([
      ['0', 'success'],
      ['1', 'failed'],
    ]);
  });

  it('in a dry run keep the rows and logins in the run, reading the host’s logins and logged rows', async () => {
    const log = new MemoryExecutionLog();
    log.keys.set('u1', new Map([['0', 'success']]));
    const tokens = new MemoryTokenCache();
    tokens.set('omnitron|a', 'cached', null);
    const host = { extensions: serviceExtensions(provide(EXECUTION_LOG, log), provide(TOKEN_CACHE, tokens)) };
    const dry = { extensions: host.extensions.forDryRun() };
    expect(tokenCache(dry).get('omnitron|a')?.value).toBe('cached');
    await tokenCache(dry).set('omnitron|b', 'fresh', null);
    await tokenCache(dry).delete('omnitron|a');
    expect([tokenCache(dry).get('omnitron|a'), tokenCache(dry).get('omnitron|b')?.value]).toEqual([undefined, 'fresh']);
    expect([tokens.get('omnitron|a')?.value, tokens.get('omnitron|b')]).toEqual(['cached', undefined]);

    executionLog(dry).rows(ff('u1'), [{ sku: 'A', status: 'success', message: 'written' }]);
    await executionLog(dry).record!(ff('u1'), [{ sku: 'B', status: 'failed', message: 'rejected' }]);
    expect([...(await executionLog(dry).logged!(ff('u1')))]).toEqual([['0', 'success']]);
    expect(dryRunRows(dry).map((r) => r.sku)).toEqual(['A', 'B']);
    expect(log.rowLogs).toEqual([]);
    expect(dryRunRows(host)).toEqual([]);
  });
});

describe('MemoryTokenCache', () => {
  it('forgets tokens once the clock passes their expiry', async () => {
    const clock = new ManualClock(0);
    const tokens = new MemoryTokenCache(clock);
    tokens.set('erp', 'abc', 1_000);
    tokens.set('forever', 'xyz', null);
    expect(tokens.get('erp')).toEqual({ value: 'abc', expiresAt: 1_000 });
    await clock.advance(1_000);
    expect(tokens.get('erp')).toBeUndefined();
    expect(tokens.get('forever')?.value).toBe('xyz');
    tokens.delete('forever');
    expect(tokens.get('forever')).toBeUndefined();
  });
});

describe('MemoryExecutionLog', () => {
  it('collects row logs, counts written and failed rows, and keeps the latest read total per FlowFile', () => {
    const log = new MemoryExecutionLog();
    log.rows(ff('u1'), [
      { sku: 'A', status: 'success', message: 'written' },
      { sku: 'B', status: 'failed', message: 'no such product', step: 'write' },
    ]);
    log.progress(ff('u1'), { read: 1 });
    log.progress(ff('u1'), { read: 2 });
    log.progress(ff('u2'), { read: 3 });
    expect(log.rowLogs.map((r) => `${r.flowFileUuid}:${r.row.sku}:${r.row.status}`)).toEqual(['u1:A:success', 'u1:B:failed']);
    expect(log.counts).toEqual({ read: 5, written: 1, failed: 1 });
    expect(log.reports).toEqual([{ read: 1 }, { read: 2 }, { read: 3 }]);
  });

  it('logs a keyed row once per FlowFile and reports the keys logged', async () => {
    const log = new MemoryExecutionLog();
    await log.record(ff('u1'), [{ sku: 'A', status: 'success', message: 'written', key: '0' }]);
    await log.record(ff('u1'), [
      { sku: 'A', status: 'success', message: 'written again', key: '0' },
      { sku: 'B', status: 'failed', message: 'rejected', key: '1' },
    ]);
    log.rows(ff('u2'), [{ sku: 'A', status: 'success', message: 'other FlowFile', key: '0' }]);
    expect(log.rowLogs.map((r) => r.row.message)).toEqual(['written', 'rejected', 'other FlowFile']);
    expect([...(await log.logged(ff('u1')))]).toEqual([
      ['0', 'success'],
      ['1', 'failed'],
    ]);
  });
});
