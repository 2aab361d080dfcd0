import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOmnitronSim, type OmnitronSimHandle } from './index.js';

const NOW = Date.parse('2025-06-15T12:00:00Z');
let sim: OmnitronSimHandle;
let token: string;

async function call(method: string, path: string, body?: unknown, auth: string | null = `Token ${token}`) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth) headers['authorization'] = auth;
  const res = await fetch(sim.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  sim = await startOmnitronSim({ generatedProducts: 20, stockLists: ['1', '34'], now: NOW });
});
afterAll(() => sim.close());
beforeEach(async () => {
  sim.resetFaults();
  const r = await call('POST', '/api/v1/auth/login/', { username: 'integrator', password: 'integrator-pass' }, null);
  token = r.body.key;
});

describe('login', () => {
  it('issues a token for good credentials and rejects bad or missing ones', async () => {
    expect(token).toMatch(/^[0-9a-f]{40}$/);
    const bad = await call('POST', '/api/v1/auth/login/', { username: 'integrator', password: 'nope' }, null);
    expect(bad.status).toBe(400);
    expect(bad.body.non_field_errors[0]).toContain('Unable to log in');
    expect((await call('POST', '/api/v1/auth/login/', { username: 'integrator' }, null)).status).toBe(400);
    expect((await call('POST', '/api/v1/auth/login/', undefined, null)).body.detail).toContain('body is empty');
  });

  it('requires Authorization: Token <key> everywhere else', async () => {
    expect((await call('GET', '/api/v1/products/', undefined, null)).status).toBe(401);
    expect((await call('GET', '/api/v1/products/', undefined, 'Token nope')).body.detail).toBe('Invalid token.');
    expect((await call('GET', '/api/v1/products/', undefined, `Bearer ${token}`)).status).toBe(401);
    expect((await call('GET', '/api/v1/products/')).status).toBe(200);
  });
});

describe('stock bulk upsert', () => {
  it('stores the seed payload and answers per row', async () => {
    const rows = [
      { stock_list: '1', unit_type: 'qty', product_sku: '1234', stock: 0, batch_id: 'b-1' },
      { stock_list: '1', unit_type: 'qty', product_sku: '12345', stock: 1, batch_id: 'b-1' },
      { stock_list: '1', unit_type: 'qty', product_sku: '12344', stock: 26, batch_id: 'b-1' },
      { stock_list: '1', unit_type: 'qty', product_sku: 'NOPE', stock: 3, batch_id: 'b-1' },
      { stock_list: '1', unit_type: 'qty', product_sku: '12346', stock: 'abc', batch_id: 'b-1' },
      { stock_list: '99', unit_type: 'qty', product_sku: '12346', stock: 1, batch_id: 'b-1' },
      { stock_list: '1', unit_type: 'qty', stock: 1, batch_id: 'b-1' },
    ];
    const r = await call('POST', '/api/i1/product_stock/bulk_upsert/', rows);
    expect(r.status).toBe(200);
    expect(r.body.map((x: any) => x.status)).toEqual(['success', 'success', 'success', 'error', 'error', 'error', 'error']);
    expect(r.body[3].error).toBe('product not found');
    expect(r.body[4].error).toContain('stock must be a number');
    expect(r.body[5].error).toBe('stock list not found');
    expect(r.body[6].error).toBe('product_sku is required');
    expect(sim.state.stock.get('1')!.get('12344')).toEqual({ stock: 26, unit_type: 'qty', batch_id: 'b-1' });
    expect(sim.state.requests.at(-1)).toMatchObject({ path: '/api/i1/product_stock/bulk_upsert/', status: 200, rows: 7 });
  });

  it('accepts numeric strings and rejects a body that is not an array', async () => {
    const r = await call('POST', '/api/i1/product_stock/bulk_upsert/', [{ stock_list: '34', product_sku: '12347', stock: '9' }]);
    expect(r.body[0]).toMatchObject({ status: 'success', stock: 9 });
    const bad = await call('POST', '/api/i1/product_stock/bulk_upsert/', { product_sku: '1' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('JSON array');
  });
});

describe('downloadable images', () => {
  it('stores images for a known product and rejects unknown SKUs with a reason', async () => {
    const images = [1, 2, 3].map((order) => ({ url: `https://test.project.com.tr/test_template-${order}.jpg`, order }));
    const ok = await call('POST', '/api/v1/downloadable-image/', { product_sku: '1234', images });
    expect(ok.status).toBe(201);
    expect(sim.state.images.get('1234')).toEqual(images);
    const unknown = await call('POST', '/api/v1/downloadable-image/', { product_sku: 'NOPE', images });
    expect(unknown).toEqual({ status: 400, body: { detail: 'product not found', product_sku: 'NOPE' } });
    const badUrl = await call('POST', '/api/v1/downloadable-image/', { product_sku: '1234', images: [{ url: 'x', order: 1 }] });
    expect(badUrl.body.detail).toContain('images[0].url');
  });
});

describe('product queries for fetch-missing', () => {
  it('lists products productized since a date with no stock in a stock list', async () => {
    const since = new Date(NOW - 3.5 * 86_400_000).toISOString();
    const r = await call('GET', `/api/v1/products/?productized_date__gte=${since}&missing_stock_list=34&limit=1000`);
    const skus = r.body.results.map((p: any) => p.sku);
    // seed products 1..3 days old, generated ones 1..3 days old that are odd (even ones have stock)
    expect(skus).toEqual(expect.arrayContaining(['1234', '12344', '12345', 'SKU-000001', 'SKU-000003']));
    expect(skus).not.toContain('SKU-000002');
    expect(skus).not.toContain('12346');
    expect(r.body.results[0]).toEqual({ pk: 1, sku: '1234', base_code: 'test_template', productized_date: new Date(NOW - 86_400_000).toISOString() });
  });

  it('lists products without images and pages with offset/limit and a next link', async () => {
    const r = await call('GET', '/api/v1/products/?missing_images=true&limit=5');
    expect(r.body.results).toHaveLength(5);
    expect(r.body.count).toBeGreaterThan(5);
    const next = new URL(r.body.next);
    expect(next.searchParams.get('offset')).toBe('5');
    const more = await call('GET', next.pathname + next.search);
    expect(more.body.results[0].sku).not.toBe(r.body.results[0].sku);
    expect((await call('GET', '/api/v1/products/?missing_images=true&limit=x')).status).toBe(400);
    expect((await call('GET', '/api/v1/products/?missing_stock_list=77')).body.detail).toContain("'77' not found");
  });

  it('reads stock of a list', async () => {
    const r = await call('GET', '/api/v1/product_stocks/?stock_list=1&product_sku=SKU-000002');
    expect(r.body.results).toEqual([{ product_sku: 'SKU-000002', stock_list: '1', stock: 2, unit_type: 'qty', batch_id: null }]);
  });
});

describe('faults', () => {
  it('fails the next N requests with 500 and then recovers', async () => {
    sim.faults({ failNext: 2 });
    expect((await call('GET', '/api/v1/products/')).status).toBe(500);
    expect((await call('GET', '/api/v1/products/')).status).toBe(500);
    expect((await call('GET', '/api/v1/products/')).status).toBe(200);
    expect(sim.state.counters.faultsInjected).toBeGreaterThanOrEqual(2);
  });

  it('answers 401 once and revokes tokens so the client must log in again', async () => {
    sim.faults({ unauthorizedOnce: true });
    expect((await call('GET', '/api/v1/products/')).status).toBe(401);
    expect((await call('GET', '/api/v1/products/')).status).toBe(401);
    const again = await call('POST', '/api/v1/auth/login/', { username: 'integrator', password: 'integrator-pass' }, null);
    token = again.body.key;
    expect((await call('GET', '/api/v1/products/')).status).toBe(200);
  });

  it('takes faults over HTTP and delays replies', async () => {
    const set = await call('POST', '/__sim/faults', { delayMs: 30, failNext: 1, failStatus: 503 }, null);
    expect(set.body).toEqual({ failNext: 1, failStatus: 503, failPath: '', delayMs: 30, unauthorizedOnce: false });
    expect((await call('GET', '/api/v1/products/')).status).toBe(503);
    expect(sim.faults().delayMs).toBe(30);
    await call('POST', '/__sim/faults', { reset: true }, null);
    expect(sim.faults()).toEqual({ failNext: 0, failStatus: 500, failPath: '', delayMs: 0, unauthorizedOnce: false });
    expect((await call('POST', '/__sim/faults', { failNext: -1 }, null)).status).toBe(400);
    const st = await call('GET', '/__sim/state', undefined, null);
    expect(st.body.counters.logins).toBeGreaterThan(0);
  });

  it('expires tokens on demand', async () => {
    sim.expireTokens();
    expect((await call('GET', '/api/v1/products/')).status).toBe(401);
  });
});

it('counts each delivered stock row per batch_id and SKU when asked to', async () => {
  const tracking = await startOmnitronSim({ generatedProducts: 5, trackDeliveries: true });
  try {
    const key = tracking.issueToken();
    const send = (rows: unknown[]) =>
      fetch(`${tracking.url}/api/i1/product_stock/bulk_upsert/`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${key}` }, body: JSON.stringify(rows) });
    await send([{ stock_list: '1', product_sku: '1234', stock: 1, batch_id: 'b' }, { stock_list: '1', product_sku: 'NOPE', stock: 1, batch_id: 'b' }]);
    await send([{ stock_list: '1', product_sku: '1234', stock: 2, batch_id: 'b' }]);
    expect([...tracking.state.deliveries]).toEqual([
      ['b|1234', 2],
      ['b|NOPE', 1],
    ]);
    expect(sim.state.deliveries.size).toBe(0);
  } finally {
    await tracking.close();
  }
});

it('answers 404 for unknown routes and 405 for wrong methods', async () => {
  expect((await call('GET', '/api/v9/nothing/')).status).toBe(404);
  expect((await call('GET', '/api/i1/product_stock/bulk_upsert/')).status).toBe(405);
});
