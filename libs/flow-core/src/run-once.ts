/**
 * One trigger of a processor on one FlowFile, outside any flow, on the real session and context: what a test pane
 * needs to show exactly what the processor would do. Nothing is kept; the session never commits.
 */
import type { FlowFile, LogLevel, ProcessorDefinition, ProcessorServices } from '@sluice/flow-api';
import { utf8 } from '@sluice/flow-api';
import { ConnectionQueue } from './connection-queue.js';
import { StandardProcessContext } from './standard-process-context.js';
import { StandardProcessSession, type SessionHost } from './standard-process-session.js';

export interface RunOnceRequest {
  readonly definition: ProcessorDefinition;
  readonly properties: Readonly<Record<string, string>>;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly content: Uint8Array | string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly services: ProcessorServices;
  readonly timeZone?: string;
}

export interface RunOnceResult {
  readonly outputs: readonly { readonly relationship: string; readonly attributes: Readonly<Record<string, string>>; readonly content: Uint8Array }[];
  /** Log lines with the details the processor passed (not formatted). */
  readonly logs: readonly { readonly level: LogLevel; readonly message: string; readonly details?: unknown }[];
}

/** Runs `onScheduled`, one `onTrigger` and `onStopped`; a throw from the processor propagates. */
export async function runOnce(req: RunOnceRequest): Promise<RunOnceResult> {
  const { definition, services } = req;
  const processorId = `once:${definition.descriptor.type}`;
  const now = services.clock.now();
  const bytes = typeof req.content === 'string' ? utf8(req.content) : req.content;
  const uuid = services.randomUuid();
  const claim = bytes.length > 0 ? `once:${uuid}` : null;
  const source: FlowFile = {
    uuid,
    attributes: { filename: uuid, path: './', ...(req.attributes ?? {}), uuid },
    contentClaim: claim,
    size: bytes.length,
    lineageStartDate: now,
    entryDate: now,
    parentUuids: [],
    penaltyExpiration: 0,
  };
  const input = new ConnectionQueue(`${processorId}:input`, null, processorId);
  input.offer(source, now);
  const captured = new Map<string, ConnectionQueue>();
  const host: SessionHost = {
    flowId: 'once',
    processorId,
    clock: services.clock,
    penaltyMs: 0,
    incoming: [input],
    hasRelationship: (name) => definition.descriptor.relationships.some((r) => r.name === name) || definition.descriptor.dynamicRelationships !== undefined,
    destinations: (relationship) => {
      let q = captured.get(relationship);
      if (!q) captured.set(relationship, (q = new ConnectionQueue(`${processorId}:${relationship}`, processorId, null)));
      return [q];
    },
    readContent: (c) => (c === claim ? Promise.resolve(bytes) : Promise.reject(new Error(`no content ${c} in a single run`))),
    newId: () => services.randomUuid(),
    commit: () => Promise.reject(new Error('a single run never commits')),
  };
  const logs: { level: LogLevel; message: string; details?: unknown }[] = [];
  const ctx = new StandardProcessContext({
    flowId: 'once',
    processorId,
    processorName: definition.descriptor.displayName,
    definition,
    properties: req.properties,
    parameters: req.parameters ?? {},
    services,
    isConnected: () => true,
    hasIncomingConnection: true,
    onYield: () => undefined,
    onLog: (level, message, details) => logs.push(details === undefined ? { level, message } : { level, message, details }),
    logEnabled: () => true,
    timeZone: req.timeZone,
  });
  const session = new StandardProcessSession(host);
  const outputs: { relationship: string; attributes: Record<string, string>; content: Uint8Array }[] = [];
  try {
    await definition.onScheduled?.(ctx);
    try {
      await definition.onTrigger(ctx, session);
      for (const t of session.prepare().transfers) {
        const c = t.flowFile.contentClaim;
        const content = c === null ? new Uint8Array(0) : (session.writtenContent(c) ?? (await host.readContent(c)));
        outputs.push({ relationship: t.relationship, attributes: { ...t.flowFile.attributes }, content });
      }
    } finally {
      await definition.onStopped?.(ctx);
    }
  } finally {
    session.rollback(false);
  }
  return { outputs, logs };
}
