import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';

describe('POST /api/flows/:id/trigger query', () => {
  let api: StartedApi;
  let flowId: string;
  beforeAll(async () => {
    api = await startApi({ web: false });
    const res = await api.request('/api/flows', { method: 'POST', json: { name: 'Trigger query', integration: { direction: 'inbound' } } });
    expect(res.status).toBe(201);
    flowId = ((await res.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await api?.close();
  });

  const trigger = (query: string) => api.request(`/api/flows/${flowId}/trigger${query}`, { method: 'POST' });

  it.each([
    ['a repeated key', '?sku=1&sku=2'],
    ['an empty value', '?sku=%20'],
  ])('refuses %s with a 400 naming the field, whatever state the flow is in', async (_what, query) => {
    const res = await trigger(query);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string; errors: { field: string; message: string }[] };
    expect(body.errors).toEqual([{ field: 'sku', message: 'a single non-empty value is required' }]);
    expect(body.message).toContain('sku');
  });

  it('lets a well-formed query through to the flow checks (a stopped flow is a 409)', async () => {
    expect((await trigger('?sku=12345')).status).toBe(409);
    expect((await trigger('')).status).toBe(409);
  });
});
