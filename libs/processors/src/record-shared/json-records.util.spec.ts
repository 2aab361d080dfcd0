import { describe, expect, it } from 'vitest';
import { compileRule, parseRecords, RecordContentError, ruleMatches } from './json-records.util.js';

describe('parseRecords', () => {
  it('reads arrays, a single object and empty content', () => {
    expect(parseRecords('[{"a":1},{"a":2}]')).toEqual({ rows: [{ a: 1 }, { a: 2 }], single: false });
    expect(parseRecords('{"a":1}')).toEqual({ rows: [{ a: 1 }], single: true });
    expect(parseRecords('  ')).toEqual({ rows: [], single: false });
  });
  it('names what is wrong with other content', () => {
    expect(() => parseRecords('{"a":')).toThrow(RecordContentError);
    expect(() => parseRecords('{"a":')).toThrow(/content is not JSON/);
    expect(() => parseRecords('42')).toThrow(/not number 42/);
  });
});

describe('ruleMatches', () => {
  const attrs = { min: '5' };
  it('treats true/false (and their text) as answers and missing values as false', () => {
    expect(ruleMatches(compileRule('r', 'row.stock > 0'), 'r', { stock: 3 }, 0, attrs)).toBe(true);
    expect(ruleMatches(compileRule('r', 'row.sku|startsWith("A")'), 'r', { sku: 'B1' }, 0, attrs)).toBe(false);
    expect(ruleMatches(compileRule('r', 'row.flag'), 'r', { flag: 'TRUE' }, 0, attrs)).toBe(true);
    expect(ruleMatches(compileRule('r', 'row.flag'), 'r', {}, 0, attrs)).toBe(false);
    expect(ruleMatches(compileRule('r', 'row.stock >= attr("min")|toNumber'), 'r', { stock: 5 }, 0, attrs)).toBe(true);
  });
  it('rejects non-boolean results and names the rule and record', () => {
    expect(() => ruleMatches(compileRule('r', 'row.stock'), 'rule x', { stock: 3 }, 7, attrs)).toThrow('rule x must return true or false, but returned number 3 on record 7');
  });
  it('reports syntax errors with the property name', () => {
    expect(() => compileRule('Filter Expression', 'row.stock >')).toThrow(/^Filter Expression: /);
    expect(() => compileRule('Filter Expression', ' ')).toThrow(/a record expression is required/);
  });
});
