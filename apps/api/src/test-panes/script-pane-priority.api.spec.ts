import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';
import { PANE_NICENESS } from './pane-sandbox.js';

/** Each thread of this process (the server runs in it): CPU ticks spent so far and nice value, from /proc. */
function threads(): Map<number, { ticks: number; nice: number }> {
  const out = new Map<number, { ticks: number; nice: number }>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // After "(comm)": state is field 3 of stat(5), utime 14, stime 15, nice 19.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), { ticks: Number(f[11]) + Number(f[12]), nice: Number(f[16]) });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

const BUSY = "function transform(input) { const until = Date.now() + 2500; let n = 0; while (Date.now() < until) n++; return 'busy'; }";

/**
 * A viewer's CPU-heavy JavaScript in the script test pane runs at a lower OS priority than the server and the flows'
 * scripts (Linux: the nice value of the thread that runs its isolate), so it takes the CPU they leave.
 */
describe.runIf(process.platform === 'linux')('the script test pane runs JavaScript at a lower priority', () => {
  let api: StartedApi;
  beforeAll(async () => {
    api = await startApi({ web: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('spends a busy script on a niced thread, and a flow script step finishes while it runs', { timeout: 60_000 }, async () => {
    const flow = (await (
      await api.request('/api/flows', {
        method: 'POST',
        json: {
          name: 'script step',
          processors: [
            { id: 's', type: 'ExecuteScript', name: 'Step', properties: { 'Script Engine': 'javascript', 'Script Body': "function transform(input) { return 'done'; }" }, autoTerminated: ['success', 'failure'] },
          ],
        },
      })
    ).json()) as { id: string };
    const step = async () => {
      const res = await api.request(`/api/flows/${flow.id}/processors/s/test`, { method: 'POST', json: { mode: 'live', content: 'x', attributes: {} } });
      expect(res.status).toBe(200);
      return (await res.json()) as { outputs: { relationship: string; content: string }[] };
    };
    // Warm both pools: a first run starts their isolates.
    await step();
    const warm = await api.request('/api/test/script', { method: 'POST', json: { language: 'javascript', script: 'function transform(i) { return i; }', input: 'x' } });
    expect(warm.status).toBe(200);

    const start = threads();
    let paneDone = false;
    const pane = api.request('/api/test/script', { method: 'POST', json: { language: 'javascript', script: BUSY, input: 'x' } }).then((r) => {
      paneDone = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 1200));
    // The flow's step runs while the pane's script still holds its thread.
    const stepsDuringPane: string[] = [];
    for (let i = 0; i < 3; i++) stepsDuringPane.push((await step()).outputs[0]!.content);
    const stepsFinishedFirst = !paneDone;
    const middle = threads();
    const res = await pane;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { relationship: string }).relationship).toBe('success');

    // The thread that spent the pane's CPU: the one that gained the most ticks, and over half of the interval.
    const gained = [...middle].map(([tid, t]) => ({ tid, nice: t.nice, ticks: t.ticks - (start.get(tid)?.ticks ?? 0) })).sort((a, b) => b.ticks - a.ticks);
    expect(gained[0]!.ticks).toBeGreaterThan(50);
    // The server's own thread keeps the priority it was started with; the pane's runs PANE_NICENESS below it.
    const serverNice = middle.get(process.pid)!.nice;
    expect(serverNice).toBe(getPriority());
    expect(gained[0]!.nice).toBe(Math.min(19, serverNice + PANE_NICENESS));
    expect(stepsDuringPane).toEqual(['done', 'done', 'done']);
    expect(stepsFinishedFirst).toBe(true);
  });
});
