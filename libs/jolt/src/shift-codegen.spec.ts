import { describe, expect, it } from 'vitest';
import { compileChain } from './index.js';

/** Generated code serves `transform`; the tree walker serves `transformWithReport`. Both must give Jolt's answer. */
function both(spec: unknown, input: unknown): unknown {
  const chain = compileChain([{ operation: 'shift', spec }]);
  const fast = chain.transform(structuredClone(input));
  expect(chain.transformWithReport(structuredClone(input)).output).toStrictEqual(fast);
  return fast;
}

describe('generated shift code', () => {
  it('collides values when two visits share an output container', () => {
    const spec = { a: { k: 'out.v', j: 'out.w' }, b: { k: 'out.v', j: 'out.w' } };
    expect(both(spec, { a: { k: 1, j: 2 }, b: { k: 3, j: 4 } })).toStrictEqual({ out: { v: [1, 3], w: [2, 4] } });
  });

  it('collides values when sibling leaves share a final key', () => {
    const spec = { '*': { a: '[&1].x', b: '[&1].x' } };
    expect(both(spec, [{ a: 1, b: 2 }, { b: 3 }])).toStrictEqual([{ x: [1, 2] }, { x: 3 }]);
  });

  it('drops writes whose shared prefix meets a value of the wrong type', () => {
    const spec = { first: 'row', '*': { a: 'row.a', b: 'row.b' } };
    expect(both(spec, { first: 'scalar', second: { a: 1, b: 2 } })).toStrictEqual({ row: 'scalar' });
  });

  it('writes under keys Object.prototype also has, as data', () => {
    const spec = { '*': { a: '[&1].constructor', b: '[&1].toString' } };
    expect(both(spec, [{ a: 1, b: 2 }])).toStrictEqual([JSON.parse('{"constructor": 1, "toString": 2}')]);
  });

  it('matches scalars by their text and star captures by reference', () => {
    const spec = { flags: { '*': { true: { '$1': 'on[]' } } }, 'p-*': 'byCapture.&(0,1)' };
    expect(both(spec, { flags: { x: true, y: false, z: true }, 'p-1': 'a' })).toStrictEqual({ on: ['x', 'z'], byCapture: { 1: 'a' } });
  });

  it('throws for references above the walked path, like the tree walker', () => {
    const chain = compileChain([{ operation: 'shift', spec: { '*': { v: '[&1].&(0,1)' } } }]);
    expect(() => chain.transform([{ v: 1 }])).toThrow(/capture 1/);
    expect(() => chain.transformWithReport([{ v: 1 }])).toThrow(/capture 1/);
  });
});
