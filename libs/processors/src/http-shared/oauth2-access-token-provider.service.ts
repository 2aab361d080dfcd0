import { basicAuthorization } from '../invoke-http/invoke-http-request.util.js';
import { handleList, propertyHandles, defineControllerService, describeProperty, fromUtf8, HttpTransportError, type Clock, type HttpClient, type PropertyHandle, type PropertyValues, type ValidationResult } from '@sluice/flow-api';

/** The service API InvokeHTTP's `Request OAuth2 Access Token Provider` names (NiFi's OAuth2AccessTokenProvider). */
export const OAUTH2_PROVIDER_API = 'OAuth2AccessTokenProvider';

export interface OAuth2AccessTokenProvider {
  /** A valid access token: the cached one, or one acquired or refreshed now (before it expires, by Refresh Window). */
  accessToken(http: HttpClient, clock: Clock): Promise<string>;
  /** Refreshes now (InvokeHTTP's ON_UNAUTHORIZED_RESPONSE), with the refresh token when there is one. */
  refresh(http: HttpClient, clock: Clock): Promise<string>;
}

export class OAuth2Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OAuth2Error';
  }
}

const P = {
  url: 'Authorization Server URL', clientAuth: 'Client Authentication Strategy', grant: 'Grant Type', username: 'Username',
  password: 'Password', refreshToken: 'Refresh Token', clientId: 'Client ID', clientSecret: 'Client Secret', scope: 'Scope',
  resource: 'Resource', audience: 'Audience', window: 'Refresh Window', defaultExpiration: 'Default Expiration Time',
  ssl: 'SSL Context Service', protocols: 'HTTP Protocols',
} as const;

const GRANTS = [
  { value: 'password', displayName: 'User Password', description: 'Resource Owner Password Credentials Grant: Username and Password, usually with Client ID and Secret.' },
  { value: 'client_credentials', displayName: 'Client Credentials', description: 'Client Credentials Grant: Client ID and Client Secret.' },
  { value: 'refresh_token', displayName: 'Refresh Token', description: 'Starts from a Refresh Token and refreshes with it.' },
];
const prop = describeProperty;

const TOKEN_TIMEOUT_MS = 15_000;
const MAX_TOKEN_RESPONSE = 64 * 1024;

interface AccessDetails {
  accessToken: string | null;
  refreshToken: string | null;
  /** Seconds, as the server said (or Default Expiration Time). */
  expiresIn: number;
  fetchedAt: number;
}

const PROPS = propertyHandles([
  prop(P.url, 'The token endpoint, such as https://auth.example.com/oauth/token.', 'string', { required: true, expressionScope: 'environment', validators: [{ kind: 'url' }] }),
  prop(P.clientAuth, 'How the client ID and secret are sent.', 'enum', {
    required: true, default: 'REQUEST_BODY',
    allowableValues: [
      { value: 'REQUEST_BODY', displayName: 'REQUEST_BODY', description: 'As client_id and client_secret form fields.' },
      { value: 'BASIC_AUTHENTICATION', displayName: 'BASIC_AUTHENTICATION', description: 'As HTTP Basic authentication (RFC 6749 2.3.1).' },
    ],
  }),
  prop(P.grant, 'The OAuth2 grant.', 'enum', { required: true, default: 'password', allowableValues: GRANTS }),
  prop(P.username, 'Resource owner user name.', 'string', { required: true, expressionScope: 'environment', dependsOn: [{ property: P.grant, values: ['password'] }] }),
  prop(P.password, 'Resource owner password.', 'string', { required: true, sensitive: true, editor: 'password', dependsOn: [{ property: P.grant, values: ['password'] }] }),
  prop(P.refreshToken, 'The refresh token to start from.', 'string', { required: true, sensitive: true, editor: 'password', dependsOn: [{ property: P.grant, values: ['refresh_token'] }] }),
  prop(P.clientId, 'Client ID.', 'string', { expressionScope: 'environment' }),
  prop(P.clientSecret, 'Client secret.', 'string', { required: true, sensitive: true, editor: 'password', dependsOn: [{ property: P.clientId }] }),
  prop(P.scope, 'Space-delimited, case-sensitive scopes of the access request.', 'string'),
  prop(P.resource, 'Resource URI for the access token (RFC 8707).', 'string'),
  prop(P.audience, 'Audience for the access token.', 'string'),
  prop(P.window, 'How long before its expiry a token is refreshed.', 'duration', { required: true, default: '0 s' }),
  prop(P.defaultExpiration, 'How long a token lasts when the server does not say (no expires_in).', 'duration', { required: true, default: '1 hour' }),
  prop(P.ssl, "TLS for the token endpoint; Sluice's token requests use the server's trusted CAs, so setting it is refused.", 'string', { identifiesControllerService: 'SSLContextProvider' }),
  prop(P.protocols, 'Sluice speaks HTTP/1.1 to the token endpoint whatever is chosen.', 'enum', {
    required: true, default: 'H2_HTTP_1_1', dependsOn: [{ property: P.ssl }],
    allowableValues: ['HTTP_1_1', 'H2_HTTP_1_1', 'H2'].map((v) => ({ value: v, displayName: v })),
  }),
]);

export const StandardOauth2AccessTokenProvider = defineControllerService<OAuth2AccessTokenProvider>({
  descriptor: {
    type: 'StandardOauth2AccessTokenProvider',
    version: 1,
    displayName: 'Standard OAuth2 Access Token Provider',
    description:
      'Gets OAuth2 access tokens from an authorization server (password, client credentials or refresh token grant) and ' +
      'keeps the current one in memory, refreshing it once it is within Refresh Window of its expiry (with the refresh ' +
      'token when the server gave one, otherwise by a new grant).',
    implements: [OAUTH2_PROVIDER_API],
    tags: ['oauth2', 'provider', 'authorization', 'access token', 'http'],
    properties: handleList(PROPS),
  },
  validate(config: PropertyValues): ValidationResult[] {
    const out: ValidationResult[] = [];
    if (config[P.grant] === 'client_credentials' && !config[P.clientId]) out.push({ property: P.clientId, message: `${P.clientId} is required for the Client Credentials grant`, code: 'required' });
    if (config[P.ssl]) out.push({ property: P.ssl, message: `${P.ssl} is not supported by Sluice's token provider: the token endpoint must be trusted by the server's CAs`, code: 'invalid' });
    return out;
  },
  enable(ctx) {
    const text = (handle: PropertyHandle<string, boolean>) => ctx.get(handle)?.trim() || null;
    const url = text(PROPS[P.url])!;
    const grant = ctx.get(PROPS[P.grant]);
    const basic = ctx.get(PROPS[P.clientAuth]) === 'BASIC_AUTHENTICATION';
    const clientId = text(PROPS[P.clientId]);
    const clientSecret = ctx.get(PROPS[P.clientSecret]) ?? '';
    const windowSec = ctx.get(PROPS[P.window]) / 1000;
    const defaultExpirationSec = ctx.get(PROPS[P.defaultExpiration]) / 1000;
    const extra: [string, string][] = [];
    for (const [field, handle] of [['scope', PROPS[P.scope]], ['resource', PROPS[P.resource]], ['audience', PROPS[P.audience]]] as const) {
      const v = ctx.get(handle);
      if (v) extra.push([field, v]);
    }
    let details: AccessDetails | null = grant === 'refresh_token' ? { accessToken: null, refreshToken: ctx.get(PROPS[P.refreshToken]) ?? null, expiresIn: -1, fetchedAt: 0 } : null;
    // Callers that need a token at the same moment share one request to the server.
    let inFlight: Promise<AccessDetails> | null = null;

    async function request(http: HttpClient, clock: Clock, fields: [string, string][]): Promise<AccessDetails> {
      const form = [...fields];
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
      if (clientId !== null) {
        if (basic) headers['authorization'] = basicAuthorization(clientId, clientSecret);
        else form.push(['client_id', clientId], ['client_secret', clientSecret]);
      }
      form.push(...extra);
      const body = form.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
      let res;
      try {
        res = await http.request({ method: 'POST', url, headers, body, timeoutMs: TOKEN_TIMEOUT_MS, maxResponseBytes: MAX_TOKEN_RESPONSE });
      } catch (e) {
        throw new OAuth2Error(`OAuth2 access token request failed: ${e instanceof HttpTransportError ? e.message : String(e)}`);
      }
      if (res.status < 200 || res.status > 299) {
        ctx.log.error(`OAuth2 access token request failed [HTTP ${res.status}]`);
        throw new OAuth2Error(`OAuth2 access token request failed [HTTP ${res.status}]`);
      }
      let parsed: { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown };
      try {
        parsed = JSON.parse(fromUtf8(res.body)) as typeof parsed;
      } catch {
        throw new OAuth2Error('OAuth2 access token response is not JSON');
      }
      if (typeof parsed.access_token !== 'string' || parsed.access_token === '') throw new OAuth2Error('OAuth2 access token response has no access_token');
      const expiresIn = Number(parsed.expires_in);
      return {
        accessToken: parsed.access_token,
        refreshToken: typeof parsed.refresh_token === 'string' ? parsed.refresh_token : null,
        expiresIn: Number.isFinite(expiresIn) && parsed.expires_in !== undefined ? expiresIn : defaultExpirationSec,
        fetchedAt: clock.now(),
      };
    }

    const acquire = (http: HttpClient, clock: Clock) =>
      request(http, clock, grant === 'password' ? [['grant_type', 'password'], ['username', text(PROPS[P.username]) ?? ''], ['password', ctx.get(PROPS[P.password]) ?? '']] : [['grant_type', 'client_credentials']]);

    async function refreshed(http: HttpClient, clock: Clock): Promise<AccessDetails> {
      const refreshToken = details?.refreshToken;
      if (!refreshToken) return acquire(http, clock);
      try {
        const next = await request(http, clock, [['grant_type', 'refresh_token'], ['refresh_token', refreshToken]]);
        return next.refreshToken ? next : { ...next, refreshToken };
      } catch (e) {
        // A refresh grant with nothing to fall back on (the Refresh Token grant) fails as it is.
        if (grant === 'refresh_token') throw e;
        ctx.log.info(`Refresh Access Token request failed [${url}]: ${(e as Error).message}; requesting a new token`);
        return acquire(http, clock);
      }
    }

    function once(work: () => Promise<AccessDetails>): Promise<string> {
      inFlight ??= work().finally(() => {
        inFlight = null;
      });
      return inFlight.then((d) => {
        details = d;
        return d.accessToken!;
      });
    }

    const expired = (d: AccessDetails, now: number) => d.accessToken === null || now >= d.fetchedAt + (d.expiresIn - windowSec) * 1000;

    return {
      accessToken(http, clock) {
        if (details && !expired(details, clock.now())) return Promise.resolve(details.accessToken!);
        return once(() => (details ? refreshed(http, clock) : acquire(http, clock)));
      },
      refresh(http, clock) {
        return once(() => refreshed(http, clock));
      },
    };
  },
});
