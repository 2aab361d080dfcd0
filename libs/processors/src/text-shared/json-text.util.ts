import { javaDouble } from '@sluice/jolt';

/** Java's `Objects.toString` of a JSON scalar as Jackson reads it: integers as written, decimals as Java doubles. */
export function javaScalarText(v: unknown, nullText: string): string {
  if (v === null || v === undefined) return nullText;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : javaDouble(v);
  return String(v);
}
