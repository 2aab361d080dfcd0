import { describe, expect, it } from 'vitest';
import { compileChain, JoltSpecError, JoltTransformError } from './index.js';

describe('transformWithReport', () => {
  it('names input fields a shift drops and spec keys that matched nothing', () => {
    const chain = compileChain([{ operation: 'shift', spec: { order: { id: 'orderId', lines: { '*': { sku: 'skus[]' } } }, ghost: 'x' } }]);
    const { output, warnings } = chain.transformWithReport({ order: { id: 7, note: 'n', lines: [{ sku: 'a', qty: 1 }] }, extra: true });
    expect(output).toStrictEqual({ orderId: 7, skus: ['a'] });
    expect(warnings.map((w) => [w.kind, w.path])).toEqual([
      ['unmatched-input', 'order.note'],
      ['unmatched-input', 'order.lines[0].qty'],
      ['unmatched-input', 'extra'],
      ['unmatched-spec', '[0].spec.ghost'],
    ]);
    expect(warnings.every((w) => w.operationIndex === 0 && w.message.length > 0)).toBe(true);
  });

  it('counts data copied by "@" or read by "@(N,path)" as used', () => {
    const chain = compileChain([{ operation: 'shift', spec: { a: { '@': 'copy', '@(1,b)': 'fromB' } } }]);
    const { output, warnings } = chain.transformWithReport({ a: { x: 1 }, b: 2 });
    expect(output).toStrictEqual({ copy: { x: 1 }, fromB: 2 });
    expect(warnings).toEqual([]);
  });

  it('counts data an output path reads with "@(N,path)" as used', () => {
    const chain = compileChain([{ operation: 'shift', spec: { images: { '*': { url: 'images.@(1,order)' } } } }]);
    const { output, warnings } = chain.transformWithReport({ images: [{ order: '3', url: 'c' }, { order: '1', url: 'a', alt: 'x' }] });
    expect(output).toStrictEqual({ images: { 3: 'c', 1: 'a' } });
    expect(warnings.map((w) => w.path)).toEqual(['images[1].alt']);
  });

  it('treats one matching alternative of "a|b" as a match', () => {
    const chain = compileChain([{ operation: 'shift', spec: { 'a|b': 'out' } }]);
    expect(chain.transformWithReport({ a: 1 }).warnings).toEqual([]);
  });

  it('reports remove and cardinality keys that found nothing, per operation index', () => {
    const chain = compileChain([
      { operation: 'remove', spec: { gone: '', keep: { x: '' } } },
      { operation: 'cardinality', spec: { tags: 'MANY', none: 'ONE' } },
    ]);
    const { output, warnings } = chain.transformWithReport({ keep: { x: 1, y: 2 }, tags: 'a' });
    expect(output).toStrictEqual({ keep: { y: 2 }, tags: ['a'] });
    expect(warnings.map((w) => [w.operationIndex, w.path])).toEqual([
      [0, '[0].spec.gone'],
      [1, '[1].spec.none'],
    ]);
  });

  it('gives the same output as transform', () => {
    const chain = compileChain([
      { operation: 'shift', spec: { '*': { '$': 'keys[]', '@': 'values[]' } } },
      { operation: 'default', spec: { count: 0 } },
      { operation: 'modify-overwrite-beta', spec: { count: '=size(@(1,keys))' } },
    ]);
    const input = { a: { v: 1 }, b: { v: 2 } };
    expect(chain.transformWithReport(structuredClone(input)).output).toStrictEqual(chain.transform(structuredClone(input)));
  });
});

describe('spec errors', () => {
  const pathOf = (chain: unknown) => {
    try {
      compileChain(chain);
    } catch (e) {
      expect(e).toBeInstanceOf(JoltSpecError);
      return (e as JoltSpecError).path;
    }
    throw new Error('expected a JoltSpecError');
  };

  it('points inside the chain spec', () => {
    expect(pathOf([{ operation: 'shift', spec: { '*': { sku: 5 } } }])).toBe('[0].spec.*.sku');
    expect(pathOf([{ operation: 'shift', spec: {} }, { operation: 'modify-overwrite-beta', spec: { a: { '&1': 'x' } } }])).toBe('[1].spec.a.&1');
    expect(pathOf([{ operation: 'nope', spec: {} }])).toBe('[0].operation');
    expect(pathOf([{ operation: 'remove', spec: { a: null } }])).toBe('[0].spec.a');
    expect(pathOf([])).toBe('');
  });

  it('rejects output paths with wildcards and bad references', () => {
    expect(() => compileChain([{ operation: 'shift', spec: { a: 'x.*' } }])).toThrow(/"\*" is not valid on the right-hand side/);
    expect(() => compileChain([{ operation: 'shift', spec: { a: 'x.&(1,a)' } }])).toThrow(JoltSpecError);
    expect(() => compileChain([{ operation: 'shift', spec: { 'a&*': 'x' } }])).toThrow(/cannot mix/);
  });
});

describe('robustness', () => {
  it('keeps __proto__ and inherited names as plain data keys', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}');
    const out = compileChain([{ operation: 'shift', spec: { '*': 'copy.&' } }]).transform(input) as Record<string, Record<string, unknown>>;
    expect(Object.keys(out['copy']!)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const shifted = compileChain([{ operation: 'shift', spec: { toString: 'x', missing: { constructor: 'y' } } }]).transform({ a: 1 });
    expect(shifted).toBeNull();
  });

  it('raises a transform error for references above the root', () => {
    expect(() => compileChain([{ operation: 'shift', spec: { a: 'x.&3' } }]).transform({ a: 1 })).toThrow(JoltTransformError);
  });

  it('reuses one compiled chain across inputs', () => {
    const chain = compileChain([{ operation: 'default', spec: { list: [1] } }]);
    const first = chain.transform({}) as { list: number[] };
    first.list.push(2);
    expect(chain.transform({})).toStrictEqual({ list: [1] });
  });
});
