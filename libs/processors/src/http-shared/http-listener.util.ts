import { HttpListenError, type Clock, type HttpExchange, type HttpListener, type HttpListenOptions, type HttpServerTls, type ProcessContext, type TlsSettings } from '@sluice/flow-api';

/** The service API an SSL Context Service offers listeners and clients (NiFi's SSLContextProvider). */
export const SSL_CONTEXT_API = 'SSLContextProvider';

export interface SslContextProvider {
  /** Key and trust material for a listener; throws naming what is missing (a server needs a keystore). */
  serverTls(clientAuth: HttpServerTls['clientAuth']): HttpServerTls;
  /** Trust (and, with a keystore, client) material for outbound calls. */
  clientTls(): TlsSettings;
  /** Whether a truststore is configured (NiFi's AUTO client authentication needs one). */
  readonly hasTrustStore: boolean;
}

/** Requests a listener received that its processor has not taken yet, with the listeners that feed it. */
export class RequestInbox {
  private queue: HttpExchange[] = [];
  private listeners: HttpListener[] = [];
  private accepting = false;
  private readonly timers = new Map<HttpExchange, unknown>();

  /**
   * `maxWaitMs`: a request its processor has not taken by then (the flow is held by back pressure) is answered 503,
   * as NiFi answers when no relationship is available, rather than left hanging.
   */
  constructor(
    private readonly capacity: number,
    private readonly clock?: Clock,
    private readonly maxWaitMs = 30_000,
  ) {}

  get size(): number {
    return this.queue.length;
  }

  get open(): boolean {
    return this.accepting;
  }

  /** Queues the exchange; false when the inbox is full or closed (the caller answers 503). */
  offer(exchange: HttpExchange): boolean {
    if (!this.accepting || this.queue.length >= this.capacity) return false;
    this.queue.push(exchange);
    if (this.clock) this.timers.set(exchange, this.clock.setTimeout(() => {
      this.timers.delete(exchange);
      const i = this.queue.indexOf(exchange);
      if (i < 0) return;
      this.queue.splice(i, 1);
      exchange.respond({ status: 503, headers: { 'content-type': 'text/plain' }, body: 'Service Unavailable: the flow is not taking requests (back pressure)' });
    }, this.maxWaitMs));
    return true;
  }

  private settled(exchange: HttpExchange): void {
    const t = this.timers.get(exchange);
    if (t === undefined) return;
    this.timers.delete(exchange);
    this.clock!.clearTimeout(t);
  }

  /** Up to `max` waiting exchanges whose caller is still there. */
  take(max: number): HttpExchange[] {
    const out: HttpExchange[] = [];
    while (out.length < max && this.queue.length) {
      const x = this.queue.shift()!;
      this.settled(x);
      if (!x.done) out.push(x);
    }
    return out;
  }

  opened(listeners: HttpListener[]): void {
    this.listeners = listeners;
    this.accepting = true;
  }

  /** Answers every waiting request 503 and frees the ports (NiFi's "Stopping Server"). */
  async close(): Promise<void> {
    this.accepting = false;
    const waiting = this.queue;
    this.queue = [];
    for (const x of waiting) this.settled(x);
    for (const x of waiting) x.respond({ status: 503, headers: { 'content-type': 'text/plain' }, body: 'Service Unavailable: the server is stopping' });
    const listeners = this.listeners;
    this.listeners = [];
    await Promise.all(listeners.map((l) => l.close()));
  }
}

/** The inbox of this processor instance (one per started configuration). */
export function inboxOf(context: ProcessContext, capacity: number): RequestInbox {
  return context.cache('http.listener.inbox', () => new RequestInbox(capacity, context.services.clock));
}

/** A port property's value after parameters and Expression Language (NiFi evaluates it against the environment). */
export function portProperty(context: ProcessContext, name: string): number | undefined {
  const v = context.property(name);
  if (!v.isSet()) return undefined;
  const text = v.evaluate().asString()?.trim() ?? '';
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name}: '${text}' is not a port number (1 to 65535)`);
  return n;
}

/** Binds one listener through the host, with the property's name in the message when the port cannot be used. */
export async function bind(context: ProcessContext, portName: string, options: HttpListenOptions, handler: (exchange: HttpExchange) => void): Promise<HttpListener> {
  const server = context.services.httpServer;
  if (!server) throw new Error('this host cannot listen for HTTP requests');
  try {
    return await server.listen(options, handler);
  } catch (e) {
    if (e instanceof HttpListenError && e.code === 'inUse') {
      throw new Error(`${portName}: port ${options.port} is already in use (by another listener or program); choose a free port`);
    }
    if (e instanceof HttpListenError && e.code === 'denied') throw new Error(`${portName}: not allowed to listen on port ${options.port} (ports below 1024 need privileges)`);
    throw new Error(`${portName}: could not listen on port ${options.port}: ${(e as Error).message}`);
  }
}

/** TLS for a listener from its SSL Context Service property, or undefined when none is set. */
export function listenerTls(context: ProcessContext, sslProperty: string, clientAuth: HttpServerTls['clientAuth'] | 'AUTO'): HttpServerTls | undefined {
  if (!context.property(sslProperty).isSet()) return undefined;
  const ssl = context.controllerService<SslContextProvider>(sslProperty, SSL_CONTEXT_API);
  const mode = clientAuth === 'AUTO' ? (ssl.hasTrustStore ? 'need' : 'none') : clientAuth;
  return ssl.serverTls(mode);
}

/** A plain-text answer (errors, health checks). */
export function textResponse(status: number, text: string): { status: number; headers: Record<string, string>; body: string } {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text };
}
