import { defineProcessor, REL_FAILURE, REL_SUCCESS } from '@sluice/flow-api';
import { describe, expect, it } from 'vitest';
import { TestClock, testServices } from './engine-harness.testing.js';
import { runOnce } from './run-once.js';

const Upper = defineProcessor({
  descriptor: {
    type: 'Upper', version: 1, displayName: 'Upper', description: '', category: 'utility', tags: [], inputRequirement: 'required',
    properties: [{ name: 'Suffix', displayName: 'Suffix', description: '', type: 'string', expressionScope: 'flowfile' }],
    relationships: [{ name: 'success', description: '' }, { name: 'failure', description: '' }],
  },
  async onTrigger(ctx, session) {
    const ff = session.get();
    if (!ff) return;
    const text = await session.readText(ff);
    if (text === 'bad') {
      session.transfer(session.putAttribute(ff, 'why', 'bad input'), REL_FAILURE);
      return;
    }
    ctx.log.warn('upper-cased', { length: text.length });
    const suffix = ctx.property('Suffix').evaluate(ff).raw ?? '';
    session.transfer(session.putAttribute(session.write(ff, text.toUpperCase() + suffix), 'done', 'yes'), REL_SUCCESS);
  },
});

describe('runOnce', () => {
  const services = testServices(new TestClock());

  it('runs one trigger on the real session and returns what went where, with the log details', async () => {
    const r = await runOnce({ definition: Upper, properties: { Suffix: '-${tag}' }, content: 'abc', attributes: { tag: 't1' }, services });
    expect(r.outputs).toHaveLength(1);
    expect(r.outputs[0]!.relationship).toBe('success');
    expect(new TextDecoder().decode(r.outputs[0]!.content)).toBe('ABC-t1');
    expect(r.outputs[0]!.attributes).toMatchObject({ tag: 't1', done: 'yes' });
    expect(r.logs).toEqual([{ level: 'warn', message: 'upper-cased', details: { length: 3 } }]);
  });

  it('keeps the original content for a FlowFile routed unchanged', async () => {
    const r = await runOnce({ definition: Upper, properties: {}, content: 'bad', services });
    expect(r.outputs.map((o) => [o.relationship, new TextDecoder().decode(o.content), o.attributes['why']])).toEqual([['failure', 'bad', 'bad input']]);
  });
});
