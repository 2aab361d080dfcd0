import {
  fromUtf8,
  HttpTransportError,
  provide,
  serviceExtensions,
  type Clock,
  type FlowFile,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type ProcessorServices,
} from '@sluice/flow-api';
import { EXECUTION_LOG, TOKEN_CACHE, type ExecutionLog, type RowLog, type RowStatus, type TokenCache } from './integrator-services.js';

/**
 * Test support for the Integrator steps (imported by specs only): a real HttpClient on `fetch`, which can
 * send a fixed origin such as the documentation's `127.0.0.1:12345` to a simulator's port, plus the Integrator's
 * execution log and token cache in memory. A TestRunner spec fakes them with
 * `services: { extensions: serviceExtensions(provide(EXECUTION_LOG, new MemoryExecutionLog()), …) }`, or takes them all from
 * `integratorServices(http)`.
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

/**
 * An execution log in memory with the host's rules: keyed rows are logged once per FlowFile, written and failed
 * counts are the success and failed rows, read totals replace earlier reports for the same FlowFile.
 */
export class MemoryExecutionLog implements ExecutionLog {
  readonly rowLogs: { flowFileUuid: string; row: RowLog }[] = [];
  /** Keys logged per FlowFile uuid, as the host keeps them across retries; set one to act as an earlier run. */
  readonly keys = new Map<string, Map<string, RowStatus>>();
  /** Every progress report, in order. */
  readonly reports: { read: number }[] = [];
  private readonly reads = new Map<string, number>();

  /** The rows logged, in order. */
  get lines(): RowLog[] {
    return this.rowLogs.map((r) => r.row);
  }

  rows(flowFile: FlowFile, rows: readonly RowLog[]): void {
    let seen = this.keys.get(flowFile.uuid);
    for (const row of rows) {
      if (row.key !== undefined) {
        if (!seen) this.keys.set(flowFile.uuid, (seen = new Map()));
        if (seen.has(row.key)) continue;
        seen.set(row.key, row.status);
      }
      this.rowLogs.push({ flowFileUuid: flowFile.uuid, row });
    }
  }

  async record(flowFile: FlowFile, rows: readonly RowLog[]): Promise<void> {
    this.rows(flowFile, rows);
  }

  async logged(flowFile: FlowFile): Promise<ReadonlyMap<string, RowStatus>> {
    return new Map(this.keys.get(flowFile.uuid) ?? []);
  }

  progress(flowFile: FlowFile, counts: { read: number }): void {
    this.reports.push(counts);
    this.reads.set(flowFile.uuid, counts.read);
  }

  get counts(): { read: number; written: number; failed: number } {
    let read = 0;
    for (const n of this.reads.values()) read += n;
    return {
      read,
      written: this.rowLogs.filter((r) => r.row.status === 'success').length,
      failed: this.rowLogs.filter((r) => r.row.status === 'failed').length,
    };
  }
}

/** A token cache in memory; with a clock, an entry is gone once the clock passes its expiry. */
export class MemoryTokenCache implements TokenCache {
  private readonly entries = new Map<string, { value: string; expiresAt: number | null }>();
  constructor(private readonly clock?: Clock) {}

  get(key: string): { value: string; expiresAt: number | null } | undefined {
    const e = this.entries.get(key);
    if (e && e.expiresAt !== null && this.clock && e.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: string, value: string, expiresAt: number | null): void {
    this.entries.set(key, { value, expiresAt });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** Services for the Integrator steps, the execution log and token cache provided in memory (`recorded`, `tokens`). */
export function integratorServices(http: HttpClient, now = () => Date.now()): ProcessorServices & { recorded: MemoryExecutionLog; tokens: MemoryTokenCache } {
  const recorded = new MemoryExecutionLog();
  const tokens = new MemoryTokenCache();
  let seq = 0;
  return {
    recorded,
    tokens,
    clock: { now, setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
    http,
    scripts: { run: () => Promise.reject(new Error('scripts are not used by the Integrator steps')) },
    state: {
      get: async () => ({}),
      set: async () => undefined,
      replace: async () => true,
      clear: async () => undefined,
    },
    extensions: serviceExtensions(provide(EXECUTION_LOG, recorded), provide(TOKEN_CACHE, tokens)),
    randomUuid: () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
  };
}
