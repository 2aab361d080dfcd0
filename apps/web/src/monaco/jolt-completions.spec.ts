import { describe, expect, it } from 'vitest';
import { joltCompletions } from './jolt-completions.js';

describe('Jolt completion', () => {
  it('completes operation names as the value of "operation"', () => {
    const { items, word } = joltCompletions('  { "operation": "mod');
    expect(word).toBe('mod');
    expect(items.map((i) => i.label)).toContain('modify-overwrite-beta');
    expect(items.map((i) => i.label)).toContain('shift');
  });
  it('completes modify functions in a value starting with =', () => {
    const { items, word } = joltCompletions('      "stock": "=toInt');
    expect(word).toBe('toInt');
    expect(items.find((i) => i.label === 'toInteger')?.insertText).toBe('toInteger(');
  });
  it('offers nothing elsewhere', () => {
    expect(joltCompletions('  "sku": "products[].sku').items).toEqual([]);
  });
});
