import type { HttpResponse, ProcessorServices } from '@sluice/flow-api';
import { joinUrl, sendWithRetry, type RetryPolicy } from './http-call.util.js';
import type { HttpExchange } from './http-exchange.util.js';
import { IntegratorStepError } from './integrator-errors.js';
import { omnitronToken, recallRecipe, type OmnitronRecipe } from './integrator-auth.util.js';

export interface OmnitronClientOptions {
  readonly domain: string;
  /** A token handed over by the login step (`token.omnitron`), used until Omnitron answers 401. */
  readonly token?: string;
  /** Credentials to log in (again); without them a 401 ends the write. */
  readonly recipe?: OmnitronRecipe | null;
  readonly policy: RetryPolicy;
  /** Told about every request's final answer (or failure), e.g. to record it in provenance. */
  readonly observe?: (exchange: HttpExchange) => void;
}

/**
 * Calls Omnitron with `Authorization: Token <key>`, retrying 5xx/timeouts and logging in again once per
 * request after a 401. One instance serves one FlowFile; concurrent callers share the re-login.
 */
export class OmnitronClient {
  private token: string | undefined;
  private relogin: Promise<string> | null = null;
  logins = 0;

  constructor(
    private readonly services: ProcessorServices,
    private readonly options: OmnitronClientOptions,
  ) {
    this.token = options.token || undefined;
  }

  async send(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    // Serialized once: the text sent (and re-sent after a fresh login) is the one provenance records.
    const text = body === undefined ? undefined : JSON.stringify(body);
    const observe = this.options.observe;
    if (!observe) return this.exchange(method, path, text);
    const url = joinUrl(this.options.domain, path);
    try {
      const response = await this.exchange(method, path, text);
      observe({ method, url, body: text, response });
      return response;
    } catch (e) {
      observe({ method, url, body: text, error: (e as Error).message });
      throw e;
    }
  }

  private async exchange(method: string, path: string, text: string | undefined): Promise<HttpResponse> {
    const url = joinUrl(this.options.domain, path);
    const used = await this.currentToken();
    const response = await this.call(method, url, used, text);
    if (response.status !== 401) return response;
    if (!this.options.recipe) throw new IntegratorStepError('Omnitron answered 401 and no Omnitron credentials are configured to log in again', 401);
    const fresh = await this.renew(used);
    const retried = await this.call(method, url, fresh, text);
    if (retried.status === 401) throw new IntegratorStepError('Omnitron answered 401 again right after a fresh login', 401, true);
    return retried;
  }

  private call(method: string, url: string, token: string, text: string | undefined): Promise<HttpResponse> {
    const headers: Record<string, string> = { authorization: `Token ${token}`, accept: 'application/json' };
    if (text !== undefined) headers['content-type'] = 'application/json';
    return sendWithRetry(this.services, { method, url, headers, body: text }, this.options.policy);
  }

  private async currentToken(): Promise<string> {
    if (this.relogin) return this.relogin;
    if (this.token) return this.token;
    if (!this.options.recipe) throw new IntegratorStepError('no Omnitron token: run the login step first or set the Omnitron credentials');
    return this.renew(undefined, false);
  }

  /** One login for every caller that saw the same stale token. */
  private renew(stale: string | undefined, force = true): Promise<string> {
    if (this.relogin) return this.relogin;
    if (stale !== undefined && this.token !== undefined && this.token !== stale) return Promise.resolve(this.token);
    this.relogin = omnitronToken(this.services, this.options.recipe!, this.options.policy, force)
      .then((t) => {
        this.logins++;
        this.token = t;
        return t;
      })
      .finally(() => {
        this.relogin = null;
      });
    return this.relogin;
  }
}

/** Credentials from properties when both are set, else those the login step cached under `omnitron.auth.key`. */
export function omnitronRecipeFor(
  services: ProcessorServices,
  domain: string,
  username: string | undefined,
  password: string | undefined,
  authKey: string | undefined,
  ttlMs: number | null,
): OmnitronRecipe | null {
  if (username && password) return { domain, username, password, ttlMs };
  if (authKey) {
    const recipe = recallRecipe<OmnitronRecipe>(services, authKey);
    if (recipe) return { ...recipe, domain };
  }
  return null;
}
