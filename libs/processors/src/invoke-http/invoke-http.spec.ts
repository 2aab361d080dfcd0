import { fromUtf8, type HttpRequest } from '@sluice/flow-api';
import { FakeHttpClient, TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { InvokeHTTP } from './invoke-http.processor.js';

function runner(config: Record<string, string>, http = new FakeHttpClient(), options: { incoming?: boolean } = {}) {
  const r = new TestRunner(InvokeHTTP, { services: { http }, hasIncomingConnection: options.incoming ?? true });
  r.setProperty('HTTP URL', 'http://erp.test/api/stock');
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  return { r, http };
}
const sent = (http: FakeHttpClient, i = 0): HttpRequest => http.requests[i]!;
const bodyText = (req: HttpRequest) => (req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : fromUtf8(req.body));

describe('InvokeHTTP relationships', () => {
  it('Original and Response on 2xx: status attributes on both, response headers and body on the response', async () => {
    const { r } = runner({}, new FakeHttpClient().respond({ status: 200, headers: { 'content-type': 'application/json', 'x-page': '1' }, body: '{"ok":true}' }));
    r.enqueue('', { sku: 'A1' });
    await r.run();
    const original = r.flowFilesFor('Original')[0]!;
    const response = r.flowFilesFor('Response')[0]!;
    for (const ff of [original, response]) {
      ff.assertAttributeEquals('invokehttp.status.code', '200');
      ff.assertAttributeEquals('invokehttp.status.message', 'OK');
      ff.assertAttributeEquals('invokehttp.request.url', 'http://erp.test/api/stock');
      ff.assertAttributeEquals('invokehttp.response.url', 'http://erp.test/api/stock');
      ff.assertAttributeExists('invokehttp.tx.id');
      ff.assertAttributeExists('invokehttp.request.duration');
    }
    response.assertContentEquals('{"ok":true}');
    response.assertAttributeEquals('mime.type', 'application/json');
    response.assertAttributeEquals('x-page', '1');
    response.assertAttributeEquals('sku', 'A1');
    original.assertAttributeNotExists('x-page');
    expect(r.provenanceEvents().map((e) => e.eventType)).toContain('FETCH');
  });

  it('Retry on 5xx, penalized, with the body in invokehttp.response.body', async () => {
    const { r } = runner({}, new FakeHttpClient().respond({ status: 503, body: 'down for maintenance' }));
    r.enqueue('x');
    await r.run();
    r.assertAllTransferred('Retry', 1);
    const ff = r.flowFilesFor('Retry')[0]!;
    expect(ff.isPenalized(r.clock.now())).toBe(true);
    ff.assertAttributeEquals('invokehttp.status.code', '503');
    ff.assertAttributeEquals('invokehttp.response.body', 'down for maintenance');
  });

  it('No Retry on 4xx (and 3xx when redirects are off), not penalized by default', async () => {
    const { r } = runner({ 'Response Redirects Enabled': 'False' }, new FakeHttpClient().respond({ status: 404, body: 'no such sku' }).respond({ status: 302 }));
    r.enqueue('a');
    r.enqueue('b');
    await r.run(2);
    r.assertAllTransferred('No Retry', 2);
    const [notFound, redirect] = r.flowFilesFor('No Retry');
    notFound!.assertAttributeEquals('invokehttp.response.body', 'no such sku');
    expect(notFound!.isPenalized(r.clock.now())).toBe(false);
    redirect!.assertAttributeEquals('invokehttp.status.code', '302');
  });

  it('Failure on a transport error: penalized, with the exception class and message', async () => {
    const { r } = runner({}, new FakeHttpClient().fail('read timed out after 15000 ms', 'timeout').fail('ECONNREFUSED', 'connection'));
    r.enqueue('a');
    r.enqueue('b');
    await r.run(2);
    r.assertAllTransferred('Failure', 2);
    const [timeout, refused] = r.flowFilesFor('Failure');
    timeout!.assertAttributeEquals('invokehttp.java.exception.class', 'java.net.SocketTimeoutException');
    timeout!.assertAttributeEquals('invokehttp.java.exception.message', 'read timed out after 15000 ms');
    expect(timeout!.isPenalized(r.clock.now())).toBe(true);
    refused!.assertAttributeEquals('invokehttp.java.exception.class', 'java.net.ConnectException');
  });

  it('Failure when the URL evaluates to something that is not http(s)', async () => {
    const { r, http } = runner({ 'HTTP URL': '${target}' });
    r.enqueue('', { target: 'ftp://erp.test/file' });
    await r.run();
    r.assertAllTransferred('Failure', 1);
    r.flowFilesFor('Failure')[0]!.assertAttributeEquals('invokehttp.java.exception.class', 'java.lang.IllegalArgumentException');
    expect(http.requests).toHaveLength(0);
  });
});

describe('InvokeHTTP properties', () => {
  it.each(['GET', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND'])('HTTP Method %s is sent without a body', async (method) => {
    const { r, http } = runner({ 'HTTP Method': method }, new FakeHttpClient().respondAlways({ status: 204 }));
    r.enqueue('content that is not sent');
    await r.run();
    expect(sent(http).method).toBe(method);
    expect(sent(http).body).toBeUndefined();
    expect(sent(http).headers?.['content-type']).toBeUndefined();
  });

  it.each(['POST', 'PUT', 'PATCH'])('HTTP Method %s sends the content with Request Content-Type from mime.type', async (method) => {
    const { r, http } = runner({ 'HTTP Method': method }, new FakeHttpClient().respondAlways({ status: 201 }));
    r.enqueue('{"sku":"A"}', { 'mime.type': 'application/json' });
    await r.run();
    expect(bodyText(sent(http))).toBe('{"sku":"A"}');
    expect(sent(http).headers?.['content-type']).toBe('application/json');
    expect(r.provenanceEvents().map((e) => e.eventType)).toContain('SEND');
  });

  it('records the request sent and the answer in its SEND event, without the headers that carry credentials', async () => {
    const { r } = runner({ 'HTTP Method': 'POST', 'Authorization': 'Bearer top-secret-value' }, new FakeHttpClient().respondAlways({ status: 207, body: '{"accepted":1}' }));
    r.enqueue('{"sku":"A"}', { 'mime.type': 'application/json' });
    await r.run();
    const send = r.provenanceEvents().find((e) => e.eventType === 'SEND')!;
    expect(JSON.parse(send.details!)).toMatchObject({ http: { method: 'POST', url: 'http://erp.test/api/stock', status: 207, request: '{"sku":"A"}', response: '{"accepted":1}', error: null } });
    expect(send.details).not.toContain('top-secret-value');
  });

  it('Request Content-Type falls back to application/octet-stream when it evaluates empty', async () => {
    const { r, http } = runner({ 'HTTP Method': 'POST' }, new FakeHttpClient().respondAlways({ status: 200 }));
    r.enqueue('x');
    await r.run();
    expect(sent(http).headers?.['content-type']).toBe('application/octet-stream');
  });

  it('HTTP Method and HTTP URL take Expression Language from the FlowFile', async () => {
    const { r, http } = runner({ 'HTTP Method': '${verb}', 'HTTP URL': 'http://erp.test/api/stock/${sku:urlEncode()}' }, new FakeHttpClient().respondAlways({ status: 200 }));
    r.enqueue('', { verb: 'DELETE', sku: 'A 1' });
    await r.run();
    expect(sent(http)).toMatchObject({ method: 'DELETE', url: 'http://erp.test/api/stock/A+1' });
  });

  it('Request Body Enabled false sends an empty body', async () => {
    const { r, http } = runner({ 'HTTP Method': 'POST', 'Request Body Enabled': 'false' }, new FakeHttpClient().respondAlways({ status: 200 }));
    r.enqueue('secret');
    await r.run();
    expect(bodyText(sent(http))).toBe('');
  });

  it('dynamic properties become headers with Expression Language; Request Header Attributes Pattern sends matching attributes', async () => {
    const { r, http } = runner({ 'X-Sku': '${sku:toUpper()}', 'Request Header Attributes Pattern': 'x-.*|tenant', 'Request User-Agent': 'sluice/${v}' }, new FakeHttpClient().respondAlways({ status: 200 }));
    r.enqueue('', { sku: 'a1', 'x-trace': ' t-1 ', tenant: 'acme', other: 'no', v: '2' });
    await r.run();
    const h = sent(http).headers!;
    expect(h).toMatchObject({ 'X-Sku': 'A1', 'x-trace': 't-1', tenant: 'acme', 'user-agent': 'sluice/2' });
    expect(h['other']).toBeUndefined();
    expect(h['date']).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  });

  it('Request Date Header Enabled False leaves the Date header out', async () => {
    const { r, http } = runner({ 'Request Date Header Enabled': 'False' }, new FakeHttpClient().respondAlways({ status: 200 }));
    r.enqueue('');
    await r.run();
    expect(sent(http).headers?.['date']).toBeUndefined();
  });

  it('Request Username and Request Password send HTTP Basic authorization', async () => {
    const { r, http } = runner({ 'Request Username': 'integrator', 'Request Password': 'päss' }, new FakeHttpClient().respondAlways({ status: 200 }));
    r.enqueue('');
    await r.run();
    expect(sent(http).headers?.['authorization']).toBe(`Basic ${Buffer.from('integrator:päss', 'utf8').toString('base64')}`);
  });

  it('Connection Timeout, Socket Read Timeout, Response Redirects Enabled and the size limit reach the client', async () => {
    const { r, http } = runner({ 'Connection Timeout': '2 secs', 'Socket Read Timeout': '500 millis', 'Response Body Maximum Size': '1 KB' }, new FakeHttpClient().respondAlways({ status: 200 }));
    r.enqueue('');
    await r.run();
    expect(sent(http)).toMatchObject({ connectTimeoutMs: 2000, readTimeoutMs: 500, followRedirects: true, maxResponseBytes: 1024 });
  });

  it('Response Body Attribute Name puts the body on the request FlowFile (Original only), truncated to Response Body Attribute Size', async () => {
    const { r } = runner({ 'Response Body Attribute Name': 'erp.${kind}', 'Response Body Attribute Size': '5' }, new FakeHttpClient().respondAlways({ status: 200, body: 'abcdefgh' }));
    r.enqueue('', { kind: 'stock' });
    await r.run();
    r.assertAllTransferred('Original', 1);
    r.flowFilesFor('Original')[0]!.assertAttributeEquals('erp.stock', 'abcde');
  });

  it('Response Generation Required sends a Response for every status, alongside the routed request', async () => {
    const { r } = runner({ 'Response Generation Required': 'true' }, new FakeHttpClient().respond({ status: 500, body: 'boom' }));
    r.enqueue('');
    await r.run();
    r.assertTransferCount('Retry', 1);
    r.flowFilesFor('Response')[0]!.assertContentEquals('boom');
  });

  it('Response Body Ignored writes no body anywhere', async () => {
    const { r } = runner({ 'Response Body Ignored': 'true' }, new FakeHttpClient().respond({ status: 200, body: 'big' }).respond({ status: 404, body: 'nope' }));
    r.enqueue('');
    r.enqueue('');
    await r.run(2);
    expect(r.flowFilesFor('Response')[0]!.size).toBe(0);
    r.flowFilesFor('No Retry')[0]!.assertAttributeNotExists('invokehttp.response.body');
  });

  it('Response FlowFile Naming Strategy URL_PATH names GET responses after the last path segment', async () => {
    const { r } = runner({ 'Response FlowFile Naming Strategy': 'URL_PATH', 'HTTP URL': 'http://erp.test/exports/stock.csv' }, new FakeHttpClient().respondAlways({ status: 200 }));
    r.enqueue('', { filename: 'trigger' });
    await r.run();
    r.flowFilesFor('Response')[0]!.assertAttributeEquals('filename', 'stock.csv');
  });

  it('Response Header Request Attributes Enabled copies headers onto the request with the prefix', async () => {
    const { r } = runner({ 'Response Header Request Attributes Enabled': 'true', 'Response Header Request Attributes Prefix': 'erp.' }, new FakeHttpClient().respondAlways({ status: 404, headers: { 'x-request-id': 'r-9' } }));
    r.enqueue('');
    await r.run();
    r.flowFilesFor('No Retry')[0]!.assertAttributeEquals('erp.x-request-id', 'r-9');
  });

  it('Request Failure Penalization Enabled penalizes No Retry FlowFiles', async () => {
    const { r } = runner({ 'Request Failure Penalization Enabled': 'true' }, new FakeHttpClient().respondAlways({ status: 400 }));
    r.enqueue('');
    await r.run();
    expect(r.flowFilesFor('No Retry')[0]!.isPenalized(r.clock.now())).toBe(true);
  });

  it('post:form:* properties and Request Multipart Form-Data Name send multipart/form-data', async () => {
    const { r, http } = runner({ 'HTTP Method': 'POST', 'Request Multipart Form-Data Name': 'file', 'post:form:sku': '${sku}' }, new FakeHttpClient().respondAlways({ status: 200 }));
    r.enqueue('a,b', { sku: 'A1', filename: 'rows.csv', 'mime.type': 'text/csv' });
    await r.run();
    const type = sent(http).headers!['content-type']!;
    const boundary = /boundary=(.+)$/.exec(type)![1]!;
    expect(bodyText(sent(http))).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="sku"\r\n\r\nA1\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="rows.csv"\r\nContent-Type: text/csv\r\n\r\na,b\r\n--${boundary}--\r\n`,
    );
    expect(sent(http).headers!['post:form:sku']).toBeUndefined();
  });

  it('without incoming connections a GET runs on schedule and only a Response is made; a POST does nothing', async () => {
    const { r, http } = runner({}, new FakeHttpClient().respondAlways({ status: 200, body: 'rows' }), { incoming: false });
    await r.run();
    r.assertAllTransferred('Response', 1);
    r.flowFilesFor('Response')[0]!.assertContentEquals('rows');
    expect(r.provenanceEvents().map((e) => e.eventType)).toContain('RECEIVE');
    r.setProperty('HTTP Method', 'POST');
    await r.run();
    expect(http.requests).toHaveLength(1);
  });

  it('refuses what it cannot do, naming the property', () => {
    for (const [name, value] of [
      ['SSL Context Service', 'ssl-1'], ['Request OAuth2 Access Token Provider', 'oauth'], ['Proxy Configuration Service', 'proxy'],
      ['Request Chunked Transfer-Encoding Enabled', 'true'], ['Response Cache Enabled', 'true'], ['Response Cookie Strategy', 'ACCEPT_ALL'],
    ]) {
      const { r } = runner({ 'HTTP Method': 'POST', [name!]: value! });
      expect(r.validate().map((v) => v.property), name).toContain(name);
    }
    const digest = runner({ 'Request Username': 'u', 'Request Digest Authentication Enabled': 'true' }).r;
    expect(digest.validate()[0]!.message).toMatch(/Basic authentication only/);
    const form = runner({ 'HTTP Method': 'POST', 'post:form:a': 'b' }).r;
    expect(form.validate()[0]!.message).toMatch(/Request Multipart Form-Data Name\] is required/);
    runner({}).r.assertValid();
  });

  it('migrates NiFi 1.x property names', () => {
    const { r } = runner({ 'Remote URL': 'http://x', 'Follow Redirects': 'False', 'Always Output Response': 'true', 'Penalize on "No Retry"': 'true', 'Put Response Body In Attribute': 'body' });
    r.removeProperty('HTTP URL').setProperty('Remote URL', 'http://x');
    r.migrateProperties();
    expect(r.configuredProperties).toMatchObject({
      'HTTP URL': 'http://x', 'Response Redirects Enabled': 'False', 'Response Generation Required': 'true',
      'Request Failure Penalization Enabled': 'true', 'Response Body Attribute Name': 'body',
    });
  });
});
