import { runJavaRegexJob } from '@sluice/expression';
import {
  HttpTransportError,
  utf8,
  type Clock,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type MapCacheEntry,
  type MapCacheStore,
  type ProcessorServices,
  type RegexEngine,
  type RegexJob,
  type RegexTextResult,
  type ScriptRequest,
  type ScriptResult,
  type ScriptRunner,
  type StateManager,
  type StateScope,
} from '@sluice/flow-api';

export interface ScriptedResponse {
  status: number;
  statusText?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | object;
  durationMs?: number;
}

type Responder = ScriptedResponse | HttpTransportError | ((request: HttpRequest) => ScriptedResponse | HttpTransportError | Promise<ScriptedResponse>);

/** An HttpClient that answers from a script and records every request. */
export class FakeHttpClient implements HttpClient {
  readonly requests: HttpRequest[] = [];
  private readonly queue: Responder[] = [];
  private fallback: Responder | null = null;

  /** Answers the next request (in order) with this response, error or function. */
  respond(responder: Responder): this {
    this.queue.push(responder);
    return this;
  }

  /** Answers every request without a queued response. */
  respondAlways(responder: Responder): this {
    this.fallback = responder;
    return this;
  }

  /** Fails the next request as a transport error (timeout, refused connection). */
  fail(message = 'connection refused', code: 'timeout' | 'connection' | 'other' = 'connection'): this {
    return this.respond(new HttpTransportError(message, code));
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    this.requests.push(request);
    const responder = this.queue.shift() ?? this.fallback;
    if (!responder) throw new Error(`FakeHttpClient: no scripted response for ${request.method} ${request.url}`);
    const r = typeof responder === 'function' ? await responder(request) : responder;
    if (r instanceof Error) throw r;
    const body = r.body === undefined ? new Uint8Array(0) : typeof r.body === 'string' ? utf8(r.body) : r.body instanceof Uint8Array ? r.body : utf8(JSON.stringify(r.body));
    return { status: r.status, statusText: r.statusText ?? defaultStatusText(r.status), headers: r.headers ?? {}, body, durationMs: r.durationMs ?? 1 };
  }

  /** The bodies of recorded requests as text. */
  bodies(): string[] {
    return this.requests.map((r) => (r.body === undefined ? '' : typeof r.body === 'string' ? r.body : new TextDecoder().decode(r.body)));
  }
}

function defaultStatusText(status: number): string {
  const known: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };
  return known[status] ?? '';
}

/** A ScriptRunner that answers from a function (or fixed results) and records requests. */
export class FakeScriptRunner implements ScriptRunner {
  readonly requests: ScriptRequest[] = [];
  constructor(private handler: (request: ScriptRequest) => ScriptResult | Promise<ScriptResult> = () => ({ outputs: [], taken: [], logs: [], durationMs: 0 })) {}

  setHandler(handler: (request: ScriptRequest) => ScriptResult | Promise<ScriptResult>): this {
    this.handler = handler;
    return this;
  }

  async run(request: ScriptRequest): Promise<ScriptResult> {
    this.requests.push(request);
    return this.handler(request);
  }
}

export class MemoryStateManager implements StateManager {
  private readonly scopes = new Map<StateScope, Record<string, string>>();
  /** Make reads (get) or writes (set, replace) of a scope fail, as nifi-mock's `setFailOnStateGet/Set` do. */
  readonly failOnGet = new Set<StateScope>();
  readonly failOnSet = new Set<StateScope>();

  private check(failing: Set<StateScope>, scope: StateScope, what: string): void {
    if (failing.has(scope)) throw new Error(`${what} ${scope} state failed (simulated)`);
  }

  async get(scope: StateScope = 'local'): Promise<Record<string, string>> {
    this.check(this.failOnGet, scope, 'reading');
    return { ...(this.scopes.get(scope) ?? {}) };
  }

  async set(state: Record<string, string>, scope: StateScope = 'local'): Promise<void> {
    this.check(this.failOnSet, scope, 'writing');
    this.scopes.set(scope, { ...state });
  }

  async replace(expected: Record<string, string>, next: Record<string, string>, scope: StateScope = 'local'): Promise<boolean> {
    this.check(this.failOnSet, scope, 'writing');
    const current = this.scopes.get(scope) ?? {};
    const same = Object.keys(current).length === Object.keys(expected).length && Object.entries(expected).every(([k, v]) => current[k] === v);
    if (!same) return false;
    this.scopes.set(scope, { ...next });
    return true;
  }

  async clear(scope: StateScope = 'local'): Promise<void> {
    this.scopes.delete(scope);
  }
}

/**
 * A map cache in memory with the host's rules (revisions, expiry on the clock). Pass one instance to several
 * runners' `services.mapCache` to let their processors share it, as a flow's processors do.
 */
export class MemoryMapCacheStore implements MapCacheStore {
  private readonly caches = new Map<string, Map<string, { value: string; revision: number; expiresAt: number | null }>>();
  /** Make every call fail, as an unreachable cache does. */
  failing = false;
  constructor(private readonly clock?: Clock) {}

  private entries(cache: string) {
    let m = this.caches.get(cache);
    if (!m) this.caches.set(cache, (m = new Map()));
    return m;
  }

  private live(cache: string, key: string) {
    if (this.failing) throw new Error('map cache unreachable (simulated)');
    const m = this.entries(cache);
    const e = m.get(key);
    if (e && e.expiresAt !== null && this.clock && e.expiresAt <= this.clock.now()) {
      m.delete(key);
      return undefined;
    }
    return e;
  }

  /** The live keys of a cache, for assertions. */
  keys(cache: string): string[] {
    return [...this.entries(cache).keys()].filter((k) => this.live(cache, k));
  }

  async fetch(cache: string, key: string): Promise<MapCacheEntry | null> {
    const e = this.live(cache, key);
    return e ? { value: e.value, revision: e.revision } : null;
  }

  async getAndPutIfAbsent(cache: string, key: string, value: string, expiresAt: number | null = null): Promise<MapCacheEntry | null> {
    const e = this.live(cache, key);
    if (e) return { value: e.value, revision: e.revision };
    this.entries(cache).set(key, { value, revision: 1, expiresAt });
    return null;
  }

  async put(cache: string, key: string, value: string, expiresAt: number | null = null): Promise<void> {
    const e = this.live(cache, key);
    this.entries(cache).set(key, { value, revision: (e?.revision ?? 0) + 1, expiresAt });
  }

  async replace(cache: string, key: string, value: string, revision: number | null): Promise<boolean> {
    const e = this.live(cache, key);
    if ((e?.revision ?? null) !== revision) return false;
    this.entries(cache).set(key, { value, revision: (e?.revision ?? 0) + 1, expiresAt: e?.expiresAt ?? null });
    return true;
  }

  async remove(cache: string, key: string, revision?: number): Promise<boolean> {
    const e = this.live(cache, key);
    if (!e || (revision !== undefined && e.revision !== revision)) return false;
    return this.entries(cache).delete(key);
  }
}

/**
 * Fake services on the given clock; `overrides` replace any of them. Services a host provides by key go in
 * `overrides.extensions` (`serviceExtensions(provide(KEY, fake))`), faked by the package that owns the key.
 */
/**
 * The host's regex engine in the test's own process: the same jobs with the same answers, without the worker and
 * its deadline (a test's runaway match is the test's to stop). `jobs` records what reached it.
 */
export class InProcessRegexEngine implements RegexEngine {
  readonly jobs: RegexJob[] = [];

  async run(job: RegexJob): Promise<readonly RegexTextResult[]> {
    this.jobs.push(job);
    return runJavaRegexJob(job, { unbounded: true });
  }
}

export function createTestServices(clock: Clock, overrides: Partial<ProcessorServices> = {}): ProcessorServices {
  let n = 0;
  return {
    clock,
    regex: new InProcessRegexEngine(),
    http: new FakeHttpClient(),
    scripts: new FakeScriptRunner(),
    state: new MemoryStateManager(),
    mapCache: new MemoryMapCacheStore(clock),
    randomUuid: () => {
      n++;
      return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
    },
    ...overrides,
  };
}
