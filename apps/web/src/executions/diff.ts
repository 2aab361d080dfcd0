export type DiffLine = { kind: 'same' | 'added' | 'removed'; text: string };

/** Lines compared at most; longer texts are compared on their first lines only (and say so). */
export const DIFF_MAX_LINES = 3000;

/** A line diff (longest common subsequence), enough to see what a step changed in a FlowFile's content. */
export function diffLines(before: string, after: string): { lines: DiffLine[]; cut: boolean } {
  const a = before.split('\n');
  const b = after.split('\n');
  const cut = a.length > DIFF_MAX_LINES || b.length > DIFF_MAX_LINES;
  const x = a.slice(0, DIFF_MAX_LINES);
  const y = b.slice(0, DIFF_MAX_LINES);
  // Common prefix and suffix first: most steps change a few lines of a long text.
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  const mx = x.slice(start, endX);
  const my = y.slice(start, endY);
  const n = mx.length;
  const m = my.length;
  const lines: DiffLine[] = x.slice(0, start).map((text) => ({ kind: 'same', text }));
  if (n * m > 4_000_000) {
    for (const text of mx) lines.push({ kind: 'removed', text });
    for (const text of my) lines.push({ kind: 'added', text });
  } else {
    const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) table[i]![j] = mx[i] === my[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (mx[i] === my[j]) {
        lines.push({ kind: 'same', text: mx[i]! });
        i++;
        j++;
      } else if (table[i + 1]![j]! >= table[i]![j + 1]!) lines.push({ kind: 'removed', text: mx[i++]! });
      else lines.push({ kind: 'added', text: my[j++]! });
    }
    while (i < n) lines.push({ kind: 'removed', text: mx[i++]! });
    while (j < m) lines.push({ kind: 'added', text: my[j++]! });
  }
  for (const text of x.slice(endX)) lines.push({ kind: 'same', text });
  return { lines, cut };
}

/** Attributes a step added, removed or changed. */
export function diffAttributes(before: Record<string, string>, after: Record<string, string>): { name: string; before?: string; after?: string }[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names.filter((k) => before[k] !== after[k]).map((name) => ({ name, ...(name in before ? { before: before[name] } : {}), ...(name in after ? { after: after[name] } : {}) }));
}

/** Content as people read it: JSON pretty-printed, anything else as it is. */
export function pretty(text: string): { text: string; json: unknown; isJson: boolean } {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      const json = JSON.parse(t) as unknown;
      return { text: JSON.stringify(json, null, 2), json, isJson: true };
    } catch {
      // not JSON after all (or cut short): shown as text
    }
  }
  return { text, json: undefined, isJson: false };
}
