import { REL_SUCCESS, type ProcessorDescriptor } from '@sluice/flow-api';
import type { ProvenanceEvent } from '@sluice/flow-core';
import { getProcessor } from '@sluice/processors';
import { describe, expect, it } from 'vitest';
import { ERROR_ATTRIBUTES, EXECUTION_ATTRIBUTE, executionSteps, ExecutionTracker, executionStatus } from './execution-tracker.js';

const event = (eventType: ProvenanceEvent['eventType'], uuid: string, processorId: string, extra: Partial<ProvenanceEvent> = {}): ProvenanceEvent => ({
  eventType,
  flowId: 'f',
  processorId,
  flowFileUuid: uuid,
  relationship: eventType === 'DROP' ? null : 'success',
  parentUuids: [],
  childUuids: [],
  details: null,
  timestamp: 1_000,
  size: 10,
  ...extra,
  attributes: { [EXECUTION_ATTRIBUTE]: 'e1', ...(extra.attributes ?? {}) },
});

describe('executionStatus', () => {
  const run = { routedFailure: false, emptyMeansEmpty: false };
  it('is failed when every row failed, partial when some did, success otherwise', () => {
    expect(executionStatus(run, { read: 2000, written: 0, failed: 2000 })).toBe('failed');
    expect(executionStatus(run, { read: 3, written: 1, failed: 2 })).toBe('partial');
    expect(executionStatus(run, { read: 3, written: 3, failed: 0 })).toBe('success');
  });
  it('counts a FlowFile routed to failure as a failure, and an inbound run that found nothing as empty', () => {
    expect(executionStatus({ ...run, routedFailure: true }, { read: 10, written: 0, failed: 0 })).toBe('failed');
    expect(executionStatus({ ...run, routedFailure: true }, { read: 10, written: 4, failed: 0 })).toBe('partial');
    expect(executionStatus({ ...run, emptyMeansEmpty: true }, { read: 0, written: 0, failed: 0 })).toBe('empty');
    expect(executionStatus(run, { read: 0, written: 0, failed: 0 })).toBe('success');
  });
});

describe('ExecutionTracker', () => {
  it('finishes an execution when its last FlowFile, children included, left the flow', () => {
    const t = new ExecutionTracker();
    t.begin({ id: 'e1', flowId: 'f', trigger: 'outbound', startedAt: 0, read: 5 });
    expect(t.observe([event('CREATE', 'a', 'ingress'), event('FORK', 'a', 'split', { childUuids: ['b', 'c'] })])).toEqual([]);
    expect(t.observe([event('DROP', 'a', 'split'), event('DROP', 'b', 'write')])).toEqual([]);
    const [done] = t.observe([event('DROP', 'c', 'write')]);
    expect(done!.id).toBe('e1');
    expect(t.activeCount('f')).toBe(1);
    t.release('e1');
    expect(t.activeCount('f')).toBe(0);
  });

  it('keeps one read total per step and FlowFile, so a step that reads again does not count twice', () => {
    const t = new ExecutionTracker();
    const e = t.begin({ id: 'e1', flowId: 'f', trigger: 'schedule', startedAt: 0 });
    t.progress('e1', 'read', 'a', 500);
    t.progress('e1', 'read', 'a', 1000);
    t.progress('e1', 'read', 'b', 7);
    // The same FlowFile read again from the start after a crash or a rollback.
    t.progress('e1', 'read', 'a', 400);
    t.progress('e1', 'read', 'a', 1000);
    expect(t.counts(e).read).toBe(1007);
    expect(t.progress('unknown', 'read', 'a', 1)).toBeUndefined();
  });

  it('counts stored rows and notes the first failure with its reason', () => {
    const t = new ExecutionTracker();
    const e = t.begin({ id: 'e1', flowId: 'f', trigger: 'outbound', startedAt: 0, read: 3, ...executionSteps([{ id: 'write', name: 'Write Stock', type: 'WriteOmnitronStock' }]) });
    t.rowsStored('e1', 2, 1);
    t.observe([event('ATTRIBUTES_MODIFIED', 'a', 'write', { relationship: 'failure', attributes: { 'omnitron.error': 'Omnitron answered 400: bad request' } })]);
    expect(t.counts(e)).toEqual({ read: 3, written: 2, failed: 1 });
    expect(e.routedFailure).toBe(true);
    expect(e.error).toBe('Write Stock: Omnitron answered 400: bad request');
    expect(t.stepDtos(e)[0]).toMatchObject({ processorId: 'write', name: 'Write Stock', error: 'Omnitron answered 400: bad request' });
  });

  it("reports the reason from the error attribute each processor's descriptor documents", () => {
    expect(ERROR_ATTRIBUTES).toEqual(expect.arrayContaining(['log.error.script_error', 'login.error', 'erp.error', 'omnitron.error', 'jolt.error', 'record.error', 'record.error.message', 'split.error', 'invokehttp.java.exception.message']));
    expect(ERROR_ATTRIBUTES).not.toContain('script.error');
    const reasons = [
      ['RouteRecord', 'failure', 'record.error', 'rule failed: row.stock is not a number'],
      ['ConvertRecord', 'failure', 'record.error.message', 'not CSV'],
      ['SplitJson', 'failure', 'split.error', "JsonPath '$.rows' matched nothing"],
      ['InvokeHTTP', 'Failure', 'invokehttp.java.exception.message', 'connect ECONNREFUSED 127.0.0.1:9'],
    ] as const;
    for (const [type, relationship, attribute, reason] of reasons) {
      const t = new ExecutionTracker();
      const e = t.begin({ id: 'e1', flowId: 'f', trigger: 'manual', startedAt: 0, ...executionSteps([{ id: 'step', name: 'Step', type }]) });
      t.observe([event('ATTRIBUTES_MODIFIED', 'a', 'step', { relationship, attributes: { [attribute]: reason } })]);
      expect(e.error).toBe(`Step: ${reason}`);
    }
  });

  it("takes failure routes and reasons from the step's descriptor, whatever they are called", () => {
    // A processor this catalogue does not have, registered for this spec only.
    const audit: Pick<ProcessorDescriptor, 'relationships' | 'writesAttributes'> = {
      relationships: [REL_SUCCESS, { name: 'rejected', description: 'Refused by the audit.', failure: true }, { name: 'failure', description: 'Not a failure here: a route named so.' }],
      writesAttributes: [{ name: 'audit.verdict', description: 'Why it was refused.', error: true }],
    };
    const describe = (type: string) => (type === 'Audit' ? audit : getProcessor(type)?.descriptor);
    const run = (relationship: string, attributes: Record<string, string> = {}) => {
      const t = new ExecutionTracker(describe);
      const e = t.begin({ id: 'e1', flowId: 'f', trigger: 'manual', startedAt: 0, ...executionSteps([{ id: 'audit', name: 'Audit', type: 'Audit' }, { id: 'call', name: 'Call', type: 'InvokeHTTP' }]) });
      t.observe([event('ATTRIBUTES_MODIFIED', 'a', relationship === 'Retry' ? 'call' : 'audit', { relationship, attributes })]);
      return e;
    };
    expect(run('rejected', { 'audit.verdict': 'no invoice number' })).toMatchObject({ routedFailure: true, error: 'Audit: no invoice number' });
    expect(run('rejected')).toMatchObject({ routedFailure: true, error: 'Audit: routed to rejected' });
    expect(run('failure')).toMatchObject({ routedFailure: false, error: null });
    expect(run('success')).toMatchObject({ routedFailure: false, error: null });
    // InvokeHTTP declares its Retry route a failure.
    expect(run('Retry')).toMatchObject({ routedFailure: true, error: 'Call: routed to Retry' });
  });

  it('knows no failure of a step whose type it was not told, or that no processor has', () => {
    const t = new ExecutionTracker();
    const e = t.begin({ id: 'e1', flowId: 'f', trigger: 'manual', startedAt: 0, ...executionSteps([{ id: 'x', name: 'X', type: 'NoSuchProcessor' }]) });
    t.observe([event('ATTRIBUTES_MODIFIED', 'a', 'x', { relationship: 'failure' }), event('ATTRIBUTES_MODIFIED', 'b', 'port', { relationship: 'failure' })]);
    expect(e.routedFailure).toBe(false);
  });

  it('restores an execution from what a restart knows and goes on from there', () => {
    const t = new ExecutionTracker();
    const e = t.restore({
      id: 'e1',
      flowId: 'f',
      trigger: 'outbound',
      startedAt: 0,
      read: 5000,
      live: [['x', null]],
      readParts: {},
      written: 3000,
      failed: 0,
      error: null,
      steps: [{ processorId: 'write', startedAt: 10, lastAt: 60, inputSize: 1, outputSize: 0, flowFilesIn: 1, flowFilesOut: 0, error: null }],
    });
    expect(t.counts(e)).toEqual({ read: 5000, written: 3000, failed: 0 });
    t.rowsStored('e1', 2000, 0);
    expect(t.observe([event('DROP', 'x', 'write')]).map((x) => x.id)).toEqual(['e1']);
    expect(executionStatus(e, t.counts(e))).toBe('success');
    expect(t.stepDtos(e)[0]!.durationMs).toBe(1000 - 10);
  });

  it('plans what a batch changes without touching the execution, and observing the batch applies exactly that', () => {
    const t = new ExecutionTracker();
    const e = t.begin({ id: 'e1', flowId: 'f', trigger: 'outbound', startedAt: 0, ...executionSteps([{ id: 'write', name: 'Write', type: 'WriteOmnitronImages' }]) });
    t.observe([event('CREATE', 'a', 'login', { size: 7 }), event('ROUTE', 'a', 'login', { size: 8, timestamp: 1_010 })]);
    const batch = [event('DROP', 'a', 'write', { relationship: 'failure', timestamp: 1_050, attributes: { 'omnitron.error': 'rejected' } })];
    const plan = t.plan(batch);
    expect([...e.steps.keys()]).toEqual(['login']);
    expect(e.error).toBeNull();
    const change = plan.get('e1')!;
    expect(change.error).toBe('Write: rejected');
    expect(change.steps.get('write')).toEqual({ processorId: 'write', startedAt: 1_010, lastAt: 1_050, inputSize: 8, outputSize: 0, flowFilesIn: 1, flowFilesOut: 0, error: 'rejected' });
    expect(t.observe(batch).map((x) => x.id)).toEqual(['e1']);
    expect(e.steps.get('write')).toEqual(change.steps.get('write'));
    expect(e.error).toBe('Write: rejected');
  });

  it('counts a restored FlowFile as input of the step that takes it, from the processor that queued it', () => {
    const t = new ExecutionTracker();
    const e = t.restore({
      id: 'e1',
      flowId: 'f',
      trigger: 'outbound',
      startedAt: 0,
      live: [['x', { processorId: 'login', size: 300 }]],
      readParts: {},
      written: 0,
      failed: 0,
      error: null,
      steps: [{ processorId: 'login', startedAt: 0, lastAt: 5, inputSize: 0, outputSize: 300, flowFilesIn: 0, flowFilesOut: 1, error: null }],
    });
    t.observe([event('DROP', 'x', 'write', { relationship: 'success', timestamp: 20 })]);
    expect(e.steps.get('write')).toMatchObject({ inputSize: 300, flowFilesIn: 1, startedAt: 5 });
  });
});
