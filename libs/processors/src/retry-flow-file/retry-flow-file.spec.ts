import { TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { RetryFlowFile } from './retry-flow-file.processor.js';

function runner(config: Record<string, string> = {}) {
  const r = new TestRunner(RetryFlowFile, { processorId: 'retry-1' });
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  r.assertValid();
  return r;
}

describe('RetryFlowFile relationships', () => {
  it('retry: counts from 1, stamps the processor id, penalizes', async () => {
    const r = runner();
    r.enqueue('x');
    r.enqueue('y', { 'flowfile.retries': '2' });
    await r.run(2);
    const [first, second] = r.flowFilesFor('retry');
    first!.assertAttributeEquals('flowfile.retries', '1');
    first!.assertAttributeEquals('flowfile.retries.uuid', 'retry-1');
    second!.assertAttributeEquals('flowfile.retries', '3');
    expect(first!.isPenalized(r.clock.now())).toBe(true);
  });

  it('retries_exceeded: past Maximum Retries, the count attributes removed and dynamic properties added', async () => {
    const r = runner({ 'Maximum Retries': '3', 'retry.outcome': 'gave up on ${sku}', blank: '${missing}' });
    r.enqueue('x', { 'flowfile.retries': '3', 'flowfile.retries.uuid': 'retry-1', sku: 'A1' });
    await r.run();
    const ff = r.flowFilesFor('retries_exceeded')[0]!;
    ff.assertAttributeEquals('retry.outcome', 'gave up on A1');
    ff.assertAttributeNotExists('blank');
    ff.assertAttributeNotExists('flowfile.retries');
    ff.assertAttributeNotExists('flowfile.retries.uuid');
  });

  it('failure: counted by another RetryFlowFile (Reuse Mode fail)', async () => {
    const r = runner();
    r.enqueue('x', { 'flowfile.retries': '1', 'flowfile.retries.uuid': 'someone-else' });
    await r.run();
    r.assertAllTransferred('failure', 1);
    expect(RetryFlowFile.descriptor.relationships.find((x) => x.name === 'failure')!.autoTerminateDefault).toBe(true);
  });
});

describe('RetryFlowFile properties', () => {
  it('Retry Attribute names the counter (Expression Language: environment)', async () => {
    const r = runner({ 'Retry Attribute': 'erp.${literal("tries")}' });
    r.enqueue('x', { 'erp.tries': '0' });
    await r.run();
    r.flowFilesFor('retry')[0]!.assertAttributeEquals('erp.tries', '1');
    r.flowFilesFor('retry')[0]!.assertAttributeEquals('erp.tries.uuid', 'retry-1');
  });

  it('Maximum Retries takes Expression Language; one that is not a number fails the FlowFile', async () => {
    const r = runner({ 'Maximum Retries': '${limit}' });
    r.enqueue('a', { limit: '1', 'flowfile.retries': '1' });
    r.enqueue('b', { limit: 'lots' });
    await r.run(2);
    r.assertTransferCount('retries_exceeded', 1);
    r.assertTransferCount('failure', 1);
  });

  it('Penalize Retries false leaves retried FlowFiles unpenalized', async () => {
    const r = runner({ 'Penalize Retries': 'false' });
    r.enqueue('x');
    await r.run();
    expect(r.flowFilesFor('retry')[0]!.isPenalized(r.clock.now())).toBe(false);
  });

  it('Fail on Nonnumerical Overwrite: a non-numeric count is reset to 1, or fails', async () => {
    const reset = runner();
    reset.enqueue('x', { 'flowfile.retries': 'abc' });
    await reset.run();
    reset.flowFilesFor('retry')[0]!.assertAttributeEquals('flowfile.retries', '1');
    const fail = runner({ 'Fail on Nonnumerical Overwrite': 'true' });
    fail.enqueue('x', { 'flowfile.retries': 'abc' });
    await fail.run();
    fail.assertAllTransferred('failure', 1);
  });

  it.each([['warn', 'warn'], ['reset', 'debug']] as const)('Reuse Mode %s restarts the count at 1 and logs at %s', async (mode, level) => {
    const r = runner({ 'Reuse Mode': mode });
    r.enqueue('x', { 'flowfile.retries': '2', 'flowfile.retries.uuid': 'someone-else' });
    await r.run();
    r.flowFilesFor('retry')[0]!.assertAttributeEquals('flowfile.retries', '1');
    r.flowFilesFor('retry')[0]!.assertAttributeEquals('flowfile.retries.uuid', 'retry-1');
    expect(r.logs(level).some((l) => l.message.includes('previously retried'))).toBe(true);
  });

  it('refuses a Maximum Retries below 1 and migrates NiFi 1.x names', () => {
    const r = new TestRunner(RetryFlowFile).setProperty('Maximum Retries', '0');
    r.assertNotValid();
    const m = new TestRunner(RetryFlowFile).setProperty('maximum-retries', '5').setProperty('Fail on Non-numerical Overwrite', 'true');
    m.migrateProperties();
    expect(m.configuredProperties).toEqual({ 'Maximum Retries': '5', 'Fail on Nonnumerical Overwrite': 'true' });
  });
});
