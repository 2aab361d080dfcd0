import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jythonHarness, type JythonCase, type JythonOutcome } from './jython.testing.js';

/**
 * Jython ExecuteScript scripts written the way NiFi users write and share them (tabs, Python 2 statements,
 * Java classes, callbacks as classes and functions), pasted unchanged into the Script Body and run through the
 * ExecuteScript processor on the Pyodide pool flows use.
 */
const script = (name: string) => readFileSync(new URL(`./fixtures/community/${name}.py`, import.meta.url), 'utf8');

interface Community extends JythonCase {
  readonly name: string;
  readonly check: (o: JythonOutcome) => void | Promise<void>;
}

const rows = [
  { sku: 'A-1', stock: '12.0', name: 'Kalem' },
  { sku: 'B-2', stock: '0', name: 'Şemsiye' },
  { sku: '', stock: '5' },
];

const CASES: Community[] = [
  {
    name: 'content_to_attribute',
    inputs: [{ content: '  hello from the ERP \n' }],
    check: (o) => o.success[0]!.assertAttributeEquals('content.text', 'hello from the ERP'),
  },
  {
    name: 'json_transform_streamcallback',
    inputs: [{ content: { value: 7, name: 'Çağrı' } }],
    check: (o) => expect(o.success[0]!.contentJson()).toEqual({ value: 49, name: 'Çağrı', message: 'Hello Çağrı' }),
  },
  {
    name: 'split_json_array',
    inputs: [{ content: [{ sku: 'A' }, { sku: 'B' }, { sku: 'C' }], attributes: { batch: '7' } }],
    check: (o) => {
      expect(o.success.map((f) => [f.getAttribute('sku'), f.getAttribute('fragment.index'), f.getAttribute('fragment.count'), f.getAttribute('batch')])).toEqual([
        ['A', '0', '3', '7'], ['B', '1', '3', '7'], ['C', '2', '3', '7'],
      ]);
      expect(o.success[1]!.contentJson()).toEqual({ sku: 'B' });
      expect(o.logs.filter((l) => l.level === 'info').map((l) => l.message)).toEqual(['A', 'B', 'C']);
    },
  },
  {
    name: 'attributes_from_json',
    inputs: [{ content: { sku: 'A-1', stock: 12, price: 9.5, barcode: '869', tags: ['x'] } }],
    check: (o) => {
      expect(o.success[0]!.attributes).toMatchObject({ 'erp.sku': 'A-1', 'erp.stock': '12', 'erp.price': '9.5', 'erp.barcode': '869', 'has.barcode': 'true' });
      o.success[0]!.assertAttributeNotExists('erp.tags');
    },
  },
  {
    name: 'csv_to_json',
    inputs: [{ content: 'sku;stock\nA-1;3\nB-2;0\n' }],
    check: (o) => {
      expect(o.success[0]!.contentJson()).toEqual([{ sku: 'A-1', stock: 3 }, { sku: 'B-2', stock: 0 }]);
      expect(o.success[0]!.attributes).toMatchObject({ 'record.count': '2', 'mime.type': 'application/json' });
      expect(o.logs).toContainEqual({ level: 'info', message: 'converted 2 rows' });
    },
  },
  {
    name: 'state_counter',
    inputs: [{ attributes: { filename: 'a.json' } }, { attributes: { filename: 'b.json' } }, { attributes: { filename: 'c.json' } }],
    runs: 3,
    check: async (o) => {
      expect(o.success.map((f) => f.getAttribute('run.count'))).toEqual(['1', '2', '3']);
      expect(await o.runner.services.state.get('cluster')).toEqual({ 'run.count': '3', 'last.file': 'c.json' });
    },
  },
  {
    name: 'min_stock_dynamic_property',
    properties: { minStock: '${min.stock}', warehouse: 'IST-01' },
    inputs: [{ content: [{ sku: 'A', stock: 5 }, { sku: 'B', stock: 1 }, { sku: 'C', stock: 9 }], attributes: { 'min.stock': '3' } }],
    check: (o) => {
      expect(o.success[0]!.contentJson()).toEqual([{ sku: 'A', stock: 5, warehouse: 'IST-01' }, { sku: 'C', stock: 9, warehouse: 'IST-01' }]);
      o.success[0]!.assertAttributeEquals('below.minimum', 'B');
    },
  },
  {
    name: 'route_on_content',
    inputs: [{ content: 'ok line\n', attributes: { filename: 'good.log' } }, { content: 'ERROR: stock feed down', attributes: { filename: 'bad.log' } }],
    runs: 2,
    check: (o) => {
      expect(o.success.map((f) => f.getAttribute('filename'))).toEqual(['good.log']);
      o.failure[0]!.assertAttributeEquals('route.reason', 'error-in-content');
      expect(o.logs).toContainEqual({ level: 'warn', message: 'Found an error line in bad.log' });
    },
  },
  {
    name: 'merge_batch',
    inputs: [{ content: 'one', attributes: { feed: 'stock' } }, { content: 'two', attributes: { feed: 'stock' } }, { content: 'three', attributes: { feed: 'stock' } }],
    check: (o) => {
      expect(o.success).toHaveLength(1);
      o.success[0]!.assertContentEquals('one\ntwo\nthree');
      expect(o.success[0]!.attributes).toMatchObject({ 'merge.count': '3', feed: 'stock' });
      expect(o.success[0]!.flowFile.parentUuids).toHaveLength(3);
      o.runner.assertQueueEmpty();
    },
  },
  {
    name: 'filename_timestamp',
    inputs: [{ attributes: { filename: 'stock.json', 'erp.updated': '1700000000000' } }],
    check: (o) => {
      o.success[0]!.assertAttributeEquals('filename', 'stock_20231114_221320.json');
      expect(Number(o.success[0]!.getAttribute('processed.millis'))).toBeGreaterThan(1_700_000_000_000);
      o.success[0]!.assertAttributeEquals('processed.year', String(new Date().getUTCFullYear()));
    },
  },
  {
    name: 'uuid_and_hash',
    inputs: [{ content: 'stock-feed' }],
    check: (o) => {
      o.success[0]!.assertAttributeEquals('content.md5', md5('stock-feed'));
      o.success[0]!.assertAttributeEquals('content.sha256', sha256('stock-feed'));
      expect(o.success[0]!.getAttribute('batch.id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    },
  },
  {
    name: 'xml_to_json',
    inputs: [{ content: '<catalog><product sku="A-1"><name>Kalem</name><stock>3</stock></product><product sku="B-2"><name>Defter</name><stock>0</stock></product></catalog>' }, { content: '<catalog><broken>' }],
    runs: 2,
    check: (o) => {
      expect(o.success[0]!.contentJson()).toEqual({ products: [{ sku: 'A-1', name: 'Kalem', stock: '3' }, { sku: 'B-2', name: 'Defter', stock: '0' }] });
      expect(o.logs).toContainEqual({ level: 'info', message: 'parsed 2 products' });
      expect(o.failure[0]!.getAttribute('xml.error')).toContain('no element found');
    },
  },
  {
    name: 'basic_auth_header',
    properties: { 'erp.password': 's3cret' },
    inputs: [{ attributes: { 'erp.user': 'nifi' } }],
    check: (o) => {
      o.success[0]!.assertAttributeEquals('http.header.Authorization', `Basic ${Buffer.from('nifi:s3cret').toString('base64')}`);
      o.success[0]!.assertAttributeNotExists('erp.user');
    },
  },
  {
    name: 'filter_lines_java_io',
    inputs: [{ content: '# header\nsku-1;3\n\nsku-2;0\r\n# footer' }],
    check: (o) => {
      o.success[0]!.assertContentEquals('SKU-1;3\nSKU-2;0\n');
      expect(o.success[0]!.attributes).toMatchObject({ 'lines.kept': '2', 'lines.dropped': '3' });
    },
  },
  {
    name: 'byte_array_copy',
    inputs: [{ content: 'ürün listesi' }],
    check: (o) => {
      const backup = o.success.find((f) => f.getAttribute('backup.of') !== undefined);
      const original = o.success.find((f) => f !== backup);
      backup!.assertContentEquals('ürün listesi');
      backup!.assertAttributeEquals('backup.of', original!.uuid);
      original!.assertAttributeEquals('content.length', '12');
      expect(backup!.flowFile.parentUuids).toEqual([original!.uuid]);
    },
  },
  {
    name: 'generate_heartbeat_source',
    source: true,
    check: (o) => {
      const [beat] = o.success;
      expect(beat!.contentJson()).toMatchObject({ type: 'heartbeat', source: 'Execute Script' });
      beat!.assertAttributeEquals('filename', `heartbeat-${beat!.uuid}.json`);
      beat!.assertAttributeEquals('mime.type', 'application/json');
    },
  },
  {
    name: 'price_vat_bigdecimal',
    inputs: [{ content: [{ sku: 'A', price: '10.00' }, { sku: 'B', price: '0.125' }, { sku: 'C', price: '99.99' }] }],
    check: (o) => {
      expect((o.success[0]!.contentJson() as { price_with_vat: string }[]).map((p) => p.price_with_vat)).toEqual(['12.00', '0.15', '119.99']);
      o.success[0]!.assertAttributeEquals('page.count', '2');
    },
  },
  {
    name: 'rollback_on_error',
    inputs: [{ content: { status: 'pending' } }],
    check: (o) => {
      expect(o.success).toEqual([]);
      expect(o.failure).toEqual([]);
      const [back] = o.runner.queued();
      expect(back!.isPenalized(o.runner.clock.now())).toBe(true);
      expect(o.logs).toContainEqual({ level: 'warn', message: 'Retrying later: not ready yet: pending' });
    },
  },
  {
    name: 'pick_txt_flowfilefilter',
    inputs: ['a.csv', 'b.txt', 'c.txt', 'd.txt'].map((filename) => ({ attributes: { filename } })),
    check: (o) => {
      expect(o.success.map((f) => f.getAttribute('filename'))).toEqual(['b.txt', 'c.txt']);
      expect(o.runner.queued().map((f) => f.getAttribute('filename'))).toEqual(['d.txt']);
    },
  },
  {
    name: 'counter_and_provenance',
    inputs: [{ content: [{ sku: 'A' }, { sku: 'B' }], attributes: { filename: 'stock.json' } }],
    check: (o) => {
      expect(o.runner.counter('rows.read')).toBe(2);
      expect(o.runner.counter('files.read')).toBe(1);
      expect(o.runner.provenanceEvents().find((e) => e.eventType === 'RECEIVE')?.transitUri).toBe('erp://stock/stock.json');
      o.success[0]!.assertAttributeEquals('row.count', '2');
    },
  },
  {
    name: 'attributes_to_content',
    inputs: [{ attributes: { sku: 'A-1', 'internal.token': 'x', channel: 'web' } }],
    check: (o) => {
      expect(o.success[0]!.contentJson()).toMatchObject({ sku: 'A-1', channel: 'web', uuid: o.success[0]!.uuid });
      expect(o.success[0]!.contentJson()).not.toHaveProperty('internal.token');
    },
  },
  {
    name: 'dbcp_lookup',
    inputs: [{ content: 'x' }],
    check: (o) => {
      expect(o.error).toContain('ProcessException');
      expect(o.error).toContain('ControllerService services, which does not exist: Sluice has no controller services');
      expect(o.error).toContain('line 6');
    },
  },
  {
    name: 'jdbc_query',
    inputs: [{ content: 'x' }],
    check: (o) => {
      expect(o.error).toContain('java.sql is not available: it is a JVM library');
      expect(o.error).toContain('scripts have no database access');
    },
  },
  {
    name: 'function_callbacks',
    inputs: [{ content: { id: 'SO-1', lines: [{ qty: 2, price: 5 }, { qty: 1, price: 3 }] } }],
    check: (o) => {
      const summary = o.success.find((f) => f.flowFile.parentUuids.length > 0);
      const order = o.success.find((f) => f !== summary);
      expect(summary!.contentJson()).toEqual({ order: 'SO-1', total: 13 });
      expect(order!.contentJson()).toEqual({ id: 'SO-1', lines: [{ qty: 2, price: 5 }, { qty: 1, price: 3 }] });
    },
  },
  {
    name: 'integrator_stock_rows',
    inputs: [{ content: rows, attributes: { stock_list: '1' } }],
    check: (o) => {
      const out = o.success[0]!;
      expect(out.contentJson()).toEqual([{ sku: 'A-1', stock: 12, name: 'Kalem', stock_list: '1' }, { sku: 'B-2', stock: 0, name: 'Şemsiye', stock_list: '1' }]);
      expect(out.attributes).toMatchObject({ 'stock.total': '2', 'stock.in_stock': '1', 'stock.skus': 'A-1,B-2' });
    },
  },
  {
    name: 'query_string_params',
    inputs: [{ attributes: { 'invokehttp.request.url': 'https://erp.example.com/api/stock?size=50&page=3' } }],
    check: (o) => {
      o.success[0]!.assertAttributeEquals('next.url', 'https://erp.example.com/api/stock?page=4&size=50');
      o.success[0]!.assertAttributeEquals('page', '4');
    },
  },
  {
    name: 'static_relationships',
    inputs: [{ attributes: { filename: 'Stock.JSON' } }, { attributes: { filename: 'stock.xml' } }],
    runs: 2,
    check: (o) => {
      expect(o.success.map((f) => f.getAttribute('filename'))).toEqual(['Stock.JSON']);
      o.failure[0]!.assertAttributeEquals('reject.reason', 'not json: stock.xml');
    },
  },
  {
    name: 'regex_extract_crlf',
    inputs: [{ content: 'Order No: 1001\nOrder No:1002\n' }, { content: 'nothing here' }],
    runs: 2,
    check: (o) => {
      expect(o.success[0]!.attributes).toMatchObject({ 'order.numbers': '1001,1002', 'order.first': '1001' });
      expect(o.failure).toHaveLength(1);
    },
  },
  {
    name: 'java_string_builder',
    inputs: [{ attributes: { skus: ' a-1 , b-2,a-1 ' } }],
    check: (o) => expect(o.success[0]!.attributes).toMatchObject({ 'skus.joined': 'A-1|B-2|A-1', 'skus.unique': '2', 'skus.first.length': '3' }),
  },
  {
    name: 'tab_mixed_indent',
    inputs: [{ content: { images: ['1.jpg', '2.jpg'] } }],
    check: (o) => {
      o.success[0]!.assertAttributeEquals('image.count', '2');
      expect(o.logs).toContainEqual({ level: 'info', message: 'images: 2' });
    },
  },
];

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('community Jython scripts, pasted unchanged', () => {
  const h = jythonHarness();
  const passed: string[] = [];

  for (const c of CASES) {
    it(c.name, async () => {
      const outcome = await h.run(script(c.name), c);
      await c.check(outcome);
      passed.push(c.name);
    });
  }

  it(`all ${CASES.length} run`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
    expect(passed).toEqual(CASES.map((c) => c.name));
  });
});
