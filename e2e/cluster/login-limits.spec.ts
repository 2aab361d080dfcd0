import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterDatabase, until, type Node } from './cluster-support.js';

const LOCKOUT = { SLUICE_LOGIN_MAX_FAILURES: '3', SLUICE_LOGIN_LOCKOUT: '3 sec', SLUICE_LOGIN_RATE: '1000' };

function login(node: Node, username: string, password: string): Promise<Response> {
  return fetch(`${node.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
}

async function addUser(node: Node, username: string): Promise<void> {
  const res = await node.request('/api/users', { method: 'POST', json: { username, password: `${username}-password`, role: 'viewer' } });
  expect(res.status).toBe(201);
}

describe('cluster mode: login limits hold across nodes', () => {
  let db: ClusterDatabase;
  let nodes: Node[];
  beforeAll(async () => {
    db = await ClusterDatabase.create();
    const a = await db.start('a', LOCKOUT);
    nodes = [a, ...(await Promise.all([db.start('b', LOCKOUT), db.start('c', LOCKOUT)]))];
  });
  afterAll(async () => {
    await db?.close();
  });

  it('counts a user\'s failed logins on every node together: the lock holds on all of them, then lifts', async () => {
    await addUser(nodes[0]!, 'spread');
    // One wrong password per node: three failures in a row, the configured maximum.
    for (const node of nodes) expect((await login(node, 'spread', 'wrong-password')).status).toBe(401);
    for (const node of nodes) {
      const locked = await login(node, 'Spread', 'spread-password');
      expect(locked.status, node.name).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await locked.json()) as { message: string }).message).toContain('too many failed logins');
    }
    await until('lock lifted', async () => (await login(nodes[1]!, 'spread', 'spread-password')).status === 200, 15_000);
  });

  it('concurrent failures on several nodes are all counted (one atomic count per failure)', async () => {
    await addUser(nodes[0]!, 'racer');
    const statuses = await Promise.all(nodes.map((n) => login(n, 'racer', 'wrong-password').then((r) => r.status)));
    expect(statuses).toEqual([401, 401, 401]);
    const rows = await db.query<{ locked_until: string }>(`SELECT "locked_until" FROM "login_attempt" WHERE "key" = 'u:racer'`);
    expect(Number(rows[0]!.locked_until)).toBeGreaterThan(Date.now());
    expect((await login(nodes[2]!, 'racer', 'racer-password')).status).toBe(429);
    await until('lock lifted', async () => (await login(nodes[0]!, 'racer', 'racer-password')).status === 200, 15_000);
  });

  it("locks an address whose failures over many users and nodes pass the address's threshold", async () => {
    // 3 failures per user lock that user; the address allows 4 × 3 before it is locked for every user.
    const names = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
    for (const [i, name] of names.entries()) {
      for (let k = 0; k < 2; k++) await login(nodes[(i + k) % nodes.length]!, name, 'wrong-password');
    }
    const locked = await login(nodes[0]!, 'admin', 'server-process-password');
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
    await until('address lock lifted', async () => (await login(nodes[2]!, 'spread', 'spread-password')).status === 200, 15_000);
  });

  it("shares the attempts-per-minute window of an address across nodes", async () => {
    for (const n of nodes) await n.stop();
    const rate = { ...LOCKOUT, SLUICE_LOGIN_RATE: '6' };
    nodes = [await db.start('d', rate), await db.start('e', rate)];
    await db.query(`DELETE FROM "login_attempt"`);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i++) {
      const res = await login(nodes[i % 2]!, 'spread', 'spread-password');
      statuses.push(res.status);
      if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
    }
    // Six in the minute, whichever node took them; the seventh and eighth are refused.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });
});
