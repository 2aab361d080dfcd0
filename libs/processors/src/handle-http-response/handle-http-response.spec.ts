import { describe, expect, it } from 'vitest';
import { FakeHttpServer, ManualClock, TestRunner, type FakeResponse } from '@sluice/flow-testing';
import { StandardHttpContextMap, type HttpContextMap } from '../http-shared/http-context-map.service.js';
import { HandleHttpRequest } from '../handle-http-request/handle-http-request.processor.js';
import { HandleHttpResponse } from './handle-http-response.processor.js';

/** A request received by a HandleHttpRequest-like registration in the responder's own context map. */
async function pending(r: TestRunner, server: FakeHttpServer, id = 'ctx-1'): Promise<{ reply: Promise<FakeResponse> }> {
  let exchange: Parameters<HttpContextMap['register']>[1] | undefined;
  await server.listen({ port: 9000, maxBodyBytes: 1024 }, (x) => (exchange = x));
  const reply = server.send(9000, { url: '/q' });
  expect(r.controllerService<HttpContextMap>('map').register(id, exchange!, r.clock)).toBe(true);
  return { reply };
}

function runner(properties: Record<string, string> = {}, clock = new ManualClock()) {
  return new TestRunner(HandleHttpResponse, { clock })
    .addControllerService('map', StandardHttpContextMap, { 'Request Expiration': '30 secs' })
    .setProperty('HTTP Context Map', 'map')
    .setProperty('HTTP Status Code', '${status}')
    .setProperties(properties);
}

describe('HandleHttpResponse', () => {
  it('success: answers with the content, the status from EL and the user-added headers, then forgets the request', async () => {
    const server = new FakeHttpServer();
    const r = runner({ 'X-Order': '${order.id}', 'X-Empty': '${nothing}' });
    const { reply } = await pending(r, server);
    r.enqueue('{"ok":true}', { 'http.context.identifier': 'ctx-1', status: '201', 'order.id': '77', 'http.request.url': 'http://h/q' });
    await r.run();
    r.assertAllTransferred('success', 1);
    const res = await reply;
    expect(res.status).toBe(201);
    expect(res.text).toBe('{"ok":true}');
    expect(res.headers).toEqual({ 'X-Order': '77' });
    expect(r.controllerService<HttpContextMap>('map').size).toBe(0);
    expect(r.provenanceEvents().find((e) => e.eventType === 'SEND')?.transitUri).toBe('http://h/q');
  });

  it('Attributes for HTTP Response: attributes whose whole name matches are sent as headers', async () => {
    const server = new FakeHttpServer();
    const r = runner({ 'Attributes for HTTP Response': 'resp\\..*' });
    const { reply } = await pending(r, server);
    r.enqueue('', { 'http.context.identifier': 'ctx-1', status: '200', 'resp.a': '1', 'xresp.b': '2', 'resp.blank': ' ' });
    await r.run();
    expect((await reply).headers).toEqual({ 'resp.a': '1' });
  });

  it('failure: no http.context.identifier, a status that is not a number, or a request that is no longer waiting', async () => {
    const r = runner();
    r.enqueue('a', { status: '200' });
    r.enqueue('b', { 'http.context.identifier': 'x', status: 'OK' });
    r.enqueue('c', { 'http.context.identifier': 'unknown', status: '200' });
    await r.run(3);
    r.assertAllTransferred('failure', 3);
    expect(r.logs('warn')[0]!.message).toContain("did not have an 'http.context.identifier' attribute");
    expect(r.logs('error').map((l) => l.message).join('\n')).toContain("status code was 'OK', which is not a valid number");
    expect(r.logs('error').map((l) => l.message).join('\n')).toContain('could not find an HTTP Response Object for this identifier');
  });

  it('failure: a header value with a line break is not sent (no response splitting) and the request stays answerable', async () => {
    const server = new FakeHttpServer();
    const r = runner({ 'X-Evil': '${v}' });
    await pending(r, server);
    r.enqueue('', { 'http.context.identifier': 'ctx-1', status: '200', v: 'a\r\nSet-Cookie: x=1' });
    await r.run();
    r.assertAllTransferred('failure', 1);
    expect(r.controllerService<HttpContextMap>('map').get('ctx-1')).toBeDefined();
  });

  it('a request the context map expired was answered 503; its FlowFile then goes to failure', async () => {
    const clock = new ManualClock();
    const server = new FakeHttpServer();
    const r = runner({}, clock);
    const { reply } = await pending(r, server);
    await clock.advance(30_000);
    const res = await reply;
    expect([res.status, res.text]).toEqual([503, 'Service Unavailable: the request timed out']);
    r.enqueue('late', { 'http.context.identifier': 'ctx-1', status: '200' });
    await r.run();
    r.assertAllTransferred('failure', 1);
  });

  it('migrates the 1.x key of Attributes for HTTP Response', () => {
    const m = runner({ 'Attributes to add to the HTTP Response (Regex)': 'x' }).migrateProperties();
    expect(m.properties['Attributes for HTTP Response']).toBe('x');
  });
});

describe('HandleHttpRequest → HandleHttpResponse on one context map', () => {
  it('answers the caller with what the flow made of its request', async () => {
    const server = new FakeHttpServer();
    const req = new TestRunner(HandleHttpRequest, { services: { httpServer: server } })
      .addControllerService('map', StandardHttpContextMap)
      .setProperty('HTTP Context Map', 'map')
      .setProperty('Listening Port', '8080');
    await req.run(0, { stopOnFinish: false });
    const reply = server.send(8080, { method: 'POST', url: '/echo', body: 'ping' });
    await req.run(1, { stopOnFinish: false });
    const res = new TestRunner(HandleHttpResponse).shareControllerService('map', req).setProperty('HTTP Context Map', 'map').setProperty('HTTP Status Code', '200');
    const ff = req.flowFilesFor('success')[0]!;
    res.enqueue(`${ff.contentText()}-pong`, ff.attributes);
    await res.run();
    res.assertAllTransferred('success', 1);
    expect((await reply).text).toBe('ping-pong');
    await req.run(0);
  });
});
