import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildCatalogue, type ImageRecord, type Product, type StockRecord } from './catalogue.js';
import { Faults, type FaultSettings, readJson, sendJson, SimRequestError, sleep } from '@sluice/sim-kit';

export interface OmnitronSimOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** username → password; default `{ integrator: 'integrator-pass' }`. */
  readonly users?: Readonly<Record<string, string>>;
  /** Generated products besides the seed SKUs (default 100). */
  readonly generatedProducts?: number;
  /** Stock list ids that exist (default `['1']`). */
  readonly stockLists?: readonly string[];
  /** Reference time for productization dates (default: now). */
  readonly now?: number;
  /** Keep at most this many request log entries (default 10000; oldest dropped). */
  readonly requestLogLimit?: number;
  /** Count every stock row received per batch_id and SKU in `state.deliveries` (for duplicate checks; off by default). */
  readonly trackDeliveries?: boolean;
}

export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly status: number;
  /** Rows in a bulk upsert body, else 0. */
  readonly rows: number;
  readonly authorization: string | null;
}

export interface OmnitronCounters {
  requests: number;
  logins: number;
  failedLogins: number;
  unauthorized: number;
  stockRowsReceived: number;
  stockRowsWritten: number;
  stockRowsFailed: number;
  imagesWritten: number;
  imageRequestsFailed: number;
  faultsInjected: number;
}

export interface OmnitronSimState {
  readonly products: Map<string, Product>;
  /** stock list id → sku → record. */
  readonly stock: Map<string, Map<string, StockRecord>>;
  /** sku → images. */
  readonly images: Map<string, ImageRecord[]>;
  readonly requests: RequestLogEntry[];
  readonly counters: OmnitronCounters;
  readonly tokens: Set<string>;
  /** `batch_id|sku` → how many times a bulk upsert carried that row (only with `trackDeliveries`). */
  readonly deliveries: Map<string, number>;
}

export interface OmnitronSimHandle {
  readonly url: string;
  readonly port: number;
  readonly state: OmnitronSimState;
  /** Sets faults (see `FaultSettings`); `faults()` with no argument reads them. */
  faults(settings?: FaultSettings): Required<FaultSettings>;
  resetFaults(): void;
  /** Revokes every issued token, as if they all expired. */
  expireTokens(): void;
  /** Logs in as the first configured user and returns the token (for tests). */
  issueToken(): string;
  close(): Promise<void>;
}

const PAGE_LIMIT_MAX = 1000;

/** Starts a small HTTP server that answers Omnitron's integration endpoints on 127.0.0.1. */
export async function startOmnitronSim(options: OmnitronSimOptions = {}): Promise<OmnitronSimHandle> {
  const users = options.users ?? { integrator: 'integrator-pass' };
  const stockLists = options.stockLists ?? ['1'];
  const logLimit = options.requestLogLimit ?? 10_000;
  const catalogue = buildCatalogue(options.generatedProducts ?? 100, stockLists, options.now ?? Date.now());
  const faults = new Faults();
  const state: OmnitronSimState = {
    ...catalogue,
    requests: [],
    tokens: new Set(),
    deliveries: new Map(),
    counters: {
      requests: 0, logins: 0, failedLogins: 0, unauthorized: 0, stockRowsReceived: 0, stockRowsWritten: 0,
      stockRowsFailed: 0, imagesWritten: 0, imageRequestsFailed: 0, faultsInjected: 0,
    },
  };

  const newToken = () => {
    const key = randomBytes(20).toString('hex');
    state.tokens.add(key);
    return key;
  };

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<{ status: number; rows: number }> {
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (path.startsWith('/__sim/')) return simRoutes(req, res, path, method);

    if (faults.delayMs > 0) await sleep(faults.delayMs);
    const failure = faults.takeFailure(path);
    if (failure !== null) {
      state.counters.faultsInjected = faults.injected;
      sendJson(res, failure, { detail: 'injected failure' });
      return { status: failure, rows: 0 };
    }

    if (path === '/api/v1/auth/login/') {
      if (method !== 'POST') return methodNotAllowed(res, method);
      const body = await readJson(req);
      const { username, password } = (body ?? {}) as { username?: unknown; password?: unknown };
      if (typeof username !== 'string' || typeof password !== 'string' || username === '' || password === '') {
        state.counters.failedLogins++;
        sendJson(res, 400, { non_field_errors: ['Must include "username" and "password".'] });
        return { status: 400, rows: 0 };
      }
      if (users[username] !== password) {
        state.counters.failedLogins++;
        sendJson(res, 400, { non_field_errors: ['Unable to log in with provided credentials.'] });
        return { status: 400, rows: 0 };
      }
      state.counters.logins++;
      sendJson(res, 200, { key: newToken() });
      return { status: 200, rows: 0 };
    }

    const auth = req.headers.authorization;
    const match = auth ? /^Token\s+(\S+)$/.exec(auth) : null;
    if (!match) return unauthorized(res, 'Authentication credentials were not provided.');
    if (faults.takeUnauthorized()) {
      state.tokens.clear();
      state.counters.faultsInjected = faults.injected;
      return unauthorized(res, 'Invalid token.');
    }
    if (!state.tokens.has(match[1]!)) return unauthorized(res, 'Invalid token.');

    if (path === '/api/i1/product_stock/bulk_upsert/') {
      if (method !== 'POST') return methodNotAllowed(res, method);
      return bulkUpsert(res, await readJson(req));
    }
    if (path === '/api/v1/downloadable-image/') {
      if (method !== 'POST') return methodNotAllowed(res, method);
      return downloadableImage(res, await readJson(req));
    }
    if (path === '/api/v1/products/') {
      if (method !== 'GET') return methodNotAllowed(res, method);
      return listProducts(res, url);
    }
    if (path === '/api/v1/product_stocks/') {
      if (method !== 'GET') return methodNotAllowed(res, method);
      return listStocks(res, url);
    }
    sendJson(res, 404, { detail: `no route for ${method} ${path}` });
    return { status: 404, rows: 0 };
  }

  function unauthorized(res: ServerResponse, detail: string) {
    state.counters.unauthorized++;
    sendJson(res, 401, { detail });
    return { status: 401, rows: 0 };
  }

  function bulkUpsert(res: ServerResponse, body: unknown) {
    if (!Array.isArray(body)) throw new SimRequestError(400, 'bulk_upsert expects a JSON array of stock rows');
    state.counters.stockRowsReceived += body.length;
    const results = body.map((row: unknown) => {
      const r = (row ?? {}) as Record<string, unknown>;
      const sku = typeof r['product_sku'] === 'string' || typeof r['product_sku'] === 'number' ? String(r['product_sku']) : null;
      if (options.trackDeliveries) {
        const key = `${String(r['batch_id'] ?? '')}|${sku ?? ''}`;
        state.deliveries.set(key, (state.deliveries.get(key) ?? 0) + 1);
      }
      const listId = r['stock_list'] === undefined || r['stock_list'] === null ? null : String(r['stock_list']);
      const fail = (error: string) => {
        state.counters.stockRowsFailed++;
        return { product_sku: sku, stock_list: listId, status: 'error', error };
      };
      if (sku === null || sku === '') return fail('product_sku is required');
      if (listId === null || listId === '') return fail('stock_list is required');
      const list = state.stock.get(listId);
      if (!list) return fail('stock list not found');
      if (!state.products.has(sku)) return fail('product not found');
      const raw = r['stock'];
      const stock = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      if (!Number.isFinite(stock)) return fail(`stock must be a number, got ${JSON.stringify(raw ?? null)}`);
      list.set(sku, { stock, unit_type: typeof r['unit_type'] === 'string' ? r['unit_type'] : 'qty', batch_id: typeof r['batch_id'] === 'string' ? r['batch_id'] : null });
      state.counters.stockRowsWritten++;
      return { product_sku: sku, stock_list: listId, status: 'success', stock };
    });
    sendJson(res, 200, results);
    return { status: 200, rows: body.length };
  }

  function downloadableImage(res: ServerResponse, body: unknown) {
    const b = (body ?? {}) as Record<string, unknown>;
    const reject = (detail: string) => {
      state.counters.imageRequestsFailed++;
      sendJson(res, 400, { detail, product_sku: b['product_sku'] ?? null });
      return { status: 400, rows: 0 };
    };
    if (Array.isArray(body) || typeof body !== 'object' || body === null) return reject('expected one JSON object {product_sku, images}');
    const sku = b['product_sku'];
    if (typeof sku !== 'string' || sku === '') return reject('product_sku is required');
    if (!state.products.has(sku)) return reject('product not found');
    const images = b['images'];
    if (!Array.isArray(images) || images.length === 0) return reject('images must be a non-empty array');
    const parsed: ImageRecord[] = [];
    for (const [i, img] of images.entries()) {
      const im = (img ?? {}) as Record<string, unknown>;
      if (typeof im['url'] !== 'string' || !/^https?:\/\//.test(im['url'])) return reject(`images[${i}].url must be an http(s) URL`);
      const order = Number(im['order']);
      if (!Number.isInteger(order)) return reject(`images[${i}].order must be an integer`);
      parsed.push({ url: im['url'], order });
    }
    state.images.set(sku, parsed);
    state.counters.imagesWritten += parsed.length;
    sendJson(res, 201, { product_sku: sku, images: parsed });
    return { status: 201, rows: 0 };
  }

  function listProducts(res: ServerResponse, url: URL) {
    const q = url.searchParams;
    let items = [...state.products.values()];
    const gte = q.get('productized_date__gte');
    if (gte !== null) {
      const t = Date.parse(gte);
      if (Number.isNaN(t)) throw new SimRequestError(400, `productized_date__gte '${gte}' is not a date`);
      items = items.filter((p) => Date.parse(p.productized_date) >= t);
    }
    const missing = q.get('missing_stock_list');
    if (missing !== null) {
      const list = state.stock.get(missing);
      if (!list) throw new SimRequestError(400, `stock list '${missing}' not found`);
      items = items.filter((p) => !list.has(p.sku));
    }
    const missingImages = q.get('missing_images');
    if (missingImages === 'true') items = items.filter((p) => !(state.images.get(p.sku)?.length));
    const skus = q.get('sku__in');
    if (skus !== null) {
      const wanted = new Set(skus.split(',').map((s) => s.trim()));
      items = items.filter((p) => wanted.has(p.sku));
    }
    const baseCode = q.get('base_code');
    if (baseCode !== null) items = items.filter((p) => p.base_code === baseCode);
    return page(res, url, items);
  }

  function listStocks(res: ServerResponse, url: URL) {
    const listId = url.searchParams.get('stock_list');
    if (listId === null) throw new SimRequestError(400, 'stock_list is required');
    const list = state.stock.get(listId);
    if (!list) throw new SimRequestError(400, `stock list '${listId}' not found`);
    const sku = url.searchParams.get('product_sku');
    const items = [...list.entries()]
      .filter(([s]) => sku === null || s === sku)
      .map(([s, r]) => ({ product_sku: s, stock_list: listId, stock: r.stock, unit_type: r.unit_type, batch_id: r.batch_id }));
    return page(res, url, items);
  }

  function page(res: ServerResponse, url: URL, items: unknown[]) {
    const limit = intParam(url, 'limit', 100, 1, PAGE_LIMIT_MAX);
    const offset = intParam(url, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const results = items.slice(offset, offset + limit);
    const nextUrl = offset + limit < items.length ? withParams(url, { offset: String(offset + limit), limit: String(limit) }) : null;
    const prevUrl = offset > 0 ? withParams(url, { offset: String(Math.max(0, offset - limit)), limit: String(limit) }) : null;
    sendJson(res, 200, { count: items.length, next: nextUrl, previous: prevUrl, results });
    return { status: 200, rows: 0 };
  }

  function withParams(url: URL, params: Record<string, string>): string {
    const u = new URL(url.pathname + url.search, handleRef.url);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u.toString();
  }

  async function simRoutes(req: IncomingMessage, res: ServerResponse, path: string, method: string) {
    if (path === '/__sim/faults' && method === 'POST') {
      const body = (await readJson(req)) as FaultSettings & { reset?: boolean; expireTokens?: boolean };
      if (body.reset) faults.reset();
      if (body.expireTokens) state.tokens.clear();
      faults.apply(body);
      sendJson(res, 200, faults.snapshot());
      return { status: 200, rows: 0 };
    }
    if (path === '/__sim/faults' && method === 'GET') {
      sendJson(res, 200, faults.snapshot());
      return { status: 200, rows: 0 };
    }
    if (path === '/__sim/state' && method === 'GET') {
      const stock: Record<string, Record<string, StockRecord>> = {};
      for (const [id, list] of state.stock) stock[id] = Object.fromEntries(list);
      sendJson(res, 200, { counters: state.counters, stock, images: Object.fromEntries(state.images), requests: state.requests.length });
      return { status: 200, rows: 0 };
    }
    sendJson(res, 404, { detail: `no route for ${method} ${path}` });
    return { status: 404, rows: 0 };
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isSim = url.pathname.startsWith('/__sim/');
    if (!isSim) state.counters.requests++;
    const done = (status: number, rows: number) => {
      if (isSim) return;
      state.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, status, rows, authorization: req.headers.authorization ?? null });
      if (state.requests.length > logLimit) state.requests.splice(0, state.requests.length - logLimit);
    };
    handle(req, res, url).then(
      (r) => done(r.status, r.rows),
      (err: unknown) => {
        const status = err instanceof SimRequestError ? err.status : 500;
        const detail = err instanceof Error ? err.message : String(err);
        if (!res.headersSent) sendJson(res, status, { detail });
        else res.end();
        done(status, 0);
      },
    );
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const handleRef: OmnitronSimHandle = {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    faults(settings) {
      if (settings) faults.apply(settings);
      return faults.snapshot();
    },
    resetFaults: () => faults.reset(),
    expireTokens: () => state.tokens.clear(),
    issueToken: () => newToken(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
  return handleRef;
}

function methodNotAllowed(res: ServerResponse, method: string) {
  sendJson(res, 405, { detail: `Method "${method}" not allowed.` });
  return { status: 405, rows: 0 };
}

function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new SimRequestError(400, `${name} must be a non-negative integer, got '${raw}'`);
  const n = Number(raw);
  if (n < min || n > max) throw new SimRequestError(400, `${name} must be between ${min} and ${max}`);
  return n;
}
