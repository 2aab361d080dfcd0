import { defineProcessor, fromUtf8, REL_FAILURE, REL_SUCCESS, type ProcessorDefinition } from '@sluice/flow-api';
import { describe, expect, it } from 'vitest';
import { MemoryStateManager } from './fake-services.js';
import { ManualClock } from './manual-clock.js';
import { AssertionFailure, MockFlowFile } from './mock-flow-file.js';
import { TestRunner } from './test-runner.js';

const lifecycle: string[] = [];

/** Upper-cases content, stamps an attribute from an EL property, routes empty content to failure. */
const Upper = defineProcessor({
  descriptor: {
    type: 'Upper',
    version: 1,
    displayName: 'Upper',
    description: 'Upper-cases content.',
    category: 'transform',
    tags: [],
    properties: [
      { name: 'Stamp', displayName: 'Stamp', description: 'Value of the stamp attribute.', type: 'string', expressionScope: 'flowfile', default: 'done' },
      { name: 'Batch', displayName: 'Batch Size', description: 'FlowFiles per trigger.', type: 'integer', default: '1' },
    ],
    relationships: [REL_SUCCESS, REL_FAILURE],
    inputRequirement: 'required',
  },
  onScheduled(ctx) {
    lifecycle.push(`scheduled:${ctx.property('Batch').asInteger()}`);
  },
  onStopped() {
    lifecycle.push('stopped');
  },
  async onTrigger(ctx, session) {
    for (const ff of session.getBatch(ctx.property('Batch').asInteger()!)) {
      const text = await session.readText(ff);
      if (text === '') {
        ctx.log.warn('empty content', { uuid: ff.uuid });
        session.transfer(session.penalize(ff), 'failure');
        session.adjustCounter('empty', 1);
        continue;
      }
      const stamped = session.putAttribute(ff, 'stamp', ctx.property('Stamp').evaluate(ff).asString()!);
      session.transfer(session.write(stamped, text.toUpperCase()), 'success');
    }
  },
});

function processor(name: string, onTrigger: ProcessorDefinition['onTrigger'], extra: Partial<ProcessorDefinition['descriptor']> = {}): ProcessorDefinition {
  return defineProcessor({
    descriptor: {
      type: name,
      version: 1,
      displayName: name,
      description: name,
      category: 'utility',
      tags: [],
      properties: [],
      relationships: [REL_SUCCESS],
      inputRequirement: 'required',
      ...extra,
    },
    onTrigger,
  });
}

describe('TestRunner', () => {
  it('throws for a property name the descriptor does not declare, unless the processor takes user-added ones', async () => {
    const typo = processor('Typo', (ctx) => {
      ctx.property('Batch Sise');
    }, { properties: [{ name: 'Batch Size', displayName: 'Batch Size', description: 'n', type: 'integer', default: '1' }] });
    await expect(new TestRunner(typo).run()).rejects.toThrow("Typo has no property 'Batch Sise' (it has: Batch Size)");
    let seen: string | undefined = 'not read';
    const dynamic = processor('Dyn', (ctx) => {
      seen = ctx.property('not configured').asString();
    }, { dynamicProperties: { description: 'rules', expressionScope: 'none' } });
    await new TestRunner(dynamic).run();
    expect(seen).toBeUndefined();
  });

  it('sets several properties at once and lists the relationships that received FlowFiles', async () => {
    const runner = new TestRunner(Upper).setProperties({ Stamp: 'x', Batch: '3' });
    runner.enqueue('a');
    runner.enqueue('');
    await runner.run();
    expect(runner.configuredProperties).toEqual({ Stamp: 'x', Batch: '3' });
    expect(runner.transferredRelationships()).toEqual(['failure', 'success']);
    runner.clearTransferState();
    expect(runner.transferredRelationships()).toEqual([]);
  });

  it('runs a processor end to end: enqueue, run, assert transfers, content and attributes', async () => {
    lifecycle.length = 0;
    const runner = new TestRunner(Upper).setProperty('Stamp', '${filename:toUpper()}-ok');
    runner.enqueue('hello', { filename: 'a.txt' });
    runner.enqueue({ sku: 'X1' }, { filename: 'b.json' });
    runner.enqueue('', { filename: 'empty' });
    await runner.run(3);
    runner.assertQueueEmpty();
    runner.assertTransferCount('success', 2);
    runner.assertTransferCount('failure', 1);
    const [a, b] = runner.flowFilesFor('success');
    a!.assertContentEquals('HELLO');
    a!.assertAttributeEquals('stamp', 'A.TXT-ok');
    a!.assertAttributeEquals('filename', 'a.txt');
    expect(b!.contentText()).toBe('{"SKU":"X1"}');
    expect(b!.contentJson()).toEqual({ SKU: 'X1' });
    const [empty] = runner.flowFilesFor('failure');
    expect(empty!.isPenalized(runner.clock.now())).toBe(true);
    expect(runner.counter('empty')).toBe(1);
    expect(runner.logs('warn')).toEqual([{ level: 'warn', message: `empty content: {"uuid":"${empty!.uuid}"}` }]);
    expect(lifecycle).toEqual(['scheduled:1', 'stopped']);
    expect(runner.provenanceEvents().map((e) => e.eventType)).toEqual(['CONTENT_MODIFIED', 'CONTENT_MODIFIED', 'ROUTE']);
  });

  it('keeps the processor scheduled across runs when asked', async () => {
    lifecycle.length = 0;
    const runner = new TestRunner(Upper).setProperty('Batch', '5');
    runner.enqueue('a');
    await runner.run(1, { stopOnFinish: false });
    runner.enqueue('b');
    await runner.run(1);
    expect(lifecycle).toEqual(['scheduled:5', 'stopped']);
    runner.assertAllTransferred('success', 2);
  });

  it('rolls back a throwing onTrigger: the FlowFile returns penalized and the error is rethrown', async () => {
    let fail = true;
    const Flaky = processor('Flaky', (_ctx, session) => {
      const ff = session.get();
      if (!ff) return;
      if (fail) throw new Error('upstream down');
      session.transfer(ff, 'success');
    });
    const runner = new TestRunner(Flaky, { penaltyDuration: 10_000 });
    runner.enqueue('x');
    await expect(runner.run()).rejects.toThrow('upstream down');
    runner.assertQueueNotEmpty();
    expect(runner.queued()[0]!.isPenalized(runner.clock.now())).toBe(true);
    fail = false;
    await runner.run();
    runner.assertTransferCount('success', 0);
    await runner.clock.advance(10_000);
    await runner.run();
    runner.assertTransferCount('success', 1);
  });

  it('takes a FlowFile transferred to itself back into the input queue, penalized for the given time', async () => {
    const tries: string[] = [];
    const Retrying = processor('Retrying', (_ctx, session) => {
      const ff = session.get();
      if (!ff) return;
      const attempt = Number(ff.attributes['attempt'] ?? 0) + 1;
      tries.push(String(attempt));
      if (attempt < 3) session.transfer(session.penalize(session.putAttribute(ff, 'attempt', String(attempt)), 5_000 * attempt));
      else session.transfer(ff, 'success');
    });
    const runner = new TestRunner(Retrying, { penaltyDuration: 60_000 });
    runner.enqueue('x');
    await runner.run();
    runner.assertTransferCount('success', 0);
    expect(runner.queued().map((f) => f.attributes['attempt'])).toEqual(['1']);
    expect(runner.queued()[0]!.isPenalized(runner.clock.now())).toBe(true);
    await runner.clock.advance(4_999);
    await runner.run();
    expect(tries).toEqual(['1']);
    await runner.clock.advance(1);
    await runner.run();
    await runner.clock.advance(10_000);
    await runner.run();
    runner.assertAllTransferred('success', 1);
    runner.assertQueueEmpty();
    expect(tries).toEqual(['1', '2', '3']);
    // Going back to the queue is not a route: the only event is the final one.
    expect(runner.provenanceEvents().map((e) => e.eventType)).toEqual(['ROUTE']);
  });

  it('enforces the session rules of the engine', async () => {
    const Forgetful = processor('Forgetful', (_ctx, session) => void session.get());
    const runner = new TestRunner(Forgetful);
    runner.enqueue('x', { filename: 'lost.txt' });
    await expect(runner.run()).rejects.toThrow(/\(lost\.txt\) was neither transferred nor removed/);
    expect(runner.queueSize()).toBe(1);

    const Wrong = processor('Wrong', (_ctx, session) => session.transfer(session.get()!, 'elsewhere'));
    const wrong = new TestRunner(Wrong);
    wrong.enqueue('x');
    await expect(wrong.run()).rejects.toThrow("transferred to unknown relationship 'elsewhere'");
  });

  it('counts yields and sees the clock the runner drives', async () => {
    const seen: number[] = [];
    const Ticker = processor(
      'Ticker',
      (ctx, session) => {
        seen.push(ctx.services.clock.now());
        session.transfer(session.create(), 'success');
        ctx.yield();
      },
      { inputRequirement: 'forbidden' },
    );
    const clock = new ManualClock(1_000);
    const runner = new TestRunner(Ticker, { clock });
    await runner.run();
    await clock.advance(500);
    await runner.run();
    expect(seen).toEqual([1_000, 1_500]);
    expect(runner.yields).toBe(2);
    runner.assertTransferCount('success', 2);
    expect(runner.provenanceEvents().map((e) => e.eventType)).toEqual(['CREATE', 'CREATE']);
  });

  it('validates configuration like the API does', () => {
    const runner = new TestRunner(Upper);
    runner.assertValid();
    runner.setProperty('Batch', 'ten');
    runner.assertNotValid();
    expect(() => runner.assertValid()).toThrow("expected a valid configuration, got: Batch: Batch Size: 'ten' is not a whole number");
    runner.setProperty('Stamp', '${filename:toUpper(}');
    const el = runner.validate().find((i) => i.property === 'Stamp')!;
    expect(el.column).toBeGreaterThan(0);
    runner.removeProperty('Batch').removeProperty('Stamp');
    expect(() => runner.assertNotValid()).toThrow('expected an invalid configuration, but it is valid');
  });

  it('reports isConnected false for auto-terminated relationships', async () => {
    const seen: boolean[] = [];
    const Probe = processor('Probe', (ctx) => void seen.push(ctx.isConnected('success')), { inputRequirement: 'allowed' });
    const runner = new TestRunner(Probe);
    await runner.run();
    runner.setAutoTerminated('success');
    await runner.run();
    expect(seen).toEqual([true, false]);
  });

  it('clears transfer state between scenarios', async () => {
    const runner = new TestRunner(Upper);
    runner.enqueue('a');
    await runner.run();
    runner.clearTransferState();
    runner.assertTransferCount('success', 0);
    expect(runner.provenanceEvents()).toEqual([]);
  });
});

describe('TestRunner parameters, state and logs', () => {
  const Stateful = processor(
    'Stateful',
    async (ctx, session) => {
      const ff = session.get();
      if (!ff) return;
      const state = await ctx.services.state.get('local');
      const next = ctx.property('Stamp').evaluate(ff, undefined, state).asString()!;
      await ctx.services.state.set({ last: next }, 'local');
      ctx.log.debug(`stamped ${next}`);
      session.transfer(session.putAttribute(ff, 'stamp', next), 'success');
    },
    { properties: [{ name: 'Stamp', displayName: 'Stamp', description: '', type: 'string', expressionScope: 'flowfile' }] },
  );

  it('resolves parameters in validation and at run time, and collapses $$ escapes in literal values', async () => {
    const runner = new TestRunner(Upper).setProperty('Batch', '#{batch}').setProperty('Stamp', '$${not.evaluated}');
    expect(runner.validate()[0]?.message).toBe("Batch Size: references parameter 'batch', which the flow does not define");
    runner.setParameter('batch', 'two');
    expect(runner.validate()[0]?.message).toBe("Batch Size: '#{batch}' = 'two' is not a whole number");
    runner.setParameter('batch', '2').assertValid();
    runner.enqueue('a');
    await runner.run();
    expect(runner.flowFilesFor('success')[0]!.attributes['stamp']).toBe('${not.evaluated}');
  });

  it("exposes the processor's state, with reads and writes that can be made to fail", async () => {
    const runner = new TestRunner(Stateful).setProperty('Stamp', "${getStateValue('last'):append('x')}");
    await runner.stateManager.set({ last: 'a' }, 'local');
    runner.enqueue('1');
    await runner.run();
    expect(runner.flowFilesFor('success')[0]!.attributes['stamp']).toBe('ax');
    expect(await runner.stateManager.get('local')).toEqual({ last: 'ax' });
    (runner.stateManager as MemoryStateManager).failOnSet.add('local');
    runner.enqueue('2');
    await expect(runner.run()).rejects.toThrow('writing local state failed (simulated)');
    runner.assertQueueNotEmpty();
  });

  it('records only the log levels that are written', async () => {
    const runner = new TestRunner(Stateful).setProperty('Stamp', 'x');
    runner.enqueue('1');
    await runner.run();
    expect(runner.logs('debug').map((l) => l.message)).toEqual(['stamped x']);
    runner.clearTransferState();
    runner.setLogLevels(['info', 'warn', 'error']).enqueue('2');
    await runner.run();
    expect(runner.logs()).toEqual([]);
  });
});

describe('TestRunner assertions', () => {
  async function ran(): Promise<TestRunner> {
    const runner = new TestRunner(Upper);
    runner.enqueue('abc', { filename: 'a' });
    runner.enqueue('', { filename: 'b' });
    await runner.run(2);
    return runner;
  }

  function failure(fn: () => unknown): AssertionFailure {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(AssertionFailure);
      return e as AssertionFailure;
    }
    throw new Error('expected an AssertionFailure, nothing was thrown');
  }

  it('fail with a message that says what happened', async () => {
    const runner = await ran();
    expect(failure(() => runner.assertTransferCount('success', 2)).message).toBe("expected 2 FlowFile(s) on 'success', got 1 (transferred: success=1, failure=1)");
    expect(failure(() => runner.assertAllTransferred('success')).message).toBe("expected everything on 'success', but 1 went to 'failure' (transferred: success=1, failure=1)");
    expect(failure(() => runner.flowFilesFor('matched')).message).toBe("Upper has no relationship 'matched' (has: success, failure)");
    expect(failure(() => runner.assertQueueNotEmpty()).message).toBe('expected FlowFiles in the input queue, it is empty');
    runner.enqueue('left');
    expect(failure(() => runner.assertQueueEmpty()).message).toBe('expected an empty input queue, 1 FlowFile(s) remain');
  });

  it('on a FlowFile: attributes and content', async () => {
    const runner = await ran();
    const ff = runner.flowFilesFor('success')[0]!;
    expect(failure(() => ff.assertAttributeEquals('stamp', 'other')).message).toBe("attribute 'stamp': expected 'other' but was 'done'");
    expect(failure(() => ff.assertAttributeEquals('missing', 1)).message).toBe("attribute 'missing': expected '1' but was absent");
    expect(failure(() => ff.assertAttributeExists('missing')).message).toBe("attribute 'missing' is absent");
    expect(failure(() => ff.assertAttributeNotExists('stamp')).message).toBe("attribute 'stamp' is present: 'done'");
    expect(failure(() => ff.assertContentEquals('abc')).message).toBe('content differs: expected "abc" but was "ABC"');
    expect(failure(() => ff.contentJson()).message).toMatch(/content is not JSON .*: ABC$/);
    ff.assertAttributeExists('stamp');
    ff.assertAttributeNotExists('missing');
    ff.assertContentEquals(new TextEncoder().encode('ABC'));
  });

  it('MockFlowFile exposes the FlowFile', () => {
    const mock = new MockFlowFile(
      { uuid: 'u', attributes: { uuid: 'u', k: 'v' }, contentClaim: 'c', size: 2, lineageStartDate: 0, entryDate: 0, parentUuids: [], penaltyExpiration: 5 },
      new TextEncoder().encode('hi'),
    );
    expect([mock.uuid, mock.size, mock.getAttribute('k'), mock.contentText(), fromUtf8(mock.content)]).toEqual(['u', 2, 'v', 'hi', 'hi']);
    expect(mock.isPenalized(4)).toBe(true);
    expect(mock.isPenalized(5)).toBe(false);
  });
});

describe('TestRunner time slice', () => {
  /** Records, per trigger, what ctx.sliceSpent() answered before and after the spec moved the clock by 10 ms. */
  const answers: [boolean, boolean][] = [];
  let clock: ManualClock;
  const Probe = defineProcessor({
    descriptor: { type: 'Probe', version: 1, displayName: 'Probe', description: 'Asks for the slice.', category: 'transform', tags: [], properties: [], relationships: [REL_SUCCESS], inputRequirement: 'required' },
    onTrigger(ctx) {
      const before = ctx.sliceSpent();
      clock.set(clock.now() + 10);
      answers.push([before, ctx.sliceSpent()]);
    },
  });

  it('timeSliceMs: spent once that much of the runner clock passed in a trigger; each trigger begins a fresh slice', async () => {
    answers.length = 0;
    clock = new ManualClock();
    await new TestRunner(Probe, { clock, timeSliceMs: 10 }).run(2);
    expect(answers).toEqual([
      [false, true],
      [false, true],
    ]);
  });

  it('without timeSliceMs the slice is never spent', async () => {
    answers.length = 0;
    clock = new ManualClock();
    await new TestRunner(Probe, { clock }).run(1);
    expect(answers).toEqual([[false, false]]);
  });
});
