import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';

/** A NiFi-style Jython script that counts its runs in local state and uses a dynamic property, log and the session. */
const COUNTING = [
  'from org.apache.nifi.components.state import Scope',
  'sm = context.getStateManager()',
  'state = sm.getState(Scope.LOCAL)',
  "n = int(state.get('count') or 0) + 1",
  "sm.setState({'count': str(n)}, Scope.LOCAL)",
  'ff = session.get()',
  "ff = session.putAttribute(ff, 'count', str(n))",
  "ff = session.putAttribute(ff, 'greeting', Greeting.evaluateAttributeExpressions(ff).getValue())",
  "log.info('run {} for {}', [n, ff.getAttribute('filename')])",
  'session.transfer(ff, REL_SUCCESS)',
].join('\n');

interface PaneResult {
  relationship: string | null;
  output: string | null;
  attributes: Record<string, string>;
  logs: { level: string; message: string }[];
  state: { local: Record<string, string>; cluster: Record<string, string> };
  error?: { kind: string; message: string };
}

describe('the script test pane runs the ExecuteScript processor', () => {
  let api: StartedApi;
  let viewer: string;
  let flowId: string;
  const properties = { 'Script Engine': 'python', 'Script Body': COUNTING, Greeting: 'hello #{who} from ${filename}' };
  beforeAll(async () => {
    api = await startApi({ web: false });
    await api.request('/api/users', { method: 'POST', json: { username: 'pane-viewer', password: 'pane-viewer-pass', role: 'viewer' } });
    viewer = await api.login('pane-viewer', 'pane-viewer-pass');
    const flow = await api.request('/api/flows', {
      method: 'POST',
      json: { name: 'counting script', parameters: { who: 'world' }, processors: [{ id: 's', type: 'ExecuteScript', name: 'Count', properties, autoTerminated: ['success', 'failure'] }] },
    });
    flowId = ((await flow.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await api?.close();
  });

  const pane = async (extra: Record<string, unknown> = {}) => {
    const res = await api.request('/api/test/script', {
      method: 'POST',
      token: viewer,
      json: { language: 'python', script: COUNTING, input: 'x', attributes: { filename: 'a.json' }, properties, parameters: { who: 'world' }, flowId, processorId: 's', ...extra },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as PaneResult;
  };
  const liveRun = async () => {
    const res = await api.request(`/api/flows/${flowId}/processors/s/test`, { method: 'POST', json: { mode: 'live', content: 'x', attributes: { filename: 'a.json' } } });
    expect(res.status).toBe(200);
    return (await res.json()) as { outputs: { relationship: string; attributes: Record<string, string>; content: string }[]; logs: { level: string; message: string }[] };
  };
  const seen = (attributes: Record<string, string>) => ({ count: attributes['count'], greeting: attributes['greeting'], filename: attributes['filename'] });

  it('state, session, log, dynamic properties and REL_SUCCESS behave as in the flow; a pane run stores no state', async () => {
    const first = await pane();
    expect(first.error).toBeUndefined();
    expect(first.relationship).toBe('success');
    expect(first.output).toBe('x');
    expect(seen(first.attributes)).toEqual({ count: '1', greeting: 'hello world from a.json', filename: 'a.json' });
    expect(first.logs).toContainEqual({ level: 'info', message: 'run 1 for a.json' });
    expect(first.state).toEqual({ local: { count: '1' }, cluster: {} });
    // Nothing was stored: the next pane run starts from the same state.
    expect(seen((await pane()).attributes).count).toBe('1');

    // The step itself, run for real in the flow, gives the same FlowFile and log line, and stores its state.
    const flowRun = await liveRun();
    expect(flowRun.outputs).toHaveLength(1);
    expect(flowRun.outputs[0]!.relationship).toBe('success');
    expect(seen(flowRun.outputs[0]!.attributes)).toEqual(seen(first.attributes));
    expect(flowRun.logs.map((l) => l.message)).toContain('run 1 for a.json');

    // The pane starts from the step's stored state, as the next run in the flow does.
    const second = await pane();
    expect(second.attributes['count']).toBe('2');
    expect(second.state.local).toEqual({ count: '2' });
    expect((await liveRun()).outputs[0]!.attributes['count']).toBe('2');
  });

  it('without a step, state starts empty; a JavaScript transform runs as the step runs it', async () => {
    const alone = await api.request('/api/test/script', { method: 'POST', token: viewer, json: { language: 'python', script: COUNTING, input: 'y', attributes: { filename: 'b' }, properties: { Greeting: 'hi' } } });
    const body = (await alone.json()) as PaneResult;
    expect(body.relationship).toBe('success');
    expect(seen(body.attributes)).toEqual({ count: '1', greeting: 'hi', filename: 'b' });
    const js = await api.request('/api/test/script', { method: 'POST', token: viewer, json: { language: 'javascript', script: 'function transform(i) { return { n: i.n + 1 }; }', input: '{"n":1}' } });
    const out = (await js.json()) as PaneResult;
    expect(out.relationship).toBe('success');
    expect(JSON.parse(out.output!)).toEqual({ n: 2 });
  });

  it("refuses properties the processor refuses, naming them, and keeps HTTP off", async () => {
    const bad = await api.request('/api/test/script', { method: 'POST', token: viewer, json: { language: 'python', script: 'x = 1', properties: { 'Script File': '/etc/passwd', Empty: '' } } });
    expect(bad.status).toBe(400);
    const refusal = JSON.stringify(await bad.json());
    expect(refusal).toContain('properties.Script File');
    expect(refusal).toContain("dynamic property 'Empty' needs a value");
    const http = await pane({ script: "ff = session.get()\nhttp.get('http://127.0.0.1:9/')\nsession.transfer(ff, REL_SUCCESS)", properties: { ...properties, 'Allow HTTP': 'true' } });
    expect(http.relationship).toBe('failure');
    expect(http.attributes['log.error.script_error']).toMatch(/http/i);
  });
});
