import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { RepositoryTransaction } from '@sluice/flow-core';
import type { EntityManager } from 'typeorm';

/** Bytes of one content kept for provenance; a larger content keeps its beginning (1 MB shows thousands of rows). */
export const CONTENT_KEPT_BYTES = 1024 * 1024;


export interface KeptContent {
  claim: string;
  bytes: Uint8Array;
  size: number;
  at: number;
}

/**
 * The contents provenance events point at, as committed transactions wrote them: only claims an event of the same
 * transaction names (what a step let go), cut to the limit. Copied from memory after the commit, so a claim the flow
 * frees right away is still shown, and nothing is added to the commit itself.
 */
export function contentsToKeep(transactions: readonly RepositoryTransaction[], now: number): KeptContent[] {
  const out: KeptContent[] = [];
  for (const tx of transactions) {
    if (!tx.provenance?.length || tx.contents.length === 0) continue;
    const named = new Set<string>();
    for (const e of tx.provenance) if (e.contentClaim) named.add(e.contentClaim);
    for (const c of tx.contents) {
      if (!named.has(c.claim)) continue;
      out.push({ claim: c.claim, bytes: c.bytes.subarray(0, CONTENT_KEPT_BYTES), size: c.bytes.byteLength, at: now });
    }
  }
  return out;
}

/** Stores kept contents deflated (JSON shrinks about tenfold), in the caller's transaction; repeats are ignored. */
export async function writeContents(m: EntityManager, contents: readonly KeptContent[], p: (n: number) => string): Promise<void> {
  // Synchronous on purpose: many small jobs on libuv's pool would queue logins' key derivation behind them. The
  // fastest level: a 5000-row batch deflates in a quarter of the default's time to 1/16 instead of 1/21 of its size.
  const packed = contents.map((c) => ({ ...c, data: deflateRawSync(c.bytes, { level: 1 }) }));
  for (let i = 0; i < packed.length; i += 50) {
    const chunk = packed.slice(i, i + 50);
    const params: unknown[] = [];
    const values = chunk.map((c) => {
      const start = params.length;
      params.push(c.claim, c.data, c.size, c.bytes.byteLength, c.at);
      return `(${[1, 2, 3, 4, 5].map((k) => p(start + k)).join(',')})`;
    });
    await m.query(`INSERT INTO "provenance_content" ("claim","data","size","kept","created_at") VALUES ${values.join(',')} ON CONFLICT ("claim") DO NOTHING`, params);
  }
}

export async function unpack(data: Uint8Array): Promise<Buffer> {
  return inflateRawSync(data);
}
