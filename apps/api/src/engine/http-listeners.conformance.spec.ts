/**
 * ListenHTTP, HandleHttpRequest and HandleHttpResponse on the server's real sockets (NodeHttpServer), restating what
 * NiFi documents for them: ListenHTTP answers a POST only once its FlowFile is stored, HEAD with 200, other methods
 * with 405 and its health check with "OK"; HandleHttpRequest holds the caller until HandleHttpResponse answers, and
 * the context map answers 503 when Request Expiration passes.
 */
import { getControllerService, getProcessor, type HttpContextMap } from '@sluice/processors';
import { TestRunner } from '@sluice/flow-testing';
import { createServer, type AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_CLOCK } from './engine.service.js';
import { NodeHttpServer } from './node-http.server.js';

const ListenHTTP = getProcessor('ListenHTTP')!;
const HandleHttpRequest = getProcessor('HandleHttpRequest')!;
const HandleHttpResponse = getProcessor('HandleHttpResponse')!;
const ContextMap = getControllerService('StandardHttpContextMap')!;

/** A port the system just gave out on 127.0.0.1 (bound on 0, then freed for the listener under test). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}


/** Resolves once the listener handed `n` requests to its processor (it wakes the processor for each). */
async function woken(r: TestRunner, n: number): Promise<void> {
  const end = Date.now() + 10_000;
  while (r.wakes < n) {
    if (Date.now() > end) throw new Error(`only ${r.wakes} of ${n} requests reached the processor`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function listen(properties: Record<string, string>) {
  const server = new NodeHttpServer('127.0.0.1');
  const port = await freePort();
  const r = new TestRunner(ListenHTTP, { clock: undefined, services: { httpServer: server, clock: SYSTEM_CLOCK } }).setProperty('Listening Port', String(port)).setProperties(properties);
  await r.run(0, { stopOnFinish: false });
  stops.push(() => r.run(0));
  return { r, port, server, url: `http://127.0.0.1:${port}` };
}

describe('ListenHTTP on real sockets', () => {
  it('a POST is answered 200 only after the session that stores it committed', async () => {
    const { r, url } = await listen({});
    let answered = false;
    const res = request(`${url}/contentListener`, { method: 'POST', body: 'row-1', headers: { filename: 'r.csv' } }).then((x) => {
      answered = true;
      return x;
    });
    await woken(r, 1);
    expect(answered).toBe(false);
    await r.run(1, { stopOnFinish: false });
    expect((await res).statusCode).toBe(200);
    r.flowFilesFor('success')[0]!.assertContentEquals('row-1');
    r.flowFilesFor('success')[0]!.assertAttributeEquals('restlistener.remote.source.host', '127.0.0.1');
  });

  it('HEAD 200, GET 405, health check OK, other paths 404, an oversized body 413', async () => {
    const { url } = await listen({ 'Request Body Maximum Size': '1 KB' });
    expect((await request(`${url}/contentListener`, { method: 'HEAD' })).statusCode).toBe(200);
    const get = await request(`${url}/contentListener`);
    expect(get.statusCode).toBe(405);
    await get.body.dump();
    const health = await request(`${url}/contentListener/healthcheck`);
    expect([health.statusCode, await health.body.text()]).toEqual([200, 'OK']);
    const other = await request(`${url}/elsewhere`, { method: 'POST', body: 'x' });
    expect(other.statusCode).toBe(404);
    await other.body.dump();
    const big = await request(`${url}/contentListener`, { method: 'POST', body: 'x'.repeat(4096) }).catch((e: Error) => e);
    if (!(big instanceof Error)) expect(big.statusCode).toBe(413);
  });

  it('a port in use fails the start with a message naming it; stopping frees the port for the next start', async () => {
    const { port, server } = await listen({});
    const second = new TestRunner(ListenHTTP, { services: { httpServer: server } }).setProperty('Listening Port', String(port));
    await expect(second.run(0, { stopOnFinish: false })).rejects.toThrow(`Listening Port: port ${port} is already in use`);
    await stops.pop()!();
    expect(server.listening).toBe(0);
    await second.run(0, { stopOnFinish: false });
    stops.push(() => second.run(0));
    expect(server.listening).toBe(1);
  });
});

describe('HandleHttpRequest and HandleHttpResponse on real sockets', () => {
  it('answer callers synchronously, each with its own answer, and the context map answers 503 after Request Expiration', async () => {
    const server = new NodeHttpServer('127.0.0.1');
    const port = await freePort();
    const req = new TestRunner(HandleHttpRequest, { services: { httpServer: server, clock: SYSTEM_CLOCK } })
      .addControllerService('map', ContextMap, { 'Request Expiration': '300 millis' })
      .setProperty('HTTP Context Map', 'map')
      .setProperty('Listening Port', String(port));
    await req.run(0, { stopOnFinish: false });
    stops.push(() => req.run(0));
    const url = `http://127.0.0.1:${port}`;
    const callers = [1, 2, 3].map((n) => request(`${url}/orders/${n}`, { method: 'POST', body: `order-${n}` }));
    const late = request(`${url}/late`);
    await woken(req, 4);
    await req.run(1, { stopOnFinish: false });
    const res = new TestRunner(HandleHttpResponse)
      .shareControllerService('map', req)
      .setProperty('HTTP Context Map', 'map')
      .setProperty('HTTP Status Code', '201')
      .setProperty('X-Order', '${http.request.uri}');
    res.assertValid();
    for (const ff of req.flowFilesFor('success').filter((f) => f.getAttribute('http.request.uri') !== '/late')) res.enqueue(`done ${ff.contentText()}`, ff.attributes);
    await res.run(3);
    res.assertAllTransferred('success', 3);
    expect(req.controllerService<HttpContextMap>('map').size).toBe(1);
    const answers = await Promise.all(callers.map(async (c) => {
      const r = await c;
      return [r.statusCode, r.headers['x-order'], await r.body.text()];
    }));
    expect(answers).toEqual([1, 2, 3].map((n) => [201, `/orders/${n}`, `done order-${n}`]));
    const expired = await late;
    expect([expired.statusCode, await expired.body.text()]).toEqual([503, 'Service Unavailable: the request timed out']);
  });
});
