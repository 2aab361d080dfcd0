import {
  fromUtf8,
  HttpTransportError,
  type FlowFile,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type ProcessorServices,
  type RowLog,
} from '@sluice/flow-api';

/**
 * Test support for the Integrator steps (imported by specs only): a real HttpClient on `fetch`, which can
 * send a fixed origin such as the documentation's `127.0.0.1:12345` to a simulator's port, plus in-memory
 * token cache and execution log.
 */
export class FetchHttpClient implements HttpClient {
  readonly sent: HttpRequest[] = [];

  constructor(private readonly rewrite: Readonly<Record<string, string>> = {}) {}

  async request(request: HttpRequest): Promise<HttpResponse> {
    this.sent.push(request);
    let url = request.url;
    for (const [from, to] of Object.entries(this.rewrite)) if (url.startsWith(from)) url = to + url.slice(from.length);
    const started = performance.now();
    const controller = new AbortController();
    const timer = request.timeoutMs ? setTimeout(() => controller.abort(), request.timeoutMs) : undefined;
    try {
      const res = await fetch(url, {
        method: request.method,
        headers: request.headers as Record<string, string> | undefined,
        body: request.body as BodyInit | undefined,
        signal: controller.signal,
      });
      const body = new Uint8Array(await res.arrayBuffer());
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      return { status: res.status, statusText: res.statusText, headers, body, durationMs: performance.now() - started };
    } catch (e) {
      if (controller.signal.aborted) throw new HttpTransportError(`timed out after ${request.timeoutMs} ms`, 'timeout');
      throw new HttpTransportError(`connection failed: ${(e as Error).message}`, 'connection');
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }
}

/** An HttpClient answering from a function, for protocol-level specs. */
export class ScriptedHttpClient implements HttpClient {
  readonly sent: HttpRequest[] = [];
  constructor(private readonly answer: (request: HttpRequest, index: number) => Partial<HttpResponse> & { json?: unknown } | Error) {}

  async request(request: HttpRequest): Promise<HttpResponse> {
    const index = this.sent.length;
    this.sent.push(request);
    const a = this.answer(request, index);
    if (a instanceof Error) throw a;
    const body = a.json !== undefined ? new TextEncoder().encode(JSON.stringify(a.json)) : (a.body ?? new Uint8Array());
    return { status: a.status ?? 200, statusText: a.statusText ?? '', headers: a.headers ?? {}, body, durationMs: 0 };
  }

  bodyOf(index: number): unknown {
    const b = this.sent[index]?.body;
    return b === undefined ? undefined : JSON.parse(typeof b === 'string' ? b : fromUtf8(b));
  }
}

export interface RecordedExecutions {
  readonly rows: RowLog[];
  readonly progress: { read: number }[];
  /** Keys logged per FlowFile uuid, as the host keeps them across retries. */
  readonly keys: Map<string, Map<string, RowLog['status']>>;
}

export function integratorServices(http: HttpClient, now = () => Date.now()): ProcessorServices & { recorded: RecordedExecutions; tokenStore: Map<string, { value: string; expiresAt: number | null }> } {
  const tokenStore = new Map<string, { value: string; expiresAt: number | null }>();
  const recorded: RecordedExecutions = { rows: [], progress: [], keys: new Map() };
  const log = (ff: FlowFile, rows: readonly RowLog[]) => {
    let seen = recorded.keys.get(ff.uuid);
    for (const row of rows) {
      if (row.key !== undefined) {
        if (!seen) recorded.keys.set(ff.uuid, (seen = new Map()));
        if (seen.has(row.key)) continue;
        seen.set(row.key, row.status);
      }
      recorded.rows.push(row);
    }
  };
  let seq = 0;
  return {
    recorded,
    tokenStore,
    clock: { now, setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
    http,
    scripts: { run: () => Promise.reject(new Error('scripts are not used by the Integrator steps')) },
    state: {
      get: async () => ({}),
      set: async () => undefined,
      replace: async () => true,
      clear: async () => undefined,
    },
    executions: {
      rows: log,
      record: async (ff, rows) => log(ff, rows),
      logged: async (ff) => new Map(recorded.keys.get(ff.uuid) ?? []),
      progress: (_ff: FlowFile, counts) => void recorded.progress.push(counts),
    },
    tokens: {
      get: (k) => tokenStore.get(k),
      set: (k, value, expiresAt) => void tokenStore.set(k, { value, expiresAt }),
      delete: (k) => void tokenStore.delete(k),
    },
    randomUuid: () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
  };
}
