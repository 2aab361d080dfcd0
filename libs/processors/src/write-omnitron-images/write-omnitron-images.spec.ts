import { validateConfig } from '@sluice/flow-api';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestRunner } from '@sluice/flow-testing';
import { FetchHttpClient, integratorServices } from '../integrator-shared/integrator-services.testing.js';
import { toImageItem, WriteOmnitronImages } from './write-omnitron-images.processor.js';

const images = (template: string) => [1, 2, 3].map((order) => ({ url: `https://test.project.com.tr/${template}-${order}.jpg`, order }));
// The Image Flow document's outbound payload.
const SEED_PAYLOAD = [
  { product_sku: '1234', images: images('test_template') },
  { product_sku: '12345', images: images('test_template2') },
  { product_sku: '123456', images: images('test_template3') },
];

let omni: OmnitronSimHandle;
let http: FetchHttpClient;
beforeAll(async () => {
  omni = await startOmnitronSim({ generatedProducts: 10 });
});
afterAll(() => omni.close());
beforeEach(() => {
  omni.resetFaults();
  omni.state.images.clear();
  http = new FetchHttpClient();
});

const loggedIn = () => ({ 'token.omnitron': omni.issueToken(), 'omnitron.domain': omni.url });

async function write(items: string | object, config: Record<string, string> = {}, attributes: Record<string, string> = loggedIn()) {
  const services = integratorServices(http);
  const h = new TestRunner(WriteOmnitronImages, { services }).setProperties({ 'Retry Backoff': '0 ms', ...config });
  h.enqueue(items, attributes);
  await h.run();
  return { h, services, logs: Object.fromEntries(services.recorded.lines.map((r) => [r.sku ?? '(none)', `${r.status}: ${r.message}`])) };
}

describe('toImageItem', () => {
  it('reads SKU or base code items and numbers missing orders', () => {
    expect(toImageItem({ sku: 'A', images: [{ url: 'https://x/1.jpg' }, { url: 'https://x/2.jpg', order: '5' }] }, '{sku}')).toEqual({
      key: 'A',
      images: [{ url: 'https://x/1.jpg', order: 1 }, { url: 'https://x/2.jpg', order: 5 }],
    });
    expect(toImageItem({ product_sku: 'A', base_code: 'B', images: [{ url: 'u' }] }, '{base_code}')).toMatchObject({ key: 'B' });
    expect(toImageItem({ images: [] }, '{sku}')).toEqual({ key: null, error: 'missing product_sku' });
    expect(toImageItem({ sku: 'A', images: [] }, '{sku}')).toEqual({ key: 'A', error: 'images must be a non-empty array' });
    expect(toImageItem({ sku: 'A', images: [{ url: 'u', order: 1.5 }] }, '{sku}')).toEqual({ key: 'A', error: 'images[0].order 1.5 is not a whole number' });
  });
});

describe('WriteOmnitronImages against the Omnitron simulator', () => {
  it('posts the documented payload per product and logs each', async () => {
    const { h, logs } = await write(SEED_PAYLOAD);
    expect(http.sent.map((r) => JSON.parse(r.body as string))).toEqual(expect.arrayContaining(SEED_PAYLOAD));
    expect(omni.state.images.get('12345')).toEqual(images('test_template2'));
    const a = h.flowFilesFor('success')[0]!.attributes;
    expect([a['rows.written'], a['rows.failed'], a['images.written']]).toEqual(['3', '0', '9']);
    expect(logs['1234']).toBe('success: 3 images written');
  });

  it('logs unknown SKUs and invalid items as failed rows', async () => {
    const { h, logs } = await write([{ product_sku: 'NOPE', images: images('x') }, { product_sku: '12347', images: 'none' }, ...SEED_PAYLOAD.slice(0, 1)]);
    expect(logs).toEqual({
      NOPE: 'failed: product not found in Omnitron',
      '12347': 'failed: images must be a non-empty array',
      '1234': 'success: 3 images written',
    });
    expect(h.flowFilesFor('success')[0]!.attributes['rows.failed']).toBe('2');
  });

  it('{base_code}: assigns the images to every product with the base code', async () => {
    const { h, logs } = await write([{ product_sku: 'test_template', images: images('test_template') }, { base_code: 'NO-SUCH-BASE', images: images('y') }], {
      'Filename Template': '{base_code}',
    });
    expect(omni.state.images.get('1234')).toEqual(images('test_template'));
    expect(omni.state.images.get('test_template')).toEqual(images('test_template'));
    expect(logs).toEqual({
      '1234': 'success: 3 images written (base code test_template)',
      test_template: 'success: 3 images written (base code test_template)',
      'NO-SUCH-BASE': 'failed: no product with base code NO-SUCH-BASE in Omnitron',
    });
    expect(h.flowFilesFor('success')[0]!.attributes['rows.written']).toBe('2');
  });

  it('retries 500s, and fails as a whole when nothing could be written and transient failures fail', async () => {
    omni.faults({ failNext: 2 });
    const ok = await write(SEED_PAYLOAD.slice(0, 1), { 'Retry Count': '2' });
    expect(ok.h.flowFilesFor('success')[0]!.attributes['rows.written']).toBe('1');
    omni.faults({ failNext: 100 });
    const bad = await write(SEED_PAYLOAD, { 'Retry Count': '1', Concurrency: '1', 'Transient Failures': 'failure' });
    expect(bad.h.flowFilesFor('failure')[0]!.attributes['omnitron.error']).toBe('Omnitron answered 500 for 1234: injected failure');
    expect(Object.keys(bad.logs).sort()).toEqual(['1234', '12345', '123456']);
    expect(Object.values(bad.logs).every((l) => l.startsWith('failed: Omnitron answered 500'))).toBe(true);
  });

  it('keeps the FlowFile to try again later on a transient failure and then writes only the products without an outcome', async () => {
    const services = integratorServices(http);
    const h = new TestRunner(WriteOmnitronImages, { services }).setProperties({ 'Retry Backoff': '0 ms', 'Retry Count': '0', Concurrency: '1' });
    h.enqueue(SEED_PAYLOAD, loggedIn());
    let posts = 0;
    const real = http.request.bind(http);
    http.request = (req) => (req.url.endsWith('/downloadable-image/') && ++posts === 2 ? Promise.resolve({ status: 502, statusText: '', headers: {}, body: new Uint8Array(), durationMs: 0 }) : real(req));
    await h.run();
    expect(h.transferredRelationships().length).toBe(0);
    expect(h.queued()[0]!.flowFile.attributes['omnitron.error']).toBe('Omnitron answered 502 for 12345: HTTP 502');
    expect(services.recorded.lines.map((r) => r.sku)).toEqual(['1234']);
    // Penalized: not taken again before its back-off has passed.
    await h.run();
    expect(h.transferredRelationships()).toEqual([]);
    await h.clock.advance(h.queued()[0]!.flowFile.penaltyExpiration - h.clock.now());
    await h.run();
    const out = h.flowFilesFor('success')[0]!.attributes;
    expect([out['rows.written'], out['rows.failed'], out['images.written']]).toEqual(['3', '0', '9']);
    expect(services.recorded.lines.map((r) => `${r.sku}:${r.key}`)).toEqual(['1234:0', '12345:1', '123456:2']);
    const skus = http.sent.filter((r) => r.url.endsWith('/downloadable-image/')).map((r) => (JSON.parse(r.body as string) as { product_sku: string }).product_sku);
    // 12345 got the 502 on the first try (answered here, not sent on the wire) and went again on the second.
    expect(posts).toBe(4);
    expect(skus).toEqual(['1234', '12345', '123456']);
  });

  it('logs in again after a 401 with the configured credentials', async () => {
    omni.faults({ unauthorizedOnce: true });
    const { h } = await write(SEED_PAYLOAD, { 'Omnitron Username': 'integrator', 'Omnitron Password': 'integrator-pass', Concurrency: '3' });
    expect(h.flowFilesFor('success')[0]!.attributes['rows.written']).toBe('3');
    expect(omni.state.requests.filter((r) => r.path === '/api/v1/auth/login/').length).toBeGreaterThanOrEqual(1);
  });

  it('validates its configuration', () => {
    expect(validateConfig(WriteOmnitronImages.descriptor, {})).toEqual([]);
    expect(validateConfig(WriteOmnitronImages.descriptor, { 'Filename Template': '{colour}' })[0]!.property).toBe('Filename Template');
  });
});
