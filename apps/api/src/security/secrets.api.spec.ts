import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../secrets/secret-box.js';
import { type StartedApi, startApi } from '../testing/start-api.js';
import { addUser, flowWithSecrets, json, readRows } from './security-support.testing.js';

const MASK = '********';

describe('secrets', () => {
  let api: StartedApi;
  let viewer: string;
  let editor: string;
  beforeAll(async () => {
    api = await startApi({ web: false });
    viewer = (await addUser(api, 'vic', 'viewer')).token;
    editor = (await addUser(api, 'eddie', 'editor')).token;
  });
  afterAll(async () => {
    await api?.close();
  });

  const create = async (doc: unknown = flowWithSecrets()) => {
    const res = await api.request('/api/flows', { method: 'POST', json: doc });
    expect(res.status).toBe(201);
    return json<{ id: string; version: number; document: Record<string, never> }>(res);
  };

  it('masks sensitive parameters and properties for everyone, declared or referenced by a sensitive property', async () => {
    const flow = await create();
    for (const token of [api.token, editor, viewer]) {
      const got = await json<{ document: { parameters: Record<string, string>; processors: { properties: Record<string, string> }[] } }>(await api.request(`/api/flows/${flow.id}`, { token }));
      expect(got.document.parameters['omnitron.password']).toBe(MASK);
      expect(got.document.parameters['erp.api.key']).toBe(MASK);
      expect(got.document.parameters['omnitron.username']).toBe('integrator');
      // A sensitive property that only names a parameter shows the reference.
      expect(got.document.processors[0]!.properties['Omnitron Password']).toBe('#{omnitron.password}');
      expect(JSON.stringify(got)).not.toContain('omni-secret-pass-42');
      expect(JSON.stringify(got)).not.toContain('erp-key-0123456789');
    }
  });

  it('keeps the stored value when a save sends the mask back, and takes a new value when one is sent', async () => {
    const flow = await create();
    const current = await json<{ version: number; document: { parameters: Record<string, string> } }>(await api.request(`/api/flows/${flow.id}`));
    const doc = { ...current.document, description: 'edited' };
    const saved = await api.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: current.version, document: doc } });
    expect(saved.status).toBe(200);
    const box = await api.request(`/api/flows/${flow.id}/export`);
    expect(((await json<{ parameters: Record<string, string> }>(box)).parameters)['omnitron.password']).toBe('');
    // The engine still has the real value: the flow's own document is what the Login step would read.
    const raw = await readStoredDocument(api, flow.id);
    expect(raw).not.toContain('omni-secret-pass-42');
    const changed = { ...doc, parameters: { ...doc.parameters, 'omnitron.password': 'a-new-password-77' } };
    const again = await api.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: current.version + 1, document: changed } });
    expect(again.status).toBe(200);
    expect(JSON.stringify(await json(again))).not.toContain('a-new-password-77');
  });

  it('exports without secret values, and the export imports as a flow that needs them filled in', async () => {
    const flow = await create();
    const exported = await json<{ parameters: Record<string, string>; sensitiveParameters: string[]; processors: { properties: Record<string, string> }[] }>(await api.request(`/api/flows/${flow.id}/export`));
    expect(exported.parameters['omnitron.password']).toBe('');
    expect(exported.parameters['erp.api.key']).toBe('');
    expect(exported.sensitiveParameters).toContain('erp.api.key');
    const text = JSON.stringify(exported);
    expect(text).not.toContain('omni-secret-pass-42');
    expect(text).not.toContain(MASK);
    const imported = await api.request('/api/flows/import', { method: 'POST', json: exported });
    expect(imported.status).toBe(201);
  });

  it('stores sensitive values sealed (AES-256-GCM), never in the clear, in a database readable by its owner only', async () => {
    const flow = await create(flowWithSecrets('sealed'));
    const raw = await readStoredDocument(api, flow.id);
    expect(raw).not.toContain('omni-secret-pass-42');
    expect(raw).not.toContain('erp-key-0123456789');
    expect(raw).toMatch(/enc:v1:/);
    if (process.env['SLUICE_TEST_DB'] !== 'postgres') {
      for (const f of ['sluice.db', 'sluice.db-wal', 'secret-key', 'token-secret']) {
        const path = join(api.dataDir, f);
        expect((statSync(path).mode & 0o777).toString(8), f).toBe('600');
        if (f.startsWith('sluice.db')) expect(readFileSync(path).includes('omni-secret-pass-42')).toBe(false);
      }
    }
  });

  it('stores queued tokens sealed and lists them masked', async () => {
    const flow = await create({
      name: 'queued token',
      processors: [
        { id: 'gen', type: 'GenerateFlowFile', name: 'Gen', properties: { 'Custom Text': 'x' } },
        { id: 'set', type: 'UpdateAttribute', name: 'Set', properties: { 'token.omnitron': 'queued-token-value-1' } },
        { id: 'log', type: 'LogAttribute', name: 'Log', properties: {}, autoTerminated: ['success'] },
      ],
      connections: [
        { id: 'c1', sourceId: 'gen', relationships: ['success'], targetId: 'set' },
        { id: 'c2', sourceId: 'set', relationships: ['success'], targetId: 'log' },
      ],
    });
    for (const p of ['gen', 'set']) expect((await api.request(`/api/flows/${flow.id}/processors/${p}/run-once`, { method: 'POST' })).status).toBe(200);
    const listed = await json<{ count: number; flowFiles: { attributes: Record<string, string> }[] }>(await api.request(`/api/flows/${flow.id}/connections/c2/queue`));
    expect(listed.count).toBe(1);
    expect(listed.flowFiles[0]!.attributes['token.omnitron']).toBe(MASK);
    const rows = await readRows(api, `SELECT "attributes" FROM "flowfile" WHERE "flow_id" = ${process.env['SLUICE_TEST_DB'] === 'postgres' ? '$1' : '?'}`, [flow.id]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('queued-token-value-1');
    expect(JSON.stringify(rows)).toContain('enc:v1:');
  });

  it('masks a literal secret in a sensitive property and keeps it on a masked save', async () => {
    const doc = flowWithSecrets('literal');
    doc.processors[0]!.properties['Omnitron Password'] = 'literal-pass-31415';
    const flow = await create(doc);
    const got = await json<{ version: number; document: { processors: { properties: Record<string, string> }[] } }>(await api.request(`/api/flows/${flow.id}`));
    expect(got.document.processors[0]!.properties['Omnitron Password']).toBe(MASK);
    expect(await readStoredDocument(api, flow.id)).not.toContain('literal-pass-31415');
    const saved = await api.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: got.version, document: got.document } });
    expect(saved.status).toBe(200);
    const box = new SecretBox(new TextEncoder().encode(readFileSync(join(api.dataDir, 'secret-key'), 'utf8').trim()));
    const stored = JSON.parse(await readStoredDocument(api, flow.id)) as { processors: { properties: Record<string, string> }[] };
    expect(box.open(stored.processors[0]!.properties['Omnitron Password']!)).toBe('literal-pass-31415');
    const exported = await json<{ processors: { properties: Record<string, string> }[] }>(await api.request(`/api/flows/${flow.id}/export`));
    expect(exported.processors[0]!.properties['Omnitron Password']).toBe('');
  });

  it('refuses a sensitive parameter in a property that is not sensitive, naming both', async () => {
    const doc = flowWithSecrets('leaky');
    doc.processors[1]!.properties = { leak: '#{omnitron.password}' } as never;
    const res = await api.request('/api/flows', { method: 'POST', json: doc });
    expect(res.status).toBe(400);
    expect((await json<{ message: string }>(res)).message).toContain("cannot reference the sensitive parameter 'omnitron.password'");
  });

  it('masks token attributes and credentials in URLs in test output', async () => {
    const flow = await create();
    const res = await api.request(`/api/flows/${flow.id}/processors/tag/test`, {
      method: 'POST',
      json: { content: 'x', attributes: { 'token.omnitron': 'tok-abcdef-123456', 'erp.url': 'https://user:pw-secret-9@erp.example.com/api?api_key=k-0987654321&sku=1' } },
      token: viewer,
    });
    expect(res.status).toBe(200);
    const body = await json<{ outputs: { attributes: Record<string, string> }[] }>(res);
    expect(body.outputs[0]!.attributes['token.omnitron']).toBe(MASK);
    expect(body.outputs[0]!.attributes['checked']).toBe('yes');
    const script = await api.request('/api/test/script', {
      method: 'POST',
      token: viewer,
      json: { language: 'javascript', script: "function transform(i, a) { console.log('calling ' + a['erp.url']); return i; }", input: '{}', attributes: { 'token.erp': 'erp-token-555555', 'erp.url': 'https://user:pw-secret-9@erp.example.com/api?api_key=k-0987654321&sku=1' } },
    });
    const text = JSON.stringify(await json(script));
    expect(text).not.toContain('pw-secret-9');
    expect(text).not.toContain('k-0987654321');
    expect(text).not.toContain('erp-token-555555');
    expect(text).toContain('sku=1');
  });
});

describe('per-flow API keys for outbound callers', () => {
  let api: StartedApi;
  let flowId: string;
  let otherFlowId: string;
  beforeAll(async () => {
    api = await startApi({ web: false });
    const make = async (name: string) => {
      const res = await api.request('/api/flows/from-template', { method: 'POST', json: { templateId: 'stock-outbound', name, parameters: { 'omnitron.url': 'http://127.0.0.1:9', 'omnitron.password': 'omni-pass-1234' } } });
      expect(res.status).toBe(201);
      const id = (await json<{ id: string }>(res)).id;
      expect((await api.request(`/api/flows/${id}/start`, { method: 'POST' })).status).toBe(200);
      return id;
    };
    flowId = await make('outbound A');
    otherFlowId = await make('outbound B');
  });
  afterAll(async () => {
    await api?.close();
  });

  const rows = [{ product_sku: 'A1', stock: 3, stock_list: '1', unit_type: 'qty' }];
  const post = (id: string, headers: Record<string, string>) => fetch(`${api.url}/api/outbound/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(rows) });

  it('an editor creates a key, shown once; the outbound route takes it; revoking it ends it', async () => {
    const viewer = (await addUser(api, 'viv', 'viewer')).token;
    expect((await api.request(`/api/flows/${flowId}/api-keys`, { method: 'POST', json: { name: 'ERP' }, token: viewer })).status).toBe(403);
    const created = await api.request(`/api/flows/${flowId}/api-keys`, { method: 'POST', json: { name: 'ERP' } });
    expect(created.status).toBe(201);
    const key = await json<{ id: string; key: string; prefix: string }>(created);
    expect(key.key).toMatch(/^slk_/);
    const listed = await json<{ id: string; key?: string; prefix: string }[]>(await api.request(`/api/flows/${flowId}/api-keys`));
    expect(listed.map((k) => k.id)).toEqual([key.id]);
    expect(listed[0]!.key).toBeUndefined();
    expect(JSON.stringify(listed)).not.toContain(key.key);

    expect((await post(flowId, { 'x-api-key': key.key })).status).toBe(202);
    expect((await post(flowId, { authorization: `Bearer ${key.key}` })).status).toBe(202);
    const other = await post(otherFlowId, { 'x-api-key': key.key });
    expect(other.status).toBe(401);
    expect((await json<{ message: string }>(other)).message).toMatch(/another flow|invalid API key/);
    const elsewhere = await fetch(`${api.url}/api/flows`, { headers: { 'x-api-key': key.key } });
    expect(elsewhere.status).toBe(401);
    expect((await json<{ message: string }>(elsewhere)).message).toContain('API keys authenticate only');

    expect((await api.request(`/api/flows/${flowId}/api-keys/${key.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await post(flowId, { 'x-api-key': key.key })).status).toBe(401);
  });

  it('refuses the outbound route without a key or with a viewer session', async () => {
    expect((await post(flowId, {})).status).toBe(401);
    expect((await post(flowId, { 'x-api-key': 'slk_forged' })).status).toBe(401);
    const viewer = (await addUser(api, 'vin', 'viewer')).token;
    expect((await post(flowId, { authorization: `Bearer ${viewer}` })).status).toBe(403);
  });

  it('deleting the flow deletes its keys', async () => {
    const res = await api.request('/api/flows/from-template', { method: 'POST', json: { templateId: 'stock-outbound', name: 'doomed' } });
    const id = (await json<{ id: string }>(res)).id;
    const key = await json<{ key: string }>(await api.request(`/api/flows/${id}/api-keys`, { method: 'POST', json: { name: 'x' } }));
    expect((await api.request(`/api/flows/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await post(id, { 'x-api-key': key.key })).status).toBe(401);
  });
});

/** The flow row as the database holds it. */
async function readStoredDocument(api: StartedApi, flowId: string): Promise<string> {
  const rows = (await readRows(api, `SELECT "document" FROM "flow" WHERE "id" = ${process.env['SLUICE_TEST_DB'] === 'postgres' ? '$1' : '?'}`, [flowId])) as { document: string }[];
  return rows[0]!.document;
}

