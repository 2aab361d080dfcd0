import { HttpTransportError, type HttpClient, type HttpRequest, type HttpResponse } from '@sluice/flow-api';
import { Agent, errors, request } from 'undici';

/** Outbound HTTP for processors, on undici with a keep-alive pool per origin. */
export class UndiciHttpClient implements HttpClient {
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });

  async request(req: HttpRequest): Promise<HttpResponse> {
    const started = performance.now();
    const timeout = req.timeoutMs ?? 30_000;
    try {
      const res = await request(req.url, {
        method: req.method.toUpperCase() as 'GET',
        headers: req.headers,
        body: req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength),
        headersTimeout: timeout,
        bodyTimeout: timeout,
        dispatcher: this.agent,
      });
      const body = new Uint8Array(await res.body.arrayBuffer());
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      return { status: res.statusCode, statusText: STATUS_TEXT[res.statusCode] ?? '', headers, body, durationMs: performance.now() - started };
    } catch (e) {
      if (e instanceof errors.HeadersTimeoutError || e instanceof errors.BodyTimeoutError || e instanceof errors.ConnectTimeoutError) {
        throw new HttpTransportError(`timed out after ${timeout} ms: ${req.method} ${req.url}`, 'timeout');
      }
      const code = (e as { code?: string }).code;
      if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ENOTFOUND' || code === 'UND_ERR_SOCKET') {
        throw new HttpTransportError(`${code}: ${req.method} ${req.url}`, 'connection');
      }
      throw new HttpTransportError(`${(e as Error).message}: ${req.method} ${req.url}`, 'other');
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Payload Too Large', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};
