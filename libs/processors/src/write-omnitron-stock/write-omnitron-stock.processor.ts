import { handleList, propertyHandles, defineProcessor, REL_FAILURE, REL_SUCCESS } from '@sluice/flow-api';
import { errorReason, responseJson } from '../integrator-shared/http-call.util.js';
import { keyedRowLog, type RowLog } from '../integrator-shared/integrator-services.js';
import { IntegratorStepError, isTransientStatus } from '../integrator-shared/integrator-errors.js';
import { eachRow, omnitronClientFor, omnitronDryRunResponse, omnitronProperties, omnitronRowMessage, recordExchanges, rowProblem } from '../integrator-shared/omnitron-write.util.js';
import { retriesTransientFailures, retryLater, retryLaterProperties, retryProperties } from '../integrator-shared/retry-properties.js';

const WRITE = 'Write Data to Omnitron';
const STEP = 'Write Data to Omnitron';
const PATH = '/api/i1/product_stock/bulk_upsert/';
/** unit_type for rows without one, also when the property is left blank. */
const UNIT_TYPE = 'qty';

/** One row as Omnitron's bulk upsert takes it, keys in the documented order. */
export interface StockUpsertRow {
  stock_list: string;
  unit_type: string;
  product_sku: string;
  stock: number;
  batch_id: string;
}

/**
 * Maps a row to the bulk-upsert shape, or explains why it cannot be sent. `product_sku` may also come as
 * `sku`; `stock_list` and `unit_type` fall back to the step's settings.
 */
export function toStockRow(row: unknown, defaults: { stockList?: string; unitType: string; batchId: string }): { row: StockUpsertRow } | { sku: string | null; error: string } {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return { sku: null, error: 'row is not a JSON object' };
  const r = row as Record<string, unknown>;
  const rawSku = r['product_sku'] ?? r['sku'];
  const sku = typeof rawSku === 'string' || typeof rawSku === 'number' ? String(rawSku).trim() : '';
  if (sku === '') return { sku: null, error: 'missing product_sku' };
  const rawStock = r['stock'];
  const stock = typeof rawStock === 'number' ? rawStock : typeof rawStock === 'string' && rawStock.trim() !== '' ? Number(rawStock.trim()) : Number.NaN;
  if (!Number.isFinite(stock)) return { sku, error: `stock ${JSON.stringify(rawStock ?? null)} is not a number` };
  const rawList = r['stock_list'];
  const stockList = rawList === undefined || rawList === null || rawList === '' ? defaults.stockList : String(rawList);
  if (!stockList) return { sku, error: 'missing stock_list (set Stock List ID)' };
  const unitType = typeof r['unit_type'] === 'string' && r['unit_type'] !== '' ? (r['unit_type'] as string) : defaults.unitType;
  return { row: { stock_list: stockList, unit_type: unitType, product_sku: sku, stock, batch_id: defaults.batchId } };
}

/** Per-row outcome from a bulk-upsert reply aligned with the rows sent; null when the reply has no per-row results. */
function rowOutcomes(body: unknown, count: number): { ok: boolean; error?: string }[] | null {
  const list = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as Record<string, unknown>)['results']) ? ((body as Record<string, unknown>)['results'] as unknown[]) : null;
  if (!list || list.length !== count) return null;
  return list.map((item) => {
    const o = (item ?? {}) as Record<string, unknown>;
    const error = o['error'] ?? o['errors'] ?? o['detail'];
    const failed = o['status'] === 'error' || o['success'] === false || (error !== undefined && o['status'] !== 'success' && o['success'] !== true);
    return failed ? { ok: false, error: typeof error === 'string' ? error : JSON.stringify(error ?? 'rejected') } : { ok: true };
  });
}

/**
 * The rows still to send, a column per field (batch_id is the FlowFile's): a large batch held as one object per row
 * kept the young generation full of survivors while it was read, and the old one full until the last chunk went.
 */
class PendingRows {
  private readonly index: number[] = [];
  private readonly sku: string[] = [];
  private readonly stock: number[] = [];
  private readonly list: string[] = [];
  private readonly unit: string[] = [];

  constructor(private readonly batchId: string) {}

  get length(): number {
    return this.index.length;
  }

  push(index: number, row: StockUpsertRow): void {
    this.index.push(index);
    this.sku.push(row.product_sku);
    this.stock.push(row.stock);
    this.list.push(row.stock_list);
    this.unit.push(row.unit_type);
  }

  /** Rows `from` to `to` (exclusive) as they are sent, each with its key in the row log. */
  rows(from: number, to: number): { row: StockUpsertRow; key: string }[] {
    const out: { row: StockUpsertRow; key: string }[] = [];
    for (let j = from; j < Math.min(to, this.length); j++) {
      out.push({ row: { stock_list: this.list[j]!, unit_type: this.unit[j]!, product_sku: this.sku[j]!, stock: this.stock[j]!, batch_id: this.batchId }, key: String(this.index[j]) });
    }
    return out;
  }
}

const PROPS = propertyHandles([
  ...omnitronProperties(WRITE),
  { name: 'Stock List ID', displayName: 'Omnitron Stock List ID', description: 'Stock list for rows that carry no stock_list.', type: 'string', expressionScope: 'flowfile', group: WRITE, exposedAs: 'target.list' },
  { name: 'Unit Type', displayName: 'Unit Type', description: 'unit_type for rows that carry none.', type: 'string', default: UNIT_TYPE, group: WRITE },
  { name: 'Batch Size', displayName: 'Batch Size', description: 'Rows per bulk upsert request.', type: 'integer', default: '1000', validators: [{ kind: 'range', min: 1, max: 10000 }], group: WRITE },
  ...retryProperties(WRITE),
  ...retryLaterProperties(WRITE),
]);

export const WriteOmnitronStock = defineProcessor({
  descriptor: {
    type: 'WriteOmnitronStock',
    version: 1,
    displayName: 'Write Stock to Omnitron',
    description:
      `Splits a JSON array of stock rows, maps them to {stock_list, unit_type, product_sku, stock, batch_id} and writes them in chunks to Omnitron's ${PATH}, logging every row. ` +
      'Each chunk is logged before the next one is sent, so a FlowFile that comes back (a retry, a restart) sends only the rows that have no outcome yet.',
    category: 'integrator',
    roles: ['row-writer'],
    tags: ['integrator', 'omnitron', 'stock', 'bulk', 'outbound'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SUCCESS.name, description: 'The input, with rows.written and rows.failed, once every row has an outcome.' },
      { ...REL_FAILURE, description: 'Nothing could be written (bad content, rejected login, or Omnitron refused every request); omnitron.error says why.' },
    ],
    inputRequirement: 'required',
    sideEffects: { systems: ['Omnitron'], writes: true },
    readsAttributes: [
      { name: 'token.omnitron', description: 'Token from the login step.' },
      { name: 'omnitron.domain', description: 'Domain from the login step (the default Domain URL).' },
      { name: 'execution.id', description: 'Used as batch_id, so one execution writes one batch.' },
    ],
    writesAttributes: [
      { name: 'rows.written', description: 'Rows Omnitron accepted.' },
      { name: 'rows.failed', description: 'Rows not written (invalid or rejected).' },
      { name: 'batch.id', description: 'The batch_id sent with every row.' },
      { name: 'omnitron.error', error: true, description: 'Why the write failed as a whole, or why it waits to try again.' },
      { name: 'omnitron.retry.count', description: 'Tries so far that ended in a transient failure.' },
    ],
  },

  dryRunResponse: omnitronDryRunResponse,

  checkRow(row, config) {
    // The Stock List ID may depend on the FlowFile: a row without stock_list is left to the write.
    const mapped = toStockRow(row, { stockList: 'known at the write', unitType: config['Unit Type'] || UNIT_TYPE, batchId: '' });
    return 'error' in mapped ? rowProblem(mapped.error) : null;
  },

  async onTrigger(ctx, session) {
    let flowFile = session.get();
    if (!flowFile) return;
    const attrs = flowFile.attributes;
    const batchId = attrs['batch.id'] || attrs['execution.id'] || ctx.services.randomUuid();
    /** Row key (its index in the content) → outcome: what earlier tries logged, then this one. */
    const { outcomes, record } = await keyedRowLog(ctx.services, flowFile);
    /** A whole request Omnitron refused for good. */
    let requestError: string | null = null;
    /** A failure that may pass: the rows without an outcome wait for the next try. */
    let transient: string | null = null;
    const remaining = new PendingRows(batchId);
    /** Rows of `remaining` before this one have an outcome. */
    let sent = 0;
    try {
      const stockList = ctx.get(PROPS['Stock List ID'], flowFile) || undefined;
      const unitType = ctx.get(PROPS['Unit Type']) || UNIT_TYPE;
      const batchSize = Math.max(1, ctx.get(PROPS['Batch Size']));

      const rejected: RowLog[] = [];
      await eachRow(session, flowFile, (raw, i) => {
        if (outcomes.has(String(i))) return;
        const mapped = toStockRow(raw, { stockList, unitType, batchId });
        if ('row' in mapped) remaining.push(i, mapped.row);
        else rejected.push({ sku: mapped.sku, status: 'failed', message: mapped.error, step: STEP, key: String(i) });
      });
      const client = omnitronClientFor(ctx, attrs, flowFile, recordExchanges(session, () => flowFile!));
      await record(rejected);

      while (sent < remaining.length) {
        const chunk = remaining.rows(sent, sent + batchSize);
        const logs: RowLog[] = [];
        try {
          const response = await client.send('POST', PATH, chunk.map((c) => c.row));
          if (response.status >= 200 && response.status < 300) {
            const results = rowOutcomes(responseJson(response, PATH), chunk.length);
            chunk.forEach(({ row, key }, i) => {
              const o = results?.[i] ?? { ok: true };
              logs.push(
                o.ok
                  ? { sku: row.product_sku, status: 'success', message: `stock ${row.stock} written to stock list ${row.stock_list}`, step: STEP, key }
                  : { sku: row.product_sku, status: 'failed', message: omnitronRowMessage(o.error ?? 'rejected'), step: STEP, key },
              );
            });
          } else if (isTransientStatus(response.status)) {
            transient = `Omnitron answered ${response.status}: ${errorReason(response)}`;
          } else {
            requestError = `Omnitron answered ${response.status}: ${errorReason(response)}`;
            for (const { row, key } of chunk) logs.push({ sku: row.product_sku, status: 'failed', message: requestError, step: STEP, key });
          }
        } catch (e) {
          if (!(e instanceof IntegratorStepError)) throw e;
          if (e.transient) transient = e.message;
          else {
            requestError = e.message;
            for (const { row, key } of chunk) logs.push({ sku: row.product_sku, status: 'failed', message: e.message, step: STEP, key });
          }
        }
        if (transient !== null) break;
        // Logged before the next chunk goes out: after a crash only this chunk can be sent twice.
        await record(logs);
        sent += chunk.length;
      }
    } catch (e) {
      if (!(e instanceof IntegratorStepError)) throw e;
      if (e.transient) transient = e.message;
      else requestError = e.message;
    }

    if (transient !== null) {
      if (retriesTransientFailures(ctx)) {
        retryLater(ctx, session, session.putAttribute(flowFile, 'batch.id', batchId), 'omnitron', transient);
        return;
      }
      requestError = transient;
      await record(remaining.rows(sent, remaining.length).map(({ row, key }) => ({ sku: row.product_sku, status: 'failed', message: transient!, step: STEP, key })));
    }
    let written = 0;
    let failed = 0;
    for (const status of outcomes.values()) {
      if (status === 'success') written++;
      else if (status === 'failed') failed++;
    }
    const counts = { 'rows.written': String(written), 'rows.failed': String(failed), 'batch.id': batchId };
    flowFile = session.removeAllAttributes(flowFile, ['omnitron.error', 'omnitron.retry.count']);
    if (written === 0 && requestError !== null) {
      ctx.log.error(`Write Stock to Omnitron failed: ${requestError}`);
      session.transfer(session.putAllAttributes(flowFile, { ...counts, 'omnitron.error': requestError }), REL_FAILURE);
      return;
    }
    if (requestError !== null) ctx.log.warn(`Write Stock to Omnitron: part of the rows failed: ${requestError}`);
    session.transfer(session.putAllAttributes(flowFile, counts), REL_SUCCESS);
  },
});
