import { jsonPathSteps } from '@sluice/expression';

/** A placeholder a dry run hands a processor where the other system would answer with a secret (a token). */
export const DRY_RUN_TOKEN = 'dry-run-token';

/** The smallest JSON document holding `value` at a simple path (`$.data.token` → `{"data": {"token": …}}`). */
export function documentAt(path: string, value: unknown): unknown {
  const steps = jsonPathSteps(path);
  if (!steps) return value;
  let doc = value;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    if (typeof step === 'number') {
      const list: unknown[] = Array.from({ length: step + 1 }, () => null);
      list[step] = doc;
      doc = list;
    } else doc = { [step]: doc };
  }
  return doc;
}

/** Merges documents built by documentAt (a token and its lifetime in one login reply). */
export function mergeDocuments(a: unknown, b: unknown): unknown {
  if (a === null || typeof a !== 'object' || Array.isArray(a) || b === null || typeof b !== 'object' || Array.isArray(b)) return b;
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = k in out ? mergeDocuments(out[k], v) : v;
  return out;
}
