import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScriptTest, ScriptPool } from './index.js';

const STOCK_SEED = readFileSync(new URL('./fixtures/stock-flow-seed.py', import.meta.url), 'utf8');

describe('runScriptTest and the HTTP helper', () => {
  let pool: ScriptPool;
  let server: Server;
  let base = '';
  const received: { method: string; url: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', body });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ path: req.url, echo: body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    pool = new ScriptPool();
    await pool.warmUp();
  });
  afterAll(async () => {
    await pool.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('runs the seed script on the pane input and returns its output', async () => {
    const outcome = await runScriptTest(pool, { language: 'python', script: STOCK_SEED, input: '[{"sku": "1", "stock": "5"}]', attributes: { a: '1' } });
    expect(outcome.error).toBeUndefined();
    expect(outcome.relationship).toBe('success');
    expect(JSON.parse(outcome.output!)).toEqual([{ sku: '1', stock: '5' }]);
    expect(outcome.attributes).toEqual({ a: '1' });
    expect(outcome.durationMs).toBeGreaterThan(0);
  });

  it('shows the seed routing bad input to failure with its traceback', async () => {
    const outcome = await runScriptTest(pool, { language: 'python', script: STOCK_SEED, input: 'not json' });
    expect(outcome.relationship).toBe('failure');
    expect(outcome.output).toBe('not json');
    expect(outcome.attributes['log.error.script_error']).toContain('json.decoder.JSONDecodeError');
  });

  it('reports an uncaught error as failure with the traceback, as the processor does', async () => {
    const outcome = await runScriptTest(pool, { language: 'javascript', script: 'const transform = () => { throw new Error("nope"); };', input: '{}' });
    expect(outcome.relationship).toBe('failure');
    expect(outcome.error?.kind).toBe('exception');
    expect(outcome.attributes['log.error.script_error']).toContain('Error: nope');
    expect(outcome.output).toBe('{}');
  });

  it('lists FlowFiles a script created', async () => {
    const script = [
      'ff = session.get()',
      'for i in range(2):',
      '    child = session.create(ff)',
      '    child = session.write(child, lambda out, i=i: out.write(str(i)))',
      '    session.transfer(child, REL_SUCCESS)',
      'session.remove(ff)',
    ].join('\n');
    const outcome = await runScriptTest(pool, { language: 'python', script, input: 'x' });
    expect(outcome.error).toBeUndefined();
    expect(outcome.relationship).toBeNull();
    expect(outcome.created.map((c) => c.output)).toEqual(['0', '1']);
  });

  it('gives Python a synchronous http helper only when HTTP is allowed', async () => {
    const script = [
      'r = http.post(BASE + "/items", json={"sku": "1"})',
      'data = r.json()',
      'ff = session.get()',
      'session.putAttribute(ff, "status", r.status)',
      'session.putAttribute(ff, "path", data["path"])',
      'session.putAttribute(ff, "echo", data["echo"])',
      'session.transfer(ff, REL_SUCCESS)',
    ].join('\n');
    const allowed = await runScriptTest(pool, { language: 'python', script: `BASE = ${JSON.stringify(base)}\n${script}`, allowHttp: true });
    expect(allowed.error).toBeUndefined();
    expect(allowed.attributes).toMatchObject({ status: '200', path: '/items', echo: '{"sku": "1"}' });
    expect(received.at(-1)).toMatchObject({ method: 'POST', url: '/items' });

    const refused = await runScriptTest(pool, { language: 'python', script: `BASE = ${JSON.stringify(base)}\n${script}` });
    expect(refused.error?.message).toContain("NameError: name 'http' is not defined");
  });

  it('gives JavaScript the same helper only when HTTP is allowed', async () => {
    const script = `function transform(input) {
  const r = http.get(${JSON.stringify(base)} + '/stock?sku=' + input.sku);
  return { status: r.status, body: r.json() };
}`;
    const allowed = await runScriptTest(pool, { language: 'javascript', script, input: '{"sku": "7"}', allowHttp: true });
    expect(allowed.error).toBeUndefined();
    expect(JSON.parse(allowed.output!)).toEqual({ status: 200, body: { path: '/stock?sku=7', echo: '' } });
    const refused = await runScriptTest(pool, { language: 'javascript', script, input: '{"sku": "7"}' });
    expect(refused.error?.message).toBe('ReferenceError: http is not defined');
  });

  it('reports an unreachable host as a script error, not a crash', async () => {
    const script = 'try:\n    http.get("http://127.0.0.1:1/")\nexcept IOError as e:\n    log.error(str(e))\n';
    const outcome = await runScriptTest(pool, { language: 'python', script, allowHttp: true });
    expect(outcome.logs[0]!.message).toContain('HTTP request failed');
  });
});
