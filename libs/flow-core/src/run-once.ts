/**
 * One trigger of a processor on one FlowFile, outside any flow, on the real session and context: what a test pane
 * needs to show exactly what the processor would do. Nothing is kept; the session never commits.
 */
import type { LogLevel, ProcessorDefinition, ProcessorServices } from '@sluice/flow-api';
import { StandardProcessContext } from './standard-process-context.js';
import { sandboxFlowFile, sandboxHost, sandboxInput, triggerInSandbox, type CapturedTransfer } from './test-sandbox.js';

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
  readonly outputs: readonly CapturedTransfer[];
  /** Log lines with the details the processor passed (not formatted). */
  readonly logs: readonly { readonly level: LogLevel; readonly message: string; readonly details?: unknown }[];
}

/** Runs `onScheduled`, one `onTrigger` and `onStopped`; a throw from the processor propagates. */
export async function runOnce(req: RunOnceRequest): Promise<RunOnceResult> {
  const { definition, services } = req;
  const processorId = `once:${definition.descriptor.type}`;
  const now = services.clock.now();
  const claims = new Map<string, Uint8Array>();
  const source = sandboxFlowFile(services.randomUuid(), now, { attributes: req.attributes, content: req.content }, claims, 'once');
  const host = sandboxHost(sandboxInput(processorId, source, now), {
    flowId: 'once',
    processorId,
    clock: services.clock,
    penaltyMs: 0,
    hasRelationship: (name) => definition.descriptor.relationships.some((r) => r.name === name) || definition.descriptor.dynamicRelationships !== undefined,
    readContent: (c) => {
      const bytes = claims.get(c);
      return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`no content ${c} in a single run`));
    },
    newId: () => services.randomUuid(),
    neverCommits: 'a single run never commits',
  });
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
  return { outputs: await triggerInSandbox(definition, ctx, host), logs };
}
