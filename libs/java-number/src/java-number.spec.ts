import { describe, expect, it } from 'vitest';
import { doubleToInt, doubleToLong, javaDoubleToString, javaTrim, LONG_MAX, LONG_MIN, wrapLong } from './index.js';

describe('javaDoubleToString', () => {
  it("lays digits out as Java's Double.toString does", () => {
    expect([1, 1.5, -0, 0, 1e7, 1.0e-3, 9.99e-4, 123456.789, 1e21, -2.5e-10].map(javaDoubleToString)).toEqual([
      '1.0', '1.5', '-0.0', '0.0', '1.0E7', '0.001', '9.99E-4', '123456.789', '1.0E21', '-2.5E-10',
    ]);
    expect([NaN, Infinity, -Infinity].map(javaDoubleToString)).toEqual(['NaN', 'Infinity', '-Infinity']);
  });
});

describe('javaTrim', () => {
  it('strips control characters and spaces, but not other Unicode spaces', () => {
    expect(javaTrim('\t\n a b \u0000')).toBe('a b');
    expect(javaTrim('\u00a0x\u2003')).toBe('\u00a0x\u2003');
    const s = 'same';
    expect(javaTrim(s)).toBe(s);
  });
});

describe('casts', () => {
  it('truncates and saturates like Java, with NaN as 0', () => {
    expect([doubleToInt(2.9), doubleToInt(-2.9), doubleToInt(1e12), doubleToInt(-1e12), doubleToInt(NaN)]).toEqual([2, -2, 2147483647, -2147483648, 0]);
    expect([doubleToLong(-7.5), doubleToLong(1e30), doubleToLong(-1e30), doubleToLong(NaN)]).toEqual([-7n, LONG_MAX, LONG_MIN, 0n]);
    expect(wrapLong(LONG_MAX + 1n)).toBe(LONG_MIN);
  });
});
