import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import type { FlowDocument } from '@sluice/contracts';
import { FlowEntity } from '../persistence/entities.js';
import { migrateFlowDocument } from './flow-migration.js';

/** A stored flow as it loads: documents saved under older property names read back under today's. */
function loaded(flow: FlowEntity): FlowEntity {
  let parsed: FlowDocument;
  try {
    parsed = JSON.parse(flow.document) as FlowDocument;
    if (!Array.isArray(parsed?.processors)) return flow;
  } catch {
    // Whoever reads it reports the unreadable flow; one must not keep the others from loading.
    return flow;
  }
  const { doc, changed } = migrateFlowDocument(parsed);
  return changed ? { ...flow, document: JSON.stringify(doc) } : flow;
}

@Injectable()
export class FlowsRepository {
  private readonly repo: Repository<FlowEntity>;

  constructor(ds: DataSource) {
    this.repo = ds.getRepository(FlowEntity);
  }

  async findAll(): Promise<FlowEntity[]> {
    return (await this.repo.find({ order: { name: 'ASC' } })).map(loaded);
  }

  async findById(id: string): Promise<FlowEntity | null> {
    const flow = await this.repo.findOneBy({ id });
    return flow && loaded(flow);
  }

  insert(flow: FlowEntity): Promise<FlowEntity> {
    return this.repo.save(this.repo.create(flow));
  }

  /** Optimistic concurrency: writes only when the stored version is still `expectedVersion`. */
  async updateIfVersion(flow: FlowEntity, expectedVersion: number): Promise<boolean> {
    const res = await this.repo
      .createQueryBuilder()
      .update(FlowEntity)
      .set({ name: flow.name, description: flow.description, document: flow.document, version: flow.version, updatedAt: flow.updatedAt, updatedBy: flow.updatedBy })
      .where('id = :id AND version = :v', { id: flow.id, v: expectedVersion })
      .execute();
    return (res.affected ?? 0) > 0;
  }

  async setState(id: string, state: 'running' | 'stopped'): Promise<void> {
    await this.repo.update({ id }, { state });
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
