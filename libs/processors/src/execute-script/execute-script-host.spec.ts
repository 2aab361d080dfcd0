import { fromUtf8, utf8, type ScriptContext, type ScriptRequest, type ScriptResult } from '@sluice/flow-api';
import { FakeScriptRunner, TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { ExecuteScript, SCRIPT_ERROR_ATTRIBUTE } from './execute-script.processor.js';

/** The processor's side of a running script's host calls, driven by a runner that plays the script. */
function runner(play: (context: ScriptContext, request: ScriptRequest) => Promise<Partial<ScriptResult>>, config: Record<string, string> = {}) {
  const scripts = new FakeScriptRunner(async (request) => ({ outputs: [], taken: [0], logs: [], durationMs: 1, ...(await play(request.context!, request)) }));
  const t = new TestRunner(ExecuteScript, { services: { scripts } });
  t.setProperty('Script Body', 'pass');
  for (const [k, v] of Object.entries(config)) t.setProperty(k, v);
  return t;
}

const out = (key: string, source: number | null, attributes: Record<string, string>, relationship: string | null, extra: Record<string, unknown> = {}) => ({
  key, source, attributes, relationship, content: new Uint8Array(0), written: false, ...extra,
});

describe('ExecuteScript host calls', () => {
  it('evaluates Expression Language in a property against the attributes the script passes', async () => {
    let seen: unknown[] = [];
    const t = runner(async (c) => {
      seen = [
        (await c.call({ op: 'evaluate', property: 'target', attributes: { filename: 'a.json' } })).value,
        (await c.call({ op: 'evaluate', text: "${literal('abc'):toUpper()}", attributes: null })).value,
      ];
      return { taken: [], outputs: [] };
    }, { target: '${filename:substringBefore(".")}-out' });
    t.enqueue('x');
    await t.run();
    expect(seen).toEqual(['a-out', 'ABC']);
  });

  it('reads and writes the state manager in both scopes', async () => {
    const t = runner(async (c) => {
      expect((await c.call({ op: 'state.get', scope: 'local' })).value).toEqual({});
      await c.call({ op: 'state.set', scope: 'local', values: { count: '1' } });
      expect((await c.call({ op: 'state.replace', scope: 'local', expected: { count: '9' }, values: { count: '10' } })).value).toBe(false);
      expect((await c.call({ op: 'state.replace', scope: 'local', expected: { count: '1' }, values: { count: '2' } })).value).toBe(true);
      await c.call({ op: 'state.set', scope: 'cluster', values: { shared: 'yes' } });
      await c.call({ op: 'state.clear', scope: 'cluster' });
      return { taken: [], outputs: [] };
    });
    t.enqueue('x');
    await t.run();
    expect(await t.services.state.get('local')).toEqual({ count: '2' });
    expect(await t.services.state.get('cluster')).toEqual({});
  });

  it('hands out more FlowFiles, their content on demand, and routes each by its key', async () => {
    const t = runner(async (c) => {
      const more = (await c.call({ op: 'session.get', max: 5 })).value as { index: number; attributes: Record<string, string>; size: number }[];
      expect(more.map((m) => [m.index, m.attributes['n'], m.size])).toEqual([[1, '2', 3], [2, '3', 5]]);
      expect(fromUtf8((await c.call({ op: 'content', index: 2 })).bytes!)).toBe('three');
      return {
        taken: [0, 1, 2],
        outputs: [
          out('i0', 0, { n: '1', seen: 'first' }, 'success'),
          out('i1', 1, { n: '2' }, 'failure'),
          { ...out('i2', 2, { n: '3' }, 'success'), content: utf8('THREE'), written: true },
        ],
      };
    });
    t.enqueue('one', { n: '1' });
    t.enqueue('two', { n: '2' });
    t.enqueue('three', { n: '3' });
    await t.run();
    expect(t.flowFilesFor('success').map((f) => [f.getAttribute('n'), f.contentText()])).toEqual([['1', 'one'], ['3', 'THREE']]);
    t.flowFilesFor('success')[0]!.assertAttributeEquals('seen', 'first');
    // Not written: the content stays, even though the runner never had it.
    t.flowFilesFor('failure')[0]!.assertContentEquals('two');
    t.assertQueueEmpty();
  });

  it('filters the queue in two steps (peek, then take by uuid), leaving the rest queued', async () => {
    const t = runner(async (c) => {
      const queued = (await c.call({ op: 'session.peek', limit: 100 })).value as { attributes: Record<string, string> }[];
      expect(queued.map((q) => q.attributes['filename'])).toEqual(['b.txt', 'c.csv', 'd.txt']);
      const wanted = queued.filter((q) => q.attributes['filename']!.endsWith('.txt')).map((q) => q.attributes['uuid']!);
      const taken = (await c.call({ op: 'session.take', uuids: wanted })).value as { index: number }[];
      expect((await c.call({ op: 'session.queueSize' })).value).toEqual({ count: 1, bytes: 1 });
      return { taken: [0, ...taken.map((x) => x.index)], outputs: [0, ...taken.map((x) => x.index)].map((i) => out(`i${i}`, i, { filename: `${i}` }, 'success')) };
    });
    for (const name of ['a.txt', 'b.txt', 'c.csv', 'd.txt']) t.enqueue('c', { filename: name });
    await t.run();
    t.assertTransferCount('success', 3);
    expect(t.queued().map((f) => f.getAttribute('filename'))).toEqual(['c.csv']);
  });

  it('gives created FlowFiles real uuids on request, with parents and clones as in the script', async () => {
    let childUuid = '';
    const t = runner(async (c) => {
      childUuid = (await c.call({ op: 'create', key: 'c0', parents: ['i0'], origin: 'create' })).value as string;
      return {
        outputs: [
          out('i0', 0, { a: '1' }, null),
          out('c0', null, { a: '1', uuid: childUuid, 'child.uuid': childUuid }, 'success', { origin: 'create', parents: ['i0'], content: utf8('child'), written: true }),
          out('c1', null, { a: '1' }, 'success', { origin: 'clone', parents: ['i0'] }),
          out('c2', null, { path: './' }, 'failure', { origin: 'create', parents: [] }),
        ],
      };
    });
    const input = t.enqueue('parent body', { a: '1' });
    await t.run();
    const [child, clone] = t.flowFilesFor('success');
    expect(child!.uuid).toBe(childUuid);
    child!.assertAttributeEquals('child.uuid', childUuid);
    child!.assertContentEquals('child');
    expect(child!.flowFile.parentUuids).toEqual([input.uuid]);
    clone!.assertContentEquals('parent body');
    expect(clone!.flowFile.parentUuids).toEqual([input.uuid]);
    const [root] = t.flowFilesFor('failure');
    expect(root!.flowFile.parentUuids).toEqual([]);
    root!.assertAttributeEquals('filename', root!.uuid);
    expect(t.provenanceEvents().map((e) => e.eventType)).toEqual(expect.arrayContaining(['FORK', 'CLONE', 'CREATE', 'DROP']));
  });

  it('records SEND provenance, counters and penalties, and yields when the script asked', async () => {
    const t = runner(async () => ({
      outputs: [out('i0', 0, {}, 'success', { penalized: true, provenance: [{ type: 'SEND', uri: 'https://erp.example/api', details: 'posted' }] })],
      counters: { rows: 3 },
      yielded: true,
    }));
    t.enqueue('x');
    await t.run();
    expect(t.provenanceEvents().find((e) => e.eventType === 'SEND')).toMatchObject({ transitUri: 'https://erp.example/api', details: 'posted' });
    expect(t.counter('rows')).toBe(3);
    expect(t.flowFilesFor('success')[0]!.isPenalized(t.clock.now())).toBe(true);
    expect(t.yields).toBe(1);
  });

  it('keeps what the script committed before it failed and fails the rest with the traceback', async () => {
    const t = runner(async (c) => {
      await c.call({ op: 'session.get', max: 1 });
      await c.call({ op: 'create', key: 'c0', parents: ['i1'], origin: 'create' });
      return { taken: [0, 1], outputs: [out('i0', 0, { done: 'yes' }, 'success')], error: { kind: 'exception', message: 'KeyError: x', traceback: 'Traceback...\nKeyError: x' } };
    });
    t.enqueue('first');
    t.enqueue('second');
    await t.run();
    t.flowFilesFor('success')[0]!.assertAttributeEquals('done', 'yes');
    const [failed] = t.flowFilesFor('failure');
    failed!.assertContentEquals('second');
    failed!.assertAttributeEquals(SCRIPT_ERROR_ATTRIBUTE, 'Traceback...\nKeyError: x');
    t.assertTransferCount('failure', 1);
  });

  it('puts FlowFiles back on the queue when the script rolled everything back (penalized when asked)', async () => {
    const t = runner(async (c) => {
      await c.call({ op: 'session.get', max: 1 });
      return { taken: [], returned: [0, 1], penalizeReturned: true, outputs: [] };
    });
    t.enqueue('a');
    t.enqueue('b');
    await t.run();
    t.assertTransferCount('success', 0);
    t.assertTransferCount('failure', 0);
    expect(t.queued().map((f) => [f.contentText(), f.isPenalized(t.clock.now())])).toEqual([['a', true], ['b', true]]);
  });

  it('fails a rolled-back FlowFile when other work of the same run was committed', async () => {
    const t = runner(async (c) => {
      await c.call({ op: 'session.get', max: 1 });
      return { taken: [0], returned: [1], outputs: [out('i0', 0, {}, 'success')] };
    });
    t.enqueue('a');
    t.enqueue('b');
    await t.run();
    t.assertTransferCount('success', 1);
    expect(t.flowFilesFor('failure')[0]!.getAttribute(SCRIPT_ERROR_ATTRIBUTE)).toContain('rolled this FlowFile back');
  });

  it('turns a failed host call into an error the script sees', async () => {
    let message = '';
    const t = runner(async (c) => {
      await c.call({ op: 'content', index: 7 }).catch((e: Error) => (message = e.message));
      return { outputs: [out('i0', 0, {}, 'success')] };
    });
    t.enqueue('x');
    await t.run();
    expect(message).toBe('no FlowFile #7 was taken in this run');
  });
});
