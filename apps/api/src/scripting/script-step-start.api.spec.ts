import type { FlowDocument, FlowDto } from '@sluice/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';

/** The engine finds script steps by their descriptor's `script` role, and checks their scripts before they start. */
describe('a script step whose script does not compile', () => {
  let api: StartedApi;
  beforeAll(async () => {
    api = await startApi({ web: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is kept waiting when a running flow is saved with it, and starts once it compiles again', async () => {
    const parameters = { 'omnitron.url': 'http://127.0.0.1:9', 'omnitron.username': 'u', 'omnitron.password': 'p', 'erp.url': 'http://127.0.0.1:9', 'erp.username': 'u', 'erp.password': 'p' };
    let flow = (await (await api.request('/api/flows/from-template', { method: 'POST', json: { templateId: 'stock-inbound', name: 'Script check', parameters } })).json()) as FlowDto;
    expect(flow.document.processors.find((p) => p.id === 'script')?.type).toBe('ExecuteScript');
    expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
    const save = async (body: string) => {
      const document: FlowDocument = structuredClone(flow.document);
      document.processors.find((p) => p.id === 'script')!.properties['Script Body'] = body;
      const res = await api.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: flow.version, document } });
      expect(res.status).toBe(200);
      const saved = (await res.json()) as FlowDto & { applied: { restarted: string[]; waiting: string[] } };
      flow = saved;
      return saved.applied;
    };
    expect((await save('def broken(:\n  pass\n')).waiting).toEqual(['script']);
    expect((await save('flowFile = session.get()\nif flowFile is not None:\n    session.transfer(flowFile, REL_SUCCESS)\n')).waiting).toEqual([]);
  });
});
