import type { ServerProcess } from '../testing/server-process.js';

/** The requests a viewer or a stranger can send to hold the server's event loop, each as a function that sends it. */
export type Abuse = () => Promise<Response>;

const SLOW_TEXT = 'a'.repeat(300);
const SLOW_PATTERN = 'a*a*a*a*a*a*b';
/** For the patterns that backtrack exponentially, which run on the linear-time engine. */
const ALMOST = `${'a'.repeat(20_000)}!`;

/** Creates a viewer and a flow to test against, and returns the abusive requests (a few of each kind). */
export async function abusiveRequests(server: ServerProcess): Promise<Abuse[]> {
  const created = await server.request('/api/users', { method: 'POST', json: { username: 'loop-viewer', password: 'loop-viewer-pass', role: 'viewer' } });
  if (created.status !== 201) throw new Error(`creating the viewer: ${created.status}`);
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'loop-viewer', password: 'loop-viewer-pass' }) });
  const { token } = (await login.json()) as { token: string };
  const flow = (await (
    await server.request('/api/flows', {
      method: 'POST',
      json: { name: 'loop abuse', processors: [{ id: 'r', type: 'RouteOnAttribute', name: 'Route', properties: { slow: `\${sku:matches('${SLOW_PATTERN}')}` }, autoTerminated: ['unmatched', 'slow'] }] },
    })
  ).json()) as { id: string };
  const post = (path: string, json: unknown, as: string | null = token): Abuse => () =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${as}` } : {}) }, body: JSON.stringify(json) });
  // Just under the test panes' 2 MB body limit, and a body over it.
  const large = 'x'.repeat(1_900_000);
  const rows = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ sku: `SKU-${i}`, qty: i % 7, price: i * 1.5 })));
  return [
    post('/api/test/expression', { expression: `\${literal('${SLOW_TEXT}'):matches('${SLOW_PATTERN}')}` }),
    post('/api/test/expression', { expression: `\${literal('${ALMOST}'):matches('(a|a)+$')}` }),
    post('/api/test/expression', { expression: `\${literal('${ALMOST}'):replaceAll('(\\\\w+\\\\s?)+$', 'x')}` }),
    post('/api/test/mapping', { spec: [{ operation: 'modify-overwrite-beta', spec: { x: "=split('(a|a)+$', @(1,x))" } }], input: JSON.stringify({ x: ALMOST }) }),
    post('/api/test/expression', { expression: '${a:equals('.repeat(5_000) + "'x'" + ')}'.repeat(5_000) }),
    post('/api/test/expression', { expression: "${literal('a'):repeat(40000000)}" }),
    post('/api/test/expression', { expression: "${literal('aaaaaaaaaa'):repeat(100000):repeat(100)}" }),
    post('/api/test/mapping', { spec: [{ operation: 'modify-overwrite-beta', spec: { x: `=split('${SLOW_PATTERN}', @(1,x))` } }], input: JSON.stringify({ x: SLOW_TEXT }) }),
    post('/api/test/mapping', { spec: [{ operation: 'shift', spec: { '*': { sku: '[&1].id', qty: '[&1].stock' } } }], input: rows }),
    post(`/api/flows/${flow.id}/processors/r/test`, { content: '', attributes: { sku: SLOW_TEXT } }),
    post(`/api/flows/${flow.id}/processors/r/test`, { content: large, attributes: { sku: 'x' } }),
    post('/api/test/script', { language: 'javascript', script: 'while (true) {}', timeoutMs: 1500 }),
    post('/api/test/script', { language: 'javascript', script: 'function transform(i) { return i; }', input: JSON.stringify({ a: large }) }),
    post('/api/test/script', { language: 'javascript', script: "let s = 'a'; while (true) s += s;", timeoutMs: 3000 }),
    post('/api/test/script', { language: 'python', script: 'while True: pass', timeoutMs: 1500 }),
    post('/api/test/script', { language: 'python', script: "import os\nos.system('id')" }),
    post('/api/test/mapping', { spec: JSON.parse('['.repeat(200) + ']'.repeat(200)) as unknown, input: '[]' }),
    post('/api/test/expression', { expression: 'x'.repeat(1_000_000) }),
    post('/api/auth/login', { username: 'loop-viewer', password: 'wrong-password' }, null),
    post('/api/auth/login', { username: 'nobody', password: 'x'.repeat(1000) }, null),
    post('/api/flows', { name: 'x'.repeat(100), processors: 'not an array' }, null),
  ];
}

/** Sends the requests `concurrency` at a time and resolves with their statuses, in order. */
export async function settle(_server: ServerProcess, requests: readonly Abuse[], concurrency = 4): Promise<number[]> {
  const statuses: number[] = new Array(requests.length);
  let next = 0;
  const lane = async () => {
    while (next < requests.length) {
      const i = next++;
      const res = await requests[i]!();
      await res.arrayBuffer();
      statuses[i] = res.status;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return statuses;
}
