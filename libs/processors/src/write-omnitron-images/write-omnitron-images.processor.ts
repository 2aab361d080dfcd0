import { defineProcessor, REL_FAILURE, REL_SUCCESS, type FlowFile, type ProcessContext, type RowLog } from '@sluice/flow-api';
import { errorReason, responseJson } from '../integrator-shared/http-call.util.js';
import { IntegratorStepError } from '../integrator-shared/integrator-errors.js';
import type { OmnitronClient } from '../integrator-shared/omnitron-client.js';
import { omnitronClientFor, omnitronProperties, omnitronRowMessage, parseRowArray, runPooled } from '../integrator-shared/omnitron-write.util.js';
import { retryProperties } from '../integrator-shared/retry-properties.js';

const WRITE = 'Write Data to Omnitron';
const STEP = 'Write Data to Omnitron';
const IMAGE_PATH = '/api/v1/downloadable-image/';
const PRODUCTS_PATH = '/api/v1/products/';

export interface ImageItem {
  /** The SKU or the base code, as the Filename Template says. */
  key: string;
  images: { url: string; order: number }[];
}

/**
 * Reads one item of the input. With `{sku}` the key is `product_sku` (or `sku`); with `{base_code}` it is
 * `base_code`, else `product_sku`/`sku` holding a base code. A missing `order` becomes the 1-based position.
 */
export function toImageItem(item: unknown, template: '{sku}' | '{base_code}'): ImageItem | { key: string | null; error: string } {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return { key: null, error: 'item is not a JSON object' };
  const o = item as Record<string, unknown>;
  const raw = template === '{base_code}' ? (o['base_code'] ?? o['product_sku'] ?? o['sku']) : (o['product_sku'] ?? o['sku']);
  const key = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
  if (key === '') return { key: null, error: template === '{base_code}' ? 'missing base_code' : 'missing product_sku' };
  const images = o['images'];
  if (!Array.isArray(images) || images.length === 0) return { key, error: 'images must be a non-empty array' };
  const out: { url: string; order: number }[] = [];
  for (const [i, img] of images.entries()) {
    const m = (img ?? {}) as Record<string, unknown>;
    if (typeof m['url'] !== 'string' || m['url'].trim() === '') return { key, error: `images[${i}] has no url` };
    const order = m['order'] === undefined || m['order'] === null || m['order'] === '' ? i + 1 : Number(m['order']);
    if (!Number.isInteger(order)) return { key, error: `images[${i}].order ${JSON.stringify(m['order'])} is not a whole number` };
    out.push({ url: m['url'].trim(), order });
  }
  return { key, images: out };
}

export const WriteOmnitronImages = defineProcessor({
  descriptor: {
    type: 'WriteOmnitronImages',
    version: 1,
    displayName: 'Write Images to Omnitron',
    description:
      `Posts each product's images to Omnitron's ${IMAGE_PATH} as {product_sku, images: [{url, order}]}, logging every product. ` +
      'Filename Template {sku}: each item names one product by product_sku. {base_code}: each item names a base code (base_code, else product_sku); ' +
      'the images go to every Omnitron product with that base code.',
    category: 'integrator',
    tags: ['integrator', 'omnitron', 'image', 'outbound'],
    properties: [
      ...omnitronProperties(WRITE),
      {
        name: 'Filename Template', displayName: 'Filename Template', description: 'What the images are assigned by.', type: 'enum', default: '{sku}', group: WRITE,
        allowableValues: [
          { value: '{sku}', displayName: '{sku}', description: 'Each item is one product, by SKU.' },
          { value: '{base_code}', displayName: '{base_code}', description: 'Each item is a base code; every product with it gets the images.' },
        ],
      },
      { name: 'Concurrency', displayName: 'Concurrent Requests', description: 'Products written at the same time.', type: 'integer', default: '4', validators: [{ kind: 'range', min: 1, max: 32 }], group: WRITE },
      ...retryProperties(WRITE),
    ],
    relationships: [
      { name: REL_SUCCESS.name, description: 'The input, with rows.written and rows.failed, once every product was attempted.' },
      { name: REL_FAILURE.name, description: 'Nothing could be written (bad content, login or transport failure); omnitron.error says why.' },
    ],
    inputRequirement: 'required',
    sideEffects: true,
    readsAttributes: [
      { name: 'token.omnitron', description: 'Token from the login step.' },
      { name: 'omnitron.domain', description: 'Domain from the login step (the default Domain URL).' },
    ],
    writesAttributes: [
      { name: 'rows.written', description: 'Products whose images Omnitron accepted.' },
      { name: 'rows.failed', description: 'Products (or items) not written.' },
      { name: 'images.written', description: 'Images accepted over all products.' },
      { name: 'omnitron.error', description: 'Why the write failed as a whole.' },
    ],
  },

  async onTrigger(ctx, session) {
    let flowFile = session.get();
    if (!flowFile) return;
    const template = (ctx.property('Filename Template').asString() ?? '{sku}') as '{sku}' | '{base_code}';
    const counts = { written: 0, failed: 0, images: 0 };
    let requestError: string | null = null;
    try {
      const input = parseRowArray(await session.readText(flowFile));
      const client = omnitronClientFor(ctx, flowFile.attributes, flowFile);
      const items: ImageItem[] = [];
      const invalid: RowLog[] = [];
      for (const raw of input) {
        const item = toImageItem(raw, template);
        if ('images' in item) items.push(item);
        else invalid.push({ sku: item.key, status: 'failed', message: item.error, step: STEP });
      }
      if (invalid.length) {
        counts.failed += invalid.length;
        ctx.services.executions.rows(flowFile, invalid);
      }
      const ff = flowFile;
      await runPooled(items, Math.max(1, ctx.property('Concurrency').asInteger() ?? 4), async (item) => {
        const logs = await writeItem(ctx, client, item, template).catch((e: unknown) => {
          if (!(e instanceof IntegratorStepError)) throw e;
          requestError = e.message;
          return [{ sku: item.key, status: 'failed', message: e.message, step: STEP } satisfies RowLog];
        });
        let written = 0;
        let failed = 0;
        for (const l of logs) {
          if (l.status === 'success') {
            written++;
            counts.images += item.images.length;
          } else {
            failed++;
            if (l.message.startsWith('Omnitron answered 5')) requestError = l.message;
          }
        }
        counts.written += written;
        counts.failed += failed;
        ctx.services.executions.rows(ff, logs);
        // progress() adds up: report this item's share only.
        ctx.services.executions.progress(ff, { written, failed });
      });
    } catch (e) {
      if (!(e instanceof IntegratorStepError)) throw e;
      requestError = e.message;
    }
    finish(ctx, session, flowFile, counts, requestError);
  },
});

function finish(
  ctx: ProcessContext,
  session: Parameters<typeof WriteOmnitronImages.onTrigger>[1],
  flowFile: FlowFile,
  counts: { written: number; failed: number; images: number },
  requestError: string | null,
) {
  const attrs = { 'rows.written': String(counts.written), 'rows.failed': String(counts.failed), 'images.written': String(counts.images) };
  if (counts.written === 0 && requestError !== null) {
    ctx.log.error(`Write Images to Omnitron failed: ${requestError}`);
    session.transfer(session.putAllAttributes(flowFile, { ...attrs, 'omnitron.error': requestError }), REL_FAILURE);
    return;
  }
  session.transfer(session.putAllAttributes(session.removeAttribute(flowFile, 'omnitron.error'), attrs), REL_SUCCESS);
}

async function writeItem(ctx: ProcessContext, client: OmnitronClient, item: ImageItem, template: '{sku}' | '{base_code}'): Promise<RowLog[]> {
  const skus = template === '{sku}' ? [item.key] : await skusOfBaseCode(client, item.key);
  if (skus.length === 0) return [{ sku: item.key, status: 'failed', message: `no product with base code ${item.key} in Omnitron`, step: STEP }];
  const logs: RowLog[] = [];
  for (const sku of skus) {
    const response = await client.send('POST', IMAGE_PATH, { product_sku: sku, images: item.images });
    if (response.status >= 200 && response.status < 300) {
      const via = template === '{base_code}' ? ` (base code ${item.key})` : '';
      logs.push({ sku, status: 'success', message: `${item.images.length} image${item.images.length === 1 ? '' : 's'} written${via}`, step: STEP });
    } else {
      const reason = errorReason(response);
      logs.push({ sku, status: 'failed', message: response.status >= 500 ? `Omnitron answered ${response.status}: ${reason}` : omnitronRowMessage(reason), step: STEP });
      if (response.status >= 500) ctx.log.warn(`Omnitron answered ${response.status} for ${sku}: ${reason}`);
    }
  }
  return logs;
}

/** Every Omnitron SKU with the base code, following the product list's `next` links. */
async function skusOfBaseCode(client: OmnitronClient, baseCode: string): Promise<string[]> {
  const skus: string[] = [];
  let path: string | null = `${PRODUCTS_PATH}?base_code=${encodeURIComponent(baseCode)}&limit=1000`;
  for (let guard = 0; path && guard < 1000; guard++) {
    const response = await client.send('GET', path);
    if (response.status < 200 || response.status >= 300) throw new IntegratorStepError(`Omnitron answered ${response.status} listing base code ${baseCode}: ${errorReason(response)}`, response.status);
    const body = responseJson(response, path) as { results?: { sku?: unknown }[]; next?: unknown };
    for (const p of body.results ?? []) if (typeof p.sku === 'string') skus.push(p.sku);
    if (typeof body.next === 'string' && body.next !== '') {
      const next = new URL(body.next);
      path = next.pathname + next.search;
    } else path = null;
  }
  return skus;
}
