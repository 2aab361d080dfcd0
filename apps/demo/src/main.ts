import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CreatedApiKeyDto, ExecutionDto, FlowDto, FlowSummaryDto } from '@sluice/contracts';
import { startErpSim } from '@sluice/erp-sim';
import { startOmnitronSim } from '@sluice/omnitron-sim';

/**
 * `npm run demo`: the built server (apps/api/dist/main.js, as `npm start` runs it) next to an ERP and an Omnitron
 * simulator on loopback. It is a client like any other: through the REST API it recreates the four Integrator
 * flows from their templates against the simulators, starts them, runs each once and prints the counts; then the
 * server keeps running for the designer until Ctrl-C.
 */
const DEMO_PREFIX = 'Demo · ';
const OUTBOUND_ROWS = 5000;
const TEMPLATES = ['stock-inbound', 'stock-outbound', 'image-inbound', 'image-outbound'];

const port = process.env['PORT'] ?? '3000';
const host = process.env['HOST'] ?? '127.0.0.1';
if (port === '0') {
  console.error('PORT=0 picks a port the demo cannot print; choose one, e.g. PORT=3100');
  process.exit(2);
}
const password = process.env['SLUICE_ADMIN_PASSWORD'] ?? 'sluice-demo';
const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

const [erp, omnitron] = await Promise.all([startErpSim({ generatedRows: 2000 }), startOmnitronSim({ generatedProducts: 5000 })]);
const server = spawn(process.execPath, ['--no-node-snapshot', fileURLToPath(new URL('../../api/dist/main.js', import.meta.url))], {
  stdio: 'inherit',
  env: { SLUICE_DATA_DIR: './data/demo', SLUICE_LOG_LEVEL: 'warn', ...process.env, SLUICE_ADMIN_PASSWORD: password, PORT: port, HOST: host },
});
let stopping = false;
const shutdown = async (code: number) => {
  stopping = true;
  server.kill('SIGTERM');
  await Promise.all([erp.close(), omnitron.close()]);
  process.exit(code);
};
server.once('exit', (code) => {
  if (stopping) return;
  console.error(`the server stopped (exit code ${code}); the demo stops too`);
  void shutdown(code === 0 ? 1 : (code ?? 1));
});
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

async function call<T>(path: string, init: { method?: string; json?: unknown; token?: string } = {}): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function serverUp(timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`the server did not answer on ${url} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

try {
  await serverUp(60_000);
  const { token } = await call<{ token: string }>('/api/auth/login', { method: 'POST', json: { username: 'admin', password } });
  const api = <T>(path: string, init: { method?: string; json?: unknown } = {}) => call<T>(path, { ...init, token });

  // Each start recreates the demo flows, so they always point at this run's simulators.
  for (const f of await api<FlowSummaryDto[]>('/api/flows')) {
    if (!f.name.startsWith(DEMO_PREFIX)) continue;
    if (f.state === 'running') await api(`/api/flows/${f.id}/stop`, { method: 'POST' });
    await api(`/api/flows/${f.id}`, { method: 'DELETE' });
  }
  const omnitronParameters = { 'omnitron.url': omnitron.url, 'omnitron.username': 'integrator', 'omnitron.password': 'integrator-pass' };
  const erpParameters = { 'erp.url': erp.url, 'erp.username': erp.credentials.username, 'erp.password': erp.credentials.password };
  const created: Record<string, string> = {};
  const templates = await api<{ id: string; name: string; parameters: Record<string, string> }[]>('/api/templates');
  for (const id of TEMPLATES) {
    const template = templates.find((t) => t.id === id);
    if (!template) throw new Error(`the server has no template '${id}'`);
    // Only the parameters the template has: the server refuses others.
    const parameters = Object.fromEntries(Object.entries({ ...omnitronParameters, ...erpParameters }).filter(([k]) => k in template.parameters));
    const flow = await api<FlowDto>('/api/flows/from-template', { method: 'POST', json: { templateId: id, name: `${DEMO_PREFIX}${template.name}`, parameters } });
    await api(`/api/flows/${flow.id}/start`, { method: 'POST' });
    created[id] = flow.id;
  }

  const outboundStock = Array.from({ length: OUTBOUND_ROWS }, (_, i) => ({
    stock_list: '1',
    unit_type: 'qty',
    product_sku: `SKU-${String(i + 1).padStart(6, '0')}`,
    stock: (i * 7) % 100,
  }));
  const outboundImages = [
    { product_sku: '1234', images: [{ url: 'https://cdn.example.test/1234-1.jpg', order: 1 }, { url: 'https://cdn.example.test/1234-2.jpg', order: 2 }] },
    { product_sku: '12345', images: [{ url: 'https://cdn.example.test/12345-1.jpg', order: 1 }] },
  ];
  type Run = { executionId: string };
  const runs: { label: string; executionId: string }[] = [
    { label: 'stock inbound (all changes since the last run)', ...(await api<Run>(`/api/flows/${created['stock-inbound']}/trigger`, { method: 'POST' })) },
    { label: 'stock inbound, one SKU (?sku=12345)', ...(await api<Run>(`/api/flows/${created['stock-inbound']}/trigger?sku=12345`, { method: 'POST' })) },
    { label: 'image inbound', ...(await api<Run>(`/api/flows/${created['image-inbound']}/trigger`, { method: 'POST' })) },
    { label: `stock outbound (${OUTBOUND_ROWS} posted rows)`, ...(await api<Run>(`/api/outbound/${created['stock-outbound']}`, { method: 'POST', json: outboundStock })) },
    { label: 'image outbound', ...(await api<Run>(`/api/outbound/${created['image-outbound']}`, { method: 'POST', json: outboundImages })) },
  ];

  console.log(`\nSluice demo: ${url}  (user admin${process.env['SLUICE_ADMIN_PASSWORD'] ? '' : ', password sluice-demo'})`);
  console.log(`ERP simulator ${erp.url}, Omnitron simulator ${omnitron.url}\n`);
  const started = Date.now();
  const pending = new Set(runs.map((r) => r.executionId));
  while (pending.size > 0 && Date.now() - started < 180_000) {
    for (const r of runs) {
      if (!pending.has(r.executionId)) continue;
      const e = await api<ExecutionDto>(`/api/executions/${r.executionId}`);
      if (e.state !== 'finished') continue;
      pending.delete(r.executionId);
      const seconds = (Date.parse(e.finishedAt ?? e.startedAt) - Date.parse(e.startedAt)) / 1000;
      console.log(`${e.status.padEnd(8)} ${r.label}: ${e.counts.read} read, ${e.counts.written} written, ${e.counts.failed} failed, ${seconds.toFixed(1)} s${e.error ? ` (${e.error})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (pending.size > 0) console.log(`${pending.size} execution(s) still running; follow them on the Executions page`);
  console.log(`\nOmnitron now holds ${omnitron.state.counters.stockRowsWritten} written stock rows.`);
  console.log(`Open ${url} to see the flows; post more outbound batches with:`);
  // Outbound callers authenticate with a key of their flow; the demo makes one (keys of earlier runs went with their flows).
  const demoKey = await api<CreatedApiKeyDto>(`/api/flows/${created['stock-outbound']}/api-keys`, { method: 'POST', json: { name: 'demo ERP' } });
  console.log(
    `  curl -X POST ${url}/api/outbound/${created['stock-outbound']} -H 'x-api-key: ${demoKey.key}' -H 'content-type: application/json' ` +
      `-H 'Idempotency-Key: <a new value per batch>' -d '[{"product_sku":"1234","stock":5,"stock_list":"1","unit_type":"qty"}]'`,
  );
  console.log('Ctrl-C stops the demo.');
} catch (e) {
  console.error(`demo: ${(e as Error).message}`);
  await shutdown(1);
}
