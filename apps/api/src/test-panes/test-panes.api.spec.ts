import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';

const seedExpression = readFileSync(new URL('../../../../libs/expression/fixtures/seed-dynamic-url.el', import.meta.url), 'utf8');
const seedScript = readFileSync(new URL('../scripting/fixtures/stock-flow-seed.py', import.meta.url), 'utf8');
const seedSpec = [
  { operation: 'shift', spec: { '*': { sku: '[&1].product_sku', stock: '[&1].stock', stock_list: '[&1].stock_list', unit_type: '[&1].unit_type', updated_date: '[&1].updated_date' } } },
];

describe('test panes over REST', () => {
  let api: StartedApi;
  let viewer: string;
  beforeAll(async () => {
    api = await startApi({ web: false });
    const created = await api.request('/api/users', { method: 'POST', json: { username: 'vera', password: 'viewer-password', role: 'viewer' } });
    expect(created.status).toBe(201);
    viewer = await api.login('vera', 'viewer-password');
  });
  afterAll(async () => {
    await api?.close();
  });

  const post = async (path: string, json: unknown, token?: string) => {
    const res = await api.request(path, { method: 'POST', json, token });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("evaluates the seeds' dynamic ERP URL unchanged, for a SKU trigger, a date trigger and a scheduled run", async () => {
    const sku = await post('/api/test/expression', {
      expression: seedExpression,
      attributes: { 'http.query.string': 'sku=12345', 'http.query.param.sku': '12345', 'token.erp': 'tok' },
    }, viewer);
    expect(sku).toEqual({ status: 200, body: { result: "http://127.0.0.1:12345/(S(tok))/service/run?{'name': 'Akinon', 'Parameters': [{'Name': 'Barcodes', 'Value': '12345'}]}" } });

    const date = await post('/api/test/expression', {
      expression: seedExpression,
      attributes: { 'http.query.string': 'modified_date__gt=2024-12-31T13:30:59.000001Z', 'http.query.param.modified_date__gt': '2024-12-31T13:30:59.000001Z', 'token.erp': 'tok' },
    });
    expect(date.body['result']).toBe("http://127.0.0.1:12345/(S(tok))/service/run?{'name': 'Akinon', 'Parameters': [{'Name': 'Date', 'Value': '2024-12-31T13:30:59'}]}");

    const scheduled = await post('/api/test/expression', {
      expression: seedExpression,
      attributes: { 'http.query.string': '', 'last.request': '2024-07-01T01:30:59.000000', 'token.erp': 'tok' },
    });
    expect(scheduled.body['result']).toBe("http://127.0.0.1:12345/(S(tok))/service/run?{'name': 'Akinon', 'Parameters': [{'Name': 'Date', 'Value': '2024-07-01T01:30:59'}]}");
  });

  it('reports an expression syntax error with line, column and a suggestion', async () => {
    const r = await post('/api/test/expression', { expression: '${sku:toUpper()\n  :replce("A", "B")}' });
    expect(r.status).toBe(400);
    expect(r.body['line']).toBe(2);
    expect(typeof r.body['column']).toBe('number');
    expect(String(r.body['error'])).toMatch(/replce/);
    expect(String(r.body['error'])).toMatch(/replace/);
  });

  it('names a missing attribute once, with the line and column of the reference that failed', async () => {
    const r = await post('/api/test/expression', { expression: seedExpression, attributes: { 'http.query.string': '', 'last.request': '2024-07-01T01:30:59.000000' } });
    expect(r.status).toBe(400);
    expect(String(r.body['error'])).toMatch(/^attribute 'token\.erp' is not set \(line \d+, column \d+\); replace: replacement argument is null$/);
    expect(typeof r.body['line']).toBe('number');
    expect(typeof r.body['column']).toBe('number');
    const line = (seedExpression as string).split('\n')[(r.body['line'] as number) - 1]!;
    expect(line.slice((r.body['column'] as number) - 1)).toMatch(/^\$\{token\.erp\}/);
  });

  it('refuses an expression request without the expression field, naming it', async () => {
    const r = await post('/api/test/expression', { attributes: {} });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body['errors'])).toContain('expression');
  });

  it("runs the seed's Jolt mapping and gives the documented output", async () => {
    const input = [
      { sku: '12345', stock: 123, stock_list: '1', unit_type: 'qty' },
      { sku: '12346', stock: 0, stock_list: '1', unit_type: 'qty' },
      { sku: '12347', stock: 9, stock_list: '1', unit_type: 'qty' },
    ];
    const r = await post('/api/test/mapping', { spec: JSON.stringify(seedSpec), input: JSON.stringify(input) }, viewer);
    expect(r.status).toBe(200);
    expect(r.body['output']).toEqual([
      { stock_list: '1', unit_type: 'qty', product_sku: '12345', stock: 123 },
      { stock_list: '1', unit_type: 'qty', product_sku: '12346', stock: 0 },
      { stock_list: '1', unit_type: 'qty', product_sku: '12347', stock: 9 },
    ]);
  });

  it('tells when a mapping spec matches nothing instead of failing silently, and refuses a broken spec', async () => {
    const unused = await post('/api/test/mapping', { spec: seedSpec, input: { rows: [{ sku: 'A' }] } });
    expect(unused.status).toBe(200);
    expect((unused.body['warnings'] as unknown[]).length).toBeGreaterThan(0);

    const broken = await post('/api/test/mapping', { spec: '[{"operation": "shift", "spec": ', input: '[]' });
    expect(broken.status).toBe(400);
    expect(String(broken.body['error'])).toMatch(/spec is not valid JSON/);

    const unknownOp = await post('/api/test/mapping', { spec: [{ operation: 'shfit', spec: {} }], input: [] });
    expect(unknownOp.status).toBe(400);
    expect(String(unknownOp.body['error'])).toMatch(/shfit/);
  });

  it("runs the seed's Python script unchanged on the input, as the Script step would", async () => {
    const input = JSON.stringify([{ sku: '12345', stock: 123 }]);
    const r = await post('/api/test/script', { language: 'python', script: seedScript, input, attributes: { 'token.erp': 'e', 'token.omnitron': 'o' } }, viewer);
    expect(r.status).toBe(200);
    expect(r.body['relationship']).toBe('success');
    expect(JSON.parse(String(r.body['output']))).toEqual([{ sku: '12345', stock: 123 }]);
  });

  it('reports a script error with its traceback on failure and refuses an unknown language', async () => {
    const failing = await post('/api/test/script', { language: 'javascript', script: 'const ff = session.get(); throw new Error("boom at row 3");', input: '[]' });
    expect(failing.status).toBe(200);
    expect(JSON.stringify(failing.body)).toContain('boom at row 3');

    const unknown = await post('/api/test/script', { language: 'ruby', script: 'puts 1' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body['errors'])).toContain('language');
  });

  it('requires a token', async () => {
    const r = await post('/api/test/expression', { expression: '${a}' }, null as unknown as string);
    expect(r.status).toBe(401);
  });
});
