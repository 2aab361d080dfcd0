import { fromUtf8, HttpTransportError, type HttpRequest, type HttpResponse, type ProcessorServices } from '@sluice/flow-api';
import { IntegratorStepError } from './integrator-errors.js';

export interface RetryPolicy {
  /** Extra attempts after the first on 5xx, 429, timeouts and connection errors. */
  readonly retries: number;
  /** First wait; doubles per attempt up to 30 s. */
  readonly backoffMs: number;
  readonly timeoutMs: number;
}

const MAX_BACKOFF_MS = 30_000;

export function isRetryable(status: number): boolean {
  return status >= 500 || status === 429;
}

export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, policy.backoffMs * 2 ** attempt);
}

function wait(services: ProcessorServices, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => services.clock.setTimeout(resolve, ms));
}

/**
 * Sends a request, retrying with exponential backoff on 5xx/429 and transport failures. Returns the last
 * response (which may still be a 5xx when retries ran out); throws `IntegratorStepError` when the last
 * attempt failed in transport.
 */
export async function sendWithRetry(services: ProcessorServices, request: HttpRequest, policy: RetryPolicy): Promise<HttpResponse> {
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= policy.retries;
    try {
      const response = await services.http.request({ ...request, timeoutMs: request.timeoutMs ?? policy.timeoutMs });
      if (!isRetryable(response.status) || last) return response;
    } catch (e) {
      if (!(e instanceof HttpTransportError)) throw e;
      if (last) {
        const tries = attempt + 1;
        throw new IntegratorStepError(`${request.method} ${request.url} failed after ${tries} attempt${tries > 1 ? 's' : ''}: ${e.message}`, undefined, true);
      }
    }
    await wait(services, backoffDelay(policy, attempt));
  }
}

/** The body parsed as JSON, or an `IntegratorStepError` naming the URL. */
export function responseJson(response: HttpResponse, url: string): unknown {
  const text = fromUtf8(response.body);
  try {
    return text.trim() === '' ? null : JSON.parse(text);
  } catch {
    throw new IntegratorStepError(`${url} answered ${response.status} with a body that is not JSON: ${truncate(text, 200)}`, response.status);
  }
}

/** A short human reason from an error body: `detail`, `error`, `message`, DRF's field lists, or the text. */
export function errorReason(response: HttpResponse): string {
  const text = fromUtf8(response.body);
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      const b = body as Record<string, unknown>;
      for (const key of ['detail', 'error_description', 'message', 'error']) {
        if (typeof b[key] === 'string' && b[key] !== '') return b[key];
      }
      const fields = Object.entries(b).filter(([, v]) => Array.isArray(v)).map(([k, v]) => `${k}: ${(v as unknown[]).join(' ')}`);
      if (fields.length) return fields.join('; ');
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return truncate(text.trim(), 300) || response.statusText || `HTTP ${response.status}`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

export function joinUrl(domain: string, path: string): string {
  return domain.replace(/\/+$/, '') + path;
}

/** Appends query parameters, keeping whatever query the URL already has. */
export function withQuery(url: string, params: Readonly<Record<string, string>>): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return url;
  const qs = entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const sep = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return base + sep + qs + (hash < 0 ? '' : url.slice(hash));
}

export function base64Utf8(text: string): string {
  let binary = '';
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}
