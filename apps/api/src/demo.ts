import type { ExecutionDto } from '@sluice/contracts';
import { startErpSim } from '@sluice/erp-sim';
import { startOmnitronSim } from '@sluice/omnitron-sim';
import { createApp, listen } from './app.js';
import { ApiKeysService } from './auth/api-keys.service.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { EngineService } from './engine/engine.service.js';
import { ExecutionsService } from './executions/executions.service.js';
import { FlowsService } from './flows/flows.service.js';
import { IntegrationService } from './integration/integration.service.js';
import { findTemplate } from './templates/flow-templates.js';

/**
 * `npm run demo`: Sluice with an ERP and an Omnitron simulator on loopback, the four Integrator flows wired
 * to them and started, one run of each, then the server keeps running for the designer.
 */
const DEMO_PREFIX = 'Demo · ';
const OUTBOUND_ROWS = 5000;

const [erp, omnitron] = await Promise.all([startErpSim({ generatedRows: 2000 }), startOmnitronSim({ generatedProducts: 5000 })]);
let config;
try {
  config = loadConfig({ SLUICE_DATA_DIR: './data/demo', SLUICE_ADMIN_PASSWORD: 'sluice-demo', SLUICE_LOG_LEVEL: 'warn', ...process.env });
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
}
const app = await createApp(config);
const url = await listen(app, config);
const flows = app.get(FlowsService);
const engines = app.get(EngineService);
const integration = app.get(IntegrationService);
const executions = app.get(ExecutionsService);

// Each start recreates the demo flows, so they always point at this run's simulators.
for (const f of await flows.list()) if (f.name.startsWith(DEMO_PREFIX)) await flows.delete(f.id);

const parameters = {
  'omnitron.url': omnitron.url,
  'omnitron.username': 'integrator',
  'omnitron.password': 'integrator-pass',
  'erp.url': erp.url,
  'erp.username': erp.credentials.username,
  'erp.password': erp.credentials.password,
};
const created: Record<string, string> = {};
for (const id of ['stock-inbound', 'stock-outbound', 'image-inbound', 'image-outbound']) {
  const template = findTemplate(id)!;
  const doc = template.build();
  const own = Object.fromEntries(Object.entries(parameters).filter(([k]) => k in (doc.parameters ?? {})));
  const flow = await flows.create({ ...doc, name: `${DEMO_PREFIX}${template.name}`, parameters: { ...doc.parameters, ...own } }, 'demo');
  await flows.assertStartable(flow.id);
  await engines.start(flow.id);
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
const runs: { label: string; executionId: string }[] = [
  { label: 'stock inbound (all changes since the last run)', ...(await integration.trigger(created['stock-inbound']!, {}, 'demo')) },
  { label: 'stock inbound, one SKU (?sku=12345)', ...(await integration.trigger(created['stock-inbound']!, { sku: '12345' }, 'demo')) },
  { label: 'image inbound', ...(await integration.trigger(created['image-inbound']!, {}, 'demo')) },
  { label: `stock outbound (${OUTBOUND_ROWS} posted rows)`, ...(await integration.outbound(created['stock-outbound']!, outboundStock, 'demo')) },
  { label: 'image outbound', ...(await integration.outbound(created['image-outbound']!, outboundImages, 'demo')) },
];

console.log(`\nSluice demo: ${url}  (user ${config.adminUser}${process.env['SLUICE_ADMIN_PASSWORD'] ? '' : ', password sluice-demo'})`);
console.log(`ERP simulator ${erp.url}, Omnitron simulator ${omnitron.url}\n`);
const started = Date.now();
const pending = new Set(runs.map((r) => r.executionId));
while (pending.size > 0 && Date.now() - started < 180_000) {
  for (const r of runs) {
    if (!pending.has(r.executionId)) continue;
    const e: ExecutionDto = await executions.get(r.executionId);
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
const demoKey = await app.get(ApiKeysService).create(created['stock-outbound']!, 'demo ERP', 'demo');
console.log(
  `  curl -X POST ${url}/api/outbound/${created['stock-outbound']} -H 'x-api-key: ${demoKey.key}' -H 'content-type: application/json' ` +
    `-H 'Idempotency-Key: <a new value per batch>' -d '[{"product_sku":"1234","stock":5,"stock_list":"1","unit_type":"qty"}]'`,
);
console.log('Ctrl-C stops the demo.');

const shutdown = async () => {
  await app.close();
  await Promise.all([erp.close(), omnitron.close()]);
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
