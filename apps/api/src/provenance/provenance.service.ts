import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ProvenanceEventDto } from '@sluice/contracts';
import type { ProvenanceEvent, ProvenanceSink } from '@sluice/flow-core';
import { DataSource } from 'typeorm';
import { EngineEventsHub } from '../engine/engine-events.hub.js';
import { redactAttributes } from '../persistence/sensitive-attributes.js';

interface Row {
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
}

const FLUSH_MS = 200;
const ROWS_PER_STATEMENT = 100;

/** Records provenance in batches off the commit path; queries per flow and per FlowFile lineage. */
@Injectable()
export class ProvenanceService implements ProvenanceSink, OnModuleDestroy {
  private buffer: ProvenanceEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly pg: boolean;

  constructor(
    private readonly ds: DataSource,
    private readonly hub: EngineEventsHub,
  ) {
    this.pg = ds.options.type === 'postgres';
  }

  record(events: readonly ProvenanceEvent[]): void {
    for (const e of events) this.buffer.push(e);
    if (this.hub.has('provenance.events')) this.hub.emit('provenance.events', events);
    if (this.buffer.length >= 5000) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length === 0) return this.writing;
    this.writing = this.writing.then(() => this.write(batch)).catch(() => undefined);
    return this.writing;
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
  }

  private async write(batch: ProvenanceEvent[]): Promise<void> {
    await this.ds.transaction(async (m) => {
      for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
        const chunk = batch.slice(i, i + ROWS_PER_STATEMENT);
        const params: unknown[] = [];
        const values = chunk.map((e) => {
          const start = params.length;
          params.push(e.flowId, e.flowFileUuid, e.eventType, e.processorId, e.relationship, JSON.stringify(e.parentUuids), JSON.stringify(e.childUuids), e.transitUri ?? null, e.details, redactAttributes(e.attributes), e.size, e.timestamp);
          return `(${Array.from({ length: 12 }, (_, k) => this.p(start + k + 1)).join(',')})`;
        });
        await m.query(
          `INSERT INTO "provenance_event" ("flow_id","flowfile_uuid","event_type","processor_id","relationship","parents","children","transit_uri","details","attributes","size","timestamp") VALUES ${values.join(',')}`,
          params,
        );
      }
    });
    const perFlow = new Map<string, number>();
    for (const e of batch) perFlow.set(e.flowId, (perFlow.get(e.flowId) ?? 0) + 1);
    for (const [flowId, count] of perFlow) this.hub.emit('provenance.recorded', { flowId, count });
  }

  async query(flowId: string, opts: { flowFileUuid?: string; eventType?: string; limit?: number; beforeId?: number }): Promise<ProvenanceEventDto[]> {
    await this.flush();
    const where = [`"flow_id" = ${this.p(1)}`];
    const params: unknown[] = [flowId];
    if (opts.flowFileUuid) {
      params.push(opts.flowFileUuid);
      where.push(`"flowfile_uuid" = ${this.p(params.length)}`);
    }
    if (opts.eventType) {
      params.push(opts.eventType);
      where.push(`"event_type" = ${this.p(params.length)}`);
    }
    if (opts.beforeId) {
      params.push(opts.beforeId);
      where.push(`"id" < ${this.p(params.length)}`);
    }
    const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
    const rows = (await this.ds.query(`SELECT * FROM "provenance_event" WHERE ${where.join(' AND ')} ORDER BY "id" DESC LIMIT ${limit}`, params)) as Row[];
    return rows.map(toDto);
  }

  /** Every event of the FlowFile, its ancestors and its descendants, oldest first. */
  async lineage(uuid: string): Promise<ProvenanceEventDto[]> {
    await this.flush();
    const seen = new Set<string>();
    const events = new Map<number, ProvenanceEventDto>();
    let frontier = [uuid];
    while (frontier.length && seen.size < 10_000) {
      const next: string[] = [];
      for (const u of frontier) {
        if (seen.has(u)) continue;
        seen.add(u);
        const rows = (await this.ds.query(`SELECT * FROM "provenance_event" WHERE "flowfile_uuid" = ${this.p(1)} ORDER BY "id"`, [u])) as Row[];
        for (const r of rows) {
          const dto = toDto(r);
          events.set(dto.id, dto);
          next.push(...dto.parentUuids, ...dto.childUuids);
        }
      }
      frontier = next;
    }
    return [...events.values()].sort((a, b) => a.id - b.id);
  }

  private p(n: number): string {
    return this.pg ? `$${n}` : '?';
  }
}

function toDto(r: Row): ProvenanceEventDto {
  return {
    id: Number(r.id),
    flowId: r.flow_id,
    flowFileUuid: r.flowfile_uuid,
    eventType: r.event_type,
    processorId: r.processor_id,
    relationship: r.relationship,
    parentUuids: JSON.parse(r.parents) as string[],
    childUuids: JSON.parse(r.children) as string[],
    details: r.details,
    timestamp: new Date(Number(r.timestamp)).toISOString(),
  };
}
