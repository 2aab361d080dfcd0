import { parseDataSize, parseDuration } from '@sluice/flow-api';
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

const MIN_RETENTION_MS = 60_000;

/** The environment Sluice reads, validated once at boot. Nothing else reads `process.env`. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  SLUICE_DATA_DIR: z.string().default('./data'),
  SLUICE_ADMIN_USER: z.string().min(1).default('admin'),
  SLUICE_ADMIN_PASSWORD: z.string().min(8, 'SLUICE_ADMIN_PASSWORD must have at least 8 characters').optional(),
  SLUICE_DB_TYPE: z.enum(['sqlite', 'postgres']).default('sqlite'),
  SLUICE_DB_URL: z.string().optional(),
  SLUICE_CLUSTER: z.enum(['true', 'false']).default('false'),
  SLUICE_NODE_NAME: z.string().min(1).max(200).optional(),
  SLUICE_NODE_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  SLUICE_JWT_SECRET: z.string().min(32, 'SLUICE_JWT_SECRET must have at least 32 characters').optional(),
  SLUICE_SECRET_KEY: z.string().min(32, 'SLUICE_SECRET_KEY must have at least 32 characters').optional(),
  SLUICE_TOKEN_TTL: z.string().default('12h'),
  SLUICE_WEB_DIR: z.string().optional(),
  SLUICE_MAX_BODY: z.string().default('50mb'),
  SLUICE_LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug']).default('log'),
  SLUICE_SCRIPT_WARMUP: z.enum(['true', 'false']).default('true'),
  SLUICE_API_DOCS: z.enum(['true', 'false']).default('true'),
  SLUICE_TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d+|loopback|linklocal|uniquelocal|[\d.:/a-fA-F, ]+)$/, 'SLUICE_TRUST_PROXY must be true, false, a hop count, loopback, or addresses/CIDRs')
    .default('false'),
  SLUICE_ALLOWED_ORIGINS: z.string().default(''),
  SLUICE_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  SLUICE_LOGIN_LOCKOUT: z.string().default('5 min'),
  SLUICE_LOGIN_RATE: z.coerce.number().int().min(1).max(100_000).default(30),
  SLUICE_REGEX_TIMEOUT: z
    .string()
    .default('10 sec')
    .refine((v) => (parseDuration(v) ?? 0) >= 1, "SLUICE_REGEX_TIMEOUT must be a duration, such as '10 sec' or '500 millis'"),
  SLUICE_RETENTION: z
    .string()
    .default('30 days')
    .refine((v) => (parseDuration(v) ?? 0) >= MIN_RETENTION_MS, "SLUICE_RETENTION must be a duration of at least 1 min, such as '30 days', '12 hours' or '15 mins'"),
});

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly adminUser: string;
  readonly adminPassword: string | undefined;
  readonly database: { readonly type: 'sqlite'; readonly path: string } | { readonly type: 'postgres'; readonly url: string };
  readonly jwtSecret: Uint8Array;
  /** Key material for secrets at rest (see SecretBox). */
  readonly secretKey: Uint8Array;
  readonly tokenTtl: string;
  readonly webDir: string | null;
  /** Largest outbound batch, in bytes (SLUICE_MAX_BODY). */
  readonly maxBody: number;
  readonly logLevel: 'error' | 'warn' | 'log' | 'debug';
  /** Start the Python runtime at boot so the first script step is not a cold start. */
  readonly scriptWarmUp: boolean;
  /** Serve the OpenAPI document and UI at /api/docs. */
  readonly apiDocs: boolean;
  /** Express `trust proxy`: which proxies' X-Forwarded-* headers to believe (client address, TLS for HSTS). */
  readonly trustProxy: boolean | number | string;
  /** Browser origins besides the server's own that may open a socket (e.g. a dev server). */
  readonly allowedOrigins: readonly string[];
  readonly login: {
    /** Failed logins in a row after which the user is locked out for `lockoutMs`. */
    readonly maxFailures: number;
    readonly lockoutMs: number;
    /** Login attempts per minute and client address. */
    readonly perMinute: number;
  };
  /**
   * Several nodes on one Postgres database (SLUICE_CLUSTER=true): `nodeId` is new at every start, so the work a
   * previous run of this node left behind is taken over like any dead node's.
   */
  readonly cluster: { readonly enabled: false } | { readonly enabled: true; readonly nodeId: string; readonly nodeName: string; readonly concurrency: number };
  /** How long one regex job may run in a worker before it is stopped and its FlowFile fails (SLUICE_REGEX_TIMEOUT). */
  readonly regexTimeoutMs: number;
  /** How long finished executions (with their steps and row logs) and provenance are kept, in milliseconds. */
  readonly retentionMs: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const dataDir = isAbsolute(e.SLUICE_DATA_DIR) ? e.SLUICE_DATA_DIR : resolve(cwd, e.SLUICE_DATA_DIR);
  // A data directory Sluice creates is private to its user: it holds the database and the keys.
  if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (e.SLUICE_DB_TYPE === 'postgres' && !e.SLUICE_DB_URL) throw new ConfigError('invalid environment:\n  SLUICE_DB_URL: required when SLUICE_DB_TYPE=postgres');
  const cluster = e.SLUICE_CLUSTER === 'true';
  if (cluster) {
    // Every node must sign and check the same tokens and open the same sealed secrets: a per-node generated key would not.
    const missing: string[] = [];
    if (e.SLUICE_DB_TYPE !== 'postgres') missing.push('SLUICE_DB_TYPE: must be postgres when SLUICE_CLUSTER=true');
    if (!e.SLUICE_JWT_SECRET) missing.push('SLUICE_JWT_SECRET: required when SLUICE_CLUSTER=true (the same value on every node, at least 32 characters)');
    if (!e.SLUICE_SECRET_KEY) missing.push('SLUICE_SECRET_KEY: required when SLUICE_CLUSTER=true (the same value on every node, at least 32 characters)');
    if (missing.length) throw new ConfigError(`invalid environment:\n  ${missing.join('\n  ')}`);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    adminUser: e.SLUICE_ADMIN_USER,
    adminPassword: e.SLUICE_ADMIN_PASSWORD,
    database: e.SLUICE_DB_TYPE === 'postgres' ? { type: 'postgres', url: e.SLUICE_DB_URL! } : { type: 'sqlite', path: join(dataDir, 'sluice.db') },
    jwtSecret: new TextEncoder().encode(e.SLUICE_JWT_SECRET ?? persistentSecret(dataDir, 'token-secret')),
    secretKey: new TextEncoder().encode(e.SLUICE_SECRET_KEY ?? persistentSecret(dataDir, 'secret-key')),
    tokenTtl: e.SLUICE_TOKEN_TTL,
    webDir: e.SLUICE_WEB_DIR ?? defaultWebDir(),
    maxBody: bodySize(e.SLUICE_MAX_BODY),
    logLevel: e.SLUICE_LOG_LEVEL,
    scriptWarmUp: e.SLUICE_SCRIPT_WARMUP === 'true',
    apiDocs: e.SLUICE_API_DOCS === 'true',
    trustProxy: trustProxy(e.SLUICE_TRUST_PROXY),
    allowedOrigins: e.SLUICE_ALLOWED_ORIGINS.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean),
    login: { maxFailures: e.SLUICE_LOGIN_MAX_FAILURES, lockoutMs: lockout(e.SLUICE_LOGIN_LOCKOUT), perMinute: e.SLUICE_LOGIN_RATE },
    regexTimeoutMs: parseDuration(e.SLUICE_REGEX_TIMEOUT)!,
    retentionMs: parseDuration(e.SLUICE_RETENTION)!,
    cluster: cluster ? { enabled: true, nodeId: randomUUID(), nodeName: e.SLUICE_NODE_NAME ?? `${hostname()}:${process.pid}`, concurrency: e.SLUICE_NODE_CONCURRENCY } : { enabled: false },
  };
}

/** A key generated once per data directory (mode 0600), so tokens and secrets survive restarts without configuration. */
function persistentSecret(dataDir: string, name: string): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function trustProxy(v: string): boolean | number | string {
  if (v === 'true') return true;
  if (v === 'false') return false;
  return /^\d+$/.test(v) ? Number(v) : v;
}

function bodySize(text: string): number {
  const n = parseDataSize(text);
  if (n === null || n < 1024) throw new ConfigError(`invalid environment:\n  SLUICE_MAX_BODY: '${text}' is not a size of at least 1 KB (e.g. '50mb')`);
  return n;
}

function lockout(text: string): number {
  const ms = parseDuration(text);
  if (ms === null || ms < 1000 || ms > 86_400_000) throw new ConfigError(`invalid environment:\n  SLUICE_LOGIN_LOCKOUT: '${text}' is not a duration between 1 sec and 24 hours (e.g. '5 min')`);
  return ms;
}

function defaultWebDir(): string | null {
  const candidate = resolve(new URL('.', import.meta.url).pathname, '../../../web/dist');
  return existsSync(join(candidate, 'index.html')) ? candidate : null;
}
