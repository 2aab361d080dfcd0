import type { RowLog } from '@sluice/processors';
import { describe, expect, it } from 'vitest';
import { decodeJournal, encodeJournal } from './row-journal.codec.js';

const chunk: RowLog[] = Array.from({ length: 1000 }, (_, i) => ({ sku: `SKU-${i}`, status: 'success', message: `stock ${i % 90} written to stock list 1`, step: 'Write Stock to Omnitron', key: String(i) }));

describe('row journal codec', () => {
  it('gives back the lines it was given, in order, with absent step and key left absent', () => {
    const mixed: RowLog[] = [
      { sku: 'A', status: 'success', message: 'ok', step: 'write', key: '0' },
      { sku: null, status: 'failed', message: 'missing product_sku', step: 'write', key: '1' },
      { sku: 'C', status: 'skipped', message: 'ok' },
    ];
    expect(decodeJournal(encodeJournal(mixed))).toEqual(mixed);
    expect(decodeJournal(encodeJournal(chunk))).toEqual(chunk);
  });

  it('keeps every line of a chunk whose lines are all alike', () => {
    const same: RowLog[] = Array.from({ length: 3 }, () => ({ sku: 'A', status: 'failed', message: 'Omnitron answered 400' }));
    expect(decodeJournal(encodeJournal(same))).toEqual(same);
  });

  it('reads journals written as an array of row logs', () => {
    expect(decodeJournal(JSON.stringify(chunk.slice(0, 5)))).toEqual(chunk.slice(0, 5));
  });

  it('writes a chunk in well under the text of an array of row logs', () => {
    expect(encodeJournal(chunk).length).toBeLessThan(JSON.stringify(chunk).length * 0.25);
  });

  it('gives back keys that only look like a run, and many distinct messages, as they were', () => {
    const lines = (keys: string[], message: (i: number) => string): RowLog[] => keys.map((key, i) => ({ sku: `S${i}`, status: 'success', message: message(i), key }));
    for (const rows of [
      lines(['1', '2', '4'], () => 'ok'),
      lines(['01', '02', '03'], () => 'ok'),
      lines(['9', '10', '11', '12'], (i) => `m${i % 2}`),
      lines(Array.from({ length: 40 }, (_, i) => String(i * 2)), (i) => `distinct ${i}`),
      lines(Array.from({ length: 40 }, (_, i) => String(i + 5)), (i) => `stock ${i % 9} written`),
    ]) expect(decodeJournal(encodeJournal(rows))).toEqual(rows);
  });

  it('refuses a format it does not know rather than guess at its lines', () => {
    expect(() => decodeJournal('{"v":3,"n":1}')).toThrow(/unknown row journal format 3/);
  });
});
