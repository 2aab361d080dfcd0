import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildImageRows, buildStockRows, parseErpDate, type ErpImageRow, type ErpStockRow } from './erp-data.js';
import { Faults, type FaultSettings, readBody, sendJson, SimRequestError, sleep } from '@sluice/sim-kit';

export type ErpAuthMode = 'none' | 'jwt' | 'basic' | 'apiKey';

export interface ErpSimOptions {
  readonly port?: number;
  /** How `/api/*` requests authenticate (default `jwt`: `Authorization: Bearer <access_token>`). */
  readonly auth?: ErpAuthMode;
  /** Username/password for `/auth/token` (password grant and JSON) and for Basic auth. */
  readonly username?: string;
  readonly password?: string;
  /** OAuth2 client credentials accepted by `/auth/token`. */
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Static key for `apiKey` mode, sent in `apiKeyHeader` (default `x-api-key`). */
  readonly apiKey?: string;
  readonly apiKeyHeader?: string;
  /** Token lifetime in seconds (default 3600). */
  readonly tokenTtlSec?: number;
  /** Generated stock and image rows besides the seed rows (default 50 each). */
  readonly generatedRows?: number;
  readonly stockList?: string;
  /** Which rows the dynamic-URL service route answers with (default `stock`). */
  readonly serviceResource?: 'stock' | 'images';
  readonly now?: number;
  readonly requestLogLimit?: number;
}

export interface ErpRequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly status: number;
  /** Rows in the reply. */
  readonly rows: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface ErpSimState {
  /** Mutable: tests may replace or extend rows. Keep ids ascending. */
  stockRows: ErpStockRow[];
  imageRows: ErpImageRow[];
  readonly tokens: Map<string, number>;
  readonly requests: ErpRequestLogEntry[];
  readonly counters: { requests: number; logins: number; failedLogins: number; unauthorized: number; rowsServed: number; faultsInjected: number };
}

export interface ErpSimHandle {
  readonly url: string;
  readonly port: number;
  readonly state: ErpSimState;
  readonly credentials: { username: string; password: string; clientId: string; clientSecret: string; apiKey: string; apiKeyHeader: string };
  faults(settings?: FaultSettings): Required<FaultSettings>;
  resetFaults(): void;
  expireTokens(): void;
  /** Issues a valid access token without a request (for tests). */
  issueToken(): string;
  close(): Promise<void>;
}

const MAX_LIMIT = 10_000;

/** Starts a small HTTP server that behaves like a merchant ERP's stock and image API on 127.0.0.1. */
export async function startErpSim(options: ErpSimOptions = {}): Promise<ErpSimHandle> {
  const mode = options.auth ?? 'jwt';
  const credentials = {
    username: options.username ?? 'erp-user',
    password: options.password ?? 'erp-pass',
    clientId: options.clientId ?? 'erp-client',
    clientSecret: options.clientSecret ?? 'erp-secret',
    apiKey: options.apiKey ?? 'erp-api-key',
    apiKeyHeader: (options.apiKeyHeader ?? 'x-api-key').toLowerCase(),
  };
  const ttlSec = options.tokenTtlSec ?? 3600;
  const now = options.now ?? Date.now();
  const generated = options.generatedRows ?? 50;
  const secret = randomBytes(16);
  const faults = new Faults();
  const logLimit = options.requestLogLimit ?? 10_000;
  const state: ErpSimState = {
    stockRows: buildStockRows(generated, options.stockList ?? '1', now),
    imageRows: buildImageRows(generated, now),
    tokens: new Map(),
    requests: [],
    counters: { requests: 0, logins: 0, failedLogins: 0, unauthorized: 0, rowsServed: 0, faultsInjected: 0 },
  };

  const issueToken = () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + ttlSec;
    const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: credentials.username, exp, jti: randomBytes(6).toString('hex') })}`;
    const token = `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
    state.tokens.set(token, Date.now() + ttlSec * 1000);
    return token;
  };
  const tokenValid = (token: string) => {
    const exp = state.tokens.get(token);
    return exp !== undefined && exp > Date.now();
  };

  type Outcome = { status: number; rows: number };

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<Outcome> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path.startsWith('/__sim/')) return simRoutes(res, path, method, body);

    if (faults.delayMs > 0) await sleep(faults.delayMs);
    const failure = faults.takeFailure(path);
    if (failure !== null) {
      state.counters.faultsInjected = faults.injected;
      sendJson(res, failure, { error: 'injected failure' });
      return { status: failure, rows: 0 };
    }

    if (path === '/auth/token') {
      if (method !== 'POST') return send(res, 405, { error: `method ${method} not allowed` });
      return login(req, res, body);
    }

    const service = /^\/\(S\(([^)]*)\)\)\/service\/run$/.exec(path);
    if (service) {
      if (!authorizedByPathToken(service[1]!)) return deny(res, 'session token in the URL is invalid or expired');
      return serviceRun(res, url);
    }

    if (path === '/api/stock.csv') {
      if (method !== 'GET') return send(res, 405, { error: `method ${method} not allowed` });
      const denied = checkAuth(req);
      if (denied) return deny(res, denied);
      const rows = filterStock(collectParams(url, ''));
      const text = stockCsv(rows);
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return { status: 200, rows: rows.length };
    }

    if (path === '/api/stock' || path === '/api/images') {
      if (method !== 'GET' && method !== 'POST') return send(res, 405, { error: `method ${method} not allowed` });
      const denied = checkAuth(req);
      if (denied) return deny(res, denied);
      const params = collectParams(url, method === 'POST' ? body : '');
      const rows = path === '/api/stock' ? filterStock(params) : filterImages(params);
      return paginate(res, url, params, rows);
    }
    return send(res, 404, { error: `no route for ${method} ${path}` });
  }

  /** The stock rows as an ERP's CSV export writes them: a header line, RFC 4180 quoting, CRLF line ends. */
  function stockCsv(rows: readonly ErpStockRow[]): string {
    const cell = (v: unknown) => {
      const t = String(v);
      return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
    };
    const columns = ['id', 'sku', 'stock', 'stock_list', 'unit_type', 'updated_date'] as const;
    return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
  }

  function send(res: ServerResponse, status: number, payload: unknown, rows = 0): Outcome {
    sendJson(res, status, payload);
    return { status, rows };
  }

  function deny(res: ServerResponse, reason: string): Outcome {
    state.counters.unauthorized++;
    return send(res, 401, { error: 'unauthorized', detail: reason });
  }

  function login(req: IncomingMessage, res: ServerResponse, body: string): Outcome {
    const type = String(req.headers['content-type'] ?? '');
    let fields: Record<string, string>;
    if (type.includes('application/x-www-form-urlencoded')) {
      fields = Object.fromEntries(new URLSearchParams(body));
    } else {
      let parsed: unknown;
      try {
        parsed = body.trim() === '' ? {} : JSON.parse(body);
      } catch (e) {
        throw new SimRequestError(400, `request body is not valid JSON: ${(e as Error).message}`);
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SimRequestError(400, 'expected a JSON object');
      fields = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    }
    // Client credentials may also arrive as HTTP Basic (RFC 6749 §2.3.1).
    const basic = parseBasic(req.headers.authorization);
    const grant = fields['grant_type'] ?? 'password';
    let ok = false;
    if (grant === 'client_credentials') {
      const id = fields['client_id'] ?? basic?.user;
      const sec = fields['client_secret'] ?? basic?.pass;
      ok = id === credentials.clientId && sec === credentials.clientSecret;
    } else if (grant === 'password') {
      ok = fields['username'] === credentials.username && fields['password'] === credentials.password;
    } else {
      return send(res, 400, { error: 'unsupported_grant_type', detail: `grant_type '${grant}' is not supported` });
    }
    if (!ok) {
      state.counters.failedLogins++;
      return send(res, 401, { error: 'invalid_grant', detail: 'bad credentials' });
    }
    state.counters.logins++;
    return send(res, 200, { access_token: issueToken(), token_type: 'Bearer', expires_in: ttlSec });
  }

  function checkAuth(req: IncomingMessage): string | null {
    if (faults.takeUnauthorized()) {
      state.tokens.clear();
      state.counters.faultsInjected = faults.injected;
      return 'token expired';
    }
    switch (mode) {
      case 'none':
        return null;
      case 'jwt': {
        const m = /^Bearer\s+(\S+)$/.exec(req.headers.authorization ?? '');
        if (!m) return 'missing Authorization: Bearer <token>';
        return tokenValid(m[1]!) ? null : 'token invalid or expired';
      }
      case 'basic': {
        const b = parseBasic(req.headers.authorization);
        if (!b) return 'missing Authorization: Basic credentials';
        return b.user === credentials.username && b.pass === credentials.password ? null : 'bad Basic credentials';
      }
      case 'apiKey':
        return req.headers[credentials.apiKeyHeader] === credentials.apiKey ? null : `missing or wrong ${credentials.apiKeyHeader} header`;
    }
  }

  function authorizedByPathToken(token: string): boolean {
    if (faults.takeUnauthorized()) {
      state.tokens.clear();
      state.counters.faultsInjected = faults.injected;
      return false;
    }
    return mode === 'none' || tokenValid(token);
  }

  function collectParams(url: URL, body: string): Map<string, string> {
    const params = new Map(url.searchParams);
    if (body.trim() !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch (e) {
        throw new SimRequestError(400, `request body is not valid JSON: ${(e as Error).message}`);
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SimRequestError(400, 'POST body must be a JSON object of parameters');
      for (const [k, v] of Object.entries(parsed)) params.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    }
    return params;
  }

  function dateFilter(params: Map<string, string>): number | null {
    const raw = params.get('modified_date__gt');
    if (raw === undefined || raw === '') return null;
    const t = parseErpDate(raw);
    if (t === null) throw new SimRequestError(400, `modified_date__gt '${raw}' is not a date (yyyy-MM-ddTHH:mm:ss.SSSSSS or ISO-8601)`);
    return t;
  }

  function skuFilter(params: Map<string, string>): Set<string> | null {
    const raw = params.get('sku');
    return raw === undefined || raw === '' ? null : new Set(raw.split(',').map((s) => s.trim()));
  }

  function filterStock(params: Map<string, string>): ErpStockRow[] {
    const after = dateFilter(params);
    const skus = skuFilter(params);
    const list = params.get('stock_list');
    return state.stockRows.filter(
      (r) => (after === null || parseErpDate(r.updated_date)! > after) && (skus === null || skus.has(r.sku)) && (list === undefined || list === '' || r.stock_list === list),
    );
  }

  function filterImages(params: Map<string, string>): ErpImageRow[] {
    const after = dateFilter(params);
    const skus = skuFilter(params);
    return state.imageRows.filter((r) => (after === null || parseErpDate(r.updated_date)! > after) && (skus === null || skus.has(r.sku)));
  }

  function paginate(res: ServerResponse, url: URL, params: Map<string, string>, rows: readonly { id: number }[]): Outcome {
    const style = params.get('pagination') ?? (params.has('after') ? 'seek' : params.has('cursor') ? 'next' : params.has('offset') || params.has('limit') ? 'offset' : 'none');
    const limit = intParam(params, 'limit', 100, 1, MAX_LIMIT);
    const wrap = (page: readonly unknown[]) => (params.get('envelope') === 'results' ? { results: page } : page);
    let page: readonly { id: number }[];
    switch (style) {
      case 'none':
        page = rows;
        return send(res, 200, wrap(page), page.length);
      case 'offset': {
        const offset = intParam(params, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
        page = rows.slice(offset, offset + limit);
        return send(res, 200, wrap(page), page.length);
      }
      case 'seek': {
        const raw = params.get('after');
        const after = raw === undefined || raw === '' ? 0 : Number(raw);
        if (!Number.isFinite(after)) throw new SimRequestError(400, `after must be the id of the last row, got '${raw}'`);
        const start = rows.findIndex((r) => r.id > after);
        page = start < 0 ? [] : rows.slice(start, start + limit);
        return send(res, 200, wrap(page), page.length);
      }
      case 'next': {
        const cursor = params.get('cursor');
        let offset = 0;
        if (cursor !== undefined && cursor !== '') {
          const decoded = /^o(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
          if (!decoded) throw new SimRequestError(400, `cursor '${cursor}' is not a cursor this server issued`);
          offset = Number(decoded[1]);
        }
        page = rows.slice(offset, offset + limit);
        let next: string | null = null;
        if (offset + limit < rows.length) {
          const token = Buffer.from(`o${offset + limit}`).toString('base64url');
          if (params.get('next_format') === 'token') next = token;
          else {
            const u = new URL(url.pathname + url.search, handleRef.url);
            u.searchParams.set('pagination', 'next');
            u.searchParams.set('cursor', token);
            u.searchParams.set('limit', String(limit));
            next = u.toString();
          }
        }
        return send(res, 200, { count: rows.length, next, results: page }, page.length);
      }
      default:
        throw new SimRequestError(400, `pagination '${style}' is not one of none, offset, seek, next`);
    }
  }

  /** The dynamic-URL route: `/(S(<token>))/service/run?{'name': 'Akinon', 'Parameters': [{'Name': 'Barcodes'|'Date', 'Value': …}]}`. */
  function serviceRun(res: ServerResponse, url: URL): Outcome {
    const raw = decodeURIComponent(url.search.slice(1));
    let call: { name?: unknown; Parameters?: unknown };
    try {
      // The query is a Python-style dict literal: single quotes around keys and values.
      call = JSON.parse(raw.replace(/'/g, '"')) as typeof call;
    } catch {
      throw new SimRequestError(400, `service call '${raw}' is not a {'name': …, 'Parameters': […]} object`);
    }
    if (typeof call.name !== 'string' || !Array.isArray(call.Parameters)) throw new SimRequestError(400, "service call needs 'name' and a 'Parameters' list");
    const params = new Map<string, string>();
    for (const p of call.Parameters as { Name?: unknown; Value?: unknown }[]) {
      if (p.Name === 'Barcodes') params.set('sku', String(p.Value ?? ''));
      else if (p.Name === 'Date') params.set('modified_date__gt', String(p.Value ?? ''));
      else throw new SimRequestError(400, `unknown service parameter '${String(p.Name)}' (expected Barcodes or Date)`);
    }
    const rows = options.serviceResource === 'images' ? filterImages(params) : filterStock(params);
    return send(res, 200, rows, rows.length);
  }

  function simRoutes(res: ServerResponse, path: string, method: string, body: string): Outcome {
    if (path === '/__sim/faults' && method === 'POST') {
      let parsed: FaultSettings & { reset?: boolean; expireTokens?: boolean };
      try {
        parsed = JSON.parse(body || '{}') as typeof parsed;
      } catch (e) {
        throw new SimRequestError(400, `request body is not valid JSON: ${(e as Error).message}`);
      }
      if (parsed.reset) faults.reset();
      if (parsed.expireTokens) state.tokens.clear();
      faults.apply(parsed);
      return send(res, 200, faults.snapshot());
    }
    if (path === '/__sim/faults' && method === 'GET') return send(res, 200, faults.snapshot());
    if (path === '/__sim/state' && method === 'GET') return send(res, 200, { counters: state.counters, stockRows: state.stockRows.length, imageRows: state.imageRows.length });
    return send(res, 404, { error: `no route for ${method} ${path}` });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isSim = url.pathname.startsWith('/__sim/');
    if (!isSim) state.counters.requests++;
    let body = '';
    const done = (o: Outcome) => {
      if (isSim) return;
      state.counters.rowsServed += o.rows;
      state.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, status: o.status, rows: o.rows, headers: req.headers, body });
      if (state.requests.length > logLimit) state.requests.splice(0, state.requests.length - logLimit);
    };
    readBody(req)
      .then((text) => {
        body = text;
        return handle(req, res, url, text);
      })
      .then(done, (err: unknown) => {
        const status = err instanceof SimRequestError ? err.status : 500;
        if (!res.headersSent) sendJson(res, status, { error: err instanceof Error ? err.message : String(err) });
        else res.end();
        done({ status, rows: 0 });
      });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const handleRef: ErpSimHandle = {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    credentials,
    faults(settings) {
      if (settings) faults.apply(settings);
      return faults.snapshot();
    },
    resetFaults: () => faults.reset(),
    expireTokens: () => state.tokens.clear(),
    issueToken,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
  return handleRef;
}

function parseBasic(header: string | undefined): { user: string; pass: string } | null {
  const m = /^Basic\s+(\S+)$/.exec(header ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? null : { user: text.slice(0, i), pass: text.slice(i + 1) };
}

function intParam(params: Map<string, string>, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new SimRequestError(400, `${name} must be a non-negative integer, got '${raw}'`);
  const n = Number(raw);
  if (n < min || n > max) throw new SimRequestError(400, `${name} must be between ${min} and ${max}`);
  return n;
}
