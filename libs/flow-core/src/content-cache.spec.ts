import { describe, expect, it } from 'vitest';
import { ContentCache } from './content-cache.js';

const bytes = (n: number) => new Uint8Array(n);

describe('ContentCache', () => {
  it('evicts the least recently used claim, counting reads as use', () => {
    const cache = new ContentCache(2);
    cache.put('a', bytes(1));
    cache.put('b', bytes(1));
    expect(cache.get('a')).toBeDefined();
    cache.put('c', bytes(1));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.size).toBe(2);
  });

  it('refreshes a claim put again instead of evicting another', () => {
    const cache = new ContentCache(2);
    cache.put('a', bytes(1));
    cache.put('b', bytes(1));
    cache.put('a', bytes(2));
    cache.put('c', bytes(1));
    expect(cache.get('a')?.length).toBe(2);
    expect(cache.get('b')).toBeUndefined();
  });

  it('never keeps a claim larger than the limit', () => {
    const cache = new ContentCache(10, 4);
    cache.put('big', bytes(5));
    cache.put('small', bytes(4));
    expect(cache.get('big')).toBeUndefined();
    expect(cache.get('small')).toBeDefined();
  });
});
