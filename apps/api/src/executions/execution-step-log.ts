import type { FlowFile } from '@sluice/flow-api';
import type { ExecutionLog, RowLog, RowStatus } from '@sluice/processors';
import { createHash } from 'node:crypto';
import { EXECUTION_ATTRIBUTE, type ExecutionTracker } from './execution-tracker.js';
import type { RowEntry, RowLogRepository } from './row-log.repository.js';
import type { RowLogWriter } from './row-log.writer.js';

/** An ExecutionLog the host always keeps durably: lines can be recorded and what was logged is known. */
export type DurableExecutionLog = ExecutionLog & Required<Pick<ExecutionLog, 'record' | 'logged'>>;

/** 16 characters for a FlowFile uuid in every row log: 96 bits of its SHA-256, so distinct FlowFiles never meet. */
export function sourceKey(uuid: string): string {
  return createHash('sha256').update(uuid).digest('base64url').slice(0, 16);
}

/**
 * The Integrator's execution log as one step sees it: row lines go to the writer under the FlowFile's execution,
 * read totals to the tracker per step (`touched` when they change what the execution shows).
 */
export function executionStepLog(
  processorId: string,
  deps: { writer: RowLogWriter; rows: RowLogRepository; tracker: ExecutionTracker; touched(): void },
): DurableExecutionLog {
  const entries = (flowFile: FlowFile, rows: readonly RowLog[]): RowEntry[] => {
    const executionId = flowFile.attributes[EXECUTION_ATTRIBUTE];
    if (!executionId || rows.length === 0) return [];
    const at = Date.now();
    const source = sourceKey(flowFile.uuid);
    return rows.map((row) => ({ executionId, source, row, at }));
  };
  return {
    rows: (flowFile, rows) => deps.writer.add(entries(flowFile, rows)),
    record: (flowFile, rows) => deps.writer.record(entries(flowFile, rows)),
    logged: async (flowFile): Promise<ReadonlyMap<string, RowStatus>> => {
      const executionId = flowFile.attributes[EXECUTION_ATTRIBUTE];
      if (!executionId) return new Map();
      const source = sourceKey(flowFile.uuid);
      // Pending lines first: a write that lands meanwhile is then in one of the two.
      const keys = deps.writer.pendingKeys(executionId, source);
      for (const [k, status] of await deps.rows.logged(executionId, source)) keys.set(k, status);
      return keys;
    },
    progress: (flowFile, counts) => {
      if (deps.tracker.progress(flowFile.attributes[EXECUTION_ATTRIBUTE] ?? '', processorId, flowFile.uuid, counts.read)) deps.touched();
    },
  };
}
