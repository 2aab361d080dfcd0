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
    // One statement: two writers (nodes of a cluster) cannot both find no row and both insert.
    await this.ds.getRepository(ProcessorStateEntity).upsert({ flowId: this.flowId, processorId: this.processorId, scope, state: JSON.stringify(state) }, ['flowId', 'processorId', 'scope']);
  }

  async replace(expected: Record<string, string>, next: Record<string, string>, scope: StateScope = 'local'): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      // Postgres lets two transactions read the same row; the lock makes the compare and the write one step.
      if (this.ds.options.type === 'postgres') {
        await m.query(`SELECT pg_advisory_xact_lock(hashtext('sluice.state'), hashtext($1))`, [`${this.flowId}|${this.processorId}|${scope}`]);
      }
      const repo = m.getRepository(ProcessorStateEntity);
      const row = await repo.findOneBy({ flowId: this.flowId, processorId: this.processorId, scope });
      const current = row ? (JSON.parse(row.state) as Record<string, string>) : {};
      if (!sameState(current, expected)) return false;
      await repo.upsert({ flowId: this.flowId, processorId: this.processorId, scope, state: JSON.stringify(next) }, ['flowId', 'processorId', 'scope']);
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
