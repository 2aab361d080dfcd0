/** RetryFlowFile against the cases of NiFi's TestRetryFlowFile, restated, through the real session and context. */
import { TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { RetryFlowFile } from './retry-flow-file.processor.js';

function run(config: Record<string, string>, attributes: Record<string, string>, count = 1) {
  const r = new TestRunner(RetryFlowFile);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  for (let i = 0; i < count; i++) r.enqueue('', attributes);
  return r.run(count).then(() => r);
}
const counts = (r: TestRunner) => [r.flowFilesFor('retry').length, r.flowFilesFor('retries_exceeded').length, r.flowFilesFor('failure').length];

describe('RetryFlowFile (NiFi TestRetryFlowFile cases)', () => {
  it('testNoRetryAttribute', async () => {
    const r = await run({}, {});
    expect(counts(r)).toEqual([1, 0, 0]);
    const ff = r.flowFilesFor('retry')[0]!;
    ff.assertAttributeEquals('flowfile.retries', '1');
    ff.assertAttributeExists('flowfile.retries.uuid');
  });

  it('testRetryPenalize and testRetryClustered (five at once)', async () => {
    for (const n of [1, 5]) {
      const r = await run({}, { 'flowfile.retries': '2' }, n);
      expect(counts(r)).toEqual([n, 0, 0]);
      for (const ff of r.flowFilesFor('retry')) {
        ff.assertAttributeEquals('flowfile.retries', '3');
        expect(ff.isPenalized(r.clock.now())).toBe(true);
      }
    }
  });

  it('testRetryNoPenalize', async () => {
    const r = await run({ 'Penalize Retries': 'false' }, { 'flowfile.retries': '2' });
    expect(r.flowFilesFor('retry')[0]!.isPenalized(r.clock.now())).toBe(false);
  });

  it('testNoFailOnOverwrite and testFailOnOverwrite', async () => {
    const reset = await run({}, { 'flowfile.retries': 'ZZAaa' });
    reset.flowFilesFor('retry')[0]!.assertAttributeEquals('flowfile.retries', '1');
    expect(reset.flowFilesFor('retry')[0]!.isPenalized(reset.clock.now())).toBe(true);
    expect(counts(await run({ 'Fail on Nonnumerical Overwrite': 'true' }, { 'flowfile.retries': 'ZZAaa' }))).toEqual([0, 0, 1]);
  });

  it('testRetriesExceeded: dynamic properties evaluated onto the FlowFile', async () => {
    const r = await run({ 'exceeded.time': '${now():toNumber()}', reason: '${uuid} exceeded retries' }, { 'flowfile.retries': '3' });
    expect(counts(r)).toEqual([0, 1, 0]);
    const ff = r.flowFilesFor('retries_exceeded')[0]!;
    ff.assertAttributeExists('exceeded.time');
    expect(ff.getAttribute('reason')).toBe(`${ff.uuid} exceeded retries`);
  });

  it('testReuseFail, testReuseWarn, testReuseReset', async () => {
    const reused = { 'flowfile.retries': '2', 'flowfile.retries.uuid': '1122334455' };
    expect(counts(await run({ 'Reuse Mode': 'fail' }, reused))).toEqual([0, 0, 1]);
    for (const mode of ['warn', 'reset']) {
      const r = await run({ 'Reuse Mode': mode }, reused);
      expect(counts(r)).toEqual([1, 0, 0]);
      r.flowFilesFor('retry')[0]!.assertAttributeEquals('flowfile.retries', '1');
    }
  });

  it('testAlternativeAttributeMaxRetries and testInvalidAlternativeAttributeMaxRetries', async () => {
    const r = await run({ 'Maximum Retries': '${retry.max}' }, { 'flowfile.retries': '2', 'retry.max': '2' });
    expect(counts(r)).toEqual([0, 1, 0]);
    const bad = await run({ 'Maximum Retries': '${retry.max}' }, { 'flowfile.retries': '2', 'retry.max': 'NiFi' });
    expect(counts(bad)).toEqual([0, 0, 1]);
  });
});
