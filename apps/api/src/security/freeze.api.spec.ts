import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';
import { addUser, healthLatency, json } from './security-support.testing.js';

/**
 * Not refused (no repeated part can match the same text in two ways), but polynomial: on 300 a's a failing match
 * takes minutes, so only the deadline stops it.
 */
const SLOW_PATTERN = 'a*a*a*a*a*a*b';
const SLOW_TEXT = 'a'.repeat(300);

/** Polls /api/health while `work` runs and returns the slowest answer, in ms. */
async function slowestHealthDuring(api: StartedApi, work: Promise<unknown>): Promise<number> {
  let done = false;
  void work.finally(() => (done = true)).catch(() => undefined);
  let worst = 0;
  while (!done) {
    worst = Math.max(worst, await healthLatency(api));
    await new Promise((r) => setTimeout(r, 20));
  }
  return worst;
}

describe('no request can disable or freeze the server', () => {
  let api: StartedApi;
  let viewer: string;
  beforeAll(async () => {
    api = await startApi({ web: false });
    viewer = (await addUser(api, 'vy', 'viewer')).token;
  });
  afterAll(async () => {
    await api?.close();
  });

  const post = (path: string, body: unknown, token = viewer) => api.request(path, { method: 'POST', json: body, token });

  it('a regular expression that backtracks exponentially runs on the linear-time engine in the expression pane, or is refused at once when it needs a back reference', async () => {
    const started = performance.now();
    const res = await post('/api/test/expression', { expression: "${literal('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'):matches('(a|a)+$')}" });
    expect(await json(res)).toEqual({ result: 'false' });
    const refused = await post('/api/test/expression', { expression: "${literal('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'):matches('(a|a)+\\\\1$')}" });
    expect(refused.status).toBe(400);
    expect((await json<{ message: string }>(refused)).message).toContain("regular expression '(a|a)+\\1$' is refused");
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('a slow (polynomial) regular expression in the expression pane is stopped at its deadline; the server keeps answering', async () => {
    const started = performance.now();
    const redos = post('/api/test/expression', { expression: `\${literal('${SLOW_TEXT}'):matches('${SLOW_PATTERN}')}` });
    const worst = await slowestHealthDuring(api, redos);
    const res = await redos;
    expect(res.status).toBe(400);
    expect((await json<{ message: string }>(res)).message).toMatch(/time limit of 2000 ms/);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(worst).toBeLessThan(500);
    // The replaced worker serves the next request.
    const next = await post('/api/test/expression', { expression: '${a:toUpper()}', attributes: { a: 'ok' } });
    expect(await json(next)).toEqual({ result: 'OK' });
  });

  it("a processor test whose configured regex is slow is stopped; the flow's engine keeps answering", async () => {
    const flow = await json<{ id: string }>(
      await api.request('/api/flows', {
        method: 'POST',
        json: { name: 'redos route', processors: [{ id: 'r', type: 'RouteOnAttribute', name: 'Route', properties: { slow: `\${sku:matches('${SLOW_PATTERN}')}` }, autoTerminated: ['unmatched', 'slow'] }] },
      }),
    );
    const test = post(`/api/flows/${flow.id}/processors/r/test`, { content: '', attributes: { sku: SLOW_TEXT } });
    const worst = await slowestHealthDuring(api, test);
    const res = await test;
    expect(res.status).toBe(400);
    expect((await json<{ message: string }>(res)).message).toContain('time limit of 5000 ms');
    expect(worst).toBeLessThan(500);
    const ok = await post(`/api/flows/${flow.id}/processors/r/test`, { content: '', attributes: { sku: 'c' } });
    expect((await json<{ outputs: { relationship: string }[] }>(ok)).outputs[0]!.relationship).toBe('unmatched');
  });

  it('a Jolt split regex in the mapping pane runs on the linear engine or is refused when it backtracks exponentially, stopped at its deadline when it is slow', async () => {
    const linear = await post('/api/test/mapping', { spec: [{ operation: 'modify-overwrite-beta', spec: { x: "=split('(a|a)+$', @(1,x))" } }], input: '{"x": "baa"}' });
    expect((await json<{ output: unknown }>(linear)).output).toEqual({ x: ['b'] });
    const refused = await post('/api/test/mapping', { spec: [{ operation: 'modify-overwrite-beta', spec: { x: "=split('(a|a)+\\1$', @(1,x))" } }], input: '{"x": "a"}' });
    expect(refused.status).toBe(400);
    expect((await json<{ message: string }>(refused)).message).toContain("regular expression '(a|a)+\\1$' is refused");
    const spec = [{ operation: 'modify-overwrite-beta', spec: { x: `=split('${SLOW_PATTERN}', @(1,x))` } }];
    const mapping = post('/api/test/mapping', { spec, input: JSON.stringify({ x: SLOW_TEXT }) });
    const worst = await slowestHealthDuring(api, mapping);
    const res = await mapping;
    expect(res.status).toBe(400);
    expect((await json<{ message: string }>(res)).message).toContain('time limit of 10000 ms');
    expect(worst).toBeLessThan(500);
  });

  it('deep nesting and string growth get a 400 naming the limit, quickly', async () => {
    const deep = await post('/api/test/expression', { expression: '${a:equals('.repeat(5_000) + "'x'" + ')}'.repeat(5_000) });
    expect(deep.status).toBe(400);
    expect((await json<{ message: string }>(deep)).message).toContain('limit of 100 levels');
    const huge = await post('/api/test/expression', { expression: '${a:equals('.repeat(50_000) + "'x'" + ')}'.repeat(50_000) });
    expect(huge.status).toBe(400);
    expect((await json<{ message: string }>(huge)).message).toContain('at most 100000 characters');
    const grow = await post('/api/test/expression', { expression: "${literal('a'):repeat(40000000)}" });
    expect(grow.status).toBe(400);
    expect((await json<{ message: string }>(grow)).message).toContain('exceed the limit of 1048576');
    const results = await Promise.all(Array.from({ length: 8 }, () => post('/api/test/expression', { expression: "${literal('aaaaaaaaaa'):repeat(100000):repeat(100)}" })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(400));
  });

  it('a script that breaks its Python interpreter fails alone; the next script runs', async () => {
    const broken = await json<{ error?: { message: string } }>(await post('/api/test/script', { language: 'python', script: "import os\nos.system('id')", input: '' }));
    expect(broken.error?.message).toMatch(/restricted|replaced/);
    const next = await post('/api/test/script', { language: 'python', script: 'ff = session.get()\nsession.putAttribute(ff, "ok", "yes")\nsession.transfer(ff, REL_SUCCESS)', input: 'x' });
    const body = await json<{ relationship: string; attributes: Record<string, string> }>(next);
    expect(body.relationship).toBe('success');
    expect(body.attributes['ok']).toBe('yes');
  });

  it("a viewer's endless script in the test pane does not delay a flow's Script step", async () => {
    const flow = await json<{ id: string }>(
      await api.request('/api/flows', {
        method: 'POST',
        json: {
          name: 'script flow',
          processors: [{ id: 's', type: 'ExecuteScript', name: 'Script', properties: { 'Script Engine': 'javascript', 'Script Body': 'function transform(i) { return { n: i.n + 1 }; }' }, autoTerminated: ['success', 'failure'] }],
        },
      }),
    );
    const endless = [0, 1].map(() => post('/api/test/script', { language: 'javascript', script: 'while (true) {}', input: '{}', timeoutMs: 2000 }));
    await new Promise((r) => setTimeout(r, 300));
    const t = performance.now();
    const res = await api.request(`/api/flows/${flow.id}/processors/s/test`, { method: 'POST', json: { content: '{"n":1}' } });
    const took = performance.now() - t;
    expect(res.status).toBe(200);
    expect(JSON.parse((await json<{ outputs: { content: string }[] }>(res)).outputs[0]!.content)).toEqual({ n: 2 });
    expect(took).toBeLessThan(3000);
    const outcomes = await Promise.all(endless.map(async (p) => (await json<{ error?: { kind: string } }>(await p)).error?.kind));
    expect(outcomes).toEqual(['timeout', 'timeout']);
  });

  it('caps viewers\' script time in the test pane', async () => {
    const res = await post('/api/test/script', { language: 'javascript', script: 'x', timeoutMs: 60_000 });
    expect(res.status).toBe(400);
    expect((await json<{ message: string }>(res)).message).toContain("at most 10000 ms in the test pane for the 'viewer' role");
  });

  it('answers an unauthenticated upload before reading its body, and bounds authenticated bodies per route', async () => {
    // 48 MB announced, 64 KB sent: the reply must not wait for the rest.
    for (const path of ['/api/flows', '/api/outbound/some-flow', '/api/test/script']) {
      const status = await partialUpload(api.url, path, 48 * 1024 * 1024, {});
      expect(status, path).toBe(401);
    }
    expect(await partialUpload(api.url, '/api/flows', 48 * 1024 * 1024, { authorization: `Bearer ${api.token}` })).toBe(413);
    const login = await fetch(`${api.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'x'.repeat(64 * 1024) }) });
    expect(login.status).toBe(413);
    expect((await json<{ message: string }>(login)).message).toContain('limit of 16384 bytes');
    const tooBig = await api.request('/api/users', { method: 'POST', json: { username: 'u', password: 'p'.repeat(2 * 1024 * 1024), role: 'viewer' } });
    expect(tooBig.status).toBe(413);
    expect(await healthLatency(api)).toBeLessThan(500);
  });
});

/** Announces `length` bytes, sends 64 KB, and resolves with the status the server answers before the rest arrives. */
function partialUpload(base: string, path: string, length: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${path}: no answer before the body was complete`)), 5000);
    const req = request(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(length), ...headers } }, (res) => {
      clearTimeout(timer);
      resolve(res.statusCode ?? 0);
      res.resume();
      req.destroy();
    });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(64 * 1024, 0x20));
  });
}
