import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatErpDate, parseErpDate, startErpSim, type ErpSimHandle } from './index.js';

const NOW = Date.parse('2025-06-15T12:00:00Z');
let sim: ErpSimHandle;
let token: string;

async function call(method: string, pathAndQuery: string, init: { body?: string; headers?: Record<string, string>; auth?: string | null } = {}) {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  const auth = init.auth === undefined ? `Bearer ${token}` : init.auth;
  if (auth) headers['authorization'] = auth;
  const res = await fetch(sim.url + pathAndQuery, { method, headers, body: init.body });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  sim = await startErpSim({ generatedRows: 20, now: NOW });
});
afterAll(() => sim.close());
beforeEach(async () => {
  sim.resetFaults();
  const r = await call('POST', '/auth/token', { body: JSON.stringify({ username: 'erp-user', password: 'erp-pass' }), headers: { 'content-type': 'application/json' }, auth: null });
  token = r.body.access_token;
});

describe('dates', () => {
  it('formats and parses the Integrator format and ISO with a zone', () => {
    expect(formatErpDate(Date.parse('2024-12-31T13:30:59.123Z'))).toBe('2024-12-31T13:30:59.123000');
    expect(parseErpDate('2024-12-31T13:30:59.000001')! - parseErpDate('2024-12-31T13:30:59')!).toBe(1);
    expect(parseErpDate('2024-07-01T01:30:59.000Z')).toBe(parseErpDate('2024-07-01T04:30:59+03:00'));
    expect(parseErpDate('yesterday')).toBeNull();
  });
});

describe('login', () => {
  it('issues a JWT-style token for JSON, password grant and client credentials', async () => {
    expect(token.split('.')).toHaveLength(3);
    const form = await call('POST', '/auth/token', {
      body: 'grant_type=client_credentials&client_id=erp-client&client_secret=erp-secret',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      auth: null,
    });
    expect(form.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const basicClient = await call('POST', '/auth/token', {
      body: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      auth: `Basic ${Buffer.from('erp-client:erp-secret').toString('base64')}`,
    });
    expect(basicClient.status).toBe(200);
    const password = await call('POST', '/auth/token', {
      body: 'grant_type=password&username=erp-user&password=erp-pass',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      auth: null,
    });
    expect(password.status).toBe(200);
  });

  it('rejects bad credentials and unknown grants', async () => {
    const bad = await call('POST', '/auth/token', { body: JSON.stringify({ username: 'erp-user', password: 'x' }), auth: null });
    expect(bad).toEqual({ status: 401, body: { error: 'invalid_grant', detail: 'bad credentials' } });
    const grant = await call('POST', '/auth/token', { body: 'grant_type=magic', headers: { 'content-type': 'application/x-www-form-urlencoded' }, auth: null });
    expect(grant.body.error).toBe('unsupported_grant_type');
  });

  it('requires the bearer token on the API and expires tokens on demand', async () => {
    expect((await call('GET', '/api/stock', { auth: null })).status).toBe(401);
    expect((await call('GET', '/api/stock', { auth: 'Bearer nope' })).status).toBe(401);
    expect((await call('GET', '/api/stock')).status).toBe(200);
    sim.expireTokens();
    expect((await call('GET', '/api/stock')).body.detail).toBe('token invalid or expired');
  });

  it('supports Basic and API key modes', async () => {
    const basic = await startErpSim({ auth: 'basic', generatedRows: 0 });
    const key = await startErpSim({ auth: 'apiKey', apiKeyHeader: 'X-Token', apiKey: 'k1', generatedRows: 0 });
    try {
      const good = `Basic ${Buffer.from('erp-user:erp-pass').toString('base64')}`;
      expect((await fetch(`${basic.url}/api/stock`, { headers: { authorization: good } })).status).toBe(200);
      expect((await fetch(`${basic.url}/api/stock`)).status).toBe(401);
      expect((await fetch(`${key.url}/api/stock`, { headers: { 'x-token': 'k1' } })).status).toBe(200);
      const denied = await fetch(`${key.url}/api/stock`, { headers: { 'x-token': 'k2' } });
      expect(((await denied.json()) as any).detail).toBe('missing or wrong x-token header');
    } finally {
      await basic.close();
      await key.close();
    }
  });
});

describe('stock rows and filters', () => {
  it('serves the seed rows shaped like the ERP rows', async () => {
    const r = await call('GET', '/api/stock?sku=12345,12346,12347');
    expect(r.body.map((x: any) => [x.sku, x.stock])).toEqual([['12345', 123], ['12346', 0], ['12347', 9]]);
    expect(Object.keys(r.body[0]).sort()).toEqual(['id', 'sku', 'stock', 'stock_list', 'unit_type', 'updated_date']);
    expect(r.body[0].updated_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
  });

  it('exports the same rows as CSV with a header line, filters applied, behind the same login', async () => {
    const res = await fetch(`${sim.url}/api/stock.csv?sku=12345,12346`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const json = (await call('GET', '/api/stock?sku=12345,12346')).body;
    const lines = json.map((r: any) => [r.id, r.sku, r.stock, r.stock_list, r.unit_type, r.updated_date].join(','));
    expect(await res.text()).toBe(['id,sku,stock,stock_list,unit_type,updated_date', ...lines].join('\r\n') + '\r\n');
    const all = await (await fetch(`${sim.url}/api/stock.csv`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(all.trimEnd().split('\r\n')).toHaveLength(26);
    expect((await fetch(`${sim.url}/api/stock.csv`)).status).toBe(401);
  });

  it('filters by modified_date__gt in the Integrator format and ISO with Z', async () => {
    // 25 rows, row k updated (25 - k + 1) minutes before NOW: the last 3 are newer than NOW - 3.5 min
    const since = NOW - 3.5 * 60_000;
    const a = await call('GET', `/api/stock?modified_date__gt=${formatErpDate(since)}`);
    const b = await call('GET', `/api/stock?modified_date__gt=${new Date(since).toISOString()}`);
    expect(a.body.map((x: any) => x.id)).toEqual([23, 24, 25]);
    expect(b.body).toEqual(a.body);
    expect((await call('GET', '/api/stock?modified_date__gt=soon')).body.error).toContain("'soon' is not a date");
  });

  it('takes parameters from a JSON body on POST', async () => {
    const r = await call('POST', '/api/stock', { body: JSON.stringify({ sku: '1234', stock_list: '1' }) });
    expect(r.body.map((x: any) => x.sku)).toEqual(['1234']);
    expect((await call('POST', '/api/stock', { body: '[1]' })).status).toBe(400);
  });

  it('serves image rows', async () => {
    const r = await call('GET', '/api/images?sku=1234');
    expect(r.body[0]).toMatchObject({ sku: '1234', base_code: 'test_template' });
    expect(r.body[0].images[2]).toEqual({ url: 'https://test.project.com.tr/test_template-3.jpg', order: 3 });
  });
});

describe('pagination', () => {
  it('offset: offset/limit with a short last page', async () => {
    const sizes: number[] = [];
    for (let offset = 0; ; offset += 10) {
      const r = await call('GET', `/api/stock?offset=${offset}&limit=10`);
      sizes.push(r.body.length);
      if (r.body.length < 10) break;
    }
    expect(sizes).toEqual([10, 10, 5]);
  });

  it('seek: after=<last id>', async () => {
    const first = await call('GET', '/api/stock?pagination=seek&limit=20');
    expect(first.body).toHaveLength(20);
    const rest = await call('GET', `/api/stock?after=${first.body.at(-1).id}&limit=20`);
    expect(rest.body.map((x: any) => x.id)).toEqual([21, 22, 23, 24, 25]);
    expect((await call('GET', '/api/stock?after=25')).body).toEqual([]);
  });

  it('next: {results, next} with a URL or a token', async () => {
    const ids: number[] = [];
    let next: string | null = '/api/stock?pagination=next&limit=12&envelope=ignored';
    while (next) {
      const u: URL = new URL(next, sim.url);
      const r = await call('GET', u.pathname + u.search);
      ids.push(...r.body.results.map((x: any) => x.id));
      next = r.body.next;
    }
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const t = await call('GET', '/api/images?pagination=next&limit=5&next_format=token');
    expect(t.body.count).toBe(23);
    const t2 = await call('GET', `/api/images?cursor=${t.body.next}&limit=5`);
    expect(t2.body.results[0].id).toBe(6);
    expect((await call('GET', '/api/stock?cursor=zzz')).status).toBe(400);
  });

  it('wraps pages under results on request and rejects unknown styles', async () => {
    expect((await call('GET', '/api/stock?offset=0&limit=2&envelope=results')).body.results).toHaveLength(2);
    expect((await call('GET', '/api/stock?pagination=pages')).body.error).toContain("'pages' is not one of");
  });
});

describe('dynamic-URL service route', () => {
  const run = (tok: string, params: string) => call('GET', `/(S(${tok}))/service/run?{'name': 'Akinon', 'Parameters': [${params}]}`, { auth: null });

  it('answers Barcodes and Date parameters with the token in the path', async () => {
    const bySku = await run(token, "{'Name': 'Barcodes', 'Value': '12345,1234'}");
    expect(bySku.body.map((x: any) => x.sku)).toEqual(['12345', '1234']);
    const byDate = await run(token, `{'Name': 'Date', 'Value': '${formatErpDate(NOW - 2.5 * 60_000).slice(0, 19)}'}`);
    expect(byDate.body.map((x: any) => x.id)).toEqual([24, 25]);
    expect((await run('bad', "{'Name': 'Barcodes', 'Value': '1'}")).status).toBe(401);
    expect((await run(token, "{'Name': 'Colour', 'Value': '1'}")).body.error).toContain("unknown service parameter 'Colour'");
  });
});

describe('faults', () => {
  it('fails the next N requests, delays, and forces re-login once', async () => {
    sim.faults({ failNext: 1 });
    expect((await call('GET', '/api/stock')).status).toBe(500);
    expect((await call('GET', '/api/stock')).status).toBe(200);
    sim.faults({ unauthorizedOnce: true });
    expect((await call('GET', '/api/stock')).status).toBe(401);
    expect((await call('GET', '/api/stock')).status).toBe(401);
    const set = await fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ delayMs: 20, failNext: 1, failStatus: 502 }) });
    expect(await set.json()).toEqual({ failNext: 1, failStatus: 502, failPath: '', delayMs: 20, unauthorizedOnce: false });
    expect((await call('POST', '/auth/token', { body: '{}', auth: null })).status).toBe(502);
    expect(sim.state.counters.faultsInjected).toBeGreaterThanOrEqual(3);
    expect(sim.state.requests.at(-1)).toMatchObject({ path: '/auth/token', status: 502 });
    sim.resetFaults();
  });

  it('fails only the requests whose path starts with failPath', async () => {
    sim.faults({ failNext: 1, failStatus: 503, failPath: '/api/stock' });
    expect((await call('POST', '/auth/token', { body: '{}', auth: null })).status).not.toBe(503);
    expect((await call('GET', '/api/stock')).status).toBe(503);
    expect((await call('GET', '/api/stock')).status).toBe(200);
    expect(sim.faults({}).failNext).toBe(0);
    sim.resetFaults();
    expect(sim.faults({}).failPath).toBe('');
  });
});

it('treats a bare limit as the first page', async () => {
  const r = await fetch(`${sim.url}/api/stock?limit=3`, { headers: { authorization: `Bearer ${sim.issueToken()}` } });
  expect(((await r.json()) as { id: number }[]).map((x) => x.id)).toEqual([1, 2, 3]);
});
