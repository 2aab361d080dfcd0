import { SignJWT, UnsecuredJWT } from 'jose';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';
import { ABUSE_CASES, type AbuseCase, type TokenKind } from './abuse-cases.testing.js';
import { addUser, flowWithSecrets, healthLatency, json } from './security-support.testing.js';

interface Fixture {
  tokens: Record<TokenKind, string | null>;
  ids: Record<string, string>;
}

describe('bad-input and abuse corpus', () => {
  let api: StartedApi;
  let fx: Fixture;

  beforeAll(async () => {
    api = await startApi({ web: false, env: { SLUICE_LOGIN_RATE: '10000' } });
    const viewer = await addUser(api, 'corpus-viewer', 'viewer');
    const editor = await addUser(api, 'corpus-editor', 'editor');
    const gone = await addUser(api, 'corpus-gone', 'editor');
    expect((await api.request(`/api/users/${gone.id}`, { method: 'DELETE' })).status).toBe(204);
    const moved = await addUser(api, 'corpus-moved', 'editor');
    await api.request(`/api/users/${moved.id}`, { method: 'PATCH', json: { password: 'another-password-2' } });
    const flow = await json<{ id: string }>(await api.request('/api/flows', { method: 'POST', json: flowWithSecrets('corpus') }));
    const outbound = await json<{ id: string }>(
      await api.request('/api/flows/from-template', { method: 'POST', json: { templateId: 'stock-outbound', name: 'corpus outbound', parameters: { 'omnitron.url': 'http://127.0.0.1:9', 'omnitron.password': 'corpus-pass-1' } } }),
    );
    const key = await json<{ id: string; key: string }>(await api.request(`/api/flows/${outbound.id}/api-keys`, { method: 'POST', json: { name: 'corpus' } }));
    const secret = new TextEncoder().encode(readFileSync(join(api.dataDir, 'token-secret'), 'utf8').trim());
    const me = await json<{ id: string }>(await api.request('/api/auth/me'));
    const claims = { role: 'admin', username: 'admin', tv: 0 };
    fx = {
      ids: { flow: flow.id, outbound: outbound.id, viewerId: viewer.id, keyId: key.id, adminId: me.id },
      tokens: {
        admin: api.token,
        editor: editor.token,
        viewer: viewer.token,
        none: null,
        garbage: 'not-a-token',
        forged: await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(me.id).setExpirationTime('1h').sign(new TextEncoder().encode('a-different-secret-of-at-least-32-chars')),
        expired: await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(me.id).setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime(Math.floor(Date.now() / 1000) - 3600).sign(secret),
        algNone: new UnsecuredJWT(claims).setSubject(me.id).setExpirationTime('1h').encode(),
        deletedUser: gone.token,
        oldVersion: moved.token,
        apiKey: key.key,
        basic: 'basic',
      },
    };
  });
  afterAll(async () => {
    await api?.close();
  });

  /** Everything a refused request could have half-written. */
  const snapshot = async () => {
    const flows = await json<{ id: string; version: number; name: string; state: string }[]>(await api.request('/api/flows'));
    const users = await json<{ id: string; role: string; username: string }[]>(await api.request('/api/users'));
    const keys = await json<unknown[]>(await api.request(`/api/flows/${fx.ids.outbound}/api-keys`));
    return JSON.stringify({ flows: flows.map((f) => [f.id, f.version, f.name, f.state]), users: users.map((u) => [u.id, u.role, u.username]), keys: keys.length });
  };

  const fill = (path: string) => path.replace(/\{(\w+)\}/g, (_, k: string) => fx.ids[k] ?? `{${k}}`);

  const send = async (c: AbuseCase): Promise<{ status: number; body: unknown }> => {
    const token = fx.tokens[c.as];
    const headers: Record<string, string> = { ...(c.headers ?? {}) };
    if (c.as === 'apiKey') headers['x-api-key'] = token!;
    else if (c.as === 'basic') headers['authorization'] = 'Basic YWRtaW46eA==';
    else if (token) headers['authorization'] = `Bearer ${token}`;
    if (c.announce !== undefined) return { status: await partialUpload(`${api.url}${fill(c.path)}`, c.method, c.announce, headers), body: null };
    if (c.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${api.url}${fill(c.path)}`, { method: c.method, headers, body: c.json !== undefined ? JSON.stringify(c.json) : c.body });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: the assertion below reports it
    }
    return { status: res.status, body };
  };

  it(`has at least 150 cases over every route (${ABUSE_CASES.length})`, () => {
    expect(ABUSE_CASES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(ABUSE_CASES.map((c) => c.name)).size).toBe(ABUSE_CASES.length);
  });

  for (const c of ABUSE_CASES) {
    it(`${c.status} ${c.name}`, async () => {
      const before = await snapshot();
      const { status, body } = await send(c);
      expect(status, JSON.stringify(body)?.slice(0, 400)).toBe(c.status);
      if (c.announce === undefined && status >= 400) {
        // A clear message: the status repeated, a message naming the problem, no stack trace.
        const b = body as { statusCode?: number; message?: unknown };
        expect(b.statusCode).toBe(status);
        expect(typeof b.message).toBe('string');
        expect((b.message as string).length).toBeGreaterThan(5);
        expect(JSON.stringify(body)).not.toMatch(/\s+at \S+ \(|node_modules/);
        if (c.message) expect(b.message).toMatch(c.message);
      }
      if (c.result) expect(body).toMatchObject(c.result);
      expect(await snapshot()).toBe(before);
      expect(await healthLatency(api)).toBeLessThan(1000);
    });
  }
});

function partialUpload(url: string, method: string, length: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer before the body was complete')), 5000);
    const req = httpRequest(url, { method, headers: { 'content-type': 'application/json', 'content-length': String(length), ...headers } }, (res) => {
      clearTimeout(timer);
      resolve(res.statusCode ?? 0);
      res.resume();
      req.destroy();
    });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(Math.min(length, 64 * 1024), 0x20));
  });
}
