import { describe, expect, it } from 'vitest';
import { FakeHttpServer, TestRunner } from '@sluice/flow-testing';
import { ListenHTTP } from './listen-http.processor.js';

function runner(properties: Record<string, string> = {}) {
  const server = new FakeHttpServer();
  const r = new TestRunner(ListenHTTP, { services: { httpServer: server } }).setProperty('Listening Port', '8081').setProperties(properties);
  return { r, server };
}

/** Starts the processor (onScheduled) and leaves it running, as a started flow does. */
async function started(properties: Record<string, string> = {}) {
  const t = runner(properties);
  await t.r.run(0, { stopOnFinish: false });
  return t;
}

describe('ListenHTTP', () => {
  it('success: a POST becomes a FlowFile with the restlistener attributes, and is answered 200 only once the session committed', async () => {
    const { r, server } = await started();
    let answered = false;
    const reply = server.send(8081, { method: 'POST', url: '/contentListener', body: 'hello', headers: { filename: 'a.txt' }, remoteAddress: '10.0.0.7' }).then((x) => {
      answered = true;
      return x;
    });
    expect(r.wakes).toBe(1);
    await Promise.resolve();
    expect(answered).toBe(false);
    await r.run(1, { stopOnFinish: false });
    const res = await reply;
    expect(res.status).toBe(200);
    r.assertAllTransferred('success', 1);
    const ff = r.flowFilesFor('success')[0]!;
    ff.assertContentEquals('hello');
    ff.assertAttributeEquals('filename', 'a.txt');
    ff.assertAttributeEquals('restlistener.remote.source.host', '10.0.0.7');
    ff.assertAttributeEquals('restlistener.request.uri', '/contentListener');
    expect(r.provenanceEvents().map((e) => e.eventType)).toContain('RECEIVE');
    await r.run(0);
  });

  it('stopping answers the requests still waiting with 503 and frees the port', async () => {
    const { r, server } = await started();
    const reply = server.send(8081, { method: 'POST', url: '/contentListener', body: 'x' });
    await r.run(0);
    expect((await reply).status).toBe(503);
    expect(server.ports()).toEqual([]);
    r.assertTransferCount('success', 0);
  });

  it('Return Code: the answer carries the configured status', async () => {
    const { r, server } = await started({ 'Return Code': '202' });
    const reply = server.send(8081, { method: 'POST', url: '/contentListener', body: '{}' });
    await r.run(1);
    expect((await reply).status).toBe(202);
  });

  it('Base Path (with parameters and EL): only /{Base Path} takes POSTs; other paths are 404', async () => {
    const server = new FakeHttpServer();
    const r = new TestRunner(ListenHTTP, { services: { httpServer: server }, parameters: { 'listen.port': '9001', svc: 'orders' } })
      .setProperty('Listening Port', '#{listen.port}')
      .setProperty('Base Path', "#{svc}/${literal('in'):toLower()}");
    await r.run(0, { stopOnFinish: false });
    expect(server.ports()).toEqual([9001]);
    expect((await server.send(9001, { method: 'POST', url: '/contentListener', body: 'x' })).status).toBe(404);
    const ok = server.send(9001, { method: 'POST', url: '/orders/in?x=1', body: 'x' });
    await r.run(1);
    expect((await ok).status).toBe(200);
  });

  it('methods: HEAD 200 with Accept, GET/PUT/DELETE/OPTIONS 405, GET /{Base Path}/healthcheck OK', async () => {
    const { r, server } = await started();
    const head = await server.send(8081, { method: 'HEAD', url: '/contentListener' });
    expect(head.status).toBe(200);
    expect(head.headers?.['accept']).toContain('application/flowfile-v3');
    for (const m of ['GET', 'PUT', 'DELETE', 'OPTIONS']) expect((await server.send(8081, { method: m, url: '/contentListener' })).status).toBe(405);
    const health = await server.send(8081, { method: 'GET', url: '/contentListener/healthcheck' });
    expect([health.status, health.text]).toEqual([200, 'OK']);
    await r.run(1);
    r.assertTransferCount('success', 0);
    await r.run(0);
  });

  it('Listening Port for Health Check Requests: a second port answering only the health check; equal ports are invalid', async () => {
    const { r, server } = await started({ 'Listening Port for Health Check Requests': '8082' });
    expect(server.ports()).toEqual([8081, 8082]);
    expect((await server.send(8082, { method: 'GET', url: '/contentListener/healthcheck' })).text).toBe('OK');
    expect((await server.send(8082, { method: 'POST', url: '/contentListener', body: 'x' })).status).toBe(404);
    await r.run(0);
    expect(server.ports()).toEqual([]);
    const bad = runner({ 'Listening Port for Health Check Requests': '8081' }).r;
    expect(bad.validate().map((v) => v.message)).toContain("'Listening Port' and 'Listening Port for Health Check Requests' cannot have the same value.");
  });

  it('HTTP Headers for Attributes: matching headers become attributes', async () => {
    const { r, server } = await started({ 'HTTP Headers for Attributes': 'x-.*' });
    const reply = server.send(8081, { method: 'POST', url: '/contentListener', body: 'x', headers: { 'X-Batch': '7', Other: 'no' } });
    await r.run(1);
    await reply;
    const ff = r.flowFilesFor('success')[0]!;
    ff.assertAttributeEquals('x-batch', '7');
    ff.assertAttributeNotExists('other');
  });

  it('Request Body Maximum Size: a larger body is answered 413 and never becomes a FlowFile', async () => {
    const { r, server } = await started({ 'Request Body Maximum Size': '4 B' });
    expect((await server.send(8081, { method: 'POST', url: '/contentListener', body: '12345' })).status).toBe(413);
    await r.run(1);
    r.assertTransferCount('success', 0);
  });

  it('Maximum Thread Pool Size: past that many waiting requests callers get 503 until the flow catches up', async () => {
    const { r, server } = await started({ 'Maximum Thread Pool Size': '8' });
    const replies = Array.from({ length: 9 }, (_, i) => server.send(8081, { method: 'POST', url: '/contentListener', body: String(i) }));
    expect((await replies[8]!).status).toBe(503);
    await r.run(1);
    expect((await Promise.all(replies.slice(0, 8))).map((x) => x.status)).toEqual(Array(8).fill(200));
    r.assertTransferCount('success', 8);
  });

  it('Authorized Subject/Issuer DN Pattern: a client certificate that does not match is answered 403', async () => {
    const { r, server } = await started({ 'Authorized Subject DN Pattern': 'CN=erp.*', 'Authorized Issuer DN Pattern': 'CN=Corp CA' });
    const cert = (subjectDN: string, issuerDN = 'CN=Corp CA') => ({ clientCertificate: { subjectDN, issuerDN } });
    expect((await server.send(8081, { method: 'POST', url: '/contentListener', body: 'x', ...cert('CN=intruder') })).text).toBe('not allowed based on subject dn');
    expect((await server.send(8081, { method: 'POST', url: '/contentListener', body: 'x', ...cert('CN=erp1', 'CN=Other') })).status).toBe(403);
    const ok = server.send(8081, { method: 'POST', url: '/contentListener', body: 'x', ...cert('CN=erp1') });
    await r.run(1);
    expect((await ok).status).toBe(200);
    r.flowFilesFor('success')[0]!.assertAttributeEquals('restlistener.remote.user.dn', 'CN=erp1');
  });

  it('a port already in use stops the start with a message naming the property and port; stopping frees the port', async () => {
    const server = new FakeHttpServer();
    server.takenElsewhere.add(8081);
    const r = new TestRunner(ListenHTTP, { services: { httpServer: server } }).setProperty('Listening Port', '8081');
    await expect(r.run(0, { stopOnFinish: false })).rejects.toThrow('Listening Port: port 8081 is already in use (by another listener or program); choose a free port');
    const { r: ok, server: s2 } = await started();
    expect(s2.ports()).toEqual([8081]);
    await ok.run(0);
    expect(s2.ports()).toEqual([]);
  });

  it('validation: ports must be 1 to 65535, HTTP/2 and record processing are refused with a message', () => {
    expect(runner({ 'Listening Port': '70000' }).r.validate().map((v) => v.message)).toContain("Listening Port: '70000' is not a port number (1 to 65535)");
    expect(runner({ 'Record Reader': 'csv' }).r.validate().map((v) => v.message).join('\n')).toContain('Record Reader');
    expect(runner().r.validate()).toEqual([]);
  });

  it('with nothing waiting the processor yields instead of polling', async () => {
    const { r } = await started();
    await r.run(1);
    expect(r.yields).toBe(1);
  });

  it('a request the processor does not take within 30 s (back pressure holds it) is answered 503', async () => {
    const { r, server } = await started();
    const reply = server.send(8081, { method: 'POST', url: '/contentListener', body: 'x' });
    await r.clock.advance(30_000);
    const res = await reply;
    expect([res.status, res.text]).toEqual([503, 'Service Unavailable: the flow is not taking requests (back pressure)']);
    await r.run(1);
    r.assertTransferCount('success', 0);
  });
});
