import type { RegexEngine } from './regex-engine.js';
import type { ScriptContext, ScriptProvenance } from './script-context.js';
import type { ServiceExtensions } from './service-key.js';

/** The longest delay a timer holds (Node's and browsers' limit); a later time is reached by re-arming on the way. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A time source the engine and processors share, so tests can drive time by hand. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ComponentLog {
  debug(message: string, details?: unknown): void;
  info(message: string, details?: unknown): void;
  warn(message: string, details?: unknown): void;
  /** Errors also become bulletins on the canvas. */
  error(message: string, details?: unknown): void;
  /** Whether a message at this level would be written anywhere, so costly messages can be skipped. */
  isEnabled?(level: LogLevel): boolean;
}

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string;
  /** Connect + response timeout in milliseconds. */
  readonly timeoutMs?: number;
  /** Limit on establishing the connection alone; `timeoutMs` when absent. */
  readonly connectTimeoutMs?: number;
  /** Limit on waiting for the response headers and between body chunks; `timeoutMs` when absent. */
  readonly readTimeoutMs?: number;
  /** Follow 3xx redirects (up to a host limit); by default the 3xx answer is returned as it is. */
  readonly followRedirects?: boolean;
  /** A body larger than this fails the request ('tooLarge'); the host applies its own cap when absent. */
  readonly maxResponseBytes?: number;
  /** Trust and client certificates for https URLs (an SSL Context Service); the system's CAs when absent. */
  readonly tls?: TlsSettings;
}

export interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** Wall time of the exchange in milliseconds. */
  readonly durationMs: number;
  /** The URL finally answered, after any redirects followed (the request URL when absent). */
  readonly url?: string;
}

/** Outbound HTTP. Network failures reject with an `HttpTransportError`. */
export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}

export class HttpTransportError extends Error {
  constructor(
    message: string,
    readonly code: 'timeout' | 'connection' | 'tooLarge' | 'other',
  ) {
    super(message);
    this.name = 'HttpTransportError';
  }
}

export type ScriptLanguage = 'python' | 'javascript';

export interface ScriptInput {
  readonly attributes: Readonly<Record<string, string>>;
  readonly content: Uint8Array;
  /** Epoch millis, for `getLineageStartDate()` / `getEntryDate()`; now when absent. */
  readonly lineageStartDate?: number;
  readonly entryDate?: number;
}

export interface ScriptRequest {
  readonly language: ScriptLanguage;
  readonly script: string;
  /** FlowFiles the script's `session.get()` hands out, in order. */
  readonly inputs: readonly ScriptInput[];
  readonly timeoutMs: number;
  readonly memoryLimitMb: number;
  /** Scripts may call HTTP only when the flow grants it. */
  readonly allowHttp?: boolean;
  /** Serves the script's HTTP calls in place of the runner's own client (a dry run records them). */
  readonly http?: HttpClient;
  /** The processor's side of `context`, dynamic properties, state and later `session.get()` calls (Python). */
  readonly context?: ScriptContext;
}

/** What the script did to one FlowFile. `source` is the index in `inputs`, or null for one it created. */
export interface ScriptOutput {
  readonly source: number | null;
  readonly attributes: Readonly<Record<string, string>>;
  readonly content: Uint8Array;
  /** The relationship it was transferred to, or null when the script removed it. */
  readonly relationship: string | null;
  /** Whether the script wrote content; when false, `content` is unchanged (and may be empty for FlowFiles taken later). */
  readonly written?: boolean;
  /** The FlowFile's key in host calls (`i<n>` taken, `c<n>` created). */
  readonly key?: string;
  /** For created FlowFiles: how, and from which keys. */
  readonly origin?: 'create' | 'clone';
  readonly parents?: readonly string[];
  readonly penalized?: boolean;
  readonly provenance?: readonly ScriptProvenance[];
}

export interface ScriptResult {
  /** With an error, only what the script had committed (`session.commit()`) before it failed. */
  readonly outputs: readonly ScriptOutput[];
  /** Indexes of inputs the script took with `session.get()` (inputs first, then FlowFiles taken through host calls). */
  readonly taken: readonly number[];
  /** Indexes the script took and then rolled back (NiFi returns them to their queue), and whether it asked for a penalty. */
  readonly returned?: readonly number[];
  readonly penalizeReturned?: boolean;
  /** `session.adjustCounter` deltas by counter name. */
  readonly counters?: Readonly<Record<string, number>>;
  /** The script called `context.yield()`. */
  readonly yielded?: boolean;
  readonly logs: readonly { readonly level: LogLevel; readonly message: string }[];
  /** Set when the script raised without handling it, was killed, or broke a session rule. */
  readonly error?: { readonly message: string; readonly traceback?: string; readonly kind: 'exception' | 'timeout' | 'memory' | 'session' };
  readonly durationMs: number;
}

export interface ScriptRunner {
  run(request: ScriptRequest): Promise<ScriptResult>;
}

export type StateScope = 'local' | 'cluster';

/** Per-processor key/value state that survives restarts (NiFi's StateManager). */
export interface StateManager {
  get(scope?: StateScope): Promise<Record<string, string>>;
  set(state: Record<string, string>, scope?: StateScope): Promise<void>;
  /** Sets `next` only when the stored state still equals `expected`; returns whether it did. */
  replace(expected: Record<string, string>, next: Record<string, string>, scope?: StateScope): Promise<boolean>;
  clear(scope?: StateScope): Promise<void>;
}

/**
 * Compression codecs the host provides (CompressContent), so processors stay free of the runtime's zlib. Formats
 * are NiFi's names (`gzip`, `deflate`, `brotli`, …); `formats` lists the ones this host codes.
 */
export interface CompressionCodec {
  readonly formats: readonly string[];
  compress(format: string, data: Uint8Array, level: number): Promise<Uint8Array>;
  /** Rejects with a CompressionError when the data is not in the format or would inflate past `maxOutputBytes`. */
  decompress(format: string, data: Uint8Array, maxOutputBytes: number): Promise<Uint8Array>;
}

export class CompressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompressionError';
  }
}

/** One entry of a map cache with the revision compare-and-set checks (NiFi's AtomicCacheEntry). */
export interface MapCacheEntry {
  readonly value: string;
  readonly revision: number;
}

/**
 * A key/value cache the host keeps durably and shares between the processors (and cluster nodes) of a flow that
 * name the same cache (NiFi's distributed map cache). `cache` names one cache; entries of different caches never
 * meet. An entry with `expiresAt` (epoch millis) in the past is gone: reads skip it and the host may delete it.
 */
export interface MapCacheStore {
  fetch(cache: string, key: string): Promise<MapCacheEntry | null>;
  /** Stores the value when the key is absent and answers null; otherwise leaves the entry and answers it. */
  getAndPutIfAbsent(cache: string, key: string, value: string, expiresAt?: number | null): Promise<MapCacheEntry | null>;
  put(cache: string, key: string, value: string, expiresAt?: number | null): Promise<void>;
  /** Writes the value only while the entry's revision is still `revision` (null: while the key is absent). */
  replace(cache: string, key: string, value: string, revision: number | null): Promise<boolean>;
  /** Deletes the entry (only at that revision when one is given); answers whether there was one to delete. */
  remove(cache: string, key: string, revision?: number): Promise<boolean>;
}

/** A table of records for an SQL query: column names and rows of values (numbers, strings, null; other values as JSON text). */
export interface SqlTable {
  readonly name: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

export interface SqlQueryRequest {
  readonly table: SqlTable;
  /** Queries run one after the other against the same table; each answers its own result. */
  readonly queries: readonly string[];
  readonly timeoutMs: number;
  /** A result with more rows fails the request. */
  readonly maxRows: number;
}

export interface SqlQueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

/**
 * An SQL engine the host provides (QueryRecord), so processors stay free of its runtime. Failures reject with an
 * SqlQueryError: `query` for the statement's own fault (syntax, a missing column), `limit` for time and size.
 */
export interface SqlEngine {
  /** Which SQL it speaks, for messages and docs: `SQLite 3.x`. */
  readonly dialect: string;
  query(request: SqlQueryRequest): Promise<readonly SqlQueryResult[]>;
  /** Whether the statement is a query the engine can parse; references to columns not known yet are accepted. */
  check(sql: string): Promise<string | null>;
}

export class SqlQueryError extends Error {
  constructor(
    message: string,
    readonly code: 'query' | 'limit',
    /** Which of the request's queries failed. */
    readonly index = 0,
  ) {
    super(message);
    this.name = 'SqlQueryError';
  }
}

/** Everything a processor may reach outside itself. Tests and test panes pass fakes. */
export interface ProcessorServices {
  readonly clock: Clock;
  readonly http: HttpClient;
  readonly scripts: ScriptRunner;
  readonly state: StateManager;
  /**
   * Services beyond these that the host provides, by typed key (see `serviceKey`): the processors that need one
   * own its interface and look it up with `requireService`. None when absent.
   */
  readonly extensions?: ServiceExtensions;
  /** Absent where the host has no codecs (CompressContent then fails with a message saying so). */
  readonly compression?: CompressionCodec;
  /** Absent where the host cannot listen (listener processors then fail to start with a message saying so). */
  readonly httpServer?: HttpServerPort;
  /** Absent where the host keeps no map cache (DetectDuplicate, Wait and Notify then fail saying so). */
  readonly mapCache?: MapCacheStore;
  /** Absent where the host has no SQL engine (QueryRecord then fails saying so). */
  readonly sql?: SqlEngine;
  /**
   * Absent where the host cannot run regex work off its thread (a pattern on the linear-time engine is then refused
   * over input longer than that engine's in-thread limit).
   */
  readonly regex?: RegexEngine;
  randomUuid(): string;
}

/** A request a listener received, its body already read in full (and within the listener's limit). */
export interface HttpServerRequest {
  readonly method: string;
  /** Path and query as sent (`/orders?id=7`). */
  readonly url: string;
  readonly path: string;
  /** The raw query string without `?`, or null when there is none. */
  readonly query: string | null;
  /** `HTTP/1.1` */
  readonly protocol: string;
  /** Header names in lower case; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  /** `https` when the listener speaks TLS. */
  readonly scheme: 'http' | 'https';
  /** The client certificate's subject and issuer DN when TLS client authentication presented one. */
  readonly clientCertificate?: { readonly subjectDN: string; readonly issuerDN: string };
  readonly body: Uint8Array;
}

export interface HttpServerResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string;
}

/** One request waiting for its answer. `respond` answers once; later calls are ignored and return false. */
export interface HttpExchange {
  readonly request: HttpServerRequest;
  respond(response: HttpServerResponse): boolean;
  /** The caller is gone (closed the connection) or the exchange was answered. */
  readonly done: boolean;
}

/** A keystore or truststore file on the server, as an SSL Context Service names it; the host reads it. */
export interface TlsStore {
  readonly path: string;
  readonly type: 'PKCS12' | 'PEM';
  readonly password?: string;
}

/** TLS material from an SSL Context Service: what to present (keystore) and whom to trust (truststore; the system's CAs when absent). */
export interface TlsSettings {
  readonly keyStore?: TlsStore;
  /** The private key's password; the keystore password when absent. */
  readonly keyPassword?: string;
  readonly trustStore?: TlsStore;
  readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
}

/** TLS for a listener: a keystore is required; `clientAuth` asks callers for certificates the truststore signed. */
export interface HttpServerTls extends TlsSettings {
  readonly clientAuth: 'none' | 'want' | 'need';
}

export interface HttpListenOptions {
  readonly port: number;
  /** Interface to bind; every interface when absent (NiFi's default). */
  readonly host?: string;
  /** A larger body is answered 413 by the listener itself and never reaches the handler. */
  readonly maxBodyBytes: number;
  readonly maxHeaderBytes?: number;
  readonly tls?: HttpServerTls;
}

export interface HttpListener {
  /** The port bound (the one asked for, or the one the system chose for 0). */
  readonly port: number;
  /** Stops accepting, answers what is still waiting 503 and frees the port. */
  close(): Promise<void>;
}

/** Inbound HTTP: listening sockets the host owns. A port that cannot be bound rejects with an `HttpListenError`. */
export interface HttpServerPort {
  listen(options: HttpListenOptions, handler: (exchange: HttpExchange) => void): Promise<HttpListener>;
}

export class HttpListenError extends Error {
  constructor(
    message: string,
    readonly code: 'inUse' | 'denied' | 'other',
  ) {
    super(message);
    this.name = 'HttpListenError';
  }
}
