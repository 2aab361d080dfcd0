import type { StateManager, StateScope } from '@sluice/flow-api';
import type { DataSource } from 'typeorm';
import { ProcessorStateEntity } from '../persistence/entities.js';

/** Per-processor state in the database, so it survives restarts (NiFi's local/cluster state). */
export class SqlStateManager implements StateManager {
  constructor(
    private readonly ds: DataSource,
    private readonly flowId: string,
    private readonly processorId: string,
  ) {}

  async get(scope: StateScope = 'local'): Promise<Record<string, string>> {
    const row = await this.ds.getRepository(ProcessorStateEntity).findOneBy({ flowId: this.flowId, processorId: this.processorId, scope });
    return row ? (JSON.parse(row.state) as Record<string, string>) : {};
  }

  async set(state: Record<string, string>, scope: StateScope = 'local'): Promise<void> {
    await this.ds.getRepository(ProcessorStateEntity).save({ flowId: this.flowId, processorId: this.processorId, scope, state: JSON.stringify(state) });
  }

  async replace(expected: Record<string, string>, next: Record<string, string>, scope: StateScope = 'local'): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const repo = m.getRepository(ProcessorStateEntity);
      const row = await repo.findOneBy({ flowId: this.flowId, processorId: this.processorId, scope });
      const current = row ? (JSON.parse(row.state) as Record<string, string>) : {};
      if (!sameState(current, expected)) return false;
      await repo.save({ flowId: this.flowId, processorId: this.processorId, scope, state: JSON.stringify(next) });
      return true;
    });
  }

  async clear(scope: StateScope = 'local'): Promise<void> {
    await this.ds.getRepository(ProcessorStateEntity).delete({ flowId: this.flowId, processorId: this.processorId, scope });
  }
}

function sameState(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
