import { effectiveParameters, type FlowDocument } from '@sluice/contracts';
import type { TestProcessorResult } from '@sluice/flow-core';
import type { DataSource } from 'typeorm';
import { NotFoundError } from '../common/errors.js';
import type { EngineService } from '../engine/engine.service.js';
import { SqlStateManager } from '../engine/sql-state.manager.js';
import type { PaneSandbox } from './pane-sandbox.js';

export const PROCESSOR_TEST_TIMEOUT_MS = 5_000;

interface TestInput {
  flowFileUuid?: string;
  content?: string;
  attributes?: Record<string, string>;
}

/**
 * Tests a processor that stays inside Sluice in the test panes' worker, with the flow's parameters and a snapshot
 * of its state: a catastrophic regular expression in its configuration is stopped at the deadline instead of
 * holding the API's event loop.
 */
export async function sandboxedProcessorTest(
  sandbox: PaneSandbox,
  engines: EngineService,
  ds: DataSource,
  flowId: string,
  doc: FlowDocument,
  processorId: string,
  input: TestInput,
): Promise<TestProcessorResult> {
  const processor = doc.processors.find((p) => p.id === processorId)!;
  const state = new SqlStateManager(ds, flowId, processorId);
  const payload = {
    flowId,
    processor: { id: processor.id, type: processor.type, name: processor.name, properties: processor.properties, scheduling: processor.scheduling, autoTerminated: processor.autoTerminated },
    parameters: effectiveParameters(doc, processor.groupId),
    controllerServices: (doc.controllerServices ?? []).map((s) => ({ id: s.id, type: s.type, name: s.name, properties: s.properties, enabled: s.enabled })),
    state: { local: await state.get('local'), cluster: await state.get('cluster') },
    input: await resolveInput(engines, flowId, doc, processorId, input),
  };
  return sandbox.run<TestProcessorResult>('processor', payload, PROCESSOR_TEST_TIMEOUT_MS);
}

/** The FlowFile the test runs on: the chosen queued one, the given input, or the first one queued for the processor. */
async function resolveInput(engines: EngineService, flowId: string, doc: FlowDocument, processorId: string, input: TestInput): Promise<TestInput | undefined> {
  if (!input.flowFileUuid && (input.attributes !== undefined || input.content !== undefined)) return { attributes: input.attributes, content: input.content };
  const engine = engines.engine(flowId);
  for (const c of doc.connections.filter((c) => c.targetId === processorId)) {
    const listed = engine.queue(c.id, input.flowFileUuid ? 10_000 : 1).flowFiles;
    const hit = input.flowFileUuid ? listed.find((f) => f.flowFile.uuid === input.flowFileUuid) : listed[0];
    if (hit) return { attributes: { ...hit.flowFile.attributes }, content: await engines.queuedContent(flowId, c.id, hit.flowFile.uuid) };
  }
  if (input.flowFileUuid) throw new NotFoundError('queued FlowFile', input.flowFileUuid);
  return undefined;
}
