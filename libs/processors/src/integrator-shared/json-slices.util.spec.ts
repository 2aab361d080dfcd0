import { describe, expect, it } from 'vitest';
import { eachJsonElement, parseJsonInSlices, WHOLE_BYTES } from './json-slices.util.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, note: 'a, "b" [c] {d} \\ é', nested: [{ x: [i] }] }));

describe('parseJsonInSlices', () => {
  it('gives what JSON.parse gives for an array spanning many slices', async () => {
    const text = ` \n${JSON.stringify(rows(20_000))}\n `;
    expect(text.length).toBeGreaterThan(2 * WHOLE_BYTES);
    expect(await parseJsonInSlices(bytes(text))).toEqual(JSON.parse(text));
  });

  it('throws what JSON.parse throws for malformed large text, a trailing comma and trailing garbage', async () => {
    const good = JSON.stringify(rows(20_000));
    for (const text of [`${good.slice(0, -1)},]`, `${good}x`, good.replace('"SKU-15000"', 'SKU-15000'), good.slice(0, -1)]) {
      let expected = '';
      try {
        JSON.parse(text);
      } catch (e) {
        expected = (e as Error).message;
      }
      expect(expected).not.toBe('');
      await expect(parseJsonInSlices(bytes(text))).rejects.toThrow(expected);
    }
  });

  it('parses objects and small arrays in one go', async () => {
    expect(await parseJsonInSlices(bytes('{"a":1}'))).toEqual({ a: 1 });
    expect(await parseJsonInSlices(bytes('[1,2]'))).toEqual([1, 2]);
  });
});

describe('eachJsonElement', () => {
  it('hands a large array over a slice at a time, every element once and in order', async () => {
    const text = JSON.stringify(rows(20_000));
    const slices: number[] = [];
    const seen: unknown[] = [];
    const whole = await eachJsonElement(bytes(text), (elements) => {
      slices.push(elements.length);
      seen.push(...elements);
    });
    expect(whole).toBeNull();
    expect(slices.length).toBeGreaterThan(4);
    expect(Math.max(...slices)).toBeLessThan(20_000);
    expect(seen).toEqual(JSON.parse(text));
  });

  it('gives an object or a small array whole, and throws for text a late slice finds malformed', async () => {
    expect(await eachJsonElement(bytes('{"a":1}'), () => undefined)).toEqual({ value: { a: 1 } });
    expect(await eachJsonElement(bytes('[1,2]'), () => undefined)).toEqual({ value: [1, 2] });
    const good = JSON.stringify(rows(20_000));
    let delivered = 0;
    await expect(eachJsonElement(bytes(`${good.slice(0, -1)},x]`), (e) => void (delivered += e.length))).rejects.toThrow(SyntaxError);
    expect(delivered).toBeGreaterThan(0);
  });
});
