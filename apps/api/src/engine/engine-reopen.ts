import { Logger } from '@nestjs/common';
import type { AppliedChangeDto } from '@sluice/contracts';
import type { FlowEngine, FlowFileRepository, QueuedFlowFile } from '@sluice/flow-core';

/** A rebuild that could not take over; `reopened` when the flow goes on, on its previous engine's graph and queues. */
export class EngineRebuildError extends Error {
  constructor(
    cause: unknown,
    readonly reopened: boolean,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * What a closed engine holds, in queue order: once its sessions have ended it is exactly what the repository holds
 * for its connections, so an engine reopened on it needs no read of the repository (which may be what just failed).
 */
export function queuedIn(engine: FlowEngine): QueuedFlowFile[] {
  const queued: QueuedFlowFile[] = [];
  for (const c of engine.status().connections) {
    for (const { flowFile } of engine.queue(c.id, Number.MAX_SAFE_INTEGER).flowFiles) queued.push({ connectionId: c.id, flowFile });
  }
  return queued;
}

/** The repository for an engine that starts from `queued` instead of reading its queues back; it writes through. */
export function startingFrom(repository: FlowFileRepository, queued: readonly QueuedFlowFile[]): FlowFileRepository {
  return {
    loadQueued: () => Promise.resolve([...queued]),
    commit: (tx) => repository.commit(tx),
    dropQueue: (flowId, connectionId) => repository.dropQueue(flowId, connectionId),
  };
}

/** The answer to a save whose engine could not be rebuilt: stored, not applied, the flow going on as before. */
export function notApplied(flowId: string, e: EngineRebuildError, waiting: string[]): AppliedChangeDto {
  new Logger('Engine').error(`flow ${flowId}: a saved change could not be applied: ${e.message}`);
  const message = `the change is saved but not applied: the engine could not be rebuilt (${e.message}); the flow goes on as before, and the next save or restart applies it`;
  return { restarted: [], waiting, failed: [{ message }] };
}
