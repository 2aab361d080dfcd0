import { HttpTransportError } from '@sluice/flow-api';
import { startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorReason, sendWithRetry, withQuery } from './http-call.util.js';
import { erpCredential, omnitronToken, type ErpLoginRecipe } from './integrator-auth.util.js';
import { IntegratorStepError } from './integrator-errors.js';
import { FetchHttpClient, integratorServices, ScriptedHttpClient } from './integrator-services.testing.js';
import { OmnitronClient } from './omnitron-client.js';

const fast = { retries: 2, backoffMs: 0, timeoutMs: 5000 };

describe('withQuery and errorReason', () => {
  it('appends parameters to URLs with or without a query', () => {
    expect(withQuery('http://h/p', { a: '1', 'b c': 'x&y' })).toBe('http://h/p?a=1&b%20c=x%26y');
    expect(withQuery('http://h/p?z=1', { a: '1' })).toBe('http://h/p?z=1&a=1');
    expect(withQuery('http://h/p?', { a: '1' })).toBe('http://h/p?a=1');
    expect(withQuery('http://h/p', {})).toBe('http://h/p');
  });
  it('finds a reason in common error bodies', () => {
    const r = (json: unknown) => ({ status: 400, statusText: 'Bad Request', headers: {}, body: new TextEncoder().encode(JSON.stringify(json)), durationMs: 0 });
    expect(errorReason(r({ detail: 'product not found' }))).toBe('product not found');
    expect(errorReason(r({ non_field_errors: ['Unable to log in.'] }))).toBe('non_field_errors: Unable to log in.');
    expect(errorReason({ ...r(null), body: new TextEncoder().encode('<html>oops</html>') })).toBe('<html>oops</html>');
  });
});

describe('sendWithRetry', () => {
  it('retries 5xx and transport errors, then returns', async () => {
    const http = new ScriptedHttpClient((_r, i) => (i === 0 ? { status: 503 } : i === 1 ? new HttpTransportError('reset', 'connection') : { status: 200, json: {} }));
    const res = await sendWithRetry(integratorServices(http), { method: 'GET', url: 'http://h/' }, fast);
    expect(res.status).toBe(200);
    expect(http.sent).toHaveLength(3);
  });
  it('returns the last 5xx when retries run out and does not retry 4xx', async () => {
    const http = new ScriptedHttpClient(() => ({ status: 500 }));
    expect((await sendWithRetry(integratorServices(http), { method: 'GET', url: 'http://h/' }, fast)).status).toBe(500);
    expect(http.sent).toHaveLength(3);
    const four = new ScriptedHttpClient(() => ({ status: 404 }));
    await sendWithRetry(integratorServices(four), { method: 'GET', url: 'http://h/' }, fast);
    expect(four.sent).toHaveLength(1);
  });
  it('throws a step error after the last transport failure', async () => {
    const http = new ScriptedHttpClient(() => new HttpTransportError('timed out after 5 ms', 'timeout'));
    await expect(sendWithRetry(integratorServices(http), { method: 'GET', url: 'http://h/x' }, { ...fast, retries: 1 })).rejects.toThrow(
      'GET http://h/x failed after 2 attempts: timed out after 5 ms',
    );
  });
  it('waits with exponential backoff between attempts', async () => {
    const waits: number[] = [];
    const http = new ScriptedHttpClient((_r, i) => (i < 2 ? { status: 502 } : { status: 200 }));
    const services = { ...integratorServices(http), clock: { now: () => 0, setTimeout: (cb: () => void, ms: number) => (waits.push(ms), cb()), clearTimeout: () => undefined } };
    await sendWithRetry(services, { method: 'GET', url: 'http://h/' }, { retries: 3, backoffMs: 100, timeoutMs: 1 });
    expect(waits).toEqual([100, 200]);
  });
});

describe('logins against the simulators', () => {
  let erp: ErpSimHandle;
  let omni: OmnitronSimHandle;
  beforeAll(async () => {
    [erp, omni] = await Promise.all([startErpSim({ generatedRows: 0 }), startOmnitronSim({ generatedProducts: 0 })]);
  });
  afterAll(async () => {
    await Promise.all([erp.close(), omni.close()]);
  });

  const jwt = (): ErpLoginRecipe => ({
    type: 'jwt',
    url: `${erp.url}/auth/token`,
    body: JSON.stringify({ username: 'erp-user', password: 'erp-pass' }),
    tokenPath: '$.access_token',
    expiresInPath: '$.expires_in',
    headerName: 'Authorization',
    headerPrefix: 'Bearer ',
  });

  it('logs in with JWT, caches until expiry and renews on force', async () => {
    const services = integratorServices(new FetchHttpClient());
    const a = await erpCredential(services, jwt(), fast);
    expect(a!.headerValue).toBe(`Bearer ${a!.token}`);
    expect(a!.expiresAt! - Date.now()).toBeGreaterThan(3_500_000);
    const b = await erpCredential(services, jwt(), fast);
    expect(b!.token).toBe(a!.token);
    const c = await erpCredential(services, jwt(), fast, true);
    expect(c!.token).not.toBe(a!.token);
    expect(erp.state.counters.logins).toBe(2);
  });

  it('uses OAuth2 client credentials and password grants', async () => {
    const services = integratorServices(new FetchHttpClient());
    const base = { url: `${erp.url}/auth/token`, headerName: 'Authorization', headerPrefix: 'Bearer ' };
    const cc = await erpCredential(services, { ...base, type: 'oauth2-client-credentials', clientId: 'erp-client', clientSecret: 'erp-secret' }, fast);
    const pw = await erpCredential(services, { ...base, type: 'oauth2-password', username: 'erp-user', password: 'erp-pass' }, fast);
    const res = await fetch(`${erp.url}/api/stock?sku=1234`, { headers: { authorization: pw!.headerValue } });
    expect(res.status).toBe(200);
    expect(cc!.token.split('.')).toHaveLength(3);
    await expect(erpCredential(services, { ...base, type: 'oauth2-password', username: 'erp-user', password: 'no' }, fast, true)).rejects.toThrow(
      'ERP login failed (401): bad credentials',
    );
  });

  it('builds Basic, permanent and custom-header credentials without a request', async () => {
    const services = integratorServices(new ScriptedHttpClient(() => new Error('no request expected')));
    const basic = await erpCredential(services, { type: 'basic', username: 'erp-user', password: 'erp-pass', headerName: 'Authorization', headerPrefix: '' }, fast);
    expect(basic!.headerValue).toBe(`Basic ${Buffer.from('erp-user:erp-pass').toString('base64')}`);
    const custom = await erpCredential(services, { type: 'custom-header', token: 'k1', headerName: 'X-Api-Key', headerPrefix: '' }, fast);
    expect(custom).toEqual({ token: 'k1', headerName: 'X-Api-Key', headerValue: 'k1', expiresAt: null });
    await expect(erpCredential(services, { type: 'permanent-token', headerName: 'Authorization', headerPrefix: 'Token ' }, fast)).rejects.toBeInstanceOf(IntegratorStepError);
  });

  it('logs in to Omnitron and names the reason of a rejected login', async () => {
    const services = integratorServices(new FetchHttpClient());
    const recipe = { domain: omni.url + '/', username: 'integrator', password: 'integrator-pass', ttlMs: null };
    const token = await omnitronToken(services, recipe, fast);
    expect(omni.state.tokens.has(token)).toBe(true);
    expect(await omnitronToken(services, recipe, fast)).toBe(token);
    await expect(omnitronToken(services, { ...recipe, password: 'x' }, fast, true)).rejects.toThrow(
      'Omnitron login failed (400): non_field_errors: Unable to log in with provided credentials.',
    );
  });

  it('OmnitronClient logs in again once after a 401', async () => {
    const services = integratorServices(new FetchHttpClient());
    const recipe = { domain: omni.url, username: 'integrator', password: 'integrator-pass', ttlMs: null };
    const client = new OmnitronClient(services, { domain: omni.url, token: omni.issueToken(), recipe, policy: fast });
    omni.faults({ unauthorizedOnce: true });
    const res = await client.send('GET', '/api/v1/products/?limit=1');
    expect(res.status).toBe(200);
    expect(client.logins).toBe(1);
    const noCreds = new OmnitronClient(services, { domain: omni.url, token: 'stale', policy: fast });
    await expect(noCreds.send('GET', '/api/v1/products/')).rejects.toThrow('no Omnitron credentials are configured');
  });
});

describe('ERP dates', () => {
  it('parses ISO and Integrator instants and formats them in a time zone', async () => {
    const { parseInstant, formatInZone } = await import('./erp-date.util.js');
    const a = parseInstant('2024-12-31T13:30:59.000001')!;
    expect(formatInZone(a, 'UTC')).toBe('2024-12-31T13:30:59.000001');
    expect(formatInZone(a, 'Europe/Istanbul')).toBe('2024-12-31T16:30:59.000001');
    expect(formatInZone(parseInstant('2024-07-01T01:30:59.678Z')!, 'UTC')).toBe('2024-07-01T01:30:59.678000');
    expect(formatInZone(parseInstant('2024-07-01T04:30:59+0300')!, 'UTC')).toBe('2024-07-01T01:30:59.000000');
    expect(parseInstant('last tuesday')).toBeNull();
  });
});
