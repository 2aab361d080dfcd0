import { startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IntegratorLogin } from '../integrator-login/integrator-login.processor.js';
import { ReadErpData } from '../read-erp-data/read-erp-data.processor.js';
import { WriteOmnitronStock } from '../write-omnitron-stock/write-omnitron-stock.processor.js';
import { TestRunner } from '@sluice/flow-testing';
import { FetchHttpClient, integratorServices } from './integrator-services.testing.js';

let erp: ErpSimHandle;
let omni: OmnitronSimHandle;
beforeAll(async () => {
  [erp, omni] = await Promise.all([startErpSim({ generatedRows: 5000 }), startOmnitronSim({ generatedProducts: 5000 })]);
});
afterAll(async () => {
  await Promise.all([erp.close(), omni.close()]);
});

it('Login → Read Data From ERP → Write Stock to Omnitron moves a 5000-row batch', async () => {
  const services = integratorServices(new FetchHttpClient());
  const login = new TestRunner(IntegratorLogin, { services, hasIncomingConnection: false }).setProperties({
      'Omnitron Domain URL': omni.url, 'Omnitron Username': 'integrator', 'Omnitron Password': 'integrator-pass',
      'ERP Auth Type': 'jwt', 'ERP Login URL': `${erp.url}/auth/token`, 'ERP Username': 'erp-user', 'ERP Password': 'erp-pass',
    });
  await login.run();
  const read = new TestRunner(ReadErpData, { services }).setProperties({ 'Endpoint URL': `${erp.url}/api/stock`, Pagination: 'offset', 'Page Size': '1000' });
  const loggedIn = login.flowFilesFor('success')[0]!;
  read.enqueue('', loggedIn.attributes as Record<string, string>);
  await read.run();
  const rows = read.flowFilesFor('success')[0]!;
  expect(rows.attributes['erp.rows.read']).toBe('5005');

  const write = new TestRunner(WriteOmnitronStock, { services }).setProperties({});
  write.enqueue(rows.contentText(), { ...(rows.attributes as Record<string, string>), 'execution.id': 'exec-1' });
  await write.run();
  const done = write.flowFilesFor('success')[0]!.attributes;
  // The five documentation SKUs exist in Omnitron too, so every row lands.
  expect([done['rows.written'], done['rows.failed']]).toEqual(['5005', '0']);
  expect(omni.state.stock.get('1')!.get('SKU-005000')).toEqual({ stock: (5000 * 7) % 100, unit_type: 'qty', batch_id: 'exec-1' });
  expect(services.recorded.lines.filter((r) => r.status === 'success')).toHaveLength(5005);
  expect(omni.state.requests.filter((r) => r.path === '/api/i1/product_stock/bulk_upsert/').map((r) => r.rows)).toEqual([1000, 1000, 1000, 1000, 1000, 5]);
});
