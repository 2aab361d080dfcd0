import {
  HttpListenError,
  utf8,
  type HttpExchange,
  type HttpListener,
  type HttpListenOptions,
  type HttpServerPort,
  type HttpServerRequest,
  type HttpServerResponse,
} from '@sluice/flow-api';

/** What a test sends: everything but the method and path has a default. */
export interface FakeRequest {
  method?: string;
  /** Path and query, `/contentListener?x=1`. */
  url?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  remoteAddress?: string;
  clientCertificate?: HttpServerRequest['clientCertificate'];
}

/** An answer the test can read as text. */
export interface FakeResponse extends HttpServerResponse {
  readonly text: string;
}

interface Bound {
  readonly options: HttpListenOptions;
  readonly handler: (exchange: HttpExchange) => void;
  readonly pending: Set<(r: HttpServerResponse) => void>;
  port: number;
}

/**
 * An in-memory HttpServerPort: listeners bind ports in a table, `send` hands them a request and resolves with the
 * answer. It keeps the host's rules: one listener per port, bodies over the limit answered 413 before the
 * processor sees them, and closing a listener answers what still waits with 503.
 */
export class FakeHttpServer implements HttpServerPort {
  private readonly bound = new Map<number, Bound>();
  private nextPort = 40_000;
  /** Ports listen() refuses as taken by another program. */
  readonly takenElsewhere = new Set<number>();

  async listen(options: HttpListenOptions, handler: (exchange: HttpExchange) => void): Promise<HttpListener> {
    let port = options.port;
    if (port === 0) while (this.bound.has((port = this.nextPort++)));
    if (this.bound.has(port) || this.takenElsewhere.has(port)) throw new HttpListenError(`port ${port} is already in use`, 'inUse');
    const entry: Bound = { options, handler, pending: new Set(), port };
    this.bound.set(port, entry);
    return {
      port,
      close: async () => {
        if (this.bound.get(port) !== entry) return;
        this.bound.delete(port);
        for (const answer of [...entry.pending]) answer({ status: 503, body: 'Service Unavailable: the listener stopped' });
      },
    };
  }

  /** Ports with a listener, sorted. */
  ports(): number[] {
    return [...this.bound.keys()].sort((a, b) => a - b);
  }

  options(port: number): HttpListenOptions | undefined {
    return this.bound.get(port)?.options;
  }

  /** Sends a request to the listener on `port`; resolves with its answer (a refused connection rejects). */
  send(port: number, request: FakeRequest = {}): Promise<FakeResponse> {
    const entry = this.bound.get(port);
    if (!entry) return Promise.reject(new Error(`connection refused: nothing listens on port ${port}`));
    const body = typeof request.body === 'string' ? utf8(request.body) : (request.body ?? new Uint8Array(0));
    const url = request.url ?? '/';
    const q = url.indexOf('?');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.headers ?? {})) headers[k.toLowerCase()] = v;
    if (body.length > 0 && headers['content-length'] === undefined) headers['content-length'] = String(body.length);
    const req: HttpServerRequest = {
      method: (request.method ?? 'GET').toUpperCase(),
      url,
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? null : url.slice(q + 1),
      protocol: 'HTTP/1.1',
      headers,
      remoteAddress: request.remoteAddress ?? '127.0.0.1',
      remotePort: 50_000,
      localAddress: '127.0.0.1',
      localPort: entry.port,
      scheme: entry.options.tls ? 'https' : 'http',
      clientCertificate: request.clientCertificate,
      body,
    };
    return new Promise((resolve) => {
      let done = false;
      const answer = (r: HttpServerResponse): void => {
        if (done) return;
        done = true;
        entry.pending.delete(answer);
        const text = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : new TextDecoder().decode(r.body);
        resolve({ ...r, text });
      };
      if (body.length > entry.options.maxBodyBytes) {
        answer({ status: 413, body: `request body larger than ${entry.options.maxBodyBytes} bytes` });
        return;
      }
      entry.pending.add(answer);
      entry.handler({
        request: req,
        respond: (r) => {
          if (done) return false;
          answer(r);
          return true;
        },
        get done() {
          return done;
        },
      });
    });
  }
}
