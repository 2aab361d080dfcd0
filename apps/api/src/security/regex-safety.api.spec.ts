import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';
import { connectSocket, connected, healthLatency, join, json, readRows, waitFor } from './security-support.testing.js';

/** 5000 a's and a '!': a backtracking engine needs about 2^5000 steps to give `(a|a)+$` up on it. */
const ALMOST = `${'a'.repeat(5000)}!`;
const SCHEDULE = { strategy: 'timer', period: '100 ms', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };

const routeFlow = (condition: string, name = 'route skus') => ({
  name,
  processors: [{ id: 'route', type: 'RouteOnAttribute', name: 'Route', properties: { slow: condition }, autoTerminated: ['unmatched', 'slow'] }],
});

interface BadInput {
  message: string;
  errors: { field: string; message: string; processorId?: string }[];
}

/** A save keeps an invalid flow as a draft and lists its problems; Start refuses it. */
interface Drafted {
  id: string;
  validation: { processorId: string | null; property: string | null; message: string }[];
}

describe('regular expressions that could backtrack exponentially: on the linear-time engine, or refused when they need what it lacks', () => {
  let api: StartedApi;
  beforeAll(async () => {
    api = await startApi({ web: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('keeps a literal pattern the linear engine cannot run as a draft whose problem names the property, the pattern and the construct; it does not start', async () => {
    const linear = await json<Drafted>(await api.request('/api/flows', { method: 'POST', json: routeFlow("${sku:matches('(a|a)+$')}", 'linear route') }));
    expect(linear.validation).toEqual([]);
    const created = await api.request('/api/flows', { method: 'POST', json: routeFlow("${sku:matches('(a|a)+\\1$')}") });
    expect(created.status).toBe(201);
    const draft = await json<Drafted>(created);
    expect(draft.validation).toEqual([
      expect.objectContaining({ processorId: 'route', property: 'slow', message: expect.stringContaining("regular expression '(a|a)+\\1$' is refused") }),
    ]);
    expect(draft.validation[0]!.message).toContain('exponential time, and it uses a back reference (\\1)');
    const start = await api.request(`/api/flows/${draft.id}/start`, { method: 'POST' });
    expect(start.status).toBe(400);
    expect((await json<BadInput>(start)).message).toContain("regular expression '(a|a)+\\1$' is refused");

    // An edit that brings the pattern in makes the stored flow a draft that names the new pattern; nothing runs it.
    const flow = await json<{ id: string; version: number; document: { processors: { properties: Record<string, string> }[] } }>(
      await api.request('/api/flows', { method: 'POST', json: routeFlow("${sku:matches('SKU-\\d+')}", 'safe route') }),
    );
    const document = structuredClone(flow.document);
    document.processors[0]!.properties['slow'] = "${sku:replaceAll('(\\w+\\s?)*(?=x)', '')}";
    const edit = await api.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: flow.version, document } });
    expect(edit.status).toBe(200);
    expect((await json<Drafted>(edit)).validation[0]!.message).toContain("is refused: '(\\w+\\s?)*' repeats a part");
    expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(400);
  });

  it('refuses to start a flow stored with such a pattern (saved before the rule, or edited in the database)', async () => {
    const flow = await json<{ id: string }>(await api.request('/api/flows', { method: 'POST', json: routeFlow("${sku:matches('SKU-\\d+')}", 'old route') }));
    const postgres = process.env['SLUICE_TEST_DB'] === 'postgres';
    const [row] = (await readRows(api, `SELECT "document" FROM "flow" WHERE "id" = ${postgres ? '$1' : '?'}`, [flow.id])) as { document: string }[];
    const old = row!.document.replace("SKU-\\\\d+", '(a|ab)*\\\\1$');
    expect(old).toContain('(a|ab)*\\\\1$');
    await readRows(api, `UPDATE "flow" SET "document" = ${postgres ? '$1' : '?'} WHERE "id" = ${postgres ? '$2' : '?'}`, [old, flow.id]);
    const start = await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' });
    expect(start.status).toBe(400);
    const body = await json<BadInput>(start);
    expect(body.message).toContain('the flow cannot start');
    expect(body.message).toContain("regular expression '(a|ab)*\\1$' is refused");
  });

  it('runs a pattern built from attributes on the linear engine and fails the FlowFile whose pattern it cannot run, while /api/health stays responsive', async () => {
    const flow = await json<{ id: string }>(
      await api.request('/api/flows', {
        method: 'POST',
        json: {
          name: 'patterns from attributes',
          processors: [
            { id: 'gen', type: 'GenerateFlowFile', name: 'Generate', properties: { 'Custom Text': 'x', 'Batch Size': '1', sku: ALMOST, pattern: '(a|a)+$', bad: '(a|a)+\\1$' }, scheduling: SCHEDULE },
            { id: 'route', type: 'RouteOnAttribute', name: 'Route', properties: { slow: '${sku:matches(${pattern})}', tail: "${sku:replaceAll('(a|a)+!', 'b'):equals('b')}" } },
            { id: 'routed', type: 'LogAttribute', name: 'Routed', properties: {}, autoTerminated: ['success'] },
            {
              id: 'replace',
              type: 'ReplaceText',
              name: 'Replace',
              properties: { 'Replacement Strategy': 'Always Replace', 'Replacement Value': "${sku:replaceAll(${bad}, 'b')}" },
              autoTerminated: ['success'],
            },
            { id: 'hold', type: 'LogAttribute', name: 'Hold', properties: {}, autoTerminated: ['success'] },
          ],
          connections: [
            { id: 'to-route', sourceId: 'gen', relationships: ['success'], targetId: 'route' },
            { id: 'matched', sourceId: 'route', relationships: ['slow', 'tail'], targetId: 'routed' },
            { id: 'unmatched', sourceId: 'route', relationships: ['unmatched'], targetId: 'routed' },
            { id: 'to-replace', sourceId: 'gen', relationships: ['success'], targetId: 'replace' },
            { id: 'failed', sourceId: 'replace', relationships: ['failure'], targetId: 'hold' },
          ],
        },
      }),
    );
    const socket = connectSocket(api, api.token);
    const bulletins: { processorId: string | null; message: string }[] = [];
    socket.on('processor.bulletin', (b: { processorId: string | null; message: string }) => bulletins.push(b));
    try {
      await connected(socket);
      expect(await join(socket, flow.id)).toBe(true);
      for (const id of ['gen', 'route', 'replace']) expect((await api.request(`/api/flows/${flow.id}/processors/${id}/start`, { method: 'POST' })).status).toBe(200);
      // Ten FlowFiles' worth of each pattern, each of which would hold a backtracking engine for ever.
      let worst = 0;
      const count = async (queue: string) => (await json<{ count: number }>(await api.request(`/api/flows/${flow.id}/connections/${queue}/queue`))).count;
      await waitFor(async () => {
        worst = Math.max(worst, await healthLatency(api));
        return (await count('failed')) >= 10 && (await count('matched')) >= 10;
      }, 60_000);
      expect(worst).toBeLessThan(500);
      // (a|a)+$ does not match the '!', and (a|a)+! replaces the whole text: every FlowFile went to `tail`, none stayed unmatched.
      expect(await count('unmatched')).toBe(0);
      const routed = await json<{ flowFiles: { attributes: Record<string, string> }[] }>(await api.request(`/api/flows/${flow.id}/connections/matched/queue`));
      expect(routed.flowFiles[0]!.attributes['RouteOnAttribute.Route']).toBe('tail');
      const failed = await json<{ flowFiles: { attributes: Record<string, string> }[] }>(await api.request(`/api/flows/${flow.id}/connections/failed/queue`));
      expect(failed.flowFiles[0]!.attributes['sku']).toBe(ALMOST);
      expect(bulletins.find((b) => b.processorId === 'replace')?.message).toContain("regular expression '(a|a)+\\1$' is refused");
      expect(bulletins.some((b) => b.processorId === 'route')).toBe(false);
    } finally {
      socket.close();
      await api.request(`/api/flows/${flow.id}/stop`, { method: 'POST' });
    }
  });

  it('marks the ones the linear engine cannot run in UpdateAttribute, LogAttribute, ReplaceText and Jolt settings too, and keeps the others', async () => {
    const flow = (processor: Record<string, unknown>) => ({ name: 'settings', processors: [{ id: 'p', name: 'P', ...processor }] });
    const refused = [
      { type: 'UpdateAttribute', properties: { 'Delete Attributes Expression': '(temp\\w*)+\\1' }, autoTerminated: ['success'] },
      { type: 'LogAttribute', properties: { 'Attributes to Ignore Regular Expression': '(.|\\s)*(?=x)' }, autoTerminated: ['success'] },
      { type: 'ReplaceText', properties: { 'Replacement Strategy': 'Regex Replace', 'Search Value': '(\\d+)*\\1x', 'Replacement Value': 'y' }, autoTerminated: ['success', 'failure'] },
      {
        type: 'JoltTransformJSON',
        properties: { 'Jolt Transform': 'jolt-transform-modify-overwrite', 'Jolt Specification': '{"words":"=split(\'(\\\\w+\\\\s?)*\\\\1$\', @(1,text))"}' },
        autoTerminated: ['success', 'failure'],
      },
    ];
    for (const p of refused) {
      const res = await api.request('/api/flows', { method: 'POST', json: flow(p) });
      expect(res.status, p.type).toBe(201);
      const draft = await json<Drafted>(res);
      expect(draft.validation.map((v) => v.message).join('\n'), p.type).toMatch(/is refused: .*exponential time/);
      expect((await api.request(`/api/flows/${draft.id}/start`, { method: 'POST' })).status, p.type).toBe(400);
    }
    const everyday = [
      { type: 'UpdateAttribute', properties: { 'Delete Attributes Expression': '(temp\\w*)+' }, autoTerminated: ['success'] },
      { type: 'LogAttribute', properties: { 'Attributes to Ignore Regular Expression': '(.|\\s)*' }, autoTerminated: ['success'] },
      { type: 'ReplaceText', properties: { 'Replacement Strategy': 'Regex Replace', 'Search Value': '(\\d+)*x', 'Replacement Value': 'y' }, autoTerminated: ['success', 'failure'] },
      {
        type: 'JoltTransformJSON',
        properties: { 'Jolt Transform': 'jolt-transform-modify-overwrite', 'Jolt Specification': '{"words":"=split(\'(\\\\w+\\\\s?)*$\', @(1,text))"}' },
        autoTerminated: ['success', 'failure'],
      },
      { type: 'UpdateAttribute', properties: { 'Delete Attributes Expression': 'tmp\\..*|erp\\.(page|offset)' }, autoTerminated: ['success'] },
      { type: 'LogAttribute', properties: { 'Attributes to Log Regular Expression': '^[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+$' }, autoTerminated: ['success'] },
      { type: 'ReplaceText', properties: { 'Replacement Strategy': 'Regex Replace', 'Search Value': '(\\d{4})-(\\d{2})-(\\d{2})', 'Replacement Value': '$3.$2.$1' }, autoTerminated: ['success', 'failure'] },
      {
        type: 'JoltTransformJSON',
        properties: { 'Jolt Transform': 'jolt-transform-modify-overwrite', 'Jolt Specification': '{"words":"=split(\'[,;]\\\\s*\', @(1,text))"}' },
        autoTerminated: ['success', 'failure'],
      },
    ];
    for (const p of everyday) {
      const res = await api.request('/api/flows', { method: 'POST', json: flow(p) });
      expect(res.status, p.type).toBe(201);
      expect((await json<Drafted>(res)).validation, p.type).toEqual([]);
    }
  });
});
