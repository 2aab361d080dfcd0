import type { MapCacheClient } from './map-cache-client.service.js';

/** Wait and Notify's counter names: the default one, and the one that remembers what a total-count Wait consumed. */
export const DEFAULT_COUNTER = 'default';
export const CONSUMED_COUNTER = 'consumed';
const MAX_REPLACE_ATTEMPTS = 5;

/** The release signal kept under a signal identifier, in NiFi's JSON shape so both sides read the same entry. */
export interface Signal {
  counts: Record<string, number>;
  attributes: Record<string, string>;
  releasableCount: number;
  /** The cache revision it was read at; null when it was not in the cache. */
  revision: number | null;
}

export class SignalConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignalConflictError';
  }
}

export function totalCount(s: Signal): number {
  let n = 0;
  for (const v of Object.values(s.counts)) n += v;
  return n;
}

export function counterValue(s: Signal, counter: string | undefined): number {
  return counter ? (s.counts[counter] ?? 0) : totalCount(s);
}

function encode(s: Signal): string {
  return JSON.stringify({ counts: s.counts, attributes: s.attributes, releasableCount: s.releasableCount });
}

export async function getSignal(cache: MapCacheClient, id: string): Promise<Signal | null> {
  const entry = await cache.fetch(id);
  if (!entry) return null;
  let v: Partial<Signal>;
  try {
    v = JSON.parse(entry.value) as Partial<Signal>;
  } catch {
    throw new Error(`Cached value for ${id} is not a release signal`);
  }
  const counts: Record<string, number> = {};
  for (const [k, n] of Object.entries(v.counts ?? {})) counts[k] = Number(n) || 0;
  return { counts, attributes: { ...(v.attributes ?? {}) }, releasableCount: Number(v.releasableCount) || 0, revision: entry.revision };
}

/** Adds the deltas (a zero delta resets its counter) and the attributes, retrying on a concurrent change. */
export async function notifySignal(cache: MapCacheClient, id: string, deltas: ReadonlyMap<string, number>, attributes: Readonly<Record<string, string>>): Promise<Signal> {
  for (let i = 0; i < MAX_REPLACE_ATTEMPTS; i++) {
    const signal = (await getSignal(cache, id)) ?? { counts: {}, attributes: {}, releasableCount: 0, revision: null };
    Object.assign(signal.attributes, attributes);
    for (const [counter, delta] of deltas) signal.counts[counter] = delta === 0 ? 0 : (signal.counts[counter] ?? 0) + delta;
    if (await cache.replace(id, encode(signal), signal.revision)) return signal;
  }
  throw new SignalConflictError(`Failed to update signal [${id}] after retrying ${MAX_REPLACE_ATTEMPTS} times`);
}

/** Writes the signal back at the revision it was read; another writer in between makes it a conflict. */
export async function replaceSignal(cache: MapCacheClient, id: string, s: Signal): Promise<void> {
  if (!(await cache.replace(id, encode(s), s.revision))) throw new SignalConflictError(`Signal [${id}] was changed concurrently`);
}

/** Removes a fully consumed signal, unless someone notified it since it was read. */
export async function completeSignal(cache: MapCacheClient, id: string, s: Signal): Promise<void> {
  if (s.revision === null || !(await cache.remove(id, s.revision))) throw new SignalConflictError(`Signal [${id}] was changed or removed concurrently`);
}

/**
 * Turns signal counts into passes and releases up to that many candidates, NiFi's way: every `required` signals
 * buy `perPass` releases, the remainder stays counted, unused passes stay with the signal.
 */
export function releaseCandidates<T>(s: Signal, counter: string | undefined, required: number, perPass: number, candidates: readonly T[]): { released: T[]; waiting: T[] } {
  if (s.releasableCount < candidates.length) {
    const count = counterValue(s, counter);
    // A target of zero needs no signals; NiFi divides by it (and fails), so release what is there instead.
    const passes = required > 0 ? Math.floor(count / required) : candidates.length;
    const remainder = required > 0 ? count % required : count;
    s.releasableCount += passes * perPass;
    if (counter) s.counts[counter] = remainder;
    else s.counts[CONSUMED_COUNTER] = (s.counts[CONSUMED_COUNTER] ?? 0) - (count - remainder);
  }
  const n = Math.min(s.releasableCount, candidates.length);
  s.releasableCount -= n;
  return { released: candidates.slice(0, n), waiting: candidates.slice(n) };
}
