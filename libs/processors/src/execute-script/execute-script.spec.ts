import { utf8, validateProcessor, type ScriptRequest, type ScriptResult, type ScriptRunner } from '@sluice/flow-api';
import { describe, expect, it } from 'vitest';
import { IntegratorHarness } from '../integrator-shared/integrator-harness.testing.js';
import { FetchHttpClient, integratorServices } from '../integrator-shared/integrator-services.testing.js';
import { ExecuteScript, SCRIPT_ERROR_ATTRIBUTE } from './execute-script.processor.js';

/** A ScriptRunner that records the request and answers what the test says the script did. */
class FakeRunner implements ScriptRunner {
  readonly requests: ScriptRequest[] = [];
  constructor(private readonly answer: (request: ScriptRequest) => ScriptResult | Promise<ScriptResult>) {}
  async run(request: ScriptRequest): Promise<ScriptResult> {
    this.requests.push(request);
    return this.answer(request);
  }
}

function harness(runner: ScriptRunner, config: Record<string, string> = {}) {
  const services = { ...integratorServices(new FetchHttpClient()), scripts: runner };
  const h = new IntegratorHarness(ExecuteScript, { 'Script Body': 'pass', ...config }, services);
  return h;
}

const done = (partial: Partial<ScriptResult>): ScriptResult => ({ outputs: [], taken: [0], logs: [], durationMs: 1, ...partial });

describe('ExecuteScript', () => {
  it('sends the FlowFile and the configured limits to the runner', async () => {
    const runner = new FakeRunner((r) => done({ outputs: [{ source: 0, attributes: r.inputs[0]!.attributes, content: r.inputs[0]!.content, relationship: 'success' }] }));
    const h = harness(runner, { 'Script Engine': 'javascript', 'Script Body': 'const transform = (x) => x;', Timeout: '2 sec', 'Memory Limit': '64 MB', 'Allow HTTP': 'true' });
    h.enqueue('[1]', { a: '1' });
    await h.run();
    const [request] = runner.requests;
    expect(request).toMatchObject({ language: 'javascript', script: 'const transform = (x) => x;', timeoutMs: 2000, memoryLimitMb: 64, allowHttp: true });
    expect(request!.inputs[0]!.attributes).toMatchObject({ a: '1' });
    expect(new TextDecoder().decode(request!.inputs[0]!.content)).toBe('[1]');
    expect(h.transferred('success').map((f) => f.text)).toEqual(['[1]']);
  });

  it('uses NiFi defaults: python, 300 sec, 256 MB, no HTTP', async () => {
    const runner = new FakeRunner((r) => done({ outputs: [{ source: 0, attributes: r.inputs[0]!.attributes, content: r.inputs[0]!.content, relationship: 'success' }] }));
    const h = harness(runner);
    h.enqueue('x');
    await h.run();
    expect(runner.requests[0]).toMatchObject({ language: 'python', timeoutMs: 300_000, memoryLimitMb: 256, allowHttp: false });
  });

  it('applies the script\'s writes and attribute changes, and creates children from the input', async () => {
    const runner = new FakeRunner((r) => {
      const { drop: _dropped, ...kept } = r.inputs[0]!.attributes;
      return done({
        outputs: [
          { source: 0, attributes: { ...kept, added: 'yes' }, content: utf8('changed'), relationship: 'failure' },
          { source: null, attributes: { child: '1', uuid: 'script-side' }, content: utf8('child body'), relationship: 'success' },
          { source: null, attributes: { gone: '1' }, content: utf8('removed child'), relationship: null },
        ],
      });
    });
    const h = harness(runner);
    h.enqueue('original', { drop: 'x', keep: 'y' });
    await h.run();
    const [failed] = h.transferred('failure');
    expect(failed!.text).toBe('changed');
    expect(failed!.attributes).toMatchObject({ keep: 'y', added: 'yes' });
    expect(failed!.attributes).not.toHaveProperty('drop');
    const [child] = h.transferred('success');
    expect(child!.text).toBe('child body');
    expect(child!.attributes['child']).toBe('1');
    expect(child!.attributes['uuid']).not.toBe('script-side');
    expect(child!.flowFile.parentUuids).toEqual([failed!.flowFile.uuid]);
    expect(h.transferred('success')).toHaveLength(1);
  });

  it('removes the input when the script removed it', async () => {
    const runner = new FakeRunner((r) => done({ outputs: [{ source: 0, attributes: r.inputs[0]!.attributes, content: r.inputs[0]!.content, relationship: null }] }));
    const h = harness(runner);
    h.enqueue('x');
    await h.run();
    expect(h.transferred('success')).toEqual([]);
    expect(h.transferred('failure')).toEqual([]);
  });

  it('routes the input to failure with the traceback when the script raised, and logs its lines', async () => {
    const traceback = 'Traceback (most recent call last):\n  File "<script>", line 3, in <module>\nValueError: bad';
    const runner = new FakeRunner(() =>
      done({ taken: [], logs: [{ level: 'error', message: 'from script' }], error: { kind: 'exception', message: 'ValueError: bad', traceback } }),
    );
    const h = harness(runner);
    h.enqueue('input', { a: '1' });
    await h.run();
    const [failed] = h.transferred('failure');
    expect(failed!.text).toBe('input');
    expect(failed!.attributes[SCRIPT_ERROR_ATTRIBUTE]).toBe(traceback);
    expect(failed!.attributes['a']).toBe('1');
    expect(h.errors).toContain('from script');
    expect(h.errors.some((e) => e.includes('ValueError: bad'))).toBe(true);
  });

  it('routes to failure on timeout, memory and runner errors', async () => {
    for (const answer of [
      () => done({ error: { kind: 'timeout', message: 'Script exceeded its timeout of 2000 ms and was stopped' } }),
      () => done({ error: { kind: 'memory', message: 'Script exceeded its memory limit of 64 MB and was stopped' } }),
      () => Promise.reject(new Error('Script pool is closed')),
    ]) {
      const h = harness(new FakeRunner(answer));
      h.enqueue('input');
      await h.run();
      const [failed] = h.transferred('failure');
      expect(failed!.text).toBe('input');
      expect(failed!.attributes[SCRIPT_ERROR_ATTRIBUTE]).toMatch(/timeout of 2000 ms|memory limit of 64 MB|Script runner failed: Script pool is closed/);
    }
  });

  it('refuses relationships the processor does not have', async () => {
    const runner = new FakeRunner((r) => done({ outputs: [{ source: 0, attributes: r.inputs[0]!.attributes, content: r.inputs[0]!.content, relationship: 'retry' }] }));
    const h = harness(runner);
    h.enqueue('x');
    await h.run();
    expect(h.transferred('failure')[0]!.attributes[SCRIPT_ERROR_ATTRIBUTE]).toContain("'retry'");
  });

  it('sends the input to failure when the script never took it', async () => {
    const h = harness(new FakeRunner(() => done({ taken: [] })));
    h.enqueue('x');
    await h.run();
    expect(h.transferred('failure')[0]!.attributes[SCRIPT_ERROR_ATTRIBUTE]).toContain('session.get()');
  });

  it('does nothing without a FlowFile', async () => {
    const runner = new FakeRunner(() => done({}));
    await harness(runner).run();
    expect(runner.requests).toEqual([]);
  });

  it('validates engine, limits and an empty body', () => {
    expect(validateProcessor(ExecuteScript, { 'Script Body': 'x = 1' })).toEqual([]);
    const bad = validateProcessor(ExecuteScript, { 'Script Body': '  ', 'Script Engine': 'ruby', Timeout: '10 hours', 'Memory Limit': '1 MB' });
    expect(bad.map((r) => r.property).sort()).toEqual(expect.arrayContaining(['Script Engine']));
    const limits = validateProcessor(ExecuteScript, { 'Script Body': 'x', Timeout: '10 hours', 'Memory Limit': '1 MB' });
    expect(limits.map((r) => r.property).sort()).toEqual(['Memory Limit', 'Timeout']);
    const empty = validateProcessor(ExecuteScript, { 'Script Body': '   ' });
    expect(empty.map((r) => r.property)).toEqual(['Script Body']);
  });

  it('describes itself with NiFi names and stable engine values', () => {
    const d = ExecuteScript.descriptor;
    expect(d.properties.map((p) => p.name)).toEqual(['Script Engine', 'Script Body', 'Timeout', 'Memory Limit', 'Allow HTTP']);
    expect(d.properties[0]!.allowableValues!.map((v) => v.value)).toEqual(['python', 'javascript']);
    expect(d.properties[1]).toMatchObject({ type: 'code', editor: 'python' });
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});
