import { describe, expect, it } from 'vitest';
import { hasParameterReference, substituteParameters } from './parameters.js';

describe('substituteParameters', () => {
  it('replaces references textually, trimming names, and lists what is missing', () => {
    expect(substituteParameters('#{a}-#{ b }-#{c}', { a: '1', b: '2' })).toEqual({ text: '1-2-#{c}', references: ['a', 'b', 'c'], missing: ['c'] });
  });

  it("treats each '##' as one literal '#', so '##{a}' is the text '#{a}'", () => {
    expect(substituteParameters('##{a} ###{a} ####{a}', { a: 'x' }).text).toBe('#{a} #x ##{a}');
    expect(hasParameterReference('##{a}')).toBe(false);
    expect(hasParameterReference('${a} #{b}')).toBe(true);
  });

  it('counts every reference as missing when the parameters are unknown', () => {
    expect(substituteParameters('#{a}').missing).toEqual(['a']);
  });
});
