import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDto } from '@sluice/contracts';
import { startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { startServerProcess, type ServerProcess } from '@sluice/api/testing/server-process';
import { startApi, testDatabase, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';

const timer = { strategy: 'timer' as const, period: '0 sec', concurrentTasks: 1, penaltyDuration: '1 sec', yieldDuration: '1 sec' };
const never = { strategy: 'cron' as const, period: '0 0 0 1 1 ? 2099', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };

/** A port the system just gave out on 127.0.0.1, bound on 0 and freed for the flow's listener. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Integrator's Generic Proxy: HandleHttpRequest → InvokeHTTP against the ERP → HandleHttpResponse, on one context map. */
function proxyFlow(port: number, erpUrl: string) {
  return {
    name: 'Generic Proxy',
    parameters: { 'erp.url': erpUrl, 'proxy.port': String(port) },
    controllerServices: [{ id: 'ctx', type: 'StandardHttpContextMap', name: 'Requests', properties: { 'Request Expiration': '2 sec' }, enabled: true }],
    processors: [
      { id: 'in', type: 'HandleHttpRequest', name: 'Callers', scheduling: timer, properties: { 'Listening Port': '#{proxy.port}', 'HTTP Context Map': 'ctx', Hostname: '127.0.0.1' } },
      {
        id: 'route', type: 'RouteOnAttribute', name: 'Known paths', scheduling: timer, autoTerminated: ['unmatched'],
        properties: { 'Routing Strategy': 'Route to Property name', stock: "${http.request.uri:equals('/stock')}" },
      },
      {
        id: 'erp', type: 'InvokeHTTP', name: 'ERP', scheduling: { ...timer, concurrentTasks: 4 }, autoTerminated: ['Original', 'Retry', 'No Retry', 'Failure'],
        properties: { 'HTTP URL': '#{erp.url}/api/stock?pagination=none&sku=${http.query.param.sku:urlEncode()}' },
      },
      { id: 'out', type: 'HandleHttpResponse', name: 'Answer', scheduling: timer, autoTerminated: ['success', 'failure'], properties: { 'HTTP Context Map': 'ctx', 'HTTP Status Code': '${invokehttp.status.code}', 'Content-Type': '${mime.type}', 'X-Proxied-Sku': '${http.query.param.sku}' } },
    ],
    connections: [
      { id: 'in-route', sourceId: 'in', targetId: 'route', relationships: ['success'] },
      { id: 'route-erp', sourceId: 'route', targetId: 'erp', relationships: ['stock'] },
      { id: 'erp-out', sourceId: 'erp', targetId: 'out', relationships: ['Response'] },
    ],
  };
}

describe('Generic Proxy: HandleHttpRequest → InvokeHTTP → HandleHttpResponse', () => {
  let api: StartedApi;
  let erp: ErpSimHandle;
  let port: number;
  let flowId: string;
  beforeAll(async () => {
    [erp, api, port] = await Promise.all([startErpSim({ auth: 'none', generatedRows: 50 }), startApi({ web: false }), freePort()]);
  });
  afterAll(async () => {
    await api?.close();
    await erp?.close();
  });

  it('lists the listeners and the context map among the types', async () => {
    const { types } = await json<{ types: { type: string; relationships: { name: string }[] }[] }>(await api.request('/api/processor-types'));
    const rels = (type: string) => types.find((t) => t.type === type)?.relationships.map((r) => r.name);
    expect(rels('ListenHTTP')).toEqual(['success']);
    expect(rels('HandleHttpRequest')).toEqual(['success']);
    expect(rels('HandleHttpResponse')).toEqual(['success', 'failure']);
    const services = await json<{ types: { type: string; implements: string[] }[] }>(await api.request('/api/controller-service-types'));
    expect(services.types.find((t) => t.type === 'StandardHttpContextMap')?.implements).toEqual(['HttpContextMap']);
  });

  it('answers concurrent callers synchronously, each with the ERP rows of its own SKU', async () => {
    const created = await api.request('/api/flows', { method: 'POST', json: proxyFlow(port, erp.url) });
    expect(created.status).toBe(201);
    const flow = (await created.json()) as FlowDto;
    flowId = flow.id;
    expect(flow.validation).toEqual([]);
    expect((await api.request(`/api/flows/${flowId}/start`, { method: 'POST' })).status).toBe(200);
    const base = `http://127.0.0.1:${port}`;
    await waitFor('the listener', async () => (await fetch(`${base}/stock?sku=12345`).then((r) => r.status).catch(() => undefined)) === 200 || undefined);
    const skus = ['12345', '12346', '12347', '1234', '12344', ...Array.from({ length: 15 }, (_, i) => `SKU-${String(i + 1).padStart(6, '0')}`)];
    const answers = await Promise.all(
      skus.map(async (sku) => {
        const r = await fetch(`${base}/stock?sku=${encodeURIComponent(sku)}`);
        return { sku, status: r.status, header: r.headers.get('x-proxied-sku'), type: r.headers.get('content-type'), body: (await r.json()) as { sku: string }[] | { results: { sku: string }[] } };
      }),
    );
    for (const a of answers) {
      expect(a.status, a.sku).toBe(200);
      expect(a.header).toBe(a.sku);
      expect(a.type).toContain('application/json');
      const rows = Array.isArray(a.body) ? a.body : a.body.results;
      expect(rows.map((r) => r.sku)).toEqual([a.sku]);
    }
  });

  it('a request the flow never answers gets 503 when the context map expires it', async () => {
    const started = Date.now();
    const r = await fetch(`http://127.0.0.1:${port}/unknown-path`);
    expect(r.status).toBe(503);
    expect(await r.text()).toBe('Service Unavailable: the request timed out');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('a second listener on the same port does not start (409 naming the port); deleting the first flow frees it', async () => {
    const other = await json<FlowDto>(await api.request('/api/flows', { method: 'POST', json: { ...proxyFlow(port, erp.url), name: 'Same port' } }));
    const refused = await api.request(`/api/flows/${other.id}/start`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toBe(
      `Callers could not start: Listening Port: port ${port} is already in use (by another listener or program); choose a free port`,
    );
    const status = await json<{ processors: { id: string; state: string }[] }>(await api.request(`/api/flows/${other.id}/status`));
    expect(status.processors.find((p) => p.id === 'in')?.state).toBe('stopped');
    expect((await api.request(`/api/flows/${other.id}/processors/in/start`, { method: 'POST' })).status).toBe(409);
    expect((await api.request(`/api/flows/${flowId}`, { method: 'DELETE' })).status).toBeLessThan(300);
    expect(await fetch(`http://127.0.0.1:${port}/stock`).catch(() => 'refused')).toBe('refused');
    expect((await api.request(`/api/flows/${other.id}/processors/in/start`, { method: 'POST' })).status).toBe(200);
    const r = await waitFor('the second flow to answer', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/stock?sku=12345`).catch(() => undefined);
      return res?.status === 200 ? res : undefined;
    });
    expect(((await r.json()) as { sku: string }[]).map((x) => x.sku)).toEqual(['12345']);
  });
});

describe('InvokeHTTP with a StandardOauth2AccessTokenProvider against the ERP simulator', () => {
  let api: StartedApi;
  let erp: ErpSimHandle;
  beforeAll(async () => {
    [erp, api] = await Promise.all([startErpSim({ auth: 'jwt', generatedRows: 5 }), startApi({ web: false })]);
  });
  afterAll(async () => {
    await api?.close();
    await erp?.close();
  });

  it('gets a client-credentials token from /auth/token, reads with it, and never shows the client secret', async () => {
    const flow = {
      name: 'OAuth2 read',
      parameters: { 'erp.url': erp.url },
      controllerServices: [
        {
          id: 'oauth', type: 'StandardOauth2AccessTokenProvider', name: 'ERP tokens', enabled: true,
          properties: { 'Authorization Server URL': '#{erp.url}/auth/token', 'Grant Type': 'client_credentials', 'Client ID': erp.credentials.clientId, 'Client Secret': erp.credentials.clientSecret },
        },
      ],
      processors: [
        { id: 'tick', type: 'GenerateFlowFile', name: 'Tick', scheduling: { ...timer, period: '1 hour' }, properties: {} },
        { id: 'read', type: 'InvokeHTTP', name: 'Read', scheduling: timer, autoTerminated: ['Original', 'Retry', 'No Retry', 'Failure'], properties: { 'HTTP URL': '#{erp.url}/api/stock?pagination=none&sku=12345', 'Request OAuth2 Access Token Provider': 'oauth' } },
        { id: 'keep', type: 'LogAttribute', name: 'Keep', scheduling: never, autoTerminated: ['success'], properties: {} },
      ],
      connections: [
        { id: 'tick-read', sourceId: 'tick', targetId: 'read', relationships: ['success'] },
        { id: 'answers', sourceId: 'read', targetId: 'keep', relationships: ['Response'] },
      ],
    };
    const created = await api.request('/api/flows', { method: 'POST', json: flow });
    expect(created.status).toBe(201);
    const dto = (await created.json()) as FlowDto;
    expect(dto.validation).toEqual([]);
    const shown = await json<FlowDto>(await api.request(`/api/flows/${dto.id}`));
    expect(shown.document.controllerServices[0]!.properties['Client Secret']).toBe('********');
    expect(JSON.stringify(shown)).not.toContain(erp.credentials.clientSecret);
    expect((await api.request(`/api/flows/${dto.id}/start`, { method: 'POST' })).status).toBe(200);
    const queue = await waitFor('the answer', async () => {
      const q = await json<{ count: number; flowFiles: { attributes: Record<string, string> }[] }>(await api.request(`/api/flows/${dto.id}/connections/answers/queue`));
      return q.count > 0 ? q : undefined;
    });
    expect(queue.flowFiles[0]!.attributes['invokehttp.status.code']).toBe('200');
    expect(erp.state.counters.logins).toBe(1);
  });
});

describe('ListenHTTP across kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-listen-kill-'));
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.kill();
    await (await testDatabase(dataDir)).drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every POST answered 200 is still queued after SIGKILL, and the listener is back after the restart', async () => {
    const port = await freePort();
    const flow = {
      name: 'Webhook inbox',
      processors: [
        { id: 'listen', type: 'ListenHTTP', name: 'Webhook', scheduling: timer, properties: { 'Listening Port': String(port), 'Base Path': 'hooks' } },
        { id: 'later', type: 'LogAttribute', name: 'Later (never runs)', scheduling: never, autoTerminated: ['success'], properties: {} },
      ],
      connections: [{ id: 'inbox', sourceId: 'listen', targetId: 'later', relationships: ['success'] }],
    };
    const first = await startServerProcess(dataDir);
    servers.push(first);
    const created = await first.request('/api/flows', { method: 'POST', json: flow });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await first.request(`/api/flows/${id}/start`, { method: 'POST' })).status).toBe(200);
    const url = `http://127.0.0.1:${port}/hooks`;
    await waitFor('the listener', async () => ((await fetch(url, { method: 'HEAD' }).then((r) => r.status).catch(() => 0)) === 200 ? true : undefined));
    const acked: string[] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const r = await fetch(url, { method: 'POST', body: JSON.stringify({ event: i }) });
        if (r.status === 200) acked.push(String(i));
      }),
    );
    expect(acked).toHaveLength(40);
    await first.kill();
    const second = await startServerProcess(dataDir);
    servers.push(second);
    const queue = await (await second.request(`/api/flows/${id}/connections/inbox/queue`)).json() as { count: number; flowFiles: { uuid: string; attributes: Record<string, string> }[] };
    expect(queue.count).toBe(40);
    expect(queue.flowFiles.every((f) => f.attributes['restlistener.request.uri'] === '/hooks')).toBe(true);
    const after = await waitFor('the listener after the restart', async () => {
      const r = await fetch(url, { method: 'POST', body: '{"event":"after"}' }).catch(() => undefined);
      return r?.status === 200 ? r : undefined;
    });
    expect(after.status).toBe(200);
    const count = await waitFor('the new FlowFile', async () => {
      const q = (await (await second.request(`/api/flows/${id}/connections/inbox/queue`)).json()) as { count: number };
      return q.count === 41 ? q.count : undefined;
    });
    expect(count).toBe(41);
  }, 120_000);
});
