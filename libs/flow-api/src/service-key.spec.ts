import { describe, expect, it } from 'vitest';
import { lookupService, provide, requireService, serviceExtensions, serviceKey } from './service-key.js';

interface Counter {
  n: number;
}

const COUNTER = serviceKey<Counter>('spec/counter', 'the counter', { dryRun: (base) => ({ n: base.n }) });
const NAMES = serviceKey<string[]>('spec/names', 'the name list');

describe('service extensions', () => {
  it('answer the service provided under a key, by the key’s id', () => {
    const counter = { n: 1 };
    const ext = serviceExtensions(provide(COUNTER, counter));
    expect(ext.get(COUNTER)).toBe(counter);
    // Another copy of the same key (a second bundle of its package) finds it too.
    expect(ext.get(serviceKey<Counter>('spec/counter', 'the counter'))).toBe(counter);
    expect(ext.get(NAMES)).toBeUndefined();
  });

  it('name the missing service when it is required', () => {
    expect(() => serviceExtensions().require(NAMES)).toThrow('this host does not provide the name list');
    expect(() => requireService({}, NAMES)).toThrow('this host does not provide the name list');
    expect(lookupService({}, NAMES)).toBeUndefined();
    expect(requireService({ extensions: serviceExtensions(provide(NAMES, ['a'])) }, NAMES)).toEqual(['a']);
  });

  it('refuse a key provided twice, and replace one with `with`', () => {
    expect(() => serviceExtensions(provide(NAMES, []), provide(NAMES, []))).toThrow("service 'spec/names' is provided twice");
    const ext = serviceExtensions(provide(NAMES, ['a']), provide(COUNTER, { n: 1 }));
    const next = ext.with(provide(NAMES, ['b']));
    expect(next.get(NAMES)).toEqual(['b']);
    expect(next.get(COUNTER)).toEqual({ n: 1 });
    expect(ext.get(NAMES)).toEqual(['a']);
  });

  it('isolate each service for a dry run as its key says, and leave out the others', () => {
    const counter = { n: 1 };
    const dry = serviceExtensions(provide(COUNTER, counter), provide(NAMES, ['a'])).forDryRun();
    dry.require(COUNTER).n = 5;
    expect(counter.n).toBe(1);
    expect(dry.get(NAMES)).toBeUndefined();
  });
});
