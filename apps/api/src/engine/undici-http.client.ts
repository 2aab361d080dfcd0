import { HttpTransportError, type HttpClient, type HttpRequest, type HttpResponse, type TlsSettings } from '@sluice/flow-api';
import { tlsError, tlsOptions } from './tls-material.js';
import { Agent, errors, interceptors, request, type Dispatcher } from 'undici';

/** Largest response body any processor may read, whatever it asks for: a huge answer must not fill the server's memory. */
/** Names the outbound HttpClient port that processors, scripts and test panes share. */
export const HTTP_CLIENT = Symbol('HTTP_CLIENT');

export const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
const MAX_REDIRECTS = 10;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Outbound HTTP for processors, on undici with keep-alive pools. The connect timeout and the response size limit
 * are properties of an undici agent (its parser drops a connection whose body outgrows the limit), so there is one
 * agent per combination in use: the default one for requests that set neither, and a handful more for the
 * InvokeHTTP configurations of a server. Redirects go through undici's redirect interceptor on a composed dispatcher.
 */
export class UndiciHttpClient implements HttpClient {
  private readonly agents = new Map<string, { plain: Agent; redirecting: Dispatcher | null }>();

  constructor(private readonly maxResponseBytes = MAX_RESPONSE_BYTES) {}

  async request(req: HttpRequest): Promise<HttpResponse> {
    const started = performance.now();
    const timeout = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const connectTimeout = req.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const readTimeout = req.readTimeoutMs ?? timeout;
    const limit = Math.min(req.maxResponseBytes ?? this.maxResponseBytes, this.maxResponseBytes);
    try {
      const res = await request(req.url, {
        method: req.method.toUpperCase() as 'GET',
        headers: req.headers,
        body: req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength),
        headersTimeout: readTimeout,
        bodyTimeout: readTimeout,
        dispatcher: this.dispatcherFor(connectTimeout, limit, req.followRedirects === true, req.tls),
      });
      const body = new Uint8Array(await res.body.arrayBuffer());
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const finalUrl = (res as { context?: { history?: readonly URL[] } }).context?.history?.at(-1)?.toString();
      return { status: res.statusCode, statusText: STATUS_TEXT[res.statusCode] ?? '', headers, body, durationMs: performance.now() - started, url: finalUrl ?? req.url };
    } catch (e) {
      if (e instanceof errors.ResponseExceededMaxSizeError) {
        throw new HttpTransportError(`response body larger than ${limit} bytes: ${req.method} ${req.url}`, 'tooLarge');
      }
      if (e instanceof errors.ConnectTimeoutError) {
        throw new HttpTransportError(`connect timed out after ${connectTimeout} ms: ${req.method} ${req.url}`, 'timeout');
      }
      if (e instanceof errors.HeadersTimeoutError || e instanceof errors.BodyTimeoutError) {
        throw new HttpTransportError(`read timed out after ${readTimeout} ms: ${req.method} ${req.url}`, 'timeout');
      }
      const code = (e as { code?: string }).code;
      if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ENOTFOUND' || code === 'UND_ERR_SOCKET') {
        throw new HttpTransportError(`${code}: ${req.method} ${req.url}`, 'connection');
      }
      throw new HttpTransportError(`${(e as Error).message}: ${req.method} ${req.url}`, 'other');
    }
  }

  /** One agent per TLS configuration too (an SSL Context Service's files are read when its agent is made). */
  private dispatcherFor(connectTimeout: number, maxResponseSize: number, followRedirects: boolean, tls?: TlsSettings): Dispatcher {
    const key = `${connectTimeout}|${maxResponseSize}${tls ? `|${JSON.stringify(tls)}` : ''}`;
    let entry = this.agents.get(key);
    if (!entry) {
      let connect: ReturnType<typeof tlsOptions> | undefined;
      try {
        connect = tls && tlsOptions(tls);
      } catch (e) {
        throw new HttpTransportError(tlsError(e, tls!).message, 'other');
      }
      const plain = new Agent({ keepAliveTimeout: 10_000, connections: 64, connectTimeout, maxResponseSize, connect });
      this.agents.set(key, (entry = { plain, redirecting: null }));
    }
    if (!followRedirects) return entry.plain;
    return (entry.redirecting ??= entry.plain.compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTS })));
  }

  async close(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map((a) => a.plain.close()));
  }
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
  307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Payload Too Large', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};
