import type { FlowFile } from '@sluice/flow-api';
import type { ContentRepository, FlowFileRepository, QueuedFlowFile, RepositoryTransaction } from '@sluice/flow-core';
import type { DataSource, EntityManager } from 'typeorm';
import { yieldToLoop } from '../common/slices.js';

interface Pending {
  tx: RepositoryTransaction;
  /** Claims of the transaction stored as pieces already, with their number of pieces. */
  chunked: ReadonlyMap<string, number>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

interface FlowFileRow {
  uuid: string;
  flow_id: string;
  connection_id: string;
  attributes: string;
  content_claim: string | null;
  size: string | number;
  entry_date: string | number;
  lineage_start: string | number;
  parents: string;
}

const ROWS_PER_STATEMENT = 200;
/** Contents this large or larger are stored as pieces of CHUNK_BYTES (content_chunk), one statement per piece. */
const CHUNK_BYTES = 1024 * 1024;
const CHUNKED_FROM = 2 * CHUNK_BYTES;

/** Lets the event loop turn between the statements of a large content (SQLite runs each one on it). */
const turn = yieldToLoop;

/** Seals credential attributes (the Login step's tokens) on their way to disk and opens them on the way back. */
export interface AttributeCipher {
  seal(attributes: Readonly<Record<string, string>>): Readonly<Record<string, string>>;
  open(attributes: Record<string, string>): Record<string, string>;
}

/** Records that must be exactly as durable as the FlowFiles they describe (an execution's steps). */
export interface CommitParticipant {
  /**
   * Work on one transaction before it joins a group commit, outside any database transaction (it may let the event
   * loop turn); a rejection fails that commit alone.
   */
  beforeCommit?(transaction: RepositoryTransaction): Promise<void>;
  /**
   * Writes, in the group commit's transaction after the FlowFile changes, what these transactions imply; a
   * rejection rolls the whole group back. The function it returns runs once the transaction is durable.
   */
  inCommit(m: EntityManager, transactions: readonly RepositoryTransaction[]): Promise<(() => void) | void>;
}

/**
 * FlowFile and content repositories on the relational database. Commits from many sessions are grouped into
 * one database transaction (group commit): each caller's promise resolves only once that transaction is
 * durable, so a session counts as committed exactly when its FlowFiles are on disk.
 */
export class SqlFlowFileRepository implements FlowFileRepository, ContentRepository {
  private pending: Pending[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private seq = 0;
  private readonly pg: boolean;
  private readonly participants: CommitParticipant[] = [];
  /** Claims whose pieces are stored but whose commit has not finished: not garbage yet. */
  private readonly staging = new Set<string>();
  private readonly writingChunks = new Set<Promise<unknown>>();

  /**
   * `owner`: in cluster mode the node this process is. It loads, drops and writes only the FlowFiles it owns, so a
   * node never runs (or removes) another live node's queued data; a dead node's FlowFiles are handed over with `adopt`.
   */
  constructor(
    private readonly ds: DataSource,
    private readonly cipher?: AttributeCipher,
    private readonly owner: string | null = null,
  ) {
    this.pg = ds.options.type === 'postgres';
  }

  /** Makes this node the owner of the FlowFiles of nodes that are gone (or of a single-node past); returns their flows. */
  async adopt(from: readonly string[], orphans: boolean): Promise<Set<string>> {
    if (this.owner === null || (from.length === 0 && !orphans)) return new Set();
    return this.serialized(async () => {
      const clauses: string[] = [];
      if (from.length) clauses.push(`"owner_node" IN (${from.map((_, i) => this.p(i + 2)).join(',')})`);
      if (orphans) clauses.push(`"owner_node" IS NULL`);
      const rows = (await this.ds.query(`UPDATE "flowfile" SET "owner_node" = ${this.p(1)} WHERE ${clauses.join(' OR ')} RETURNING "flow_id"`, [this.owner, ...from])) as
        | { flow_id: string }[]
        | [{ flow_id: string }[], number];
      const list = Array.isArray(rows[0]) ? (rows[0] as { flow_id: string }[]) : (rows as { flow_id: string }[]);
      return new Set(list.map((r) => r.flow_id));
    });
  }

  participate(p: CommitParticipant): void {
    this.participants.push(p);
  }

  async init(): Promise<void> {
    const [row] = (await this.ds.query(`SELECT MAX("seq") AS m FROM "flowfile"`)) as { m: string | number | null }[];
    this.seq = Number(row?.m ?? 0);
    // In a cluster the leader sweeps (retention); a node starting must not race the others' work.
    if (this.owner === null) await this.collectGarbage();
  }

  async loadQueued(flowId: string): Promise<QueuedFlowFile[]> {
    const rows = (await this.ds.query(
      `SELECT "uuid","flow_id","connection_id","attributes","content_claim","size","entry_date","lineage_start","parents"
       FROM "flowfile" WHERE "flow_id" = ${this.p(1)}${this.mine(2)} ORDER BY "seq"`,
      this.owned([flowId]),
    )) as FlowFileRow[];
    return rows.map((r) => ({
      connectionId: r.connection_id,
      flowFile: {
        uuid: r.uuid,
        attributes: this.cipher ? this.cipher.open(JSON.parse(r.attributes) as Record<string, string>) : (JSON.parse(r.attributes) as Record<string, string>),
        contentClaim: r.content_claim,
        size: Number(r.size),
        entryDate: Number(r.entry_date),
        lineageStartDate: Number(r.lineage_start),
        parentUuids: JSON.parse(r.parents) as string[],
        penaltyExpiration: 0,
      } satisfies FlowFile,
    }));
  }

  async read(claim: string): Promise<Uint8Array> {
    const rows = (await this.ds.query(`SELECT "data" FROM "content_claim" WHERE "claim" = ${this.p(1)}`, [claim])) as { data: Uint8Array }[];
    if (rows.length === 0) throw new Error(`content claim ${claim} not found`);
    const data = bytesOf(rows[0]!.data);
    if (data.byteLength > 0) return data;
    const pieces = (await this.ds.query(`SELECT "seq", length("data") AS "n" FROM "content_chunk" WHERE "claim" = ${this.p(1)} ORDER BY "seq"`, [claim])) as { seq: number; n: string | number }[];
    if (pieces.length === 0) return data;
    const out = new Uint8Array(pieces.reduce((sum, c) => sum + Number(c.n), 0));
    let at = 0;
    for (const { seq } of pieces) {
      await turn();
      const [piece] = (await this.ds.query(`SELECT "data" FROM "content_chunk" WHERE "claim" = ${this.p(1)} AND "seq" = ${this.p(2)}`, [claim, seq])) as { data: Uint8Array }[];
      const bytes = bytesOf(piece!.data);
      out.set(bytes, at);
      at += bytes.byteLength;
    }
    return out;
  }

  async commit(tx: RepositoryTransaction): Promise<void> {
    for (const participant of this.participants) if (participant.beforeCommit) await participant.beforeCommit(tx);
    // Large contents are stored a piece at a time before the transaction joins a group commit, which then checks
    // that they are all there; other commits go on meanwhile. A failed commit leaves them to the garbage collection.
    let chunked = new Map<string, number>();
    if (tx.contents.some((c) => c.bytes.byteLength >= CHUNKED_FROM)) {
      const writing = this.writeChunks(tx);
      this.writingChunks.add(writing);
      try {
        chunked = await writing;
      } finally {
        this.writingChunks.delete(writing);
      }
    }
    try {
      await new Promise<void>((resolve, reject) => {
        this.pending.push({ tx, chunked, resolve, reject });
        if (!this.scheduled) {
          this.scheduled = true;
          this.flushing = this.flushing.then(() => this.flush());
        }
      });
    } finally {
      for (const claim of chunked.keys()) this.staging.delete(claim);
    }
  }

  async dropQueue(flowId: string, connectionId: string): Promise<number> {
    await this.flushing;
    return this.serialized(async () => {
      const [row] = (await this.ds.query(
        `SELECT COUNT(*) AS n FROM "flowfile" WHERE "flow_id" = ${this.p(1)} AND "connection_id" = ${this.p(2)}${this.mine(3)}`,
        this.owned([flowId, connectionId]),
      )) as { n: string | number }[];
      await this.ds.query(`DELETE FROM "flowfile" WHERE "flow_id" = ${this.p(1)} AND "connection_id" = ${this.p(2)}${this.mine(3)}`, this.owned([flowId, connectionId]));
      await this.collectGarbage();
      return Number(row?.n ?? 0);
    });
  }

  /** Removes every FlowFile of a flow (the flow was deleted). */
  async dropFlow(flowId: string): Promise<void> {
    await this.serialized(async () => {
      await this.ds.query(`DELETE FROM "flowfile" WHERE "flow_id" = ${this.p(1)}`, [flowId]);
      await this.collectGarbage();
    });
  }

  /** Frees every claim no FlowFile references; between flushes, so no session is half-written. */
  sweep(): Promise<void> {
    return this.serialized(() => this.collectGarbage());
  }

  /** Resolves once every commit handed in so far is durable. */
  async drain(): Promise<void> {
    while (this.writingChunks.size) await Promise.allSettled([...this.writingChunks]);
    while (this.scheduled || this.pending.length) await this.flushing;
    await this.flushing;
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.flushing.then(work);
    this.flushing = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async flush(): Promise<void> {
    // Let sessions that finish in the same tick join this transaction.
    await new Promise<void>((r) => setImmediate(r));
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    if (batch.length === 0) return;
    let released = false;
    try {
      const durable: (() => void)[] = [];
      await this.ds.transaction(async (m) => {
        released = await this.apply(m, batch);
        const txs = batch.map((p) => p.tx);
        for (const participant of this.participants) {
          const then = await participant.inCommit(m, txs);
          if (then) durable.push(then);
        }
      });
      for (const p of batch) p.resolve();
      for (const then of durable) then();
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
    if (released) await this.dropOrphanChunks().catch(() => undefined);
  }

  /** Stores the pieces of the transaction's large contents; returns each such claim's number of pieces. */
  private async writeChunks(tx: RepositoryTransaction): Promise<Map<string, number>> {
    const chunked = new Map<string, number>();
    try {
      for (const { claim, bytes } of tx.contents) {
        if (bytes.byteLength < CHUNKED_FROM || chunked.has(claim)) continue;
        this.staging.add(claim);
        let seq = 0;
        for (let at = 0; at < bytes.byteLength; at += CHUNK_BYTES, seq++) {
          const piece = bytes.subarray(at, Math.min(at + CHUNK_BYTES, bytes.byteLength));
          await this.ds.query(`INSERT INTO "content_chunk" ("claim","seq","data") VALUES (${this.p(1)},${this.p(2)},${this.p(3)}) ON CONFLICT ("claim","seq") DO NOTHING`, [
            claim,
            seq,
            Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength),
          ]);
          await turn();
        }
        chunked.set(claim, seq);
      }
    } catch (e) {
      for (const { claim } of tx.contents) this.staging.delete(claim);
      throw e;
    }
    return chunked;
  }

  /** Removes the pieces of contents no claim holds any more, one statement per piece. */
  private async dropOrphanChunks(): Promise<void> {
    const orphans = (await this.ds.query(
      `SELECT "claim", "seq" FROM "content_chunk" k WHERE NOT EXISTS (SELECT 1 FROM "content_claim" c WHERE c."claim" = k."claim")`,
    )) as { claim: string; seq: number }[];
    for (const { claim, seq } of orphans) {
      if (this.staging.has(claim)) continue;
      await this.ds.query(`DELETE FROM "content_chunk" WHERE "claim" = ${this.p(1)} AND "seq" = ${this.p(2)}`, [claim, seq]);
      await turn();
    }
  }

  /** Applies the batch in the open transaction; true when it released content. */
  private async apply(m: EntityManager, batch: Pending[]): Promise<boolean> {
    const chunked = new Map(batch.flatMap((p) => [...p.chunked]));
    // Net effect per uuid across the batch: the last upsert wins; a later delete cancels it.
    const upserts = new Map<string, { q: QueuedFlowFile; flowId: string }>();
    const deletes = new Set<string>();
    const contents = new Map<string, Uint8Array>();
    const released = new Set<string>();
    for (const { tx } of batch) {
      for (const c of tx.contents) contents.set(c.claim, c.bytes);
      for (const claim of tx.released ?? []) released.add(claim);
      for (const d of tx.deletes) {
        upserts.delete(d);
        deletes.add(d);
      }
      for (const q of tx.upserts) {
        deletes.delete(q.flowFile.uuid);
        upserts.delete(q.flowFile.uuid); // re-insert keeps queue order by latest move
        upserts.set(q.flowFile.uuid, { q, flowId: tx.flowId });
      }
    }
    const contentRows = [...contents];
    for (let i = 0; i < contentRows.length; i += ROWS_PER_STATEMENT) {
      const chunk = contentRows.slice(i, i + ROWS_PER_STATEMENT);
      const params: unknown[] = [];
      const values = chunk.map(([claim, bytes]) => {
        // A chunked content's own row is empty: its data is in content_chunk.
        params.push(claim, chunked.has(claim) ? Buffer.alloc(0) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        return `(${this.p(params.length - 1)},${this.p(params.length)})`;
      });
      await m.query(`INSERT INTO "content_claim" ("claim","data") VALUES ${values.join(',')} ON CONFLICT ("claim") DO NOTHING`, params);
    }
    for (const [claim, pieces] of chunked) {
      const [row] = (await m.query(`SELECT COUNT(*) AS "n" FROM "content_chunk" WHERE "claim" = ${this.p(1)}`, [claim])) as { n: string | number }[];
      if (Number(row?.n ?? 0) !== pieces) throw new Error(`content ${claim} lost pieces before its commit (${String(row?.n)} of ${pieces} stored)`);
    }
    const rows = [...upserts.values()];
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
      const params: unknown[] = [];
      const values = chunk.map(({ q, flowId }) => {
        const f = q.flowFile;
        const start = params.length;
        params.push(f.uuid, flowId, q.connectionId, ++this.seq, JSON.stringify(this.cipher ? this.cipher.seal(f.attributes) : f.attributes), f.contentClaim, f.size, f.entryDate, f.lineageStartDate, JSON.stringify(f.parentUuids), this.owner);
        return `(${Array.from({ length: 11 }, (_, k) => this.p(start + k + 1)).join(',')})`;
      });
      await m.query(
        `INSERT INTO "flowfile" ("uuid","flow_id","connection_id","seq","attributes","content_claim","size","entry_date","lineage_start","parents","owner_node")
         VALUES ${values.join(',')}
         ON CONFLICT ("uuid") DO UPDATE SET "connection_id" = excluded."connection_id", "seq" = excluded."seq", "owner_node" = excluded."owner_node",
           "attributes" = excluded."attributes", "content_claim" = excluded."content_claim", "size" = excluded."size",
           "entry_date" = excluded."entry_date"`,
        params,
      );
    }
    const gone = [...deletes];
    for (let i = 0; i < gone.length; i += ROWS_PER_STATEMENT) {
      const chunk = gone.slice(i, i + ROWS_PER_STATEMENT);
      await m.query(`DELETE FROM "flowfile" WHERE "uuid" IN (${chunk.map((_, k) => this.p(k + 1)).join(',')})`, chunk);
    }
    // Content is freed in the commit that stops using it, unless a FlowFile (a clone, another queue) still does.
    const free = [...released];
    for (let i = 0; i < free.length; i += ROWS_PER_STATEMENT) {
      const chunk = free.slice(i, i + ROWS_PER_STATEMENT);
      await m.query(
        `DELETE FROM "content_claim" WHERE "claim" IN (${chunk.map((_, k) => this.p(k + 1)).join(',')})
         AND NOT EXISTS (SELECT 1 FROM "flowfile" f WHERE f."content_claim" = "content_claim"."claim")`,
        chunk,
      );
    }
    return free.length > 0;
  }

  /** Content no FlowFile references any more. Runs between flushes, so no session is half-written. */
  private async collectGarbage(): Promise<void> {
    await this.ds.query(
      `DELETE FROM "content_claim" WHERE NOT EXISTS (SELECT 1 FROM "flowfile" f WHERE f."content_claim" = "content_claim"."claim")`,
    );
    await this.dropOrphanChunks();
  }

  /** Restricts a FlowFile query to this node's own rows in cluster mode (parameter n is the owner). */
  private mine(n: number): string {
    return this.owner === null ? '' : ` AND "owner_node" = ${this.p(n)}`;
  }

  private owned(params: unknown[]): unknown[] {
    return this.owner === null ? params : [...params, this.owner];
  }

  private p(n: number): string {
    return this.pg ? `$${n}` : '?';
  }
}

function bytesOf(data: unknown): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data as ArrayBufferLike);
}
