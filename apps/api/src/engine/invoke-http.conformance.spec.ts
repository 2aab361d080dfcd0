/**
 * InvokeHTTP on the server's real undici client against a local HTTP server, restating the cases of NiFi's
 * InvokeHTTPTest (which runs against a mock web server), plus the bounds Sluice adds: a server that never answers
 * or answers too much fails the request instead of holding it.
 */
import { getProcessor } from '@sluice/processors';
import { TestRunner } from '@sluice/flow-testing';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UndiciHttpClient } from './undici-http.client.js';
import { ZLIB_COMPRESSION } from './zlib-compression.codec.js';

const InvokeHTTP = getProcessor('InvokeHTTP')!;
type Recorded = { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer };
let server: Server;
let base: string;
let handler: (req: IncomingMessage, res: ServerResponse) => void;
let received: Recorded[];
const http = new UndiciHttpClient(64 * 1024);

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await http.close();
});
beforeEach(() => {
  received = [];
  handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
});

function runner(config: Record<string, string>, incoming = true) {
  const r = new TestRunner(InvokeHTTP, { services: { http, compression: ZLIB_COMPRESSION }, hasIncomingConnection: incoming });
  r.setProperty('HTTP URL', `${base}/status/200`);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  r.assertValid();
  return r;
}
async function once(config: Record<string, string>, content = '', attributes: Record<string, string> = {}) {
  const r = runner(config);
  r.enqueue(content, attributes);
  await r.run();
  return r;
}

describe('InvokeHTTP (NiFi InvokeHTTPTest cases, against a real server)', () => {
  it('GET 200: Original and Response with the status attributes, the body and its mime.type', async () => {
    const r = await once({});
    r.assertTransferCount('Original', 1);
    const response = r.flowFilesFor('Response')[0]!;
    response.assertContentEquals('hello');
    response.assertAttributeEquals('mime.type', 'text/plain');
    response.assertAttributeEquals('invokehttp.status.code', '200');
    response.assertAttributeEquals('invokehttp.status.message', 'OK');
    response.assertAttributeEquals('invokehttp.request.url', `${base}/status/200`);
    expect(received[0]!.method).toBe('GET');
  });

  it('sends the Date header, User-Agent, Basic authentication, dynamic properties and matching attributes', async () => {
    await once({ 'Request User-Agent': 'Sluice-Test', 'Request Username': 'user', 'Request Password': 'pass', 'X-Dynamic': '${sku}', 'Request Header Attributes Pattern': 'x-.*' }, '', { sku: 'A', 'x-attr': 'v' });
    const h = received[0]!.headers;
    expect(new Date(h['date']!).getTime()).toBeGreaterThan(0);
    expect(h['user-agent']).toBe('Sluice-Test');
    expect(h['authorization']).toBe(`Basic ${Buffer.from('user:pass').toString('base64')}`);
    expect(h['x-dynamic']).toBe('A');
    expect(h['x-attr']).toBe('v');
  });

  it('puts response headers on the request with Response Header Request Attributes Enabled', async () => {
    handler = (_req, res) => res.writeHead(200, { 'x-tracking': 'abc' }).end();
    const r = await once({ 'Response Header Request Attributes Enabled': 'true', 'Response Header Request Attributes Prefix': 'r.' });
    r.flowFilesFor('Original')[0]!.assertAttributeEquals('r.x-tracking', 'abc');
  });

  it('Response Body Attribute Name: GET 200 writes the body to the request attribute and sends no Response', async () => {
    const r = await once({ 'Response Body Attribute Name': 'outputBody' });
    r.assertAllTransferred('Original', 1);
    r.flowFilesFor('Original')[0]!.assertAttributeEquals('outputBody', 'hello');
  });

  it('302 follows the redirect by default; with Response Redirects Enabled False it goes to No Retry', async () => {
    handler = (req, res) => (req.url === '/moved' ? res.writeHead(302, { location: '/status/200' }).end() : res.writeHead(200).end('there'));
    const followed = await once({ 'HTTP URL': `${base}/moved` });
    followed.flowFilesFor('Response')[0]!.assertContentEquals('there');
    followed.flowFilesFor('Original')[0]!.assertAttributeEquals('invokehttp.response.url', `${base}/status/200`);
    const stopped = await once({ 'HTTP URL': `${base}/moved`, 'Response Redirects Enabled': 'False' });
    stopped.assertAllTransferred('No Retry', 1);
    stopped.flowFilesFor('No Retry')[0]!.assertAttributeEquals('invokehttp.status.code', '302');
  });

  it('400 goes to No Retry (penalized with Request Failure Penalization Enabled); 500 to Retry, with a Response when required', async () => {
    handler = (req, res) => res.writeHead(Number(req.url!.split('/').pop())).end('status body');
    const bad = await once({ 'HTTP URL': `${base}/status/400`, 'Request Failure Penalization Enabled': 'true' });
    bad.assertAllTransferred('No Retry', 1);
    expect(bad.flowFilesFor('No Retry')[0]!.isPenalized(bad.clock.now())).toBe(true);
    bad.flowFilesFor('No Retry')[0]!.assertAttributeEquals('invokehttp.response.body', 'status body');
    const down = await once({ 'HTTP URL': `${base}/status/500`, 'Response Generation Required': 'true' });
    down.assertTransferCount('Retry', 1);
    down.flowFilesFor('Response')[0]!.assertContentEquals('status body');
  });

  it.each(['DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'])('%s 200 succeeds; only PATCH, POST and PUT send the content', async (method) => {
    const r = await once({ 'HTTP Method': method }, 'payload', { 'mime.type': 'text/csv' });
    r.assertTransferCount('Original', 1);
    expect(received[0]!.method).toBe(method);
    const withBody = ['PATCH', 'POST', 'PUT'].includes(method);
    expect(received[0]!.body.toString()).toBe(withBody ? 'payload' : '');
    if (withBody) expect(received[0]!.headers['content-type']).toBe('text/csv');
  });

  it('POST with Request Content-Encoding GZIP sends the content gzipped', async () => {
    await once({ 'HTTP Method': 'POST', 'Request Content-Encoding': 'GZIP' }, 'compress me');
    expect(received[0]!.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(received[0]!.body).toString()).toBe('compress me');
  });

  it('POST form data: post:form:* parts and the content as the named file part', async () => {
    await once({ 'HTTP Method': 'POST', 'Request Multipart Form-Data Name': 'upload', 'post:form:name': 'Sluice' }, 'file content', { filename: 'data.txt' });
    const body = received[0]!.body.toString();
    expect(received[0]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(body).toContain('name="name"\r\n\r\nSluice');
    expect(body).toContain('name="upload"; filename="data.txt"');
    expect(body).toContain('file content');
  });

  it.each([['GET', '/file.txt', 'file.txt'], ['GET', '/dir/', 'dir'], ['POST', '/file.txt', 'keep']])('%s %s with URL_PATH naming: filename %s', async (method, path, expected) => {
    const r = await once({ 'HTTP Method': method, 'HTTP URL': `${base}${path}`, 'Response FlowFile Naming Strategy': 'URL_PATH' }, '', { filename: 'keep' });
    r.flowFilesFor('Response')[0]!.assertAttributeEquals('filename', expected);
  });

  it('a malformed URL goes to Failure with the exception class, and without incoming connections the processor yields', async () => {
    const r = await once({ 'HTTP URL': '${url}' }, '', { url: 'not a url' });
    r.assertAllTransferred('Failure', 1);
    r.flowFilesFor('Failure')[0]!.assertAttributeEquals('invokehttp.java.exception.class', 'java.lang.IllegalArgumentException');
    const alone = runner({ 'HTTP URL': 'http://' }, false);
    await alone.run();
    expect(alone.yields).toBe(1);
  });
});

describe('InvokeHTTP bounds', () => {
  it('Socket Read Timeout: a server that never answers fails the request with SocketTimeoutException', async () => {
    handler = () => undefined;
    const r = await once({ 'Socket Read Timeout': '300 millis' });
    r.assertAllTransferred('Failure', 1);
    r.flowFilesFor('Failure')[0]!.assertAttributeEquals('invokehttp.java.exception.class', 'java.net.SocketTimeoutException');
  });

  it('a body larger than Response Body Maximum Size (or the server cap) fails instead of filling memory', async () => {
    handler = (_req, res) => res.writeHead(200).end(Buffer.alloc(200 * 1024, 97));
    const r = await once({ 'Response Body Maximum Size': '1 MB' });
    r.assertAllTransferred('Failure', 1);
    expect(r.flowFilesFor('Failure')[0]!.getAttribute('invokehttp.java.exception.message')).toMatch(/larger than 65536 bytes/);
    handler = (_req, res) => {
      res.writeHead(200);
      res.write(Buffer.alloc(1024, 98));
      res.end(Buffer.alloc(2048, 98));
    };
    const chunked = await once({ 'Response Body Maximum Size': '2 KB' });
    chunked.assertAllTransferred('Failure', 1);
  });

  it('a refused connection goes to Failure with ConnectException', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const r = await once({ 'HTTP URL': `http://127.0.0.1:${port}/` });
    r.assertAllTransferred('Failure', 1);
    r.flowFilesFor('Failure')[0]!.assertAttributeEquals('invokehttp.java.exception.class', 'java.net.ConnectException');
  });
});
