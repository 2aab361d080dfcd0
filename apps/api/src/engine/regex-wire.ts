import type { JavaRegexTextResult } from '@sluice/expression';
import type { RegexMatch, RegexTextResult } from '@sluice/flow-api';

/**
 * A job's answer as it crosses from a regex worker: a quarter of a million matches (or of lines) as objects would
 * take the event loop some 400 ms to receive, so they come as typed arrays (transferred) and one string instead,
 * and are rebuilt in slices.
 */
export interface WireResults {
  /** Matches per text. */
  readonly counts: Int32Array;
  /** Per match: its index, then each group's length (-1: took no part). */
  readonly layout: Int32Array;
  /** The values of every group of every match, one after the other. */
  readonly values: string;
  /** Numbers per match in `layout` (the same for every match of one pattern). */
  readonly stride: number;
  /** replaceAll: each text's result. */
  readonly replaced?: readonly (string | null)[];
}

/** In the worker. */
export function encodeResults(results: readonly JavaRegexTextResult[]): WireResults {
  const first = results.find((r) => r.matches.length > 0)?.matches[0];
  const stride = first ? first.groups.length + 1 : 0;
  const counts = new Int32Array(results.length);
  const layout = new Int32Array(results.reduce((n, r) => n + r.matches.length, 0) * stride);
  const parts: string[] = [];
  let k = 0;
  results.forEach(({ matches }, i) => {
    counts[i] = matches.length;
    for (const m of matches) {
      layout[k++] = m.index;
      for (const g of m.groups) {
        layout[k++] = g === undefined ? -1 : g.length;
        if (g) parts.push(g);
      }
    }
  });
  const replaced = results[0]?.replaced === undefined ? undefined : results.map((r) => r.replaced ?? null);
  return { counts, layout, values: parts.join(''), stride, ...(replaced ? { replaced } : {}) };
}

/** The buffers to transfer with an answer. */
export const wireBuffers = (w: WireResults): ArrayBuffer[] => [w.counts.buffer as ArrayBuffer, w.layout.buffer as ArrayBuffer];

/** On the server's thread, as steps for `inSlices`: one step per text and per match. */
export function* decodeResults(w: WireResults): Generator<void, RegexTextResult[]> {
  const out: RegexTextResult[] = [];
  let k = 0;
  let at = 0;
  for (let i = 0; i < w.counts.length; i++) {
    const matches: RegexMatch[] = [];
    for (let n = w.counts[i]!; n > 0; n--, k += w.stride) {
      const groups: (string | undefined)[] = [];
      for (let g = 1; g < w.stride; g++) {
        const length = w.layout[k + g]!;
        groups.push(length < 0 ? undefined : w.values.slice(at, (at += length)));
      }
      matches.push({ index: w.layout[k]!, groups });
      yield;
    }
    out.push(w.replaced ? { matches, replaced: w.replaced[i] ?? null } : { matches });
    yield;
  }
  return out;
}
