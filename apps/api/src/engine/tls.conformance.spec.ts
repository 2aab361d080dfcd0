/**
 * StandardSSLContextService on real sockets, with a CA, a server and a client certificate made in the test: ListenHTTP
 * and HandleHttpRequest serve HTTPS from PKCS12 and PEM keystores and check client certificates; InvokeHTTP trusts a
 * self-signed server only through the service's truststore; JKS is refused naming it.
 */
import { getControllerService, getProcessor } from '@sluice/processors';
import { TestRunner } from '@sluice/flow-testing';
import forge from 'node-forge';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { SYSTEM_CLOCK } from './engine.service.js';
import { NodeHttpServer } from './node-http.server.js';
import { UndiciHttpClient } from './undici-http.client.js';

const SSL = getControllerService('StandardSSLContextService')!;
const dir = mkdtempSync(join(tmpdir(), 'sluice-tls-'));

/** Resolves once the listener handed `n` requests to its processor (it wakes the processor for each). */
async function woken(r: TestRunner, n: number): Promise<void> {
  const end = Date.now() + 10_000;
  while (r.wakes < n) {
    if (Date.now() > end) throw new Error(`only ${r.wakes} of ${n} requests reached the processor`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops.splice(0)) await stop();
  rmSync(dir, { recursive: true, force: true });
});

function certificate(cn: string, issuer: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } | null, ca = false) {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = String(Math.floor(Math.random() * 1e9));
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: cn }]);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : [{ name: 'commonName', value: cn }]);
  cert.setExtensions(ca ? [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, digitalSignature: true }] : [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }]);
  cert.sign(issuer?.key ?? keys.privateKey, forge.md.sha256.create());
  return { cert, key: keys.privateKey, pem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

function p12(file: string, password: string, entries: { key?: forge.pki.rsa.PrivateKey; certs: forge.pki.Certificate[] }): string {
  const asn1 = forge.pkcs12.toPkcs12Asn1(entries.key ?? null, entries.certs, password, { algorithm: '3des' });
  const path = join(dir, file);
  writeFileSync(path, Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
  return path;
}

const ca = certificate('Sluice Test CA', null, true);
const server = certificate('127.0.0.1', ca);
const client = certificate('erp-client', ca);
const serverP12 = p12('server.p12', 'kpw', { key: server.key, certs: [server.cert, ca.cert] });
const trustP12 = p12('trust.p12', 'tpw', { certs: [ca.cert] });
const serverPem = join(dir, 'server.pem');
writeFileSync(serverPem, server.keyPem + server.pem + ca.pem);
const caPem = join(dir, 'ca.pem');
writeFileSync(caPem, ca.pem);

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

const trusting = new Agent({ connect: { ca: ca.pem } });
const withClientCert = new Agent({ connect: { ca: ca.pem, key: client.keyPem, cert: client.pem } });

describe('StandardSSLContextService for listeners', () => {
  it('ListenHTTP serves HTTPS from a PKCS12 keystore', async () => {
    const port = await freePort();
    const r = new TestRunner(getProcessor('ListenHTTP')!, { services: { httpServer: new NodeHttpServer('127.0.0.1'), clock: SYSTEM_CLOCK } })
      .addControllerService('ssl', SSL, { 'Keystore Filename': serverP12, 'Keystore Password': 'kpw', 'Keystore Type': 'PKCS12' })
      .setProperty('SSL Context Service', 'ssl')
      .setProperty('Listening Port', String(port));
    r.assertValid();
    await r.run(0, { stopOnFinish: false });
    stops.push(() => r.run(0));
    const answer = request(`https://127.0.0.1:${port}/contentListener`, { method: 'POST', body: 'secure', dispatcher: trusting });
    await woken(r, 1);
    await r.run(1, { stopOnFinish: false });
    expect((await answer).statusCode).toBe(200);
    r.flowFilesFor('success')[0]!.assertContentEquals('secure');
  });

  it('HandleHttpRequest with Need Authentication: a caller without a certificate the truststore signed is refused; one with it is named', async () => {
    const port = await freePort();
    const r = new TestRunner(getProcessor('HandleHttpRequest')!, { services: { httpServer: new NodeHttpServer('127.0.0.1'), clock: SYSTEM_CLOCK } })
      .addControllerService('ssl', SSL, { 'Keystore Filename': serverPem, 'Keystore Type': 'PEM', 'Truststore Filename': trustP12, 'Truststore Password': 'tpw' })
      .addControllerService('map', getControllerService('StandardHttpContextMap')!)
      .setProperty('HTTP Context Map', 'map')
      .setProperty('SSL Context Service', 'ssl')
      .setProperty('Client Authentication', 'Need Authentication')
      .setProperty('Listening Port', String(port));
    await r.run(0, { stopOnFinish: false });
    stops.push(() => r.run(0));
    await expect(request(`https://127.0.0.1:${port}/x`, { dispatcher: trusting }).then((x) => x.statusCode)).rejects.toThrow();
    void request(`https://127.0.0.1:${port}/x`, { dispatcher: withClientCert }).catch(() => undefined);
    await woken(r, 1);
    await r.run(1, { stopOnFinish: false });
    const ff = r.flowFilesFor('success')[0]!;
    ff.assertAttributeEquals('http.subject.dn', 'CN=erp-client');
    ff.assertAttributeEquals('http.issuer.dn', 'CN=Sluice Test CA');
  });

  it('a wrong keystore password or a missing file fails the start naming the file', async () => {
    const run = async (props: Record<string, string>) => {
      const r = new TestRunner(getProcessor('ListenHTTP')!, { services: { httpServer: new NodeHttpServer('127.0.0.1') } })
        .addControllerService('ssl', SSL, props)
        .setProperty('SSL Context Service', 'ssl')
        .setProperty('Listening Port', String(await freePort()));
      return r.run(0, { stopOnFinish: false });
    };
    await expect(run({ 'Keystore Filename': serverP12, 'Keystore Password': 'wrong' })).rejects.toThrow(`Keystore '${serverP12}' cannot be used`);
    await expect(run({ 'Keystore Filename': join(dir, 'none.p12'), 'Keystore Password': 'x' })).rejects.toThrow(`Keystore '${join(dir, 'none.p12')}' cannot be read: ENOENT`);
  });

  it('JKS is refused with a message naming it; a service with neither store is incomplete', () => {
    const r = new TestRunner(getProcessor('InvokeHTTP')!).addControllerService('ssl', SSL, { 'Keystore Filename': '/x.jks', 'Keystore Password': 'p', 'Keystore Type': 'JKS' }).setProperty('HTTP URL', 'https://x').setProperty('SSL Context Service', 'ssl');
    expect(r.validate().map((v) => v.message).join('\n')).toContain('Keystore Type JKS is not supported: Node.js cannot read JKS keystores');
    const empty = new TestRunner(getProcessor('InvokeHTTP')!).addControllerService('ssl', SSL, {}).setProperty('HTTP URL', 'https://x').setProperty('SSL Context Service', 'ssl');
    expect(empty.validate().map((v) => v.message).join('\n')).toContain('Set Keystore Filename, Truststore Filename or both');
  });
});

describe('StandardSSLContextService for InvokeHTTP', () => {
  it('trusts a server signed by its truststore (PKCS12 or PEM), presents its keystore, and fails without it', async () => {
    const https = createHttpsServer({ key: server.keyPem, cert: server.pem, ca: ca.pem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
      const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
      res.end(JSON.stringify({ client: peer?.subject?.CN ?? null }));
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => https.close(() => resolve())));
    const url = `https://127.0.0.1:${(https.address() as AddressInfo).port}/`;
    const http = new UndiciHttpClient();
    stops.push(() => http.close());
    const clientP12 = p12('client.p12', 'cpw', { key: client.key, certs: [client.cert] });
    const invoke = (ssl?: Record<string, string>) => {
      const r = new TestRunner(getProcessor('InvokeHTTP')!, { services: { http } }).setProperty('HTTP URL', url);
      if (ssl) r.addControllerService('ssl', SSL, ssl).setProperty('SSL Context Service', 'ssl');
      r.enqueue('');
      return r;
    };
    const plain = invoke();
    await plain.run();
    plain.assertAllTransferred('Failure', 1);
    for (const trust of [{ 'Truststore Filename': trustP12, 'Truststore Password': 'tpw' }, { 'Truststore Filename': caPem, 'Truststore Type': 'PEM' }]) {
      const r = invoke(trust);
      await r.run();
      r.assertTransferCount('Response', 1);
      expect(JSON.parse(r.flowFilesFor('Response')[0]!.contentText())).toEqual({ client: null });
    }
    const mutual = invoke({ 'Truststore Filename': caPem, 'Truststore Type': 'PEM', 'Keystore Filename': clientP12, 'Keystore Password': 'cpw' });
    await mutual.run();
    expect(JSON.parse(mutual.flowFilesFor('Response')[0]!.contentText())).toEqual({ client: 'erp-client' });
  });
});
