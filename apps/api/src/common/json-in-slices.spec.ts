import { describe, expect, it } from 'vitest';
import { FLOW_LIMITS } from '@sluice/contracts';
import { largeFlow } from '../flows/large-flow.testing.js';
import { jsonInSlices } from './json-in-slices.js';

describe('jsonInSlices', () => {
  const cases: [string, unknown][] = [
    ['a flow document at FLOW_LIMITS', { document: largeFlow('large', FLOW_LIMITS.processors, FLOW_LIMITS.connections) }],
    ['nested arrays and objects with holes to fill', { a: [1, undefined, () => 1, [2, [3, [4, undefined]]]], b: undefined, c: { d: { e: { f: undefined, g: 'x' } } }, h: null }],
    ['values with toJSON and non-plain objects', { when: new Date(0), list: [new Date(1)], map: new Map([[1, 2]]), nested: { toJSON: () => 'custom' } }],
    ['strings that need escaping, in keys too', { 'quote"key': 'line\nbreak \u2028 \u0000', '': [''] }],
    ['an object without keys and an empty array', { o: {}, a: [], deep: { deeper: { deepest: {} } } }],
    ['a top-level array', [{ a: 1 }, undefined, 'x']],
    ['a class instance', new (class Row { x = 1; y = [1]; })()],
  ];
  for (const [what, value] of cases) {
    it(`writes JSON.stringify's text for ${what}`, async () => {
      expect(await jsonInSlices(value)).toBe(JSON.stringify(value));
    });
  }
});
