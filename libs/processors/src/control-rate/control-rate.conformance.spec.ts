/**
 * ControlRate against the cases of NiFi's TestControlRate, restated, through the real session and context. NiFi's test
 * moves a fake clock by 1.1 s per step; the test clock does the same here.
 */
import { TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { ControlRate, MAX_FLOW_FILES_PER_BATCH } from './control-rate.processor.js';

const STEP = 1100;
const keep = { stopOnFinish: false };
function runner(config: Record<string, string>) {
  const r = new TestRunner(ControlRate);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  r.assertValid();
  return r;
}

describe('ControlRate (NiFi TestControlRate cases)', () => {
  it('testRouteToRateExceeded', async () => {
    const r = runner({ 'Rate Control Criteria': 'flowfile count', 'Maximum Rate': '3', 'Time Duration': '1 s', 'Rate Exceeded Strategy': "Route to 'rate exceeded'" });
    for (let i = 0; i < 5; i++) r.enqueue(`test data ${i}`);
    await r.run(1, keep);
    r.assertTransferCount('success', 3);
    r.assertTransferCount('rate exceeded', 2);
    r.assertQueueEmpty();
  });

  it('testLimitExceededThenOtherLimitNotExceeded: a throttled group does not hold back another', async () => {
    const r = runner({ 'Rate Control Criteria': 'flowfile count', 'Maximum Rate': '3', 'Time Duration': '1 min', 'Grouping Attribute': 'group' });
    for (let i = 0; i < 5; i++) r.enqueue('test data', { group: '1' });
    r.enqueue('test data', { group: '2' });
    await r.run();
    r.assertAllTransferred('success', 4);
    const groups = r.flowFilesFor('success').map((f) => f.getAttribute('group'));
    expect(groups.filter((g) => g === '1')).toHaveLength(3);
    expect(groups.filter((g) => g === '2')).toHaveLength(1);
  });

  it('testFileCountRate', async () => {
    const r = runner({ 'Rate Control Criteria': 'flowfile count', 'Maximum Rate': '3', 'Time Duration': '1 s' });
    for (let i = 1; i <= 4; i++) r.enqueue(`test data ${i}`);
    await r.run(4, keep);
    r.assertAllTransferred('success', 3);
    r.clearTransferState();
    await r.run(50, keep);
    r.assertTransferCount('success', 0);
    r.assertQueueNotEmpty();
    await r.clock.advance(STEP);
    await r.run(5);
    r.assertAllTransferred('success', 1);
    r.assertQueueEmpty();
  });

  it('testDataSizeRate', async () => {
    const r = runner({ 'Rate Control Criteria': 'data rate', 'Maximum Rate': '20 b', 'Time Duration': '1 s' });
    for (let i = 1; i <= 4; i++) r.enqueue(`testdata ${i}`);
    await r.run(4, keep);
    r.assertAllTransferred('success', 2);
    r.clearTransferState();
    await r.run(50, keep);
    r.assertTransferCount('success', 0);
    await r.clock.advance(STEP);
    await r.run(2, keep);
    r.assertAllTransferred('success', 2);
    r.assertQueueEmpty();
  });

  it('testViaAttribute: overshooting 20,000 with 29,000 pauses the throttle for 0.45 s after the window', async () => {
    const r = runner({ 'Rate Control Criteria': 'attribute value', 'Rate Controlled Attribute': 'count', 'Maximum Rate': '20000', 'Time Duration': '1 s' });
    for (const n of [1000, 3000, 5000, 20000, 1000]) r.enqueue('', { count: String(n) });
    await r.run(5, keep);
    r.assertAllTransferred('success', 4);
    r.clearTransferState();
    await r.run(50, keep);
    r.assertTransferCount('success', 0);
    await r.clock.advance(1450);
    await r.run(50, keep);
    r.assertTransferCount('success', 0);
    await r.clock.advance(600);
    await r.run();
    r.assertTransferCount('success', 1);
    r.assertQueueEmpty();
  });

  it('testAttributeDoesNotExist and testBadAttributeRate go to failure', async () => {
    const r = runner({ 'Rate Control Criteria': 'attribute value', 'Rate Controlled Attribute': 'count', 'Maximum Rate': '20000', 'Time Duration': '1 s' });
    r.enqueue('no attribute');
    r.enqueue('bad', { count: 'bad string' });
    await r.run(2);
    r.assertAllTransferred('failure', 2);
  });

  it('testBatchLimit: at most 1000 FlowFiles per trigger', async () => {
    const r = runner({ 'Rate Control Criteria': 'flowfile count', 'Maximum Rate': '5555', 'Time Duration': '1 s' });
    for (let i = 0; i < 1500; i++) r.enqueue(`test data ${i}`);
    await r.run(1, keep);
    r.assertAllTransferred('success', MAX_FLOW_FILES_PER_BATCH);
    expect(r.queueSize()).toBe(500);
    await r.run(1, keep);
    r.assertAllTransferred('success', 1500);
    r.assertQueueEmpty();
  });

  it('testNonExistingGroupAttribute: FlowFiles without the attribute share the default throttle', async () => {
    const r = runner({ 'Rate Control Criteria': 'flowfile count', 'Maximum Rate': '2', 'Time Duration': '1 s', 'Grouping Attribute': 'group' });
    r.enqueue('a', { group: 'one' });
    r.enqueue('b');
    r.enqueue('c', { group: 'one' });
    r.enqueue('d');
    await r.run(4, keep);
    r.assertAllTransferred('success', 4);
    r.assertQueueEmpty();
  });

  it('testDataOrFlowFileCountLimitedByBytes and ...ByCount', async () => {
    const bytes = runner({ 'Rate Control Criteria': 'data rate or flowfile count', 'Time Duration': '1 s', 'Maximum Data Rate': '22 B', 'Maximum FlowFile Rate': '3' });
    for (let i = 1; i <= 3; i++) bytes.enqueue(`test data ${i}`);
    await bytes.run(4, keep);
    bytes.assertAllTransferred('success', 2);
    bytes.clearTransferState();
    await bytes.run(4, keep);
    bytes.assertTransferCount('success', 0);
    await bytes.clock.advance(1500);
    await bytes.run(4, keep);
    bytes.assertAllTransferred('success', 1);
    bytes.assertQueueEmpty();

    const count = runner({ 'Rate Control Criteria': 'data rate or flowfile count', 'Time Duration': '1 s', 'Maximum Data Rate': '44 B', 'Maximum FlowFile Rate': '1' });
    for (let i = 1; i <= 3; i++) count.enqueue(`test data ${i}`);
    await count.run(1, keep);
    count.assertTransferCount('success', 1);
    await count.clock.advance(2000);
    await count.run(1, keep);
    count.assertTransferCount('success', 2);
    await count.clock.advance(STEP);
    await count.run(1, keep);
    count.assertTransferCount('success', 3);
    count.assertQueueEmpty();
  });

  it('testValidate', () => {
    const invalid = (config: Record<string, string>) => {
      const r = new TestRunner(ControlRate);
      for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
      return r.validate().length > 0;
    };
    expect(invalid({ 'Rate Control Criteria': 'data rate', 'Maximum Rate': '1' })).toBe(true);
    expect(invalid({ 'Rate Control Criteria': 'data rate', 'Maximum Rate': '1 MB' })).toBe(false);
    expect(invalid({ 'Rate Control Criteria': 'flowfile count', 'Maximum Rate': '1 MB' })).toBe(true);
    expect(invalid({ 'Rate Control Criteria': 'flowfile count', 'Maximum Rate': '1' })).toBe(false);
    expect(invalid({ 'Rate Control Criteria': 'attribute value', 'Maximum Rate': '1' })).toBe(true);
    expect(invalid({ 'Rate Control Criteria': 'attribute value', 'Maximum Rate': '1', 'Rate Controlled Attribute': 'count' })).toBe(false);
    expect(invalid({ 'Rate Control Criteria': 'data rate or flowfile count', 'Maximum Data Rate': '1 MB' })).toBe(true);
    expect(invalid({ 'Rate Control Criteria': 'data rate or flowfile count', 'Maximum Data Rate': '1 MB', 'Maximum FlowFile Rate': '10' })).toBe(false);
  });
});
