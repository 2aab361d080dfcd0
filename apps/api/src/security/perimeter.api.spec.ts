import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';
import { connected, connectSocket, join, json, readRows, waitFor } from './security-support.testing.js';

describe('perimeter', () => {
  let api: StartedApi;
  beforeAll(async () => {
    api = await startApi({ web: false, env: { SLUICE_TRUST_PROXY: 'loopback' } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('sends security headers: CSP without framing, nosniff, no referrer; HSTS only over TLS', async () => {
    const plain = await fetch(`${api.url}/api/health`);
    const csp = plain.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
    expect(plain.headers.get('referrer-policy')).toBe('no-referrer');
    expect(plain.headers.get('x-frame-options')).toBe('DENY');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    expect(plain.headers.get('x-powered-by')).toBeNull();
    const tls = await fetch(`${api.url}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    const error = await fetch(`${api.url}/api/flows`);
    expect(error.status).toBe(401);
    expect(error.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('socket.io refuses a foreign Origin and accepts its own', async () => {
    const foreign = connectSocket(api, api.token, { extraHeaders: { origin: 'http://evil.example' } });
    await expect(connected(foreign)).rejects.toThrow();
    foreign.close();
    const own = connectSocket(api, api.token, { extraHeaders: { origin: api.url } });
    await connected(own);
    own.close();
  });

  it('socket.io takes the token only from the auth payload', async () => {
    const socket = io(api.url, { query: { token: api.token }, transports: ['websocket'], reconnection: false });
    await expect(connected(socket)).rejects.toThrow(/authentication required/);
    socket.close();
  });

  it('authorizes every flow.join: unknown flows and malformed ids are refused', async () => {
    const flow = await json<{ id: string }>(await api.request('/api/flows', { method: 'POST', json: { name: 'joinable' } }));
    const socket = connectSocket(api, api.token);
    await connected(socket);
    try {
      expect(await join(socket, flow.id)).toBe(true);
      expect(await join(socket, 'no-such-flow')).toBe(false);
      expect(await join(socket, { $gt: '' })).toBe(false);
      expect(await join(socket, 'x'.repeat(5000))).toBe(false);
      expect(socket.connected).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('refuses chained flows that form a cycle, naming it', async () => {
    const make = async (name: string, triggeredBy?: string) =>
      api.request('/api/flows', { method: 'POST', json: { name, integration: { direction: 'inbound', ...(triggeredBy ? { triggeredBy } : {}) } } });
    const a = await json<{ id: string; version: number; document: Record<string, unknown> }>(await make('Flow A'));
    const b = await json<{ id: string }>(await make('Flow B', a.id));
    const c = await json<{ id: string }>(await make('Flow C', b.id));
    const closing = await api.request(`/api/flows/${a.id}`, { method: 'PUT', json: { version: a.version, document: { ...a.document, integration: { ...(a.document['integration'] as object), triggeredBy: c.id } } } });
    expect(closing.status).toBe(400);
    const body = await json<{ message: string; errors: { field: string }[] }>(closing);
    expect(body.message).toContain("'Flow A' would be triggered by 'Flow C', which is triggered by 'Flow B', which is triggered by 'Flow A'");
    expect(body.errors[0]!.field).toBe('integration.triggeredBy');
    const self = await api.request(`/api/flows/${a.id}`, { method: 'PUT', json: { version: a.version, document: { ...a.document, integration: { ...(a.document['integration'] as object), triggeredBy: a.id } } } });
    expect(self.status).toBe(400);
    expect((await json<{ message: string }>(self)).message).toContain('triggered by itself');
    const unchanged = await json<{ version: number }>(await api.request(`/api/flows/${a.id}`));
    expect(unchanged.version).toBe(a.version);
  });

  it('does not run a self-chained flow stored by an older version', async () => {
    const created = await json<{ id: string }>(
      await api.request('/api/flows', {
        method: 'POST',
        json: {
          name: 'legacy loop',
          processors: [{ id: 'a', type: 'UpdateAttribute', name: 'A', properties: {}, scheduling: { strategy: 'event' }, autoTerminated: ['success'] }],
          integration: { direction: 'inbound', entryProcessorId: 'a' },
        },
      }),
    );
    const pg = process.env['SLUICE_TEST_DB'] === 'postgres';
    const [row] = (await readRows(api, `SELECT "document" FROM "flow" WHERE "id" = ${pg ? '$1' : '?'}`, [created.id])) as { document: string }[];
    const doc = JSON.parse(row!.document) as { integration: Record<string, unknown> };
    doc.integration['triggeredBy'] = created.id;
    await readRows(api, `UPDATE "flow" SET "document" = ${pg ? '$1' : '?'} WHERE "id" = ${pg ? '$2' : '?'}`, [JSON.stringify(doc), created.id]);
    expect((await api.request(`/api/flows/${created.id}/start`, { method: 'POST' })).status).toBe(200);
    expect((await api.request(`/api/flows/${created.id}/trigger`, { method: 'POST' })).status).toBe(202);
    const list = async () => (await json<{ items: { state: string }[] }>(await api.request(`/api/executions?flowId=${created.id}`))).items;
    await waitFor(async () => (await list()).some((e) => e.state === 'finished'));
    await new Promise((r) => setTimeout(r, 1000));
    expect(await list()).toHaveLength(1);
  });
});

describe('API docs switch', () => {
  it('serves no OpenAPI UI or document with SLUICE_API_DOCS=false', async () => {
    const api = await startApi({ web: false, env: { SLUICE_API_DOCS: 'false' } });
    try {
      expect((await fetch(`${api.url}/api/docs`)).status).toBe(404);
      expect((await fetch(`${api.url}/api/docs-json`)).status).toBe(404);
    } finally {
      await api.close();
    }
  });
});
