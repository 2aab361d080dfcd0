import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { BulletinDto, BulletinEvent } from '@sluice/contracts';
import { DataSource } from 'typeorm';
import { EngineEventsHub } from '../engine/engine-events.hub.js';

/** Bulletins kept per processor (and for the flow itself): the canvas shows the newest, the inspector the rest. */
export const BULLETINS_PER_PROCESSOR = 20;
const FLUSH_MS = 250;
/** A processor failing on every FlowFile bulletins thousands of times a second; the newest of a batch are kept. */
const MAX_BUFFER = 2000;

interface Row {
  id: string | number;
  flow_id: string;
  processor_id: string;
  level: 'warn' | 'error';
  message: string;
  created_at: string | number;
}

/**
 * Stores the bulletins the engines raise (already redacted), in batches off the engines' path, and keeps the newest
 * few per processor, so a processor's latest failure is still shown after a reload or a restart.
 */
@Injectable()
export class BulletinsService implements OnModuleDestroy {
  private buffer: BulletinEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly pg: boolean;

  constructor(
    private readonly ds: DataSource,
    hub: EngineEventsHub,
  ) {
    this.pg = ds.options.type === 'postgres';
    hub.on('processor.bulletin', (b) => this.record(b));
  }

  record(b: BulletinEvent): void {
    this.buffer.push(b);
    if (this.buffer.length > MAX_BUFFER) this.buffer.splice(0, this.buffer.length - MAX_BUFFER);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes what is buffered; resolves once it is stored. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length) this.writing = this.writing.then(() => this.write(batch)).catch(() => undefined);
    return this.writing;
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
  }

  /** The flow's bulletins, newest first: each processor's newest few (one processor's when given). */
  async list(flowId: string, processorId?: string, limit = 200): Promise<BulletinDto[]> {
    await this.flush();
    const where = processorId === undefined ? `"flow_id" = ${this.p(1)}` : `"flow_id" = ${this.p(1)} AND "processor_id" = ${this.p(2)}`;
    const rows = (await this.ds.query(
      `SELECT "id","flow_id","processor_id","level","message","created_at" FROM "bulletin" WHERE ${where} ORDER BY "id" DESC LIMIT ${Math.trunc(limit)}`,
      processorId === undefined ? [flowId] : [flowId, processorId],
    )) as Row[];
    return rows.map((r) => ({
      id: Number(r.id),
      flowId: r.flow_id,
      processorId: r.processor_id === '' ? null : r.processor_id,
      level: r.level,
      message: r.message,
      timestamp: new Date(Number(r.created_at)).toISOString(),
    }));
  }

  async deleteFlow(flowId: string): Promise<void> {
    await this.flush();
    await this.ds.query(`DELETE FROM "bulletin" WHERE "flow_id" = ${this.p(1)}`, [flowId]);
  }

  private async write(batch: BulletinEvent[]): Promise<void> {
    const touched = new Map<string, { flowId: string; processorId: string }>();
    await this.ds.transaction(async (m) => {
      for (let i = 0; i < batch.length; i += 100) {
        const chunk = batch.slice(i, i + 100);
        const params: unknown[] = [];
        const values = chunk.map((b) => {
          const at = params.length;
          const processorId = b.processorId ?? '';
          touched.set(`${b.flowId}\u0000${processorId}`, { flowId: b.flowId, processorId });
          params.push(b.flowId, processorId, b.level, b.message, Date.parse(b.timestamp) || Date.now());
          return `(${[1, 2, 3, 4, 5].map((k) => this.p(at + k)).join(',')})`;
        });
        await m.query(`INSERT INTO "bulletin" ("flow_id","processor_id","level","message","created_at") VALUES ${values.join(',')}`, params);
      }
      for (const { flowId, processorId } of touched.values()) {
        // The newest few stay; the index on (flow, processor, id) finds them.
        await m.query(
          `DELETE FROM "bulletin" WHERE "flow_id" = ${this.p(1)} AND "processor_id" = ${this.p(2)} AND "id" < (
             SELECT MIN("id") FROM (SELECT "id" FROM "bulletin" WHERE "flow_id" = ${this.p(3)} AND "processor_id" = ${this.p(4)} ORDER BY "id" DESC LIMIT ${BULLETINS_PER_PROCESSOR}) AS newest)`,
          [flowId, processorId, flowId, processorId],
        );
      }
    });
  }

  private p(n: number): string {
    return this.pg ? `$${n}` : '?';
  }
}
