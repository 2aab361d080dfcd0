import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';
import { addUser, connected, connectSocket, disconnected, flowWithSecrets, join, json } from './security-support.testing.js';

describe('roles that hold', () => {
  let api: StartedApi;
  let flowId: string;
  beforeAll(async () => {
    api = await startApi({ web: false, env: { SLUICE_LOGIN_MAX_FAILURES: '3', SLUICE_LOGIN_LOCKOUT: '2 sec', SLUICE_LOGIN_RATE: '1000' } });
    flowId = (await json<{ id: string }>(await api.request('/api/flows', { method: 'POST', json: flowWithSecrets() }))).id;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('viewers test pure processors but not those that reach other systems (Login would log in and hand out tokens)', async () => {
    const viewer = (await addUser(api, 'val', 'viewer')).token;
    const login = await api.request(`/api/flows/${flowId}/processors/login/test`, { method: 'POST', json: {}, token: viewer });
    expect(login.status).toBe(403);
    expect((await json<{ message: string }>(login)).message).toContain("needs the 'editor' role");
    const pure = await api.request(`/api/flows/${flowId}/processors/tag/test`, { method: 'POST', json: { content: 'x' }, token: viewer });
    expect(pure.status).toBe(200);
    expect((await api.request(`/api/flows/${flowId}/processors/tag/run-once`, { method: 'POST', token: viewer })).status).toBe(403);
    const editor = (await addUser(api, 'ed', 'editor')).token;
    // An editor may: the Login step runs for real (and fails here: nothing listens on port 9), tokens stay masked.
    const asEditor = await api.request(`/api/flows/${flowId}/processors/login/test`, { method: 'POST', json: {}, token: editor });
    expect(asEditor.status).toBe(200);
  });

  it("viewers' processor tests run in the sandbox with the host's services (CompressContent's codec)", async () => {
    const viewer = (await addUser(api, 'zip', 'viewer')).token;
    const flow = await json<{ id: string }>(
      await api.request('/api/flows', {
        method: 'POST',
        json: { name: 'zip', processors: [{ id: 'z', type: 'CompressContent', name: 'Zip', properties: { Mode: 'compress', 'Compression Format': 'gzip' }, autoTerminated: ['success', 'failure'] }] },
      }),
    );
    const res = await api.request(`/api/flows/${flow.id}/processors/z/test`, { method: 'POST', json: { content: 'hello hello hello' }, token: viewer });
    expect(res.status).toBe(200);
    const out = (await json<{ outputs: { relationship: string }[]; error?: string }>(res));
    expect(out.error).toBeUndefined();
    expect(out.outputs[0]!.relationship).toBe('success');
  });

  it('a password change ends the user\'s tokens and closes their sockets', async () => {
    const u = await addUser(api, 'pat', 'editor');
    const socket = connectSocket(api, u.token);
    await connected(socket);
    expect(await join(socket, flowId)).toBe(true);
    const closed = disconnected(socket);
    const changed = await api.request(`/api/users/${u.id}`, { method: 'PATCH', json: { password: 'a-brand-new-pass' } });
    expect(changed.status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    const old = await api.request('/api/flows', { token: u.token });
    expect(old.status).toBe(401);
    expect((await json<{ message: string }>(old)).message).toContain('session has ended');
    expect((await api.request('/api/flows', { token: await api.login('pat', 'a-brand-new-pass') })).status).toBe(200);
  });

  it('a role change ends the tokens; deletion closes the sockets and refuses the token', async () => {
    const u = await addUser(api, 'rob', 'editor');
    await api.request(`/api/users/${u.id}`, { method: 'PATCH', json: { role: 'viewer' } });
    expect((await api.request('/api/flows', { token: u.token })).status).toBe(401);
    const fresh = await api.login('rob', u.password);
    const socket = connectSocket(api, fresh);
    await connected(socket);
    const closed = disconnected(socket);
    expect((await api.request(`/api/users/${u.id}`, { method: 'DELETE' })).status).toBe(204);
    await closed;
    expect((await api.request('/api/flows', { token: fresh })).status).toBe(401);
    const again = connectSocket(api, fresh);
    await expect(connected(again)).rejects.toThrow(/no longer exists/);
    again.close();
  });

  it('logout ends every token of the user', async () => {
    const u = await addUser(api, 'lou', 'viewer');
    const second = await api.login('lou', u.password);
    expect((await api.request('/api/auth/logout', { method: 'POST', token: u.token })).status).toBe(204);
    expect((await api.request('/api/auth/me', { token: second })).status).toBe(401);
  });

  it('the last admin can be neither demoted nor deleted', async () => {
    const me = await json<{ id: string }>(await api.request('/api/auth/me'));
    const demote = await api.request(`/api/users/${me.id}`, { method: 'PATCH', json: { role: 'editor' } });
    expect(demote.status).toBe(409);
    expect((await json<{ message: string }>(demote)).message).toContain('last admin');
    const other = await addUser(api, 'ada', 'admin');
    const del = await api.request(`/api/users/${me.id}`, { method: 'DELETE', token: other.token });
    expect(del.status).toBe(204);
    // ada is the last admin now
    const self = await api.request(`/api/users/${other.id}`, { method: 'PATCH', json: { role: 'viewer' }, token: other.token });
    expect(self.status).toBe(409);
    const users = await json<{ role: string }[]>(await api.request('/api/users', { token: other.token }));
    expect(users.filter((u) => u.role === 'admin')).toHaveLength(1);
  });

  it('validates usernames: no blanks, no control or invisible characters, unique ignoring case', async () => {
    const admin = await api.login('ada', 'admin-password-1');
    const make = (username: string) => api.request('/api/users', { method: 'POST', json: { username, password: 'long-enough-1', role: 'viewer' }, token: admin });
    for (const bad of ['', '   ', 'evil\u0000name', 'tab\tname', 'zero\u200bwidth', 'bidi\u202eevil', 'x'.repeat(101)]) {
      const res = await make(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect((await json<{ errors: { field: string }[] }>(res)).errors[0]!.field).toBe('username');
    }
    expect((await make('Carol')).status).toBe(201);
    const dup = await make('cAROL');
    expect(dup.status).toBe(409);
    expect((await make('  Dave  ')).status).toBe(201);
    expect((await api.login('dave', 'long-enough-1')).length).toBeGreaterThan(10);
  });

  it('locks a user out after repeated failures (429, Retry-After), even with the right password, then lets them in', async () => {
    await addUser(api, 'lock', 'viewer', 'right-password-1', await api.login('ada', 'admin-password-1'));
    const attempt = (password: string) => fetch(`${api.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'lock', password }) });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong-password')).status).toBe(401);
    const locked = await attempt('right-password-1');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await json<{ message: string }>(locked)).message).toMatch(/too many failed logins/);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await attempt('right-password-1')).status).toBe(200);
  });
});

describe('login rate per address', () => {
  it('answers 429 with Retry-After past the configured attempts per minute', async () => {
    const api = await startApi({ web: false, env: { SLUICE_LOGIN_RATE: '4' } });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${api.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `nobody${i}`, password: 'x' }) });
        statuses.push(res.status);
        if (res.status === 429) {
          retryAfter = res.headers.get('retry-after');
          expect((await json<{ message: string }>(res)).message).toContain('too many login attempts from this address');
        }
      }
      // startApi's own admin login counted as the first attempt.
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    } finally {
      await api.close();
    }
  });
});
