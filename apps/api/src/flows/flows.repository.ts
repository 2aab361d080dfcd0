import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { FlowEntity } from '../persistence/entities.js';

@Injectable()
export class FlowsRepository {
  private readonly repo: Repository<FlowEntity>;

  constructor(ds: DataSource) {
    this.repo = ds.getRepository(FlowEntity);
  }

  findAll(): Promise<FlowEntity[]> {
    return this.repo.find({ order: { name: 'ASC' } });
  }

  findById(id: string): Promise<FlowEntity | null> {
    return this.repo.findOneBy({ id });
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
