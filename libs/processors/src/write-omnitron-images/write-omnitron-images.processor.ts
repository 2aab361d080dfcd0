import { handleList, propertyHandles, defineProcessor, REL_FAILURE, REL_SUCCESS, type FlowFile, type ProcessContext } from '@sluice/flow-api';
import { errorReason, responseJson } from '../integrator-shared/http-call.util.js';
import { keyedRowLog, type RowLog, type RowStatus } from '../integrator-shared/integrator-services.js';
import { IntegratorStepError, isTransientStatus } from '../integrator-shared/integrator-errors.js';
import { eachInSlices } from '../integrator-shared/json-slices.util.js';
import type { OmnitronClient } from '../integrator-shared/omnitron-client.js';
import { omnitronClientFor, omnitronDryRunResponse, omnitronProperties, omnitronRowMessage, readRowArray, recordExchanges, rowProblem, runPooled } from '../integrator-shared/omnitron-write.util.js';
import { retriesTransientFailures, retryLater, retryLaterProperties, retryProperties } from '../integrator-shared/retry-properties.js';

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

const PROPS = propertyHandles([
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
  ...retryLaterProperties(WRITE),
]);

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
    roles: ['row-writer'],
    tags: ['integrator', 'omnitron', 'image', 'outbound'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SUCCESS.name, description: 'The input, with rows.written and rows.failed, once every product has an outcome.' },
      { ...REL_FAILURE, description: 'Nothing could be written (bad content, login or transport failure); omnitron.error says why.' },
    ],
    inputRequirement: 'required',
    sideEffects: { systems: ['Omnitron'], writes: true },
    readsAttributes: [
      { name: 'token.omnitron', description: 'Token from the login step.' },
      { name: 'omnitron.domain', description: 'Domain from the login step (the default Domain URL).' },
    ],
    writesAttributes: [
      { name: 'rows.written', description: 'Products whose images Omnitron accepted.' },
      { name: 'rows.failed', description: 'Products (or items) not written.' },
      { name: 'images.written', description: 'Images accepted over all products.' },
      { name: 'omnitron.error', error: true, description: 'Why the write failed as a whole, or why it waits to try again.' },
      { name: 'omnitron.retry.count', description: 'Tries so far that ended in a transient failure.' },
    ],
  },

  dryRunResponse: omnitronDryRunResponse,

  checkRow(row, config) {
    const item = toImageItem(row, config['Filename Template'] === '{base_code}' ? '{base_code}' : '{sku}');
    return 'error' in item ? rowProblem(item.error) : null;
  },

  async onTrigger(ctx, session) {
    const flowFile = session.get();
    if (!flowFile) return;
    const template = ctx.get(PROPS['Filename Template']) as '{sku}' | '{base_code}';
    // Key per logged product: the item's index, plus the SKU when a base code fans out to several products.
    const { outcomes, record } = await keyedRowLog(ctx.services, flowFile);
    let requestError: string | null = null;
    let transient: string | null = null;
    const waiting: { item: ImageItem; index: number }[] = [];
    const imageCounts = new Map<number, number>();
    try {
      const input = await readRowArray(session, flowFile);
      const client = omnitronClientFor(ctx, flowFile.attributes, flowFile, recordExchanges(session, () => flowFile));
      const items: { item: ImageItem; index: number }[] = [];
      const invalid: RowLog[] = [];
      await eachInSlices(input, (raw, index) => {
        const item = toImageItem(raw, template);
        if ('images' in item) imageCounts.set(index, item.images.length);
        if (outcomes.has(String(index))) return;
        if ('images' in item) items.push({ item, index });
        else invalid.push({ sku: item.key, status: 'failed', message: item.error, step: STEP, key: String(index) });
      });
      await record(invalid);
      await runPooled(items, Math.max(1, ctx.get(PROPS['Concurrency'])), async (entry) => {
        // Once a transient failure is known, the other products wait for the next try too.
        if (transient !== null) {
          waiting.push(entry);
          return;
        }
        try {
          await record(await writeItem(ctx, client, entry.item, entry.index, template, outcomes));
        } catch (e) {
          if (!(e instanceof IntegratorStepError)) throw e;
          if (e.transient) {
            transient ??= e.message;
            waiting.push(entry);
          } else {
            requestError = e.message;
            await record([{ sku: entry.item.key, status: 'failed', message: e.message, step: STEP, key: String(entry.index) }]);
          }
        }
      });
    } catch (e) {
      if (!(e instanceof IntegratorStepError)) throw e;
      if (e.transient) transient = e.message;
      else requestError = e.message;
    }
    if (transient !== null) {
      if (retriesTransientFailures(ctx)) {
        retryLater(ctx, session, flowFile, 'omnitron', transient);
        return;
      }
      requestError = transient;
      await record(waiting.map(({ item, index }) => ({ sku: item.key, status: 'failed', message: transient!, step: STEP, key: String(index) })));
    }
    finish(ctx, session, flowFile, outcomes, imageCounts, requestError);
  },
});

function finish(
  ctx: ProcessContext,
  session: Parameters<typeof WriteOmnitronImages.onTrigger>[1],
  input: FlowFile,
  outcomes: ReadonlyMap<string, RowStatus>,
  imageCounts: ReadonlyMap<number, number>,
  requestError: string | null,
) {
  let written = 0;
  let failed = 0;
  let images = 0;
  for (const [key, status] of outcomes) {
    if (status === 'success') {
      written++;
      images += imageCounts.get(Number.parseInt(key, 10)) ?? 0;
    } else if (status === 'failed') failed++;
  }
  const attrs = { 'rows.written': String(written), 'rows.failed': String(failed), 'images.written': String(images) };
  const flowFile = session.removeAllAttributes(input, ['omnitron.error', 'omnitron.retry.count']);
  if (written === 0 && requestError !== null) {
    ctx.log.error(`Write Images to Omnitron failed: ${requestError}`);
    session.transfer(session.putAllAttributes(flowFile, { ...attrs, 'omnitron.error': requestError }), REL_FAILURE);
    return;
  }
  session.transfer(session.putAllAttributes(flowFile, attrs), REL_SUCCESS);
}

/**
 * Writes one item's images to each of its products that has no outcome yet. Throws a transient
 * IntegratorStepError when Omnitron cannot take them now.
 */
async function writeItem(
  ctx: ProcessContext,
  client: OmnitronClient,
  item: ImageItem,
  index: number,
  template: '{sku}' | '{base_code}',
  done: ReadonlyMap<string, RowStatus>,
): Promise<RowLog[]> {
  const skus = template === '{sku}' ? [item.key] : await skusOfBaseCode(client, item.key);
  if (skus.length === 0) return [{ sku: item.key, status: 'failed', message: `no product with base code ${item.key} in Omnitron`, step: STEP, key: String(index) }];
  const logs: RowLog[] = [];
  for (const sku of skus) {
    const key = template === '{sku}' ? String(index) : `${index}:${sku}`;
    if (done.has(key)) continue;
    const response = await client.send('POST', IMAGE_PATH, { product_sku: sku, images: item.images });
    if (response.status >= 200 && response.status < 300) {
      const via = template === '{base_code}' ? ` (base code ${item.key})` : '';
      logs.push({ sku, status: 'success', message: `${item.images.length} image${item.images.length === 1 ? '' : 's'} written${via}`, step: STEP, key });
    } else if (isTransientStatus(response.status)) {
      ctx.log.warn(`Omnitron answered ${response.status} for ${sku}: ${errorReason(response)}`);
      throw new IntegratorStepError(`Omnitron answered ${response.status} for ${sku}: ${errorReason(response)}`, response.status);
    } else {
      logs.push({ sku, status: 'failed', message: omnitronRowMessage(errorReason(response)), step: STEP, key });
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
