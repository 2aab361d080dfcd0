import { MemoryMapCacheStore, SteppingClock, TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { DistributedMapCacheClientService, MapCacheClientService } from '../map-cache/map-cache-client.service.js';
import { DetectDuplicate } from './detect-duplicate.processor.js';

function runner(config: Record<string, string> = {}, store?: MemoryMapCacheStore) {
  const r = new TestRunner(DetectDuplicate, store ? { services: { mapCache: store } } : {});
  r.addControllerService('cache', MapCacheClientService);
  r.setProperties({ 'Distributed Cache Service': 'cache', 'Cache Entry Identifier': '${sku}', ...config });
  r.assertValid();
  return r;
}

describe('DetectDuplicate relationships', () => {
  it('non-duplicate: the first FlowFile with an identifier; duplicate: every later one', async () => {
    const r = runner();
    r.enqueue('a', { sku: 'A-1' });
    r.enqueue('b', { sku: 'A-2' });
    r.enqueue('c', { sku: 'A-1' });
    await r.run();
    expect(r.flowFilesFor('non-duplicate').map((f) => f.contentText())).toEqual(['a', 'b']);
    expect(r.flowFilesFor('duplicate').map((f) => f.contentText())).toEqual(['c']);
    expect(r.counter('Duplicates Detected')).toBe(1);
    expect(r.counter('Non-Duplicate Files Processed')).toBe(2);
  });

  it('failure: a blank identifier, penalized', async () => {
    const r = runner();
    r.enqueue('x');
    await r.run();
    r.assertAllTransferred('failure', 1);
    expect(r.flowFilesFor('failure')[0]!.isPenalized(r.clock.now())).toBe(true);
    expect(r.logs('error')[0]!.message).toMatch(/no attribute for given Cache Entry Identifier/);
  });

  it('failure: the cache cannot be reached, penalized', async () => {
    const store = new MemoryMapCacheStore();
    store.failing = true;
    const r = runner({}, store);
    r.enqueue('x', { sku: 'A' });
    await r.run();
    r.assertAllTransferred('failure', 1);
    expect(r.logs('error')[0]!.message).toMatch(/Unable to communicate with cache/);
  });
});

describe('DetectDuplicate properties', () => {
  it('Cache Entry Identifier defaults to ${hash.value}', async () => {
    const r = new TestRunner(DetectDuplicate).addControllerService('cache', MapCacheClientService).setProperty('Distributed Cache Service', 'cache');
    r.enqueue('a', { 'hash.value': 'h1' });
    r.enqueue('b', { 'hash.value': 'h1' });
    await r.run();
    r.assertTransferCount('duplicate', 1);
  });

  it("FlowFile Description is stored with the first and given to duplicates as original.flowfile.description", async () => {
    const r = runner({ 'FlowFile Description': 'first seen in ${filename}' });
    r.enqueue('a', { sku: 'A', filename: 'one.csv' });
    r.enqueue('b', { sku: 'A', filename: 'two.csv' });
    await r.run();
    r.flowFilesFor('duplicate')[0]!.assertAttributeEquals('original.flowfile.description', 'first seen in one.csv');
    r.flowFilesFor('non-duplicate')[0]!.assertAttributeNotExists('original.flowfile.description');
  });

  it('Age Off Duration: an identifier older than it counts no more and is cached anew', async () => {
    const r = runner({ 'Age Off Duration': '2 secs' });
    r.enqueue('a', { sku: 'A' });
    await r.run();
    await r.clock.advance(1000);
    r.enqueue('b', { sku: 'A' });
    await r.run();
    r.assertTransferCount('duplicate', 1);
    await r.clock.advance(2500);
    r.enqueue('c', { sku: 'A' });
    await r.run();
    expect(r.flowFilesFor('non-duplicate').map((f) => f.contentText())).toEqual(['a', 'c']);
  });

  it('Cache The Entry Identifier false only checks: nothing is cached', async () => {
    const store = new MemoryMapCacheStore();
    const r = runner({ 'Cache The Entry Identifier': 'false' }, store);
    r.enqueue('a', { sku: 'A' });
    r.enqueue('b', { sku: 'A' });
    await r.run();
    r.assertAllTransferred('non-duplicate', 2);
    expect(store.keys('localhost:4557')).toEqual([]);
  });

  it('Distributed Cache Service: services naming the same host and port share entries, others do not', async () => {
    const store = new MemoryMapCacheStore();
    const a = runner({}, store);
    const b = new TestRunner(DetectDuplicate, { services: { mapCache: store } })
      .addControllerService('same', DistributedMapCacheClientService, { 'Server Hostname': 'LOCALHOST', 'Server Port': '4557' })
      .setProperties({ 'Distributed Cache Service': 'same', 'Cache Entry Identifier': '${sku}' });
    const c = new TestRunner(DetectDuplicate, { services: { mapCache: store } })
      .addControllerService('other', MapCacheClientService, { 'Server Port': '4558' })
      .setProperties({ 'Distributed Cache Service': 'other', 'Cache Entry Identifier': '${sku}' });
    a.enqueue('a', { sku: 'A' });
    await a.run();
    // Each runner numbers its FlowFiles from 1: pad so no FlowFile shares the first one's uuid.
    b.enqueue('pad', { sku: 'pad-b' });
    b.enqueue('b', { sku: 'A' });
    await b.run();
    c.enqueue('pad', { sku: 'pad-c' });
    c.enqueue('c', { sku: 'A' });
    await c.run();
    expect(b.flowFilesFor('duplicate').map((f) => f.contentText())).toEqual(['b']);
    c.assertAllTransferred('non-duplicate', 2);
  });

  it('Distributed Cache Service is required and must be a map cache client', () => {
    const r = new TestRunner(DetectDuplicate);
    expect(r.validate().map((i) => i.property)).toContain('Distributed Cache Service');
    r.addControllerService('cache', MapCacheClientService, {}, false).setProperty('Distributed Cache Service', 'cache');
    expect(r.validate()[0]!.message).toMatch(/disabled/);
  });

  it('a FlowFile that comes back after a rollback is not a duplicate of itself', async () => {
    const store = new MemoryMapCacheStore();
    const r = runner({}, store);
    const ff = r.enqueue('a', { sku: 'A' });
    // The identifier was cached for this FlowFile, but its session never committed.
    await store.getAndPutIfAbsent('localhost:4557', 'A', JSON.stringify({ description: '', entryTimeMs: 0, uuid: ff.uuid }));
    await r.run();
    r.assertAllTransferred('non-duplicate', 1);
  });
});

describe('DetectDuplicate and the engine time slice', () => {
  // Each read of the time costs 1 ms, so a 6 ms slice lasts a few FlowFiles of the batch of 100.
  const timed = (timeSliceMs?: number) => {
    const r = new TestRunner(DetectDuplicate, { clock: new SteppingClock(1), timeSliceMs });
    r.addControllerService('cache', MapCacheClientService);
    r.setProperties({ 'Distributed Cache Service': 'cache', 'Cache Entry Identifier': '${sku}' });
    for (let i = 0; i < 40; i++) r.enqueue(String(i), { sku: `S-${i % 25}` });
    return r;
  };

  it('stops taking FlowFiles once the slice is spent; later triggers take the rest in order, with the same outcome', async () => {
    const r = timed(6);
    await r.run();
    const first = r.flowFilesFor('non-duplicate').length + r.flowFilesFor('duplicate').length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(40);
    expect(r.queueSize()).toBe(40 - first);
    let triggers = 1;
    while (r.queueSize() > 0 && triggers < 40) {
      await r.run();
      triggers++;
    }
    r.assertQueueEmpty();
    expect(triggers).toBeGreaterThan(2);
    const untimed = timed();
    await untimed.run();
    untimed.assertQueueEmpty();
    const contents = (runner: TestRunner, rel: string) => runner.flowFilesFor(rel).map((f) => f.contentText());
    expect(contents(r, 'non-duplicate')).toEqual(contents(untimed, 'non-duplicate'));
    expect(contents(r, 'duplicate')).toEqual(contents(untimed, 'duplicate'));
    expect(contents(r, 'duplicate')).toEqual(Array.from({ length: 15 }, (_, i) => String(25 + i)));
  });
});
