import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ProvenanceContentDto, ProvenanceEventDto } from '@sluice/contracts';
import type { ProvenanceEvent, ProvenanceSink, RepositoryTransaction } from '@sluice/flow-core';
import { DataSource } from 'typeorm';
import { yieldToLoop } from '../common/slices.js';
import { EngineEventsHub } from '../engine/engine-events.hub.js';
import { redactAttributes } from '../persistence/sensitive-attributes.js';
import { SecretRegistry } from '../secrets/secret-registry.js';
import { contentsToKeep, unpack, writeContents, type KeptContent } from './provenance-content.js';

export interface Row {
  id: string | number;
  flow_id: string;
  flowfile_uuid: string;
  event_type: ProvenanceEventDto['eventType'];
  processor_id: string;
  relationship: string | null;
  parents: string;
  children: string;
  details: string | null;
  timestamp: string | number;
  transit_uri?: string | null;
  attributes?: string;
  size?: string | number;
  execution_id?: string | null;
  content_claim?: string | null;
  kept?: string | number | null;
}

const FLUSH_MS = 200;
/** First and longest wait before a flush that failed (the database is down or full) is tried again. */
const RETRY_MS = 1000;
const RETRY_MAX_MS = 30_000;
/**
 * Events held for a database that keeps failing: past this the oldest are dropped (and counted in the log), so an
 * outage cannot exhaust memory. FlowFiles and their queues do not depend on it; only their history would be shorter.
 */
export const PROVENANCE_PENDING_MAX = 200_000;
const ROWS_PER_STATEMENT = 100;
/**
 * Text (details and attributes) one statement stores at most, bar a single larger event: SQLite runs a statement on
 * the event loop, and a large batch's writer commits one event per request it sent with the request in `details`.
 */
const TEXT_PER_STATEMENT = 512 * 1024;
/** Most events a lineage answer carries; a wide split stops there (and says so). */
export const LINEAGE_MAX_EVENTS = 2000;
/** Largest content slice one request returns. */
export const CONTENT_PAGE_MAX = 256 * 1024;
/** Events joined with whether their content was kept. */
export const EVENT_COLUMNS = `e.*, (SELECT c."kept" FROM "provenance_content" c WHERE c."claim" = e."content_claim") AS "kept"`;

/** Records provenance in batches off the commit path; queries per flow and per FlowFile lineage. */
@Injectable()
export class ProvenanceService implements ProvenanceSink, OnModuleDestroy {
  private buffer: ProvenanceEvent[] = [];
  private contents: KeptContent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  /** Wait before the next try while the database fails; 0 when the last flush stored everything. */
  private backoff = 0;
  private dropped = 0;
  private closed = false;
  private readonly pg: boolean;
  private readonly log = new Logger('Provenance');

  constructor(
    private readonly ds: DataSource,
    private readonly hub: EngineEventsHub,
    private readonly secrets: SecretRegistry,
  ) {
    this.pg = ds.options.type === 'postgres';
  }

  record(events: readonly ProvenanceEvent[]): void {
    for (const e of events) this.buffer.push(e);
    if (this.hub.has('provenance.events')) this.hub.emit('provenance.events', events);
    this.schedule();
  }

  /** Keeps the contents committed transactions' events name, written with the next batch of events. */
  keepContents(transactions: readonly RepositoryTransaction[]): void {
    const kept = contentsToKeep(transactions, Date.now());
    if (kept.length === 0) return;
    for (const c of kept) this.contents.push(c);
    this.schedule();
  }

  private schedule(): void {
    if (this.backoff === 0 && (this.buffer.length >= 5000 || this.contents.length >= 200)) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.backoff || FLUSH_MS);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer;
    const contents = this.contents;
    this.buffer = [];
    this.contents = [];
    if (batch.length === 0 && contents.length === 0) return this.writing;
    this.writing = this.writing.then(() => this.write(batch, contents)).then(
      () => {
        this.backoff = 0;
      },
      (e: unknown) => this.failed(e),
    );
    return this.writing;
  }

  /** Keeps what a failed flush did not store for the next try, after a growing wait. */
  private failed(e: unknown): void {
    this.backoff = Math.min(this.backoff ? this.backoff * 2 : RETRY_MS, RETRY_MAX_MS);
    const over = this.buffer.length - PROVENANCE_PENDING_MAX;
    if (over > 0) {
      this.buffer.splice(0, over);
      this.dropped += over;
    }
    this.log.warn(
      `storing provenance failed (${(e as Error).message}); ${this.buffer.length} events wait, next try in ${this.backoff} ms` +
        (this.dropped ? `; ${this.dropped} oldest events dropped so far` : ''),
    );
    if (this.timer) clearTimeout(this.timer);
    this.timer = this.closed ? null : setTimeout(() => void this.flush(), this.backoff);
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Stores the batch statement by statement, each its own transaction; when one fails, it and the rest go back to
   * the front of the buffer (ahead of events recorded meanwhile, so order holds) and none is stored twice.
   */
  private async write(batch: ProvenanceEvent[], contents: KeptContent[]): Promise<void> {
    const done = { events: 0 };
    try {
      if (contents.length) await this.ds.transaction((m) => writeContents(m, contents, (n) => this.p(n)));
      contents = [];
      await this.writeEvents(batch, done);
    } catch (e) {
      this.contents = contents.concat(this.contents);
      this.buffer = batch.slice(done.events).concat(this.buffer);
      this.announce(batch.slice(0, done.events));
      throw e;
    }
    this.announce(batch);
  }

  private announce(stored: readonly ProvenanceEvent[]): void {
    const perFlow = new Map<string, number>();
    for (const e of stored) perFlow.set(e.flowId, (perFlow.get(e.flowId) ?? 0) + 1);
    for (const [flowId, count] of perFlow) this.hub.emit('provenance.recorded', { flowId, count });
  }

  /** Stores the events in order; `done.events` counts those stored so far. */
  private async writeEvents(batch: ProvenanceEvent[], done: { events: number }): Promise<void> {
    for (let from = 0; from < batch.length; ) {
      const params: unknown[] = [];
      const values: string[] = [];
      let text = 0;
      let to = from;
      for (; to < batch.length && to - from < ROWS_PER_STATEMENT && (to === from || text < TEXT_PER_STATEMENT); to++) {
        const e = batch[to]!;
        const start = params.length;
        const attributes = redactAttributes(e.attributes);
        text += attributes.length + (e.details?.length ?? 0);
        params.push(
          e.flowId, e.flowFileUuid, e.eventType, e.processorId, e.relationship, JSON.stringify(e.parentUuids), JSON.stringify(e.childUuids), e.transitUri ?? null,
          e.details, attributes, e.size, e.timestamp, e.attributes['execution.id'] ?? null, e.contentClaim ?? null,
        );
        values.push(`(${Array.from({ length: 14 }, (_, k) => this.p(start + k + 1)).join(',')})`);
      }
      // Lets requests run between statements; each is its own transaction, as SQLite's one connection would take
      // any other statement run meanwhile into an open one.
      if (from > 0) await yieldToLoop();
      await this.ds.transaction((m) =>
        m.query(
          `INSERT INTO "provenance_event" ("flow_id","flowfile_uuid","event_type","processor_id","relationship","parents","children","transit_uri","details","attributes","size","timestamp","execution_id","content_claim") VALUES ${values.join(',')}`,
          params,
        ),
      );
      from = to;
      done.events = to;
    }
  }

  async query(flowId: string, opts: { flowFileUuid?: string; eventType?: string; limit?: number; beforeId?: number; executionId?: string; processorId?: string }): Promise<ProvenanceEventDto[]> {
    await this.flush();
    const where = [`e."flow_id" = ${this.p(1)}`];
    const params: unknown[] = [flowId];
    const add = (column: string, value: unknown, op = '=') => {
      params.push(value);
      where.push(`e."${column}" ${op} ${this.p(params.length)}`);
    };
    if (opts.flowFileUuid) add('flowfile_uuid', opts.flowFileUuid);
    if (opts.eventType) add('event_type', opts.eventType);
    if (opts.executionId) add('execution_id', opts.executionId);
    if (opts.processorId) add('processor_id', opts.processorId);
    if (opts.beforeId) add('id', opts.beforeId, '<');
    const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
    const rows = (await this.ds.query(`SELECT ${EVENT_COLUMNS} FROM "provenance_event" e WHERE ${where.join(' AND ')} ORDER BY e."id" DESC LIMIT ${limit}`, params)) as Row[];
    return rows.map((r) => this.toDto(r));
  }

  /** Events of several FlowFiles, oldest first (bounded by `limit`). */
  async eventsOf(uuids: readonly string[], limit: number): Promise<ProvenanceEventDto[]> {
    await this.flush();
    const out: ProvenanceEventDto[] = [];
    for (let i = 0; i < uuids.length && out.length < limit; i += 500) {
      const chunk = uuids.slice(i, i + 500);
      const rows = (await this.ds.query(
        `SELECT ${EVENT_COLUMNS} FROM "provenance_event" e WHERE e."flowfile_uuid" IN (${chunk.map((_, k) => this.p(k + 1)).join(',')}) ORDER BY e."id" LIMIT ${limit - out.length}`,
        [...chunk],
      )) as Row[];
      for (const r of rows) out.push(this.toDto(r));
    }
    return out.sort((a, b) => a.id - b.id);
  }

  async event(id: number): Promise<(ProvenanceEventDto & { contentClaim: string | null }) | null> {
    await this.flush();
    const [row] = (await this.ds.query(`SELECT ${EVENT_COLUMNS} FROM "provenance_event" e WHERE e."id" = ${this.p(1)}`, [id])) as Row[];
    return row ? { ...this.toDto(row), contentClaim: row.content_claim ?? null } : null;
  }

  /** Every event of the FlowFile, its ancestors and its descendants, oldest first, at most LINEAGE_MAX_EVENTS. */
  async lineage(uuid: string, maxEvents = LINEAGE_MAX_EVENTS): Promise<{ events: ProvenanceEventDto[]; truncated: boolean }> {
    await this.flush();
    const seen = new Set<string>();
    const events = new Map<number, ProvenanceEventDto>();
    let frontier = [uuid];
    let truncated = false;
    while (frontier.length) {
      const todo = [...new Set(frontier)].filter((u) => !seen.has(u));
      for (const u of todo) seen.add(u);
      const next: string[] = [];
      for (const dto of await this.eventsOf(todo, maxEvents + 1)) {
        if (events.size >= maxEvents) {
          truncated = true;
          break;
        }
        events.set(dto.id, dto);
        next.push(...dto.parentUuids, ...dto.childUuids);
      }
      if (truncated) break;
      frontier = next;
    }
    return { events: [...events.values()].sort((a, b) => a.id - b.id), truncated };
  }

  /** A slice of the content an event's FlowFile had, as UTF-8 text with secrets masked. */
  async content(event: { id: number; contentClaim: string | null; size?: number }, offset: number, length: number, max = CONTENT_PAGE_MAX): Promise<ProvenanceContentDto> {
    const size = event.size ?? 0;
    const base = { eventId: event.id, size, offset, text: null, length: 0, nextOffset: null, truncated: false };
    if (!event.contentClaim) return { ...base, kept: 0, text: size === 0 ? '' : null, note: size === 0 ? null : 'the content was not kept' };
    const [row] = (await this.ds.query(`SELECT "data","kept","size" FROM "provenance_content" WHERE "claim" = ${this.p(1)}`, [event.contentClaim])) as { data: Uint8Array; kept: number | string; size: number | string }[];
    if (!row) return { ...base, kept: 0, note: 'the content is no longer kept (retention) or was never kept' };
    const bytes = await unpack(row.data);
    const kept = Number(row.kept);
    const full = Number(row.size);
    const take = Math.min(Math.max(length, 1), max);
    let end = Math.min(bytes.length, offset + take);
    // Cut on a character boundary: never split a UTF-8 sequence.
    while (end < bytes.length && end > offset && (bytes[end]! & 0xc0) === 0x80) end--;
    const slice = bytes.subarray(Math.min(offset, bytes.length), end);
    const text = looksBinary(slice) ? null : this.secrets.redact(slice.toString('utf8'));
    const more = end < bytes.length;
    const cut = kept < full;
    const note = cut ? `kept the first ${kept} of ${full} bytes` : more ? `showing bytes ${offset}–${end} of ${full}` : null;
    return { eventId: event.id, size: full, kept, offset, text, length: slice.length, nextOffset: more ? end : null, truncated: more || cut, note };
  }

  toDto(r: Row): ProvenanceEventDto {
    const attributes = r.attributes ? this.secrets.redactAttributes(JSON.parse(r.attributes) as Record<string, string>) : undefined;
    return {
      id: Number(r.id),
      flowId: r.flow_id,
      flowFileUuid: r.flowfile_uuid,
      eventType: r.event_type,
      processorId: r.processor_id,
      relationship: r.relationship,
      parentUuids: JSON.parse(r.parents) as string[],
      childUuids: JSON.parse(r.children) as string[],
      details: r.details === null ? null : this.secrets.redact(r.details),
      timestamp: new Date(Number(r.timestamp)).toISOString(),
      executionId: r.execution_id ?? null,
      ...(attributes ? { attributes } : {}),
      ...(r.size !== undefined ? { size: Number(r.size) } : {}),
      transitUri: r.transit_uri ? this.secrets.redact(r.transit_uri) : null,
      contentAvailable: r.kept !== null && r.kept !== undefined,
    };
  }

  p(n: number): string {
    return this.pg ? `$${n}` : '?';
  }
}

/** NUL bytes or many control characters: not something to show as text. */
function looksBinary(b: Uint8Array): boolean {
  let control = 0;
  const n = Math.min(b.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0) return true;
    if (c < 9 || (c > 13 && c < 32)) control++;
  }
  return control > n / 10;
}
