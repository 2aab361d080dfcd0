export interface Product {
  readonly pk: number;
  readonly sku: string;
  readonly base_code: string;
  /** ISO-8601 instant. */
  readonly productized_date: string;
}

export interface StockRecord {
  stock: number;
  unit_type: string;
  batch_id: string | null;
}

export interface ImageRecord {
  url: string;
  order: number;
}

const DAY = 86_400_000;

/** The SKUs the product documentation's payloads use, with the base codes the image examples imply. */
export const SEED_PRODUCTS: readonly { sku: string; base_code: string; daysAgo: number }[] = [
  { sku: '1234', base_code: 'test_template', daysAgo: 1 },
  { sku: '12344', base_code: '12344', daysAgo: 2 },
  { sku: '12345', base_code: 'test_template2', daysAgo: 3 },
  { sku: '12346', base_code: '12346', daysAgo: 4 },
  { sku: '12347', base_code: '12347', daysAgo: 5 },
  { sku: '123456', base_code: 'test_template3', daysAgo: 6 },
  { sku: 'test_template', base_code: 'test_template', daysAgo: 7 },
];

export function generatedSku(i: number): string {
  return `SKU-${String(i).padStart(6, '0')}`;
}

/**
 * Deterministic catalogue: the seed products (no stock, no images) plus `generated` products where
 * product i is productized i % 60 days before `now`, has stock in every stock list when i is even and
 * images when i is a multiple of 3. Every two generated products share a base code (`BASE-<n>`).
 */
export function buildCatalogue(generated: number, stockLists: readonly string[], now: number) {
  const products = new Map<string, Product>();
  const stock = new Map<string, Map<string, StockRecord>>(stockLists.map((id) => [id, new Map()]));
  const images = new Map<string, ImageRecord[]>();
  let pk = 1;
  for (const s of SEED_PRODUCTS) {
    products.set(s.sku, { pk: pk++, sku: s.sku, base_code: s.base_code, productized_date: new Date(now - s.daysAgo * DAY).toISOString() });
  }
  for (let i = 1; i <= generated; i++) {
    const sku = generatedSku(i);
    products.set(sku, { pk: pk++, sku, base_code: `BASE-${String(Math.ceil(i / 2)).padStart(6, '0')}`, productized_date: new Date(now - (i % 60) * DAY).toISOString() });
    if (i % 2 === 0) for (const list of stock.values()) list.set(sku, { stock: i % 50, unit_type: 'qty', batch_id: null });
    if (i % 3 === 0) images.set(sku, [{ url: `https://cdn.example.test/${sku}-1.jpg`, order: 1 }]);
  }
  return { products, stock, images };
}
