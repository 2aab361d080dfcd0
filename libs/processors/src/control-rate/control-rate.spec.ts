import { TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { ControlRate } from './control-rate.processor.js';

function runner(config: Record<string, string>) {
  const r = new TestRunner(ControlRate);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  r.assertValid();
  return r;
}
const keep = { stopOnFinish: false };

describe('ControlRate relationships', () => {
  it('success: FlowFiles within the rate; the rest wait in the queue (Hold FlowFile) until the window moves on', async () => {
    const r = runner({ 'Rate Control Criteria': 'flowfile count', 'Maximum Rate': '2', 'Time Duration': '1 sec' });
    for (let i = 0; i < 5; i++) r.enqueue(`f${i}`);
    await r.run(1, keep);
    r.assertAllTransferred('success', 2);
    expect(r.queueSize()).toBe(3);
    await r.run(1, keep);
    r.assertTransferCount('success', 2);
    expect(r.yields).toBe(1);
    await r.clock.advance(1000);
    await r.run(1, keep);
    r.assertTransferCount('success', 4);
  });

  it("rate exceeded: with Route to 'rate exceeded', FlowFiles over the rate leave at once", async () => {
    const r = runner({ 'Rate Control Criteria': 'flowfile count', 'Maximum Rate': '2', 'Time Duration': '1 sec', 'Rate Exceeded Strategy': "Route to 'rate exceeded'" });
    for (let i = 0; i < 5; i++) r.enqueue(`f${i}`);
    await r.run();
    r.assertTransferCount('success', 2);
    r.assertTransferCount('rate exceeded', 3);
    r.assertQueueEmpty();
  });

  it("failure: 'attribute value' without a positive whole number in the attribute", async () => {
    const r = runner({ 'Rate Control Criteria': 'attribute value', 'Rate Controlled Attribute': 'rows', 'Maximum Rate': '100' });
    r.enqueue('a', { rows: 'many' });
    r.enqueue('b');
    await r.run(2);
    r.assertAllTransferred('failure', 2);
  });
});

describe('ControlRate properties', () => {
  it("Rate Control Criteria 'data rate' with Maximum Rate as a data size; one large FlowFile overshoots and the throttle pauses in proportion", async () => {
    const r = runner({ 'Maximum Rate': '10 B', 'Time Duration': '1 sec' });
    r.enqueue('12345678901234'); // 14 bytes: let through, 40% over
    r.enqueue('x');
    await r.run(1, keep);
    r.assertTransferCount('success', 1);
    await r.clock.advance(1001);
    // The window moved on, but the overshoot penalty (400 ms) starts now.
    await r.run(1, keep);
    r.assertTransferCount('success', 1);
    await r.clock.advance(401);
    await r.run(1, keep);
    r.assertTransferCount('success', 2);
  });

  it("'attribute value' adds up the attribute's values", async () => {
    const r = runner({ 'Rate Control Criteria': 'attribute value', 'Rate Controlled Attribute': 'rows', 'Maximum Rate': '100', 'Time Duration': '1 min' });
    r.enqueue('a', { rows: '60' });
    r.enqueue('b', { rows: '60' });
    r.enqueue('c', { rows: '1' });
    await r.run(1, keep);
    // 60 passes, 60 more passes too (the sum was below 100 when it came) with an overshoot penalty, then c waits.
    r.assertTransferCount('success', 2);
    expect(r.queueSize()).toBe(1);
  });

  it("'data rate or flowfile count' throttles on whichever is reached first", async () => {
    const r = runner({ 'Rate Control Criteria': 'data rate or flowfile count', 'Maximum Data Rate': '1 KB', 'Maximum FlowFile Rate': '3', 'Time Duration': '1 sec' });
    for (let i = 0; i < 5; i++) r.enqueue('x');
    await r.run(1, keep);
    r.assertTransferCount('success', 3);
  });

  it('Grouping Attribute keeps one throttle per value', async () => {
    const r = runner({ 'Rate Control Criteria': 'flowfile count', 'Maximum Rate': '1', 'Time Duration': '1 sec', 'Grouping Attribute': 'tenant' });
    r.enqueue('a1', { tenant: 'a' });
    r.enqueue('a2', { tenant: 'a' });
    r.enqueue('b1', { tenant: 'b' });
    await r.run(1, keep);
    expect(r.flowFilesFor('success').map((f) => f.contentText())).toEqual(['a1', 'b1']);
  });

  it('Time Duration sets the window', async () => {
    const r = runner({ 'Rate Control Criteria': 'flowfile count', 'Maximum Rate': '1', 'Time Duration': '5 sec' });
    r.enqueue('a');
    r.enqueue('b');
    await r.run(1, keep);
    await r.clock.advance(4000);
    await r.run(1, keep);
    r.assertTransferCount('success', 1);
    await r.clock.advance(1001);
    await r.run(1, keep);
    r.assertTransferCount('success', 2);
  });

  it('validates Maximum Rate against the criteria, and needs Rate Controlled Attribute for attribute value', () => {
    const problems = (config: Record<string, string>) => {
      const r = new TestRunner(ControlRate);
      for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
      return r.validate().map((v) => `${v.property}: ${v.message}`).join('; ');
    };
    expect(problems({ 'Maximum Rate': '10' })).toMatch(/Maximum Rate '10' is not a data size/);
    expect(problems({ 'Rate Control Criteria': 'flowfile count', 'Maximum Rate': '1 MB' })).toMatch(/is not a positive whole number/);
    expect(problems({ 'Rate Control Criteria': 'attribute value', 'Maximum Rate': '5' })).toMatch(/Rate Controlled Attribute: property must be set/);
    expect(problems({ 'Rate Control Criteria': 'data rate or flowfile count', 'Maximum Data Rate': '1 MB' })).toMatch(/Maximum FlowFile Rate/);
    expect(problems({ 'Maximum Rate': '1 MB', 'Time Duration': '500 millis' })).toMatch(/at least 1 sec/);
    expect(problems({ 'Maximum Rate': '1 MB' })).toBe('');
  });

  it("'rate exceeded' exists only with the routing strategy", () => {
    const r = runner({ 'Maximum Rate': '1 MB' });
    expect(() => r.flowFilesFor('rate exceeded')).toThrow(/no relationship 'rate exceeded'/);
  });
});
