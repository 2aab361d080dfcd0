/** A large array is parsed a slice of about this many bytes at a time. */
export const SLICE_BYTES = 256 * 1024;
/**
 * JSON text up to this size is parsed in one go (about 2 ms): finding the slices of a 5000-row batch cost as much as
 * parsing it and left twice the garbage.
 */
export const WHOLE_BYTES = 2 * SLICE_BYTES;

type Schedule = (callback: () => void) => void;
const immediate = (globalThis as { setImmediate?: Schedule }).setImmediate;

/** Resolves on the next turn of the event loop (setImmediate where there is one): other work runs in between. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => (immediate ? immediate(resolve) : void globalThis.setTimeout(resolve, 0)));
}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Parses JSON content; a large array is parsed a slice of its elements at a time, with a turn of the event loop
 * between slices, so a batch of tens of megabytes never holds the loop in one piece. The result is what JSON.parse
 * of the whole text gives, and so is any error: text that does not split cleanly is parsed in one go.
 */
export async function parseJsonInSlices(bytes: Uint8Array): Promise<unknown> {
  const out: unknown[] = [];
  const whole = await eachJsonElement(bytes, (slice) => {
    for (const v of slice) out.push(v);
  });
  return whole === null ? out : whole.value;
}

/**
 * The streaming form of parseJsonInSlices: a large array's elements reach `each` a slice at a time (in order, the
 * event loop free between slices), so a caller that keeps only what it needs of each row never holds every row as
 * an object at once. Returns null when every element went to `each`, else the whole value (an object, or
 * an array small enough to parse in one go). Throws what JSON.parse throws, possibly after earlier slices reached
 * `each`: a caller must not act on them before this resolves.
 */
export async function eachJsonElement(bytes: Uint8Array, each: (elements: readonly unknown[]) => void): Promise<{ value: unknown } | null> {
  let delivered = 0;
  /** Parses it all; any elements the slices did not deliver yet go to `each` too. */
  const whole = (): { value: unknown } | null => {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    if (delivered === 0) return { value };
    each((value as unknown[]).slice(delivered));
    return null;
  };
  let i = 0;
  while (i < bytes.length && SPACE.has(bytes[i]!)) i++;
  if (bytes.length <= WHOLE_BYTES || bytes[i] !== 0x5b) return whole();
  const decoder = new TextDecoder();
  /** Parses the elements between `from` and `to` (no brackets); false when they are not valid JSON. */
  const slice = (from: number, to: number): boolean => {
    let parsed: unknown[];
    try {
      parsed = JSON.parse(`[${decoder.decode(bytes.subarray(from, to))}]`) as unknown[];
    } catch {
      return false;
    }
    // An empty slice after a comma is a trailing comma, which JSON does not allow.
    if (parsed.length === 0 && delivered > 0) return false;
    each(parsed);
    delivered += parsed.length;
    return true;
  };
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = i + 1;
  for (i = start; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (b === 0x5c) escaped = true;
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) {
      if (depth > 0) depth--;
      else break;
    } else if (b === 0x2c && depth === 0 && i - start >= SLICE_BYTES) {
      if (!slice(start, i)) return whole();
      start = i + 1;
      await nextTurn();
    }
  }
  if (i >= bytes.length || bytes[i] !== 0x5d || !slice(start, i)) return whole();
  for (i++; i < bytes.length; i++) if (!SPACE.has(bytes[i]!)) return whole();
  return null;
}

/** Calls `each` for every item, with a turn of the event loop after every `per` of them. */
export async function eachInSlices<T>(items: readonly T[], each: (item: T, index: number) => void, per = 5000): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % per === 0) await nextTurn();
    each(items[i]!, i);
  }
}
