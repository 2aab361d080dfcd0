import { describe, expect, it } from 'vitest';
import { FakeHttpServer, TestRunner } from '@sluice/flow-testing';
import { StandardHttpContextMap, type HttpContextMap } from '../http-shared/http-context-map.service.js';
import { HandleHttpRequest } from './handle-http-request.processor.js';

function runner(properties: Record<string, string> = {}, mapProperties: Record<string, string> = {}) {
  const server = new FakeHttpServer();
  const r = new TestRunner(HandleHttpRequest, { services: { httpServer: server } })
    .addControllerService('map', StandardHttpContextMap, mapProperties)
    .setProperty('HTTP Context Map', 'map')
    .setProperty('Listening Port', '8443')
    .setProperties(properties);
  return { r, server, map: () => r.controllerService<HttpContextMap>('map') };
}

async function started(properties: Record<string, string> = {}, mapProperties: Record<string, string> = {}) {
  const t = runner(properties, mapProperties);
  await t.r.run(0, { stopOnFinish: false });
  return t;
}

describe('HandleHttpRequest', () => {
  it('success: each request becomes a FlowFile with its http.* attributes, held in the context map without an answer', async () => {
    const { r, server, map } = await started();
    let answered = false;
    void server
      .send(8443, { method: 'POST', url: '/orders/7?expand=lines&q=a%20b+c&flag', body: '{"id":7}', headers: { 'Content-Type': 'application/json', Host: 'erp.local:8443', Cookie: 'sid=abc', 'X-Trace': 't1' }, remoteAddress: '10.1.2.3' })
      .then(() => (answered = true));
    await r.run(1, { stopOnFinish: false });
    r.assertAllTransferred('success', 1);
    const ff = r.flowFilesFor('success')[0]!;
    ff.assertContentEquals('{"id":7}');
    const id = ff.getAttribute('http.context.identifier')!;
    expect(map().get(id)).toBeDefined();
    expect(map().size).toBe(1);
    expect(ff.attributes).toMatchObject({
      'mime.type': 'application/json',
      'http.method': 'POST',
      'http.request.uri': '/orders/7',
      'http.request.url': 'http://erp.local:8443/orders/7',
      'http.query.string': 'expand=lines&q=a b c&flag',
      'http.query.param.expand': 'lines',
      'http.query.param.q': 'a b c',
      'http.query.param.flag': '',
      'http.remote.addr': '10.1.2.3',
      'http.remote.host': '10.1.2.3',
      'http.server.name': 'erp.local',
      'http.server.port': '8443',
      'http.protocol': 'HTTP/1.1',
      'http.cookie.sid.value': 'abc',
      'http.headers.Content-Type': 'application/json',
      'http.headers.X-Trace': 't1',
    });
    expect(r.provenanceEvents().some((e) => e.eventType === 'RECEIVE')).toBe(true);
    await Promise.resolve();
    expect(answered).toBe(false);
    await r.run(0);
  });

  it('Allow GET/POST/PUT/DELETE/HEAD/OPTIONS and Additional HTTP Methods: other methods are answered 405', async () => {
    const { r, server } = await started({ 'Allow DELETE': 'false', 'Additional HTTP Methods': 'patch, PROPFIND' });
    expect((await server.send(8443, { method: 'DELETE' })).status).toBe(405);
    expect((await server.send(8443, { method: 'HEAD' })).status).toBe(405);
    expect((await server.send(8443, { method: 'OPTIONS' })).status).toBe(405);
    for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'PROPFIND']) void server.send(8443, { method: m });
    await r.run(1, { stopOnFinish: false });
    expect(r.flowFilesFor('success').map((f) => f.getAttribute('http.method'))).toEqual(['GET', 'POST', 'PUT', 'PATCH', 'PROPFIND']);
    await r.run(0);
  });

  it('Allowed Paths: a path that does not match as a whole is answered 404', async () => {
    const { r, server } = await started({ 'Allowed Paths': '/api/.*' });
    expect((await server.send(8443, { url: '/admin' })).status).toBe(404);
    expect((await server.send(8443, { url: '/x/api/y' })).status).toBe(404);
    void server.send(8443, { url: '/api/stock?sku=1' });
    await r.run(1);
    r.assertTransferCount('success', 1);
  });

  it('Parameters to Attributes: named query and form parameters become http.param.*', async () => {
    const { r, server } = await started({ 'Parameters to Attributes': 'sku, qty' });
    void server.send(8443, { method: 'POST', url: '/?sku=A1&other=1', body: 'qty=5&skip=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await r.run(1);
    const ff = r.flowFilesFor('success')[0]!;
    ff.assertAttributeEquals('http.param.sku', 'A1');
    ff.assertAttributeEquals('http.param.qty', '5');
    ff.assertAttributeNotExists('http.param.other');
    ff.assertAttributeNotExists('http.param.skip');
  });

  it('Container Queue Size: requests beyond it are answered 503 Request Queue Full', async () => {
    const { r, server } = await started({ 'Container Queue Size': '2' });
    void server.send(8443);
    void server.send(8443);
    const third = await server.send(8443);
    expect([third.status, third.text]).toEqual([503, 'Service Unavailable: Request Queue Full']);
    await r.run(0);
  });

  it('HTTP Context Map full (Maximum Outstanding Requests): the request is answered 503 and no FlowFile is kept', async () => {
    const { r, server } = await started({}, { 'Maximum Outstanding Requests': '1' });
    void server.send(8443, { url: '/a' });
    const second = server.send(8443, { url: '/b' });
    await r.run(1, { stopOnFinish: false });
    expect((await second).status).toBe(503);
    r.assertTransferCount('success', 1);
    await r.run(0);
  });

  it('Request Body Maximum Size: a larger body is answered 413 by the listener', async () => {
    const { r, server } = await started({ 'Request Body Maximum Size': '1 KB' });
    expect((await server.send(8443, { method: 'POST', body: 'x'.repeat(1025) })).status).toBe(413);
    await r.run(0);
  });

  it('Listening Port and Hostname honour parameters and EL; a missing context map stops the start', async () => {
    const server = new FakeHttpServer();
    const r = new TestRunner(HandleHttpRequest, { services: { httpServer: server }, parameters: { port: '7000' } })
      .addControllerService('map', StandardHttpContextMap)
      .setProperty('HTTP Context Map', 'map')
      .setProperty('Listening Port', '${literal(#{port}):plus(1)}')
      .setProperty('Hostname', '127.0.0.1');
    await r.run(0, { stopOnFinish: false });
    expect(server.ports()).toEqual([7001]);
    expect(server.options(7001)?.host).toBe('127.0.0.1');
    await r.run(0);
    expect(server.ports()).toEqual([]);
    const noMap = new TestRunner(HandleHttpRequest, { services: { httpServer: server } }).setProperty('HTTP Context Map', 'gone');
    await expect(noMap.run(0, { stopOnFinish: false })).rejects.toThrow("HTTP Context Map: controller service 'gone' is not an enabled service of this flow");
    expect(noMap.validate().map((v) => v.message)).toContain("HTTP Context Map: controller service 'gone' does not exist in this flow");
  });

  it('a port already in use fails the start naming the property and the port', async () => {
    const { server } = await started();
    const second = new TestRunner(HandleHttpRequest, { services: { httpServer: server } })
      .addControllerService('map', StandardHttpContextMap)
      .setProperty('HTTP Context Map', 'map')
      .setProperty('Listening Port', '8443');
    await expect(second.run(0, { stopOnFinish: false })).rejects.toThrow('Listening Port: port 8443 is already in use');
  });

  it('stopping answers queued requests 503 (Stopping Server) and frees the port', async () => {
    const { r, server } = await started();
    const waiting = server.send(8443);
    await r.run(0);
    expect((await waiting).status).toBe(503);
    expect(server.ports()).toEqual([]);
  });

  it('migrates the 1.x keys of its properties', () => {
    const { r } = runner({ 'container-queue-size': '9', 'parameters-to-attributes': 'a' });
    const m = r.migrateProperties();
    expect(m.properties['Container Queue Size']).toBe('9');
    expect(m.properties['Parameters to Attributes']).toBe('a');
  });
});
