import type { RowLog } from '@sluice/processors';

/**
 * A journal row's text: one chunk's row logs by column, each column in its most compact form. About a fifth of an
 * array of objects, which was the chunk's biggest cost on the write path: every recorded byte is encoded and goes
 * through SQLite's log before the step may send the next chunk.
 */
interface Columns {
  readonly v: 2;
  /** Lines in the chunk: a column of one value holds it for each. */
  readonly n: number;
  readonly sku: Column<string | null>;
  readonly status: Column<RowLog['status']>;
  readonly message: Column<string>;
  readonly step: Column<string | null>;
  readonly key: Column<string | null>;
}

/**
 * A column's values in line order: the one value of every line; consecutive integers from `from` (a step's keys are
 * row indices); a few distinct values `d` and each line's index `i` into them (messages that differ by a number);
 * or the values themselves.
 */
type Column<T> = T | T[] | { readonly from: number } | { readonly d: T[]; readonly i: number[] };

export function encodeJournal(rows: readonly RowLog[]): string {
  if (rows.length === 0) return '[]';
  const columns: Columns = {
    v: 2,
    n: rows.length,
    sku: column(rows, (r) => r.sku),
    status: column(rows, (r) => r.status),
    message: column(rows, (r) => r.message),
    step: column(rows, (r) => r.step ?? null),
    key: column(rows, (r) => r.key ?? null),
  };
  return JSON.stringify(columns);
}

/** The lines of a journal row in either form: by column, or the array of row logs journals held before. */
export function decodeJournal(text: string): RowLog[] {
  const parsed = JSON.parse(text) as RowLog[] | Columns;
  if (Array.isArray(parsed)) return parsed;
  if (parsed.v !== 2) throw new Error(`unknown row journal format ${String(parsed.v)}`);
  const sku = values(parsed.sku, parsed.n);
  const status = values(parsed.status, parsed.n);
  const message = values(parsed.message, parsed.n);
  const step = values(parsed.step, parsed.n);
  const key = values(parsed.key, parsed.n);
  return Array.from({ length: parsed.n }, (_, i) => ({
    sku: sku(i),
    status: status(i),
    message: message(i),
    ...(step(i) === null ? {} : { step: step(i)! }),
    ...(key(i) === null ? {} : { key: key(i)! }),
  }));
}

/** Fewest lines for which a dictionary can pay for itself, and most distinct values per line it may hold. */
const DICTIONARY_MIN_LINES = 8;
const DICTIONARY_MAX_SHARE = 0.25;

function column<T extends string | null>(rows: readonly RowLog[], value: (row: RowLog) => T): Column<T> {
  const n = rows.length;
  const all = new Array<T>(n);
  let same = true;
  for (let i = 0; i < n; i++) if ((all[i] = value(rows[i]!)) !== all[0]) same = false;
  if (same) return all[0]!;
  const from = integerRun(all);
  if (from !== null) return { from };
  if (n >= DICTIONARY_MIN_LINES) {
    const d: T[] = [];
    const index = new Map<T, number>();
    const ids = new Array<number>(n);
    let i = 0;
    for (; i < n; i++) {
      let id = index.get(all[i]!);
      if (id === undefined) {
        if (d.length >= n * DICTIONARY_MAX_SHARE) break;
        index.set(all[i]!, (id = d.push(all[i]!) - 1));
      }
      ids[i] = id;
    }
    if (i === n) return { d, i: ids };
  }
  return all;
}

/** The first of values that are consecutive integers in canonical decimal ("7", "8", "9"), or null. */
function integerRun(all: readonly (string | null)[]): number | null {
  const first = all[0];
  if (typeof first !== 'string' || !/^(0|[1-9]\d{0,14})$/.test(first)) return null;
  const from = Number(first);
  for (let i = 1; i < all.length; i++) if (all[i] !== String(from + i)) return null;
  return from;
}

function values<T>(c: Column<T>, n: number): (i: number) => T {
  if (Array.isArray(c)) return (i) => c[i]!;
  if (c !== null && typeof c === 'object') {
    if ('from' in c) return (i) => String(c.from + i) as T;
    const { d, i: ids } = c as { d: T[]; i: number[] };
    if (ids.length !== n) throw new Error(`row journal column holds ${ids.length} lines, not ${n}`);
    return (i) => d[ids[i]!]!;
  }
  return () => c;
}
