import type { ProcessorNode } from './processor-node.js';
import type { Scheduler } from './scheduler.js';

/** What starting and stopping a node needs from its engine. */
export interface LifecycleHost {
  readonly scheduler: Scheduler;
  bulletin(processorId: string, level: 'error', message: string): void;
  stateChanged(node: ProcessorNode): void;
}

/**
 * Starts a valid, stopped node: clients see it running at once, but it is triggered only once onScheduled succeeded.
 * Settles with the reason onScheduled failed (the node is stopped again), or null.
 */
export function startNode(node: ProcessorNode, host: LifecycleHost): Promise<string | null> {
  const ctx = node.context!;
  const def = node.definition!;
  node.lifecycle = 'starting';
  host.scheduler.started(node);
  host.stateChanged(node);
  return (async () => {
    try {
      await def.onScheduled?.(ctx);
    } catch (e) {
      if (node.lifecycle === 'starting') node.lifecycle = 'stopped';
      host.bulletin(node.id, 'error', `${node.config.name} could not be scheduled: ${errorMessage(e)}`);
      host.stateChanged(node);
      return errorMessage(e);
    }
    // A stop during onScheduled wins: the node is not triggered.
    if (node.lifecycle !== 'starting') return null;
    node.lifecycle = 'running';
    host.scheduler.kick(node);
    return null;
  })();
}

/** Stops a scheduled node: no new triggers, and onStopped only once its running tasks ended their sessions. */
export function stopNode(node: ProcessorNode, host: LifecycleHost): Promise<void> {
  node.lifecycle = 'stopping';
  host.scheduler.cancel(node);
  const stopped = (async () => {
    if (node.activeTasks > 0) await new Promise<void>((resolve) => node.idleWaiters.push(resolve));
    try {
      if (node.context) await node.definition?.onStopped?.(node.context);
    } catch (e) {
      host.bulletin(node.id, 'error', `${node.config.name}: stopping failed: ${errorMessage(e)}`);
    }
    node.lifecycle = 'stopped';
    host.stateChanged(node);
  })().finally(() => {
    node.stopped = null;
  });
  node.stopped = stopped;
  return stopped;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
