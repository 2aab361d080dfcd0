import { readJsonPath } from '@sluice/expression';
import type { ProcessorServices } from '@sluice/flow-api';
import { base64Utf8, errorReason, joinUrl, responseJson, sendWithRetry, type RetryPolicy } from './http-call.util.js';
import { IntegratorStepError } from './integrator-errors.js';
import { tokenCache } from './integrator-services.js';

/** Where an ERP login reply holds its token, unless the recipe says otherwise. */
export const TOKEN_PATH = '$.access_token';

export const ERP_AUTH_TYPES = ['none', 'jwt', 'basic', 'oauth2-client-credentials', 'oauth2-password', 'permanent-token', 'custom-header'] as const;
export type ErpAuthType = (typeof ERP_AUTH_TYPES)[number];

/** Everything needed to log in to an ERP again later; cached (it holds secrets) next to the token. */
export interface ErpLoginRecipe {
  readonly type: ErpAuthType;
  readonly url?: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** JWT login body, sent as is (JSON unless a content-type header says otherwise). */
  readonly body?: string;
  readonly tokenPath?: string;
  /** Path to a lifetime in seconds in the login reply. */
  readonly expiresInPath?: string;
  /** Lifetime when the reply carries none; null = until a 401. */
  readonly ttlMs?: number | null;
  readonly username?: string;
  readonly password?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly scope?: string;
  readonly token?: string;
  readonly headerName: string;
  readonly headerPrefix: string;
}

export interface ErpCredential {
  readonly token: string;
  readonly headerName: string;
  readonly headerValue: string;
  readonly expiresAt: number | null;
}

export interface OmnitronRecipe {
  readonly domain: string;
  readonly username: string;
  readonly password: string;
  readonly ttlMs: number | null;
}

const RECIPE_PREFIX = 'recipe|';

export function erpCacheKey(recipe: ErpLoginRecipe): string {
  return `erp|${recipe.type}|${recipe.url ?? ''}|${recipe.username ?? recipe.clientId ?? ''}|${recipe.headerName}`;
}

export function omnitronCacheKey(recipe: OmnitronRecipe): string {
  return `omnitron|${recipe.domain.replace(/\/+$/, '')}|${recipe.username}`;
}

/**
 * Keeps how to log in again where later steps find it, also after a restart when the host's cache is durable:
 * awaited before the login step hands its FlowFile on.
 */
export async function rememberRecipe(services: ProcessorServices, key: string, recipe: ErpLoginRecipe | OmnitronRecipe): Promise<void> {
  const value = JSON.stringify(recipe);
  const tokens = tokenCache(services);
  if (tokens.get(RECIPE_PREFIX + key)?.value === value) return;
  await tokens.set(RECIPE_PREFIX + key, value, null);
}

export function recallRecipe<T extends ErpLoginRecipe | OmnitronRecipe>(services: ProcessorServices, key: string): T | null {
  const hit = tokenCache(services).get(RECIPE_PREFIX + key);
  return hit ? (JSON.parse(hit.value) as T) : null;
}

function cached(services: ProcessorServices, key: string): string | null {
  const hit = tokenCache(services).get(key);
  if (!hit) return null;
  if (hit.expiresAt !== null && hit.expiresAt <= services.clock.now()) return null;
  return hit.value;
}

/** The Omnitron token from the cache, or a fresh login (`force` skips the cache, after a 401). */
export async function omnitronToken(services: ProcessorServices, recipe: OmnitronRecipe, policy: RetryPolicy, force = false): Promise<string> {
  const key = omnitronCacheKey(recipe);
  if (!force) {
    const hit = cached(services, key);
    if (hit) return hit;
  }
  const url = joinUrl(recipe.domain, '/api/v1/auth/login/');
  const response = await sendWithRetry(
    services,
    { method: 'POST', url, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ username: recipe.username, password: recipe.password }) },
    policy,
  );
  if (response.status < 200 || response.status >= 300) {
    await tokenCache(services).delete(key);
    throw new IntegratorStepError(`Omnitron login failed (${response.status}): ${errorReason(response)}`, response.status);
  }
  const key_ = readJsonPath(responseJson(response, url), '$.key');
  if (typeof key_ !== 'string' || key_ === '') throw new IntegratorStepError('Omnitron login reply has no "key"', response.status);
  await tokenCache(services).set(key, key_, recipe.ttlMs === null ? null : services.clock.now() + recipe.ttlMs);
  return key_;
}

/** The ERP credential from the cache, or a fresh login (`force` skips the cache, after a 401). */
export async function erpCredential(services: ProcessorServices, recipe: ErpLoginRecipe, policy: RetryPolicy, force = false): Promise<ErpCredential | null> {
  if (recipe.type === 'none') return null;
  const header = (token: string, expiresAt: number | null): ErpCredential => ({
    token,
    headerName: recipe.headerName,
    headerValue: recipe.type === 'basic' ? `Basic ${token}` : recipe.headerPrefix + token,
    expiresAt,
  });
  if (recipe.type === 'basic') {
    if (!recipe.username) throw new IntegratorStepError('ERP Basic auth needs a username');
    return header(base64Utf8(`${recipe.username}:${recipe.password ?? ''}`), null);
  }
  if (recipe.type === 'permanent-token' || recipe.type === 'custom-header') {
    if (!recipe.token) throw new IntegratorStepError(`ERP auth type '${recipe.type}' needs a token`);
    return header(recipe.token, null);
  }
  const key = erpCacheKey(recipe);
  if (!force) {
    const hit = tokenCache(services).get(key);
    if (hit && (hit.expiresAt === null || hit.expiresAt > services.clock.now())) return header(hit.value, hit.expiresAt);
  }
  if (!recipe.url) throw new IntegratorStepError(`ERP auth type '${recipe.type}' needs a login URL`);
  const headers: Record<string, string> = { accept: 'application/json', ...(recipe.headers ?? {}) };
  let body: string;
  if (recipe.type === 'jwt') {
    body = recipe.body ?? JSON.stringify({ username: recipe.username ?? '', password: recipe.password ?? '' });
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  } else {
    const form = new URLSearchParams();
    if (recipe.type === 'oauth2-client-credentials') {
      form.set('grant_type', 'client_credentials');
    } else {
      form.set('grant_type', 'password');
      form.set('username', recipe.username ?? '');
      form.set('password', recipe.password ?? '');
    }
    if (recipe.clientId) form.set('client_id', recipe.clientId);
    if (recipe.clientSecret) form.set('client_secret', recipe.clientSecret);
    if (recipe.scope) form.set('scope', recipe.scope);
    body = form.toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const url = recipe.url;
  const response = await sendWithRetry(services, { method: recipe.method ?? 'POST', url, headers, body }, policy);
  if (response.status < 200 || response.status >= 300) {
    await tokenCache(services).delete(key);
    throw new IntegratorStepError(`ERP login failed (${response.status}): ${errorReason(response)}`, response.status);
  }
  const json = responseJson(response, url);
  const tokenPath = recipe.tokenPath || TOKEN_PATH;
  const token = readJsonPath(json, tokenPath);
  if (typeof token !== 'string' || token === '') throw new IntegratorStepError(`ERP login reply has no token at ${tokenPath}`, response.status);
  const expiresIn = recipe.expiresInPath ? Number(readJsonPath(json, recipe.expiresInPath)) : Number.NaN;
  // Renew a little early so a token never expires between the cache check and the ERP call.
  const ttl = Number.isFinite(expiresIn) && expiresIn > 0 ? Math.max(0, expiresIn * 1000 - 30_000) : (recipe.ttlMs ?? null);
  const expiresAt = ttl === null ? null : services.clock.now() + ttl;
  await tokenCache(services).set(key, token, expiresAt);
  return header(token, expiresAt);
}
