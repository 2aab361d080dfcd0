import type { ExecutionDto, FlowDto } from '@sluice/contracts';
import type { ServerProcess } from '../testing/server-process.js';

/** One stock row as the ERP posts it to the outbound Stock flow. */
export function stockRow(i: number): { stock_list: string; unit_type: string; product_sku: string; stock: number } {
  return { stock_list: '1', unit_type: 'qty', product_sku: `SKU-${String((i % 999_999) + 1).padStart(6, '0')}`, stock: (i * 7) % 90 };
}

/**
 * A JSON array of stock rows of about `bytes` bytes, and how many rows it holds. `note` adds an ERP field of that
 * many characters the writer does not send on (fewer, larger rows: the same bytes to parse, fewer to write).
 */
export function stockBatch(bytes: number, offset = 0, note = 0): { body: string; rows: number } {
  const parts: string[] = [];
  let size = 2;
  const extra = note > 0 ? { note: 'n'.repeat(note) } : {};
  for (let i = 0; size < bytes; i++) {
    const row = JSON.stringify({ ...stockRow(offset + i), ...extra });
    parts.push(row);
    size += row.length + 1;
  }
  return { body: `[${parts.join(',')}]`, rows: parts.length };
}

/** Creates the outbound Stock flow from its template against the given Omnitron (at most `concurrent` executions at once) and starts it. */
export async function startStockOutbound(server: ServerProcess, omnitronUrl: string, name: string, concurrent = 5): Promise<FlowDto> {
  const created = await server.request('/api/flows/from-template', {
    method: 'POST',
    json: { templateId: 'stock-outbound', name, parameters: { 'omnitron.url': omnitronUrl, 'omnitron.username': 'integrator', 'omnitron.password': 'integrator-pass' } },
  });
  if (created.status !== 201) throw new Error(`creating the flow: ${created.status} ${await created.text()}`);
  let flow = (await created.json()) as FlowDto;
  const document = { ...flow.document, integration: { ...flow.document.integration!, maxConcurrentExecutions: concurrent } };
  const saved = await server.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: flow.version, document } });
  if (!saved.ok) throw new Error(`saving the flow: ${saved.status} ${await saved.text()}`);
  flow = (await saved.json()) as FlowDto;
  const started = await server.request(`/api/flows/${flow.id}/start`, { method: 'POST' });
  if (!started.ok) throw new Error(`starting the flow: ${started.status} ${await started.text()}`);
  return flow;
}

/** Posts a batch (raw JSON text) to the flow's outbound URL. */
export function postBatch(server: ServerProcess, flowId: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/api/outbound/${flowId}`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', ...headers }, body });
}

/** Polls the execution until it finished (or `timeoutMs` passed). */
export async function finishedExecution(server: ServerProcess, executionId: string, timeoutMs: number): Promise<ExecutionDto> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const e = (await (await server.request(`/api/executions/${executionId}`)).json()) as ExecutionDto;
    if (e.state === 'finished') return e;
    if (Date.now() > until) throw new Error(`execution ${executionId} did not finish in ${timeoutMs} ms: ${JSON.stringify(e)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
