import { MAX_TIMER_MS, type HttpClient, type HttpRequest } from '@sluice/flow-api';

/**
 * Answers a script's HTTP call. Request and reply travel as JSON text with bodies as latin-1 strings (one char per
 * byte), so the same handler serves the Python child (over IPC) and the JavaScript isolate (by copy).
 */
export type ScriptHttpHandler = (payload: string) => Promise<string>;

interface WireRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | null;
  binary?: boolean;
  timeoutMs?: number | null;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Plain fetch, used when the pool is not given the API's HttpClient. */
export const fetchHttpClient: HttpClient = {
  async request(request: HttpRequest) {
    const started = performance.now();
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : Buffer.from(request.body),
      // Past MAX_TIMER_MS the signal's timer overflows and aborts after 1 ms.
      signal: AbortSignal.timeout(Math.min(request.timeoutMs ?? DEFAULT_TIMEOUT_MS, MAX_TIMER_MS)),
    });
    const body = new Uint8Array(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((v, k) => (headers[k] = v));
    return { status: response.status, statusText: response.statusText, headers, body, durationMs: performance.now() - started };
  },
};

export function httpHandler(client: HttpClient): ScriptHttpHandler {
  return async (payload) => {
    try {
      const req = JSON.parse(payload) as WireRequest;
      if (typeof req.url !== 'string' || !/^https?:\/\//i.test(req.url)) {
        return JSON.stringify({ error: `HTTP helper needs an absolute http(s) URL, got '${String(req.url)}'` });
      }
      const body = req.body == null ? undefined : req.binary ? Uint8Array.from(req.body, (c) => c.charCodeAt(0)) : req.body;
      const res = await client.request({
        method: req.method || 'GET',
        url: req.url,
        headers: req.headers ?? {},
        ...(body !== undefined ? { body } : {}),
        timeoutMs: req.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      });
      return JSON.stringify({ status: res.status, headers: res.headers, body: Buffer.from(res.body).toString('latin1') });
    } catch (e) {
      return JSON.stringify({ error: `HTTP request failed: ${(e as Error).message}` });
    }
  };
}
