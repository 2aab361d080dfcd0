import type { RowLog } from '@sluice/processors';

/**
 * A journal row's text: one chunk's row logs by column, each column a single value when every line has it (a step's
 * lines share their step, most their status). About 40% of an array of objects, which was the chunk's biggest cost
 * on the write path: every recorded byte goes through SQLite's log before the step may send the next chunk.
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

/** The column's values in line order, or the one value of every line. */
type Column<T> = T | T[];

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
  const at = <T>(c: Column<T>, i: number): T => (Array.isArray(c) ? c[i]! : c);
  return Array.from({ length: parsed.n }, (_, i) => {
    const step = at(parsed.step, i);
    const key = at(parsed.key, i);
    return {
      sku: at(parsed.sku, i),
      status: at(parsed.status, i),
      message: at(parsed.message, i),
      ...(step === null ? {} : { step }),
      ...(key === null ? {} : { key }),
    };
  });
}

function column<T>(rows: readonly RowLog[], value: (row: RowLog) => T): Column<T> {
  const first = value(rows[0]!);
  const values = new Array<T>(rows.length);
  let same = true;
  for (let i = 0; i < rows.length; i++) {
    const v = (values[i] = value(rows[i]!));
    if (v !== first) same = false;
  }
  return same ? first : values;
}
