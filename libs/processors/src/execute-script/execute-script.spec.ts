import { utf8, type ScriptRequest, type ScriptResult } from '@sluice/flow-api';
import { FakeScriptRunner, TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { ExecuteScript, MODULE_DIRECTORY_UNSUPPORTED, SCRIPT_ERROR_ATTRIBUTE, SCRIPT_FILE_UNSUPPORTED } from './execute-script.processor.js';

const done = (partial: Partial<ScriptResult>): ScriptResult => ({ outputs: [], taken: [0], logs: [], durationMs: 1, ...partial });
const passThrough = (r: ScriptRequest) =>
  done({ outputs: [{ source: 0, attributes: r.inputs[0]!.attributes, content: r.inputs[0]!.content, relationship: 'success' }] });

function runner(answer: (request: ScriptRequest) => ScriptResult | Promise<ScriptResult>, config: Record<string, string> = {}, options: { incoming?: boolean } = {}) {
  const scripts = new FakeScriptRunner(answer);
  const t = new TestRunner(ExecuteScript, { services: { scripts }, ...(options.incoming === false ? { hasIncomingConnection: false } : {}) });
  t.setProperty('Script Body', 'pass');
  for (const [k, v] of Object.entries(config)) t.setProperty(k, v);
  return { t, scripts };
}

describe('ExecuteScript', () => {
  it('sends the FlowFile, its dates and the configured limits to the runner', async () => {
    const { t, scripts } = runner(passThrough, { 'Script Engine': 'javascript', 'Script Body': 'const transform = (x) => x;', Timeout: '2 sec', 'Memory Limit': '64 MB', 'Allow HTTP': 'true' });
    const ff = t.enqueue('[1]', { a: '1' });
    await t.run();
    const [request] = scripts.requests;
    expect(request).toMatchObject({ language: 'javascript', script: 'const transform = (x) => x;', timeoutMs: 2000, memoryLimitMb: 64, allowHttp: true });
    expect(request!.inputs[0]).toMatchObject({ attributes: { a: '1' }, lineageStartDate: ff.lineageStartDate, entryDate: ff.entryDate });
    expect(new TextDecoder().decode(request!.inputs[0]!.content)).toBe('[1]');
    expect(t.flowFilesFor('success').map((f) => f.contentText())).toEqual(['[1]']);
  });

  it("uses NiFi's defaults (python, 300 sec, 256 MB, no HTTP) and NiFi 1.x engine names", async () => {
    const { t, scripts } = runner(passThrough);
    t.enqueue('x');
    await t.run();
    expect(scripts.requests[0]).toMatchObject({ language: 'python', timeoutMs: 300_000, memoryLimitMb: 256, allowHttp: false });
    for (const [engine, language] of [['Jython', 'python'], ['ECMAScript', 'javascript'], ['python', 'python']]) {
      const r = runner(passThrough, { 'Script Engine': engine! });
      r.t.assertValid();
      r.t.enqueue('x');
      await r.t.run();
      expect(r.scripts.requests[0]!.language).toBe(language);
    }
  });

  it('shows the script its properties and connections through the request context', async () => {
    const { t, scripts } = runner(passThrough, { greeting: 'hello', target: '${filename}', fromParam: '#{region}' });
    t.setAutoTerminated('failure');
    t.enqueue('x');
    await t.run();
    const context = scripts.requests[0]!.context!;
    expect(context.properties['greeting']).toEqual({ value: 'hello', expression: false, dynamic: true });
    expect(context.properties['target']).toEqual({ value: '${filename}', expression: true, dynamic: true });
    expect(context.properties['Script Body']).toEqual({ value: 'pass', expression: false, dynamic: false });
    expect(context.properties['Script Engine']!.value).toBe('python');
    expect(context.connected).toEqual(['success']);
    expect(context.processorName).toBe('Execute Script');
  });

  it('applies writes and attribute changes, and creates children from the input (runtimes without keys)', async () => {
    const { t } = runner((r) => {
      const { drop: _dropped, ...kept } = r.inputs[0]!.attributes;
      return done({
        outputs: [
          { source: 0, attributes: { ...kept, added: 'yes' }, content: utf8('changed'), relationship: 'failure' },
          { source: null, attributes: { child: '1', uuid: 'script-side' }, content: utf8('child body'), relationship: 'success' },
        ],
      });
    });
    t.enqueue('original', { drop: 'x', keep: 'y' });
    await t.run();
    const [failed] = t.flowFilesFor('failure');
    failed!.assertContentEquals('changed');
    expect(failed!.attributes).toMatchObject({ keep: 'y', added: 'yes' });
    failed!.assertAttributeNotExists('drop');
    const [child] = t.flowFilesFor('success');
    child!.assertContentEquals('child body');
    child!.assertAttributeEquals('child', '1');
    expect(child!.uuid).not.toBe('script-side');
    expect(child!.flowFile.parentUuids).toEqual([failed!.uuid]);
  });

  it('removes the input when the script removed it', async () => {
    const { t } = runner((r) => done({ outputs: [{ source: 0, attributes: r.inputs[0]!.attributes, content: r.inputs[0]!.content, relationship: null }] }));
    t.enqueue('x');
    await t.run();
    t.assertTransferCount('success', 0);
    t.assertTransferCount('failure', 0);
    t.assertQueueEmpty();
  });

  it('routes the input to failure with the traceback when the script raised, and logs its lines', async () => {
    const traceback = 'Traceback (most recent call last):\n  File "<script>", line 3, in <module>\nValueError: bad';
    const { t } = runner(() => done({ taken: [], logs: [{ level: 'error', message: 'from script' }], error: { kind: 'exception', message: 'ValueError: bad', traceback } }));
    t.enqueue('input', { a: '1' });
    await t.run();
    const [failed] = t.flowFilesFor('failure');
    failed!.assertContentEquals('input');
    failed!.assertAttributeEquals(SCRIPT_ERROR_ATTRIBUTE, traceback);
    failed!.assertAttributeEquals('a', '1');
    const errors = t.logs('error').map((l) => l.message);
    expect(errors).toContain('from script');
    expect(errors.some((e) => e.includes('ValueError: bad'))).toBe(true);
  });

  it('routes to failure on timeout, memory and runner errors', async () => {
    for (const answer of [
      () => done({ error: { kind: 'timeout', message: 'Script exceeded its timeout of 2000 ms and was stopped' } }),
      () => done({ error: { kind: 'memory', message: 'Script exceeded its memory limit of 64 MB and was stopped' } }),
      () => Promise.reject(new Error('Script pool is closed')),
    ]) {
      const { t } = runner(answer);
      t.enqueue('input');
      await t.run();
      const [failed] = t.flowFilesFor('failure');
      failed!.assertContentEquals('input');
      expect(failed!.getAttribute(SCRIPT_ERROR_ATTRIBUTE)).toMatch(/timeout of 2000 ms|memory limit of 64 MB|Script runner failed: Script pool is closed/);
    }
  });

  it('refuses relationships the processor does not have', async () => {
    const { t } = runner((r) => done({ outputs: [{ source: 0, attributes: r.inputs[0]!.attributes, content: r.inputs[0]!.content, relationship: 'retry' }] }));
    t.enqueue('x');
    await t.run();
    expect(t.flowFilesFor('failure')[0]!.getAttribute(SCRIPT_ERROR_ATTRIBUTE)).toContain("'retry'");
  });

  it('sends the input to failure when the script never took it', async () => {
    const { t } = runner(() => done({ taken: [] }));
    t.enqueue('x');
    await t.run();
    expect(t.flowFilesFor('failure')[0]!.getAttribute(SCRIPT_ERROR_ATTRIBUTE)).toContain('session.get()');
  });

  it('does not run with an incoming connection and nothing queued; runs as a source without one, and yields when idle', async () => {
    const queued = runner(passThrough);
    await queued.t.run();
    expect(queued.scripts.requests).toEqual([]);
    const source = runner(() => done({ taken: [], outputs: [{ source: null, key: 'c0', origin: 'create', parents: [], attributes: { made: 'here', path: './' }, content: utf8('new'), relationship: 'success' }] }), {}, { incoming: false });
    await source.t.run();
    expect(source.scripts.requests[0]!.inputs).toEqual([]);
    const [made] = source.t.flowFilesFor('success');
    made!.assertContentEquals('new');
    made!.assertAttributeEquals('made', 'here');
    made!.assertAttributeEquals('filename', made!.uuid);
    expect(source.t.yields).toBe(0);
    const idle = runner(() => done({ taken: [] }), {}, { incoming: false });
    await idle.t.run();
    expect(idle.t.yields).toBe(1);
  });

  it("accepts NiFi's property names and rejects the ones it cannot honour, with a message", () => {
    const ok = runner(passThrough, { 'Script Engine': 'python', 'Script Body': 'x = 1', myProperty: '${filename}' });
    ok.t.assertValid();
    const file = runner(passThrough, { 'Script File': '/opt/nifi/scripts/transform.py' });
    expect(file.t.validate()).toEqual([{ property: 'Script File', message: SCRIPT_FILE_UNSUPPORTED, code: 'invalid' }]);
    const modules = runner(passThrough, { 'Module Directory': '/opt/nifi/modules' });
    expect(modules.t.validate()).toEqual([{ property: 'Module Directory', message: MODULE_DIRECTORY_UNSUPPORTED, code: 'invalid' }]);
    const empty = runner(passThrough, { myProperty: '' });
    expect(empty.t.validate().map((r) => r.property)).toEqual(['myProperty']);
    const bad = runner(passThrough, { 'Script Engine': 'ruby', Timeout: '10 hours', 'Memory Limit': '1 MB' });
    expect(bad.t.validate().map((r) => r.property)).toEqual(['Script Engine']);
    const limits = runner(passThrough, { Timeout: '10 hours', 'Memory Limit': '1 MB' });
    expect(limits.t.validate().map((r) => r.property).sort()).toEqual(['Memory Limit', 'Timeout']);
    const blank = runner(passThrough, { 'Script Body': '   ' });
    expect(blank.t.validate().map((r) => r.property)).toEqual(['Script Body']);
  });

  it('describes itself with NiFi names, engine values and input requirement', () => {
    const d = ExecuteScript.descriptor;
    expect(d.properties.map((p) => p.name)).toEqual(['Script Engine', 'Script File', 'Script Body', 'Module Directory', 'Timeout', 'Memory Limit', 'Allow HTTP']);
    expect(d.properties[0]!.allowableValues!.map((v) => v.value)).toEqual(['python', 'javascript', 'Jython', 'ECMAScript']);
    expect(d.properties[2]).toMatchObject({ type: 'code', editor: 'python' });
    expect(d.inputRequirement).toBe('allowed');
    expect(d.dynamicProperties?.expressionScope).toBe('flowfile');
  });
});
