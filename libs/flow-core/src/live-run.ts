/**
 * A live run on one queued FlowFile: the processor runs once for real, in a session that commits as a scheduled
 * task's does. The FlowFile leaves its queue and what the processor made of it goes where the flow sends it, so the
 * flow never processes it again. When the processor fails or leaves it, it goes back to its place.
 */
import type { FlowFile, LogLevel } from '@sluice/flow-api';
import { ConnectionQueue } from './connection-queue.js';
import type { LiveRunResult, TestProcessorResult } from './flow-engine-types.js';
import type { ProcessorNode } from './processor-node.js';
import { StandardProcessSession, type SessionHost, type SessionOutcome } from './standard-process-session.js';

/**
 * Runs `node` on `taken`, which the caller already took from `from` (it counts as in flight there). On return the
 * FlowFile is either committed onward or back at the head of `from`.
 */
export async function runLiveOnNode(
  node: ProcessorNode,
  from: ConnectionQueue,
  taken: FlowFile,
  log: { write(level: LogLevel, message: string): void; enabled(level: LogLevel): boolean },
): Promise<LiveRunResult> {
  const def = node.definition!;
  const services = node.services!;
  // The session takes the chosen FlowFile from a queue of its own; what it commits is applied to the real one.
  const pinned = new ConnectionQueue(from.id, from.sourceId, from.targetId);
  pinned.offer({ ...taken, penaltyExpiration: 0 }, node.clock.now());
  const real = (q: ConnectionQueue) => (q === pinned ? from : q);
  const remap = (o: SessionOutcome): SessionOutcome => ({
    ...o,
    taken: o.taken.map((t) => ({ ...t, queue: real(t.queue) })),
    enqueued: o.enqueued.map((e) => ({ ...e, queue: real(e.queue) })),
  });
  const host: SessionHost = {
    flowId: node.flowId,
    id: node.id,
    clock: node.clock,
    penaltyMs: node.penaltyMs,
    incoming: [pinned],
    hasRelationship: (name) => node.hasRelationship(name),
    destinations: (rel) => node.destinations(rel),
    readContent: (claim) => node.readContent(claim),
    newId: () => node.newId(),
    commit: (o) => node.commit(remap(o)),
  };
  const logs: { level: string; message: string }[] = [];
  const ctx = node.newContext(
    services,
    (level, message) => {
      logs.push({ level, message });
      log.write(level, message);
    },
    () => undefined,
    (level) => log.enabled(level),
  );
  // A running processor is already scheduled; a stopped one gets its own onScheduled/onStopped around the run.
  const scheduled = node.lifecycle === 'running';
  const session = new StandardProcessSession(host);
  const outputs: TestProcessorResult['outputs'] = [];
  let error: string | undefined;
  let consumed = false;
  node.activeTasks++;
  try {
    if (!scheduled) await def.onScheduled?.(ctx);
    try {
      await def.onTrigger(ctx, session);
      const outcome = session.prepare();
      for (const t of outcome.transfers) {
        const claim = t.flowFile.contentClaim;
        const content = claim === null ? new Uint8Array(0) : (session.writtenContent(claim) ?? (await node.readContent(claim)));
        outputs.push({ relationship: t.relationship, attributes: { ...t.flowFile.attributes }, content });
      }
      // A FlowFile put back in its queue (a retry later) is not consumed: the flow takes it again.
      consumed = outcome.taken.length > 0 && !outcome.enqueued.some((e) => e.queue === pinned);
      await session.commit();
    } finally {
      if (!scheduled) await def.onStopped?.(ctx);
    }
  } catch (e) {
    consumed = false;
    error = e instanceof Error ? e.message : String(e);
    session.rollback(false);
  } finally {
    if (pinned.count > 0) {
      pinned.clear();
      from.acknowledge(1, taken.size);
      from.returnToHead([taken], node.clock.now());
    }
    node.activeTasks--;
    node.tasksEnded();
  }
  return { outputs, logs, consumed, ...(error === undefined ? {} : { error }) };
}
