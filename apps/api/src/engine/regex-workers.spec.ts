import { runJavaRegexJob } from '@sluice/expression';
import { RegexJobError, type RegexJob } from '@sluice/flow-api';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../config/app-config.js';
import { RegexWorkers } from './regex-workers.js';

/** 1 MB of short words: a quarter of a million matches of a pattern that could backtrack exponentially. */
const WORDS = 'ab1,'.repeat(262_144);

const workers = new RegexWorkers({ regexTimeoutMs: 5_000 } as AppConfig);
afterAll(() => workers.onApplicationShutdown());

/** What the workers answer must be what the job answers in process (their answers cross as typed arrays and one string). */
async function sameAsInProcess(job: RegexJob, engine = workers) {
  const result = await engine.run(job);
  expect(JSON.stringify(result)).toBe(JSON.stringify(runJavaRegexJob(job, { unbounded: true })));
  return result;
}

describe('the regex workers', () => {
  it('answer every match of 1 MB as the job run in process does', { timeout: 60_000 }, async () => {
    const result = await sameAsInProcess({ pattern: '(\\w+\\s?)+', operation: 'findAll', texts: [WORDS] });
    expect(result[0]!.matches.length).toBe(262_144);
    expect(result[0]!.matches[262_143]).toEqual({ index: WORDS.length - 4, groups: ['ab1', 'ab1'] });
  });

  it('answer each of 100 000 lines, with named groups by number and groups that took no part', { timeout: 60_000 }, async () => {
    const texts = Array.from({ length: 100_000 }, (_, i) => (i % 3 === 0 ? `k${i}: v` : `x${i}`));
    for (const job of [
      { pattern: '(?<key>\\w+)(:)?(?: (\\w)+)?', operation: 'matches', texts },
      { pattern: '(a|a)+|(\\d+)', operation: 'replaceAll', texts, replacement: '<$2>' },
    ] satisfies RegexJob[]) {
      const result = await sameAsInProcess(job);
      expect(result.length).toBe(100_000);
    }
    const [keyed, plain] = await sameAsInProcess({ pattern: '(?<key>\\w+)(:)?(?: (\\w)+)?', operation: 'matches', texts: ['k0: v', 'x1'] });
    expect([keyed, plain]).toEqual([{ matches: [{ index: 0, groups: ['k0: v', 'k0', ':', 'v'] }] }, { matches: [{ index: 0, groups: ['x1', 'x1', undefined, undefined] }] }]);
    expect(await sameAsInProcess({ pattern: '(a|a)+', operation: 'replaceAll', texts: ['baa', 'x'], replacement: '<$1>' })).toEqual([
      { matches: [], replaced: 'b<a>' },
      { matches: [], replaced: null },
    ]);
  });

  it('stop a job past its deadline with a message naming the limit, and run the next one in a fresh worker', { timeout: 60_000 }, async () => {
    const hasty = new RegexWorkers({ regexTimeoutMs: 50 } as AppConfig);
    try {
      const slow = hasty.run({ pattern: '(\\w+\\s?)+', operation: 'replaceAll', texts: [WORDS.repeat(4)], replacement: '<$1>' });
      await expect(slow).rejects.toThrow(RegexJobError);
      await expect(slow).rejects.toThrow(`regular expression '(\\w+\\s?)+' over ${4 * WORDS.length} characters ran past its time limit of 50 ms (SLUICE_REGEX_TIMEOUT) and was stopped`);
      await expect(slow.catch((e: RegexJobError) => e.code)).resolves.toBe('deadline');
      expect(await sameAsInProcess({ pattern: '(a|a)+$', operation: 'find', texts: ['baa'] }, hasty)).toEqual([{ matches: [{ index: 1, groups: ['aa', 'a'] }] }]);
    } finally {
      await hasty.onApplicationShutdown();
    }
  });
});
