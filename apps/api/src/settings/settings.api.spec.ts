import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyDto, ServerSettingsDto } from '@sluice/contracts';
import { type StartedApi, startApi } from '../testing/start-api.js';
import { addUser, json } from '../security/security-support.testing.js';

describe('administration routes: server settings and every flow\'s API keys', () => {
  let api: StartedApi;
  let editor: string;
  let viewer: string;
  beforeAll(async () => {
    api = await startApi({ web: false, env: { SLUICE_RETENTION: '12 hours', SLUICE_LOGIN_MAX_FAILURES: '7' } });
    editor = (await addUser(api, 'ed', 'editor')).token;
    viewer = (await addUser(api, 'vi', 'viewer')).token;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('shows admins the settings the server started with, and no secret', async () => {
    const res = await api.request('/api/settings');
    expect(res.status).toBe(200);
    const s = await json<ServerSettingsDto>(res);
    expect(s.retentionMs).toBe(12 * 3_600_000);
    expect(s.login.maxFailures).toBe(7);
    expect(s.cluster.enabled).toBe(false);
    expect(s.database).toMatch(/sqlite|postgres/);
    expect(JSON.stringify(s)).not.toMatch(/secret|password|jwt/i);
  });

  it('refuses the settings to editors and viewers', async () => {
    expect((await api.request('/api/settings', { token: editor })).status).toBe(403);
    expect((await api.request('/api/settings', { token: viewer })).status).toBe(403);
  });

  it("lists every flow's keys for editors, never the keys themselves; viewers are refused", async () => {
    const flowIds: string[] = [];
    for (const name of ['keys one', 'keys two']) {
      const f = await json<{ id: string }>(await api.request('/api/flows', { method: 'POST', json: { name } }));
      flowIds.push(f.id);
    }
    const made = await json<{ key: string }>(await api.request(`/api/flows/${flowIds[0]}/api-keys`, { method: 'POST', json: { name: 'ERP A' }, token: editor }));
    await api.request(`/api/flows/${flowIds[1]}/api-keys`, { method: 'POST', json: { name: 'ERP B' }, token: editor });
    const res = await api.request('/api/api-keys', { token: editor });
    expect(res.status).toBe(200);
    const keys = await json<ApiKeyDto[]>(res);
    expect(keys.filter((k) => flowIds.includes(k.flowId)).map((k) => [k.flowId, k.name])).toEqual([
      [flowIds[0], 'ERP A'],
      [flowIds[1], 'ERP B'],
    ].sort((a, b) => a[0]!.localeCompare(b[0]!)));
    expect(JSON.stringify(keys)).not.toContain(made.key);
    expect((await api.request('/api/api-keys', { token: viewer })).status).toBe(403);
  });
});
