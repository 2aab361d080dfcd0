import { describe, expect, it } from 'vitest';
import { compileJavaRegex } from './java-regex.js';
import { namedGroup, runJavaRegexJob } from './java-regex-job.js';
import { RegexInputLimitError } from './linear-regex.js';

describe('runJavaRegexJob', () => {
  it("answers Java's find, matches, find all and replace all for each text", () => {
    const texts = ['k1: v k2: w', 'none'];
    expect(runJavaRegexJob({ pattern: '(\\w)(\\d)', operation: 'find', texts })).toEqual([{ matches: [{ index: 0, groups: ['k1', 'k', '1'] }] }, { matches: [] }]);
    expect(runJavaRegexJob({ pattern: '\\w+', operation: 'matches', texts })).toEqual([{ matches: [] }, { matches: [{ index: 0, groups: ['none'] }] }]);
    expect(runJavaRegexJob({ pattern: 'k(\\d)', operation: 'findAll', texts, maxMatches: 1 })[0]!.matches).toEqual([{ index: 0, groups: ['k1', '1'] }]);
    expect(runJavaRegexJob({ pattern: 'x*', operation: 'findAll', texts: ['ab'] })[0]!.matches.map((m) => m.index)).toEqual([0, 1, 2]);
    expect(runJavaRegexJob({ pattern: '(?<k>k)(\\d)', operation: 'replaceAll', texts, replacement: '${k}=$2\\$' })).toEqual([
      { matches: [], replaced: 'k=1$: v k=2$: w' },
      { matches: [], replaced: null },
    ]);
  });

  it('gives named groups by their number', () => {
    const rx = compileJavaRegex('(a)(?<x>b)?(?<y>c)');
    const [found] = runJavaRegexJob({ pattern: rx.source, operation: 'find', texts: ['ac'] });
    expect([namedGroup(rx, found!.matches[0]!, 'x'), namedGroup(rx, found!.matches[0]!, 'y'), namedGroup(rx, found!.matches[0]!, 'z')]).toEqual([undefined, 'c', undefined]);
  });

  it("refuses more than the linear engine's limit in all on the server's thread, and runs it unbounded", () => {
    const lines = Array.from({ length: 5000 }, () => 'aaaaaaa\n');
    const job = { pattern: '(a|a)+$', operation: 'find', texts: lines } as const;
    expect(() => runJavaRegexJob(job)).toThrow(RegexInputLimitError);
    expect(() => runJavaRegexJob({ ...job, texts: ['a'.repeat(40_000)] })).toThrow(/takes at most 32768 characters of input \(this one has 40000\)/);
    expect(runJavaRegexJob(job, { unbounded: true }).every((r) => r.matches[0]!.groups[0] === 'aaaaaaa')).toBe(true);
    expect(runJavaRegexJob({ ...job, pattern: 'a+$' }).length).toBe(5000);
  });
});
