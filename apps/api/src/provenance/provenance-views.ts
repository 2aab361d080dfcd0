import { Injectable } from '@nestjs/common';
import type { HttpExchangeDto, ProvenanceEventDto, RowJourneyDto, RowLogDto, StepFlowFilesDto } from '@sluice/contracts';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/errors.js';
import { sourceKey } from '../executions/execution-step-log.js';
import { CONTENT_KEPT_BYTES } from './provenance-content.js';
import { EVENT_COLUMNS, ProvenanceService, type Row } from './provenance.service.js';

/** FlowFiles listed per side of a step; a step that passed more says `truncated`. */
export const STEP_FLOWFILES_MAX = 100;
/** Events of one execution scanned to find the FlowFile a row log came from. */
const JOURNEY_SCAN_MAX = 20_000;

/** A SEND event's recorded exchange, or null when its details are not one. */
export function exchangeOf(details: string | null): HttpExchangeDto | null {
  if (!details || !details.startsWith('{"http":')) return null;
  try {
    const x = (JSON.parse(details) as { http: Partial<HttpExchangeDto> }).http;
    return {
      method: String(x.method ?? ''),
      url: String(x.url ?? ''),
      status: typeof x.status === 'number' ? x.status : null,
      request: typeof x.request === 'string' ? x.request : null,
      response: typeof x.response === 'string' ? x.response : null,
      error: typeof x.error === 'string' ? x.error : null,
      durationMs: typeof x.durationMs === 'number' ? x.durationMs : null,
    };
  } catch {
    return null;
  }
}

/** Provenance seen from an execution: what each step received and let go, and a row's way through the flow. */
@Injectable()
export class ProvenanceViews {
  private readonly pg: boolean;

  constructor(
    private readonly ds: DataSource,
    private readonly provenance: ProvenanceService,
  ) {
    this.pg = ds.options.type === 'postgres';
  }

  /**
   * A step's outputs are its own events (each FlowFile as the step let it go); its inputs are, per FlowFile, the
   * event just before at another step, or for FlowFiles the step created, their parents' last event before it.
   */
  async stepFlowFiles(executionId: string, processorId: string): Promise<StepFlowFilesDto> {
    await this.provenance.flush();
    const rows = (await this.ds.query(
      `SELECT ${EVENT_COLUMNS} FROM "provenance_event" e WHERE e."execution_id" = ${this.p(1)} AND e."processor_id" = ${this.p(2)} ORDER BY e."id" LIMIT ${STEP_FLOWFILES_MAX + 1}`,
      [executionId, processorId],
    )) as Row[];
    const truncated = rows.length > STEP_FLOWFILES_MAX;
    const outputs = rows.slice(0, STEP_FLOWFILES_MAX).map((r) => this.provenance.toDto(r));
    const inputs = new Map<number, ProvenanceEventDto>();
    const firstAt = new Map<string, number>();
    for (const o of outputs) if (!firstAt.has(o.flowFileUuid)) firstAt.set(o.flowFileUuid, o.id);
    for (const [uuid, at] of firstAt) {
      const own = await this.before([uuid], at, processorId);
      const event = own ?? (await this.before(outputs.find((o) => o.flowFileUuid === uuid)!.parentUuids, at, processorId));
      if (event) inputs.set(event.id, event);
    }
    return { processorId, inputs: [...inputs.values()].sort((a, b) => a.id - b.id), outputs, truncated };
  }

  private async before(uuids: readonly string[], id: number, processorId: string): Promise<ProvenanceEventDto | null> {
    if (uuids.length === 0) return null;
    const list = uuids.slice(0, 50);
    const [row] = (await this.ds.query(
      `SELECT ${EVENT_COLUMNS} FROM "provenance_event" e WHERE e."id" < ${this.p(1)} AND e."processor_id" <> ${this.p(2)} AND e."flowfile_uuid" IN (${list.map((_, k) => this.p(k + 3)).join(',')}) ORDER BY e."id" DESC LIMIT 1`,
      [id, processorId, ...list],
    )) as Row[];
    return row ? this.provenance.toDto(row) : null;
  }

  /** The row log's FlowFile, its ancestors' events, the row as the step got it, and the step's exchanges with it. */
  async rowJourney(executionId: string, rowId: number): Promise<RowJourneyDto> {
    await this.provenance.flush();
    const [r] = (await this.ds.query(`SELECT * FROM "row_log" WHERE "id" = ${this.p(1)} AND "execution_id" = ${this.p(2)}`, [rowId, executionId])) as {
      id: string | number; execution_id: string; sku: string | null; status: RowLogDto['status']; message: string; step: string | null; created_at: string | number; source: string | null; row_key: string | null;
    }[];
    if (!r) throw new NotFoundError('row log', `${executionId}/${rowId}`);
    const row: RowLogDto = { id: Number(r.id), executionId: r.execution_id, sku: r.sku, status: r.status, message: r.message, step: r.step, createdAt: new Date(Number(r.created_at)).toISOString() };
    const uuids = (await this.ds.query(
      `SELECT DISTINCT "flowfile_uuid" FROM (SELECT "flowfile_uuid" FROM "provenance_event" WHERE "execution_id" = ${this.p(1)} ORDER BY "id" LIMIT ${JOURNEY_SCAN_MAX}) t`,
      [executionId],
    )) as { flowfile_uuid: string }[];
    const uuid = r.source ? (uuids.find((u) => sourceKey(u.flowfile_uuid) === r.source)?.flowfile_uuid ?? null) : null;
    if (!uuid) return { row, flowFileUuid: null, events: [], rowContent: null, exchanges: [] };
    // The way in: the FlowFile and its ancestors (not the whole family of a wide split).
    const events: ProvenanceEventDto[] = [];
    let frontier = [uuid];
    const seen = new Set<string>();
    while (frontier.length && events.length < 500) {
      const todo = frontier.filter((u) => !seen.has(u));
      todo.forEach((u) => seen.add(u));
      const found = await this.provenance.eventsOf(todo, 500 - events.length);
      events.push(...found);
      frontier = [...new Set(found.flatMap((e) => e.parentUuids))];
    }
    events.sort((a, b) => a.id - b.id);
    const own = events.filter((e) => e.flowFileUuid === uuid);
    const logger = own.find((e) => e.eventType === 'SEND') ?? own[own.length - 1];
    const exchanges = own
      .filter((e) => e.processorId === logger?.processorId && e.eventType === 'SEND')
      .map((e) => ({ eventId: e.id, x: exchangeOf(e.details) }))
      .filter((e): e is { eventId: number; x: HttpExchangeDto } => e.x !== null && (!row.sku || (e.x.request ?? '').includes(JSON.stringify(row.sku).slice(1, -1))))
      .map((e) => ({ eventId: e.eventId, ...e.x }));
    const rowContent = logger ? await this.rowOf(events, logger, r.row_key) : null;
    return { row, flowFileUuid: uuid, events, rowContent, exchanges };
  }

  /** The element the row key points at in the JSON array the logging step received. */
  private async rowOf(events: ProvenanceEventDto[], logger: ProvenanceEventDto, key: string | null): Promise<unknown> {
    const index = key !== null && /^\d+$/.test(key) ? Number(key) : null;
    if (index === null) return null;
    const input = [...events].reverse().find((e) => e.id < logger.id && e.flowFileUuid === logger.flowFileUuid && e.processorId !== logger.processorId) ?? logger;
    const full = await this.provenance.event(input.id);
    if (!full) return null;
    const content = await this.provenance.content(full, 0, CONTENT_KEPT_BYTES, CONTENT_KEPT_BYTES);
    if (content.text === null || content.truncated) return null;
    try {
      const parsed = JSON.parse(content.text) as unknown;
      return Array.isArray(parsed) ? (parsed[index] ?? null) : index === 0 ? parsed : null;
    } catch {
      return null;
    }
  }

  private p(n: number): string {
    return this.pg ? `$${n}` : '?';
  }
}
