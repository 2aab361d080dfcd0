import { validateConfig, validateProcessor } from '@sluice/flow-api';
import { startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestRunner } from '@sluice/flow-testing';
import { FetchHttpClient, integratorServices } from '../integrator-shared/integrator-services.testing.js';
import { IntegratorLogin } from './integrator-login.processor.js';

let erp: ErpSimHandle;
let omni: OmnitronSimHandle;
beforeAll(async () => {
  [erp, omni] = await Promise.all([startErpSim({ generatedRows: 0 }), startOmnitronSim({ generatedProducts: 0 })]);
});
afterAll(async () => {
  await Promise.all([erp.close(), omni.close()]);
});

const omnitron = () => ({ 'Omnitron Domain URL': `${omni.url}/`, 'Omnitron Username': 'integrator', 'Omnitron Password': 'integrator-pass', 'Retry Backoff': '0 ms' });

async function login(config: Record<string, string>, services = integratorServices(new FetchHttpClient())) {
  const h = new TestRunner(IntegratorLogin, { services, hasIncomingConnection: false }).setProperties(config);
  await h.run();
  return h;
}

describe('IntegratorLogin', () => {
  it('logs in to Omnitron on a scheduled start and passes the token on', async () => {
    const h = await login(omnitron());
    const [ff] = h.flowFilesFor('success');
    expect(omni.state.tokens.has(ff!.attributes['token.omnitron']!)).toBe(true);
    expect(ff!.attributes['omnitron.domain']).toBe(omni.url);
    expect(ff!.attributes['token.erp']).toBeUndefined();
  });

  it('reuses the cached Omnitron token on the next run', async () => {
    const services = integratorServices(new FetchHttpClient());
    const before = omni.state.counters.logins;
    const a = await login(omnitron(), services);
    const b = await login(omnitron(), services);
    expect(b.flowFilesFor('success')[0]!.attributes['token.omnitron']).toBe(a.flowFilesFor('success')[0]!.attributes['token.omnitron']);
    expect(omni.state.counters.logins - before).toBe(1);
  });

  it('takes the incoming FlowFile when there is one and keeps its attributes', async () => {
    const h = new TestRunner(IntegratorLogin, { services: integratorServices(new FetchHttpClient()), hasIncomingConnection: true }).setProperties(omnitron());
    h.enqueue('', { 'http.query.param.sku': '1234' });
    await h.run();
    expect(h.flowFilesFor('success')[0]!.attributes['http.query.param.sku']).toBe('1234');
    const idle = new TestRunner(IntegratorLogin, { services: integratorServices(new FetchHttpClient()), hasIncomingConnection: true }).setProperties(omnitron());
    await idle.run();
    expect(idle.transferredRelationships().length).toBe(0);
  });

  it('routes a rejected Omnitron login to failure with login.error', async () => {
    const h = await login({ ...omnitron(), 'Omnitron Password': 'wrong' });
    const [ff] = h.flowFilesFor('failure');
    expect(ff!.attributes['login.error']).toBe('Omnitron login failed (400): non_field_errors: Unable to log in with provided credentials.');
    expect(h.logs('error').map((l) => l.message)[0]).toContain('Login failed');
  });

  it('retries a 500 during login', async () => {
    omni.faults({ failNext: 2 });
    const h = await login({ ...omnitron(), 'Omnitron Username': 'integrator' }, integratorServices(new FetchHttpClient()));
    expect(h.flowFilesFor('success')).toHaveLength(1);
    omni.resetFaults();
  });

  it('keeps an incoming FlowFile to try again later when Omnitron stays unavailable, and fails a scheduled start', async () => {
    omni.faults({ failNext: 100, failStatus: 503 });
    const queued = new TestRunner(IntegratorLogin, { services: integratorServices(new FetchHttpClient()), hasIncomingConnection: true }).setProperties({ ...omnitron(), 'Retry Count': '1' });
    queued.enqueue('[{"product_sku":"1"}]', { 'execution.id': 'e-1' });
    await queued.run();
    expect(queued.transferredRelationships().length).toBe(0);
    expect(queued.queued()[0]!.flowFile.attributes).toMatchObject({ 'login.retry.count': '1', 'execution.id': 'e-1' });
    expect(queued.queued()[0]!.flowFile.attributes['login.error']).toContain('Omnitron login failed (503)');
    const scheduled = await login({ ...omnitron(), 'Retry Count': '0' });
    expect(scheduled.flowFilesFor('failure')[0]!.attributes['login.error']).toContain('(503)');
    omni.resetFaults();
    expect(queued.queued()[0]!.isPenalized(queued.clock.now())).toBe(true);
    await queued.clock.advance(queued.queued()[0]!.flowFile.penaltyExpiration - queued.clock.now());
    await queued.run();
    const ok = queued.flowFilesFor('success')[0]!.attributes;
    expect([ok['login.retry.count'], ok['login.error'], ok['execution.id']]).toEqual([undefined, undefined, 'e-1']);
  });

  it('keeps the credentials to log in again in the token cache before it hands the FlowFile on', async () => {
    const services = integratorServices(new FetchHttpClient());
    const stored: string[] = [];
    const set = services.tokens.set.bind(services.tokens);
    services.tokens.set = async (k, v, e) => {
      await new Promise((r) => setTimeout(r, 5));
      stored.push(k);
      await set(k, v, e);
    };
    const h = await login(omnitron(), services);
    const key = h.flowFilesFor('success')[0]!.attributes['omnitron.auth.key']!;
    expect(stored).toContain(`recipe|${key}`);
    expect(JSON.parse(services.tokens.get(`recipe|${key}`)!.value)).toMatchObject({ username: 'integrator', password: 'integrator-pass' });
  });

  it('logs in to the ERP with a JWT body and a token path', async () => {
    const h = await login({
      ...omnitron(),
      'ERP Auth Type': 'jwt',
      'ERP Login URL': `${erp.url}/auth/token`,
      'ERP Login Body': '{"username": "erp-user", "password": "erp-pass"}',
      'ERP Token JSON Path': '$.access_token',
    });
    const a = h.flowFilesFor('success')[0]!.attributes;
    expect(a['token.erp']!.split('.')).toHaveLength(3);
    expect(a['erp.auth.header.name']).toBe('Authorization');
    expect(a['erp.auth.header.value']).toBe(`Bearer ${a['token.erp']}`);
    const res = await fetch(`${erp.url}/api/stock?sku=1234`, { headers: { [a['erp.auth.header.name']!]: a['erp.auth.header.value']! } });
    expect(res.status).toBe(200);
  });

  it('builds the default JWT body from the ERP username and password, and fails with the ERP reason', async () => {
    const base = { ...omnitron(), 'ERP Auth Type': 'jwt', 'ERP Login URL': `${erp.url}/auth/token`, 'ERP Username': 'erp-user' };
    expect((await login({ ...base, 'ERP Password': 'erp-pass' })).flowFilesFor('success')).toHaveLength(1);
    const bad = await login({ ...base, 'ERP Username': 'someone-else', 'ERP Password': 'nope' });
    expect(bad.flowFilesFor('failure')[0]!.attributes['login.error']).toBe('ERP login failed (401): bad credentials');
  });

  it('supports OAuth2 client credentials and password grants', async () => {
    const cc = await login({ ...omnitron(), 'ERP Auth Type': 'oauth2-client-credentials', 'ERP Login URL': `${erp.url}/auth/token`, 'ERP Client ID': 'erp-client', 'ERP Client Secret': 'erp-secret' });
    expect(cc.flowFilesFor('success')[0]!.attributes['token.erp']).toBeTruthy();
    const pw = await login({ ...omnitron(), 'ERP Auth Type': 'oauth2-password', 'ERP Login URL': `${erp.url}/auth/token`, 'ERP Username': 'erp-user', 'ERP Password': 'erp-pass' });
    expect(pw.flowFilesFor('success')[0]!.attributes['erp.auth.header.value']).toMatch(/^Bearer ey/);
  });

  it('supports Basic, permanent token and custom header modes', async () => {
    const basic = await login({ ...omnitron(), 'ERP Auth Type': 'basic', 'ERP Username': 'erp-user', 'ERP Password': 'erp-pass' });
    expect(basic.flowFilesFor('success')[0]!.attributes['erp.auth.header.value']).toBe(`Basic ${Buffer.from('erp-user:erp-pass').toString('base64')}`);
    const permanent = await login({ ...omnitron(), 'ERP Auth Type': 'permanent-token', 'ERP Token': 'abc', 'ERP Auth Header Prefix': 'Token ' });
    expect(permanent.flowFilesFor('success')[0]!.attributes['erp.auth.header.value']).toBe('Token abc');
    const custom = await login({ ...omnitron(), 'ERP Auth Type': 'custom-header', 'ERP Token': 'k1', 'ERP Auth Header Name': 'X-Api-Key', 'ERP Auth Header Prefix': '' });
    const a = custom.flowFilesFor('success')[0]!.attributes;
    expect([a['erp.auth.header.name'], a['erp.auth.header.value'], a['token.erp']]).toEqual(['X-Api-Key', 'k1', 'k1']);
  });

  it('validates its configuration by auth type', () => {
    const d = IntegratorLogin.descriptor;
    expect(validateConfig(d, omnitron())).toEqual([]);
    const missing = validateConfig(d, { ...omnitron(), 'ERP Auth Type': 'oauth2-client-credentials' }).map((r) => r.property);
    expect(missing).toEqual(['ERP Login URL', 'ERP Client ID']);
    expect(validateConfig(d, { ...omnitron(), 'Omnitron Domain URL': 'not a url' })[0]!.message).toContain('not a valid URL');
    expect(validateProcessor(IntegratorLogin, { ...omnitron(), 'ERP Auth Type': 'jwt', 'ERP Login URL': 'http://erp/auth' })[0]!.property).toBe('ERP Login Body');
    expect(validateProcessor(IntegratorLogin, { ...omnitron(), 'ERP Auth Type': 'basic' })[0]!.message).toBe('ERP Username is required for Basic');
    expect(validateProcessor(IntegratorLogin, { ...omnitron(), 'ERP Auth Type': 'basic', 'ERP Username': 'u' })).toEqual([]);
  });
});
