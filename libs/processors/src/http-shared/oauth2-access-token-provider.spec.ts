import { type HttpRequest } from '@sluice/flow-api';
import { FakeHttpClient, TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { InvokeHTTP } from '../invoke-http/invoke-http.processor.js';
import { StandardOauth2AccessTokenProvider } from './oauth2-access-token-provider.service.js';

const TOKEN_URL = 'http://auth.test/oauth/token';
const API_URL = 'http://erp.test/api/stock';

/** A token endpoint and an API: tokens are `t1`, `t2`, … in the order they are issued; the API echoes the bearer. */
function servers(options: { expiresIn?: number; refreshToken?: boolean; apiStatus?: (auth: string) => number; tokenStatus?: (form: URLSearchParams) => number } = {}) {
  let issued = 0;
  const http = new FakeHttpClient().respondAlways((req: HttpRequest) => {
    if (req.url === TOKEN_URL) {
      const form = new URLSearchParams(String(req.body));
      const status = options.tokenStatus?.(form) ?? 200;
      if (status !== 200) return { status, body: { error: 'invalid_grant' } };
      issued++;
      return { status: 200, body: { access_token: `t${issued}`, token_type: 'Bearer', ...(options.expiresIn !== undefined ? { expires_in: options.expiresIn } : {}), ...(options.refreshToken ? { refresh_token: `r${issued}` } : {}) } };
    }
    const auth = req.headers?.['authorization'] ?? '';
    return { status: options.apiStatus?.(auth) ?? 200, body: { auth } };
  });
  return http;
}

function runner(http: FakeHttpClient, provider: Record<string, string>, invoke: Record<string, string> = {}) {
  return new TestRunner(InvokeHTTP, { services: { http }, hasIncomingConnection: true })
    .addControllerService('oauth', StandardOauth2AccessTokenProvider, { 'Authorization Server URL': TOKEN_URL, ...provider })
    .setProperty('HTTP URL', API_URL)
    .setProperty('Request OAuth2 Access Token Provider', 'oauth')
    .setProperties(invoke);
}

const tokenCalls = (http: FakeHttpClient) => http.requests.filter((r) => r.url === TOKEN_URL);
const form = (r: HttpRequest) => Object.fromEntries(new URLSearchParams(String(r.body)));
const apiAuth = (http: FakeHttpClient) => http.requests.filter((r) => r.url === API_URL).map((r) => r.headers?.['authorization']);

describe('StandardOauth2AccessTokenProvider through InvokeHTTP', () => {
  it('client credentials: the token goes out as Bearer, client id and secret in the body, and is reused until it expires', async () => {
    const http = servers({ expiresIn: 3600 });
    const r = runner(http, { 'Grant Type': 'client_credentials', 'Client ID': 'sluice', 'Client Secret': 's3cret', Scope: 'stock.read', Audience: 'erp' });
    r.assertValid();
    r.enqueue('');
    r.enqueue('');
    await r.run(2);
    r.assertTransferCount('Original', 2);
    expect(tokenCalls(http)).toHaveLength(1);
    expect(form(tokenCalls(http)[0]!)).toEqual({ grant_type: 'client_credentials', client_id: 'sluice', client_secret: 's3cret', scope: 'stock.read', audience: 'erp' });
    expect(tokenCalls(http)[0]!.headers?.['content-type']).toBe('application/x-www-form-urlencoded');
    expect(apiAuth(http)).toEqual(['Bearer t1', 'Bearer t1']);
  });

  it('password grant with BASIC_AUTHENTICATION: the client in an Authorization header, the user in the body', async () => {
    const http = servers();
    const r = runner(http, { 'Grant Type': 'password', Username: 'integrator', Password: 'pw', 'Client ID': 'app', 'Client Secret': 'sec', 'Client Authentication Strategy': 'BASIC_AUTHENTICATION' });
    r.enqueue('');
    await r.run();
    const call = tokenCalls(http)[0]!;
    expect(form(call)).toEqual({ grant_type: 'password', username: 'integrator', password: 'pw' });
    expect(call.headers?.['authorization']).toBe(`Basic ${btoa('app:sec')}`);
    expect(apiAuth(http)).toEqual(['Bearer t1']);
  });

  it('refreshes with the refresh token once the token is within Refresh Window of expiry, keeping the refresh token', async () => {
    const http = servers({ expiresIn: 60, refreshToken: true });
    const r = runner(http, { 'Grant Type': 'password', Username: 'u', Password: 'p', 'Refresh Window': '10 s' });
    r.enqueue('');
    await r.run();
    await r.clock.advance(49_000);
    r.enqueue('');
    await r.run();
    expect(tokenCalls(http)).toHaveLength(1);
    await r.clock.advance(2_000);
    r.enqueue('');
    await r.run();
    expect(tokenCalls(http).map((c) => form(c)['grant_type'])).toEqual(['password', 'refresh_token']);
    expect(form(tokenCalls(http)[1]!)['refresh_token']).toBe('r1');
    expect(apiAuth(http)).toEqual(['Bearer t1', 'Bearer t1', 'Bearer t2']);
  });

  it('a refused refresh falls back to a new grant; without expires_in the Default Expiration Time applies', async () => {
    const http = servers({ refreshToken: true, tokenStatus: (f) => (f.get('grant_type') === 'refresh_token' ? 400 : 200) });
    const r = runner(http, { 'Grant Type': 'password', Username: 'u', Password: 'p', 'Default Expiration Time': '5 mins' });
    r.enqueue('');
    await r.run();
    await r.clock.advance(5 * 60_000);
    r.enqueue('');
    await r.run();
    expect(tokenCalls(http).map((c) => form(c)['grant_type'])).toEqual(['password', 'refresh_token', 'password']);
    expect(apiAuth(http)).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('Refresh Token grant: starts from the configured refresh token', async () => {
    const http = servers({ expiresIn: 3600 });
    const r = runner(http, { 'Grant Type': 'refresh_token', 'Refresh Token': 'seed' });
    r.enqueue('');
    await r.run();
    expect(form(tokenCalls(http)[0]!)).toEqual({ grant_type: 'refresh_token', refresh_token: 'seed' });
  });

  it('a token endpoint that refuses sends the FlowFile to Failure with the reason', async () => {
    const http = servers({ tokenStatus: () => 401 });
    const r = runner(http, { 'Grant Type': 'client_credentials', 'Client ID': 'x', 'Client Secret': 'bad' });
    r.enqueue('');
    await r.run();
    r.assertAllTransferred('Failure', 1);
    r.flowFilesFor('Failure')[0]!.assertAttributeEquals('invokehttp.java.exception.message', 'OAuth2 access token request failed [HTTP 401]');
    expect(apiAuth(http)).toEqual([]);
  });

  it('ON_UNAUTHORIZED_RESPONSE: a 401 goes to No Retry and the next request carries a fresh token', async () => {
    const http = servers({ expiresIn: 3600, apiStatus: (auth) => (auth === 'Bearer t1' ? 401 : 200) });
    const r = runner(http, { 'Grant Type': 'client_credentials', 'Client ID': 'x', 'Client Secret': 'y' }, { 'OAuth2 Access Token Refresh Strategy': 'ON_UNAUTHORIZED_RESPONSE' });
    r.enqueue('');
    r.enqueue('');
    await r.run(2);
    r.assertTransferCount('No Retry', 1);
    r.assertTransferCount('Original', 1);
    expect(apiAuth(http)).toEqual(['Bearer t1', 'Bearer t2']);
    const plain = servers({ expiresIn: 3600, apiStatus: (auth) => (auth === 'Bearer t1' ? 401 : 200) });
    const onExpiry = runner(plain, { 'Grant Type': 'client_credentials', 'Client ID': 'x', 'Client Secret': 'y' });
    onExpiry.enqueue('');
    onExpiry.enqueue('');
    await onExpiry.run(2);
    expect(apiAuth(plain)).toEqual(['Bearer t1', 'Bearer t1']);
  });

  it('callers that need a token at once share one token request', async () => {
    const http = servers({ expiresIn: 3600 });
    const r = runner(http, { 'Grant Type': 'client_credentials', 'Client ID': 'x', 'Client Secret': 'y' });
    const provider = r.controllerService<{ accessToken(h: FakeHttpClient, c: unknown): Promise<string> }>('oauth');
    const tokens = await Promise.all([1, 2, 3].map(() => provider.accessToken(http, r.clock)));
    expect(tokens).toEqual(['t1', 't1', 't1']);
    expect(tokenCalls(http)).toHaveLength(1);
  });

  it('validation: Client Credentials needs a Client ID; an SSL Context Service and Username with OAuth2 are refused', () => {
    const http = new FakeHttpClient();
    expect(runner(http, { 'Grant Type': 'client_credentials' }).validate().map((v) => v.message).join('\n')).toContain("controller service 'oauth' is invalid: Client ID is required for the Client Credentials grant");
    const ssl = runner(http, { 'Grant Type': 'client_credentials', 'Client ID': 'x', 'Client Secret': 'y', 'SSL Context Service': 'ssl' }).validate().map((v) => v.message).join('\n');
    expect(ssl).toContain('is invalid');
    const both = runner(http, { 'Grant Type': 'client_credentials', 'Client ID': 'x', 'Client Secret': 'y' }, { 'Request Username': 'u' });
    expect(both.validate().map((v) => v.message)).toContain('OAuth2 Authorization cannot be configured together with Username and Password properties');
  });
});
