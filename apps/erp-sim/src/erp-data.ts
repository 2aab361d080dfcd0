export interface ErpStockRow {
  id: number;
  sku: string;
  stock: number | string;
  stock_list: string;
  unit_type: string;
  /** `yyyy-MM-dd'T'HH:mm:ss.SSSSSS`, UTC. */
  updated_date: string;
}

export interface ErpImageRow {
  id: number;
  sku: string;
  base_code: string;
  images: { url: string; order: number }[];
  updated_date: string;
}

/** The stock rows the product documentation's examples use. */
export const SEED_STOCK: readonly Pick<ErpStockRow, 'sku' | 'stock'>[] = [
  { sku: '12345', stock: 123 },
  { sku: '12346', stock: 0 },
  { sku: '12347', stock: 9 },
  { sku: '1234', stock: 0 },
  { sku: '12344', stock: 26 },
];

/** The image rows behind the Image Flow's example payload. */
export const SEED_IMAGES: readonly { sku: string; base_code: string; template: string }[] = [
  { sku: '1234', base_code: 'test_template', template: 'test_template' },
  { sku: '12345', base_code: 'test_template2', template: 'test_template2' },
  { sku: '123456', base_code: 'test_template3', template: 'test_template3' },
];

const MINUTE = 60_000;

/** `yyyy-MM-dd'T'HH:mm:ss.SSSSSS` in UTC, the Integrator's date format. */
export function formatErpDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '000');
}

/**
 * Parses the Integrator's format (no zone = UTC, up to 6 fraction digits) or ISO-8601 with Z/offset.
 * Returns microseconds since the epoch, or null.
 */
export function parseErpDate(text: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return null;
  const zone = m[4] === undefined || m[4] === 'Z' ? 'Z' : m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4];
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${zone}`);
  if (Number.isNaN(ms)) return null;
  const micros = Number((m[3] ?? '').padEnd(6, '0').slice(0, 6));
  return Math.floor(ms / 1000) * 1_000_000 + micros;
}

/**
 * Deterministic rows: the seed rows first, then `SKU-000001`… (the same SKUs the Omnitron simulator
 * generates). Row k of n was updated (n - k + 1) minutes before `now`, so later ids are newer.
 */
export function buildStockRows(generated: number, stockList: string, now: number): ErpStockRow[] {
  const skus: { sku: string; stock: number }[] = [...SEED_STOCK.map((s) => ({ sku: s.sku, stock: Number(s.stock) }))];
  for (let i = 1; i <= generated; i++) skus.push({ sku: `SKU-${String(i).padStart(6, '0')}`, stock: (i * 7) % 100 });
  const n = skus.length;
  return skus.map((s, k) => ({
    id: k + 1,
    sku: s.sku,
    stock: s.stock,
    stock_list: stockList,
    unit_type: 'qty',
    updated_date: formatErpDate(now - (n - k) * MINUTE),
  }));
}

export function buildImageRows(generated: number, now: number): ErpImageRow[] {
  const rows: Omit<ErpImageRow, 'id' | 'updated_date'>[] = SEED_IMAGES.map((s) => ({
    sku: s.sku,
    base_code: s.base_code,
    images: [1, 2, 3].map((order) => ({ url: `https://test.project.com.tr/${s.template}-${order}.jpg`, order })),
  }));
  for (let i = 1; i <= generated; i++) {
    const sku = `SKU-${String(i).padStart(6, '0')}`;
    const base = `BASE-${String(Math.ceil(i / 2)).padStart(6, '0')}`;
    rows.push({ sku, base_code: base, images: [1, 2].map((order) => ({ url: `https://cdn.example.test/${base}-${order}.jpg`, order })) });
  }
  const n = rows.length;
  return rows.map((r, k) => ({ id: k + 1, ...r, updated_date: formatErpDate(now - (n - k) * MINUTE) }));
}
