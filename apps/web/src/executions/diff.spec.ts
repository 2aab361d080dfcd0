import { describe, expect, it } from 'vitest';
import { diffAttributes, diffLines, pretty } from './diff.js';

describe('content and attribute diffs', () => {
  it('marks the lines a step removed and added, keeping the rest', () => {
    const { lines, cut } = diffLines('a\nb\nc\nd', 'a\nB\nc\nd\ne');
    expect(cut).toBe(false);
    expect(lines).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'B' },
      { kind: 'same', text: 'c' },
      { kind: 'same', text: 'd' },
      { kind: 'added', text: 'e' },
    ]);
  });

  it('says when a text was too long to compare whole', () => {
    const long = Array.from({ length: 3500 }, (_, i) => String(i)).join('\n');
    expect(diffLines(long, long).cut).toBe(true);
  });

  it('lists added, removed and changed attributes by name', () => {
    expect(diffAttributes({ a: '1', b: '2', c: '3' }, { a: '1', b: '20', d: '4' })).toEqual([
      { name: 'b', before: '2', after: '20' },
      { name: 'c', before: '3' },
      { name: 'd', after: '4' },
    ]);
  });

  it('pretty-prints JSON and leaves other text alone', () => {
    expect(pretty('[{"a":1}]')).toMatchObject({ isJson: true, text: '[\n  {\n    "a": 1\n  }\n]' });
    expect(pretty('[{"a":1')).toMatchObject({ isJson: false, text: '[{"a":1' });
  });
});
