import { HttpListenError, type HttpExchange, type HttpListener, type HttpListenOptions, type HttpServerPort, type HttpServerRequest, type HttpServerResponse } from '@sluice/flow-api';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { tlsError, tlsOptions } from './tls-material.js';

/** A request must arrive in full within this time, so a slow sender cannot hold a socket and its buffer. */
const REQUEST_TIMEOUT_MS = 60_000;
const HEADERS_TIMEOUT_MS = 20_000;
/** How long close() lets answers in progress finish before it cuts the connections. */
const CLOSE_GRACE_MS = 2_000;

/**
 * The listening sockets of ListenHTTP and HandleHttpRequest on node:http / node:https. Bodies are read
 * asynchronously up to the listener's limit (413 past it, before the processor sees anything); `close` answers
 * what still waits 503 and frees the port. Without a host, listeners bind the server's own HOST (127.0.0.1 unless
 * set), so a flow does not open a port to the network unless someone asked for it.
 */
/** Names the inbound HttpServerPort the listening processors bind through. */
export const HTTP_SERVER = Symbol('HTTP_SERVER');

export class NodeHttpServer implements HttpServerPort {
  private readonly open = new Set<Server>();

  constructor(private readonly defaultHost: string) {}

  async listen(options: HttpListenOptions, handler: (exchange: HttpExchange) => void): Promise<HttpListener> {
    const tls = options.tls;
    const serverOptions = { maxHeaderSize: options.maxHeaderBytes, requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS };
    const waiting = new Set<ServerResponse>();
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => receive(req, res, options, tls !== undefined, waiting, handler);
    let server: Server;
    try {
      server = tls
        ? createHttpsServer({ ...serverOptions, ...tlsOptions(tls), requestCert: tls.clientAuth !== 'none', rejectUnauthorized: tls.clientAuth === 'need' }, onRequest)
        : createHttpServer(serverOptions, onRequest);
    } catch (e) {
      throw new HttpListenError(tls ? tlsError(e, tls).message : (e as Error).message, 'other');
    }
    server.keepAliveTimeout = 5_000;
    const host = options.host ?? this.defaultHost;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE') reject(new HttpListenError(`port ${options.port} on ${host} is already in use`, 'inUse'));
        else if (e.code === 'EACCES') reject(new HttpListenError(`not allowed to listen on port ${options.port}`, 'denied'));
        else reject(new HttpListenError(e.message, 'other'));
      });
      server.listen(options.port, host, () => resolve());
    });
    // Errors after the start (a client that resets mid-request) belong to that request, not to the server.
    server.on('error', () => undefined);
    server.on('clientError', (_e, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    this.open.add(server);
    const port = (server.address() as AddressInfo).port;
    let closing: Promise<void> | null = null;
    return {
      port,
      close: () =>
        (closing ??= (async () => {
          this.open.delete(server);
          const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
          for (const res of waiting) answer(res, { status: 503, headers: { 'content-type': 'text/plain', connection: 'close' }, body: 'Service Unavailable: the listener stopped' });
          server.closeIdleConnections();
          const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
          await stopped;
          clearTimeout(cut);
        })()),
    };
  }

  /** Ports still bound (tests check that stopping freed them). */
  get listening(): number {
    return this.open.size;
  }
}

function receive(req: IncomingMessage, res: ServerResponse, options: HttpListenOptions, secure: boolean, waiting: Set<ServerResponse>, handler: (x: HttpExchange) => void): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  const tooLarge = (): void => {
    answer(res, { status: 413, headers: { 'content-type': 'text/plain', connection: 'close' }, body: `request body larger than ${options.maxBodyBytes} bytes` });
    req.destroy();
  };
  if (declared > options.maxBodyBytes) {
    tooLarge();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (c: Buffer) => {
    if (over) return;
    size += c.length;
    if (size > options.maxBodyBytes) {
      over = true;
      tooLarge();
      return;
    }
    chunks.push(c);
  });
  req.on('error', () => res.destroy());
  req.on('end', () => {
    if (over) return;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const socket = req.socket;
    const request: HttpServerRequest = {
      method: req.method ?? 'GET',
      url,
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? null : url.slice(q + 1),
      protocol: `HTTP/${req.httpVersion}`,
      headers,
      remoteAddress: unmapped(socket.remoteAddress ?? ''),
      remotePort: socket.remotePort ?? 0,
      localAddress: unmapped(socket.localAddress ?? ''),
      localPort: socket.localPort ?? 0,
      scheme: secure ? 'https' : 'http',
      clientCertificate: secure ? clientCertificate(socket as TLSSocket) : undefined,
      body: new Uint8Array(Buffer.concat(chunks, size)),
    };
    waiting.add(res);
    let closed = false;
    res.on('close', () => {
      closed = true;
      waiting.delete(res);
    });
    handler({
      request,
      respond: (r) => {
        if (closed || res.headersSent) return false;
        answer(res, r);
        return true;
      },
      get done() {
        return closed || res.headersSent;
      },
    });
  });
}

function answer(res: ServerResponse, r: HttpServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  try {
    res.writeHead(r.status, r.headers as Record<string, string> | undefined);
    res.end(r.body === undefined ? undefined : typeof r.body === 'string' ? r.body : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength));
  } catch {
    // An invalid status or header from the flow: the caller gets a plain 500 rather than a hung socket.
    if (!res.headersSent) res.writeHead(500).end();
    else res.destroy();
  }
}

function unmapped(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function dn(x: PeerCertificate['subject'] | undefined): string {
  if (!x) return '';
  return Object.entries(x).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`).reverse().join(', ');
}

function clientCertificate(socket: TLSSocket): HttpServerRequest['clientCertificate'] {
  const cert = socket.getPeerCertificate?.();
  if (!cert || Object.keys(cert).length === 0 || !socket.authorized) return undefined;
  return { subjectDN: dn(cert.subject), issuerDN: dn(cert.issuer) };
}
