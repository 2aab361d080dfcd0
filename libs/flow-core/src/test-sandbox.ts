/**
 * Runs a processor on one FlowFile in a session that never commits: what a test pane or a processor test shows is
 * exactly what the processor would transfer, and nothing continues or is kept.
 */
import { newFlowFile, utf8, type Clock, type FlowFile, type ProcessorDefinition, type ProcessorServices } from '@sluice/flow-api';
import { ConnectionQueue } from './connection-queue.js';
import { FlowEngineError, type TestProcessorInput, type TestProcessorResult } from './flow-engine-types.js';
import type { ProcessorNode } from './processor-node.js';
import type { StandardProcessContext } from './standard-process-context.js';
import { StandardProcessSession, type SessionHost } from './standard-process-session.js';

export interface CapturedTransfer {
  readonly relationship: string;
  readonly attributes: Record<string, string>;
  readonly content: Uint8Array;
}

export interface SandboxHostOptions {
  readonly flowId: string;
  readonly processorId: string;
  readonly clock: Clock;
  readonly penaltyMs: number;
  readonly hasRelationship: (name: string) => boolean;
  readonly readContent: (claim: string) => Promise<Uint8Array>;
  readonly newId: () => string;
  /** What the commit refusal says. */
  readonly neverCommits: string;
}

/** A session host that feeds the processor from `input` and keeps each relationship's transfers in its own queue. */
export function sandboxHost(input: ConnectionQueue, options: SandboxHostOptions): SessionHost {
  const captured = new Map<string, ConnectionQueue>();
  return {
    flowId: options.flowId,
    id: options.processorId,
    clock: options.clock,
    penaltyMs: options.penaltyMs,
    incoming: [input],
    hasRelationship: options.hasRelationship,
    destinations: (relationship) => {
      let q = captured.get(relationship);
      if (!q) captured.set(relationship, (q = new ConnectionQueue(`${options.processorId}:${relationship}`, options.processorId, null)));
      return [q];
    },
    readContent: options.readContent,
    newId: options.newId,
    commit: () => Promise.reject(new Error(options.neverCommits)),
  };
}

/** A queue holding one test input, as the processor's only incoming connection. */
export function sandboxInput(processorId: string, flowFile: FlowFile | undefined, now: number): ConnectionQueue {
  const input = new ConnectionQueue(`${processorId}:input`, null, processorId);
  if (flowFile) input.offer({ ...flowFile, penaltyExpiration: 0 }, now);
  return input;
}

/** A root FlowFile for test input, its content kept under a claim only `claims` knows. */
export function sandboxFlowFile(
  uuid: string,
  now: number,
  input: { readonly attributes?: Readonly<Record<string, string>>; readonly content?: Uint8Array | string },
  claims: Map<string, Uint8Array>,
  claimPrefix: string,
): FlowFile {
  const bytes = typeof input.content === 'string' ? utf8(input.content) : (input.content ?? new Uint8Array(0));
  const claim = bytes.length ? `${claimPrefix}:${uuid}` : null;
  if (claim) claims.set(claim, bytes);
  return newFlowFile(uuid, now, { attributes: input.attributes, contentClaim: claim, size: bytes.length });
}

/**
 * onScheduled, one onTrigger and onStopped, then everything is rolled back; returns what went to each relationship.
 * A throw from the processor (or a broken session rule) propagates; `outputs` then holds what was captured before it.
 */
export async function triggerInSandbox(
  definition: ProcessorDefinition,
  context: StandardProcessContext,
  host: SessionHost,
  outputs: CapturedTransfer[] = [],
): Promise<CapturedTransfer[]> {
  const session = new StandardProcessSession(host);
  try {
    await definition.onScheduled?.(context);
    try {
      await definition.onTrigger(context, session);
      for (const t of session.prepare().transfers) {
        const claim = t.flowFile.contentClaim;
        const content = claim === null ? new Uint8Array(0) : (session.writtenContent(claim) ?? (await host.readContent(claim)));
        outputs.push({ relationship: t.relationship, attributes: { ...t.flowFile.attributes }, content });
      }
    } finally {
      await definition.onStopped?.(context);
    }
  } finally {
    session.rollback(false);
  }
  return outputs;
}

/**
 * A flow's processor on a chosen queued FlowFile, a given input, or the first FlowFile queued for it; a failure
 * is reported in the result, not thrown.
 */
export async function testNode(node: ProcessorNode, input: TestProcessorInput | undefined, services: ProcessorServices): Promise<TestProcessorResult> {
  const definition = node.definition;
  if (!definition) throw new FlowEngineError(`processor '${node.id}' has unknown type '${node.config.type}'`);
  const { clock } = node;
  const now = clock.now();
  const localContent = new Map<string, Uint8Array>();
  let source: FlowFile | undefined;
  if (input?.flowFileUuid) {
    for (const q of node.incoming) source ??= q.find(input.flowFileUuid);
    if (!source) throw new FlowEngineError(`FlowFile ${input.flowFileUuid} is not queued for ${node.config.name}`, 'not-found');
  } else if (input && (input.attributes !== undefined || input.content !== undefined)) {
    source = sandboxFlowFile(node.newId(), now, input, localContent, 'test');
  } else {
    for (const q of node.incoming) source ??= q.list(1)[0];
  }
  const host = sandboxHost(sandboxInput(node.id, source, now), {
    flowId: node.flowId,
    processorId: node.id,
    clock,
    penaltyMs: node.penaltyMs,
    hasRelationship: (name) => node.relationships.has(name),
    readContent: (claim) => {
      const local = localContent.get(claim);
      return local ? Promise.resolve(local) : node.readContent(claim);
    },
    newId: () => node.newId(),
    neverCommits: 'a test run never commits',
  });
  const logs: { level: string; message: string }[] = [];
  // A test run shows every level.
  const ctx = node.newContext(services, (level, message) => logs.push({ level, message }), () => undefined, () => true);
  const outputs: TestProcessorResult['outputs'] = [];
  try {
    await triggerInSandbox(definition, ctx, host, outputs);
  } catch (e) {
    return { outputs, error: e instanceof Error ? e.message : String(e), logs };
  }
  return { outputs, logs };
}
