import { Injectable } from '@nestjs/common';
import type { ProcessorTestResultDto, QueueListingDto, Role } from '@sluice/contracts';
import { FlowEngineError } from '@sluice/flow-core';
import { dryRunRows, getProcessor } from '@sluice/processors';
import { DataSource } from 'typeorm';
import { ROLE_RANK } from '../auth/roles.js';
import { BadInputError, ForbiddenError, NotFoundError, ServiceBusyError } from '../common/errors.js';
import { EngineService, type TestInput } from '../engine/engine.service.js';
import { testResultDto } from '../engine/processor-test.js';
import { SecretRegistry } from '../secrets/secret-registry.js';
import { PaneBusyError, PaneError, PaneLimitError } from '../test-panes/pane-sandbox.js';
import { sandboxedProcessorTest } from '../test-panes/sandboxed-processor-test.js';
import { TestPaneRuntime } from '../test-panes/test-pane-runtime.js';
import { FlowsService } from './flows.service.js';

/**
 * Starting, stopping, running and testing a stored flow's processors and reading its queues: the checks that make
 * a flow startable (FlowsService) in front of the running engine (EngineService), so routes need neither.
 */
@Injectable()
export class FlowControl {
  constructor(
    private readonly engines: EngineService,
    private readonly flows: FlowsService,
    private readonly secrets: SecretRegistry,
    private readonly panes: TestPaneRuntime,
    private readonly ds: DataSource,
  ) {}

  async start(id: string) {
    await this.flows.assertStartable(id);
    await this.engines.start(id);
    return this.status(id);
  }

  async stop(id: string) {
    await this.flows.state(id);
    await this.engines.stop(id);
    return this.status(id);
  }

  async status(id: string) {
    return { state: await this.flows.state(id), ...this.engines.engine(id).status() };
  }

  async startProcessor(id: string, pid: string) {
    this.engines.requireProcessor(id, pid);
    await this.flows.assertProcessorStartable(id, pid);
    await this.engines.startProcessor(id, pid);
    return this.status(id);
  }

  async stopProcessor(id: string, pid: string) {
    await this.engines.stopProcessor(id, pid);
    return this.status(id);
  }

  async runOnce(id: string, pid: string) {
    this.engines.requireProcessor(id, pid);
    await this.flows.assertProcessorStartable(id, pid, 'run');
    await engineCall(() => this.engines.runOnce(id, pid));
    return this.status(id);
  }

  async test(id: string, pid: string, mode: 'dry-run' | 'live', input: TestInput, role: Role): Promise<ProcessorTestResultDto> {
    this.engines.requireProcessor(id, pid);
    const doc = await this.flows.document(id);
    const descriptor = getProcessor(doc.processors.find((p) => p.id === pid)?.type ?? '')?.descriptor;
    const editor = ROLE_RANK[role] >= ROLE_RANK.editor;
    if (mode === 'live' && !editor) throw new ForbiddenError(`a live run needs the 'editor' role: it runs the step for real and consumes its FlowFile; you are '${role}'`);
    // Such a step uses the flow's credentials even in a dry run. Viewers only test processors that stay inside Sluice.
    if (descriptor?.sideEffects && !editor) {
      throw new ForbiddenError(`testing ${descriptor.displayName} needs the 'editor' role: it reaches systems outside Sluice; you are '${role}'`);
    }
    const typed = !input.flowFileUuid && (input.attributes !== undefined || input.content !== undefined);
    if (mode === 'live') {
      await this.flows.assertProcessorStartable(id, pid, 'run');
      if (typed) return testResultDto(mode, await engineCall(() => this.engines.engine(id).testProcessor(pid, input)), this.secrets);
      const uuid = input.flowFileUuid ?? this.firstQueued(id, doc, pid);
      return testResultDto(mode, await engineCall(() => this.engines.engine(id).runLive(pid, uuid)), this.secrets);
    }
    if (!descriptor?.sideEffects) return testResultDto(mode, await this.sandboxed(id, pid, input), this.secrets);
    const { dry, ...result } = await engineCall(() => this.engines.dryRun(id, doc, pid, input));
    return testResultDto(mode, result, this.secrets, { requests: dry.http.requests, count: dry.http.count, rows: dryRunRows(dry.services) });
  }

  queue(id: string, cid: string, limit: number): QueueListingDto {
    this.engines.requireConnection(id, cid);
    const q = this.engines.engine(id).queue(cid, limit);
    return {
      connectionId: cid,
      count: q.count,
      bytes: q.bytes,
      flowFiles: q.flowFiles.map((f, i) => ({
        uuid: f.flowFile.uuid,
        attributes: this.secrets.redactAttributes(f.flowFile.attributes),
        size: f.flowFile.size,
        entryDate: new Date(f.flowFile.entryDate).toISOString(),
        penalized: f.penalized,
        position: i,
      })),
    };
  }

  async queuedContent(id: string, cid: string, uuid: string) {
    this.engines.requireConnection(id, cid);
    return { uuid, content: await this.engines.queuedContent(id, cid, uuid) };
  }

  async emptyQueue(id: string, cid: string) {
    this.engines.requireConnection(id, cid);
    return { dropped: await this.engines.engine(id).emptyQueue(cid) };
  }

  private async sandboxed(id: string, pid: string, input: TestInput) {
    try {
      return await sandboxedProcessorTest(this.panes.sandbox, this.engines, this.ds, id, await this.flows.document(id), pid, input);
    } catch (e) {
      if (e instanceof PaneLimitError) throw new BadInputError(`processor test: ${e.message}`);
      if (e instanceof PaneBusyError) throw new ServiceBusyError(e.message);
      if (e instanceof PaneError) throw new BadInputError(`processor test failed: ${e.message}`);
      throw e;
    }
  }

  /** The FlowFile a live run takes when none is chosen: the first one queued in front of the processor. */
  private firstQueued(id: string, doc: { connections: { id: string; targetId: string }[] }, pid: string): string {
    const engine = this.engines.engine(id);
    for (const cid of [...doc.connections.filter((c) => c.targetId === pid).map((c) => c.id), `ingress:${pid}`]) {
      const hit = engine.status().connections.some((c) => c.id === cid) ? engine.queue(cid, 1).flowFiles[0] : undefined;
      if (hit) return hit.flowFile.uuid;
    }
    throw new BadInputError('nothing is queued in front of this processor: choose a queued FlowFile or give content to run on', [{ field: 'flowFileUuid', message: 'no queued FlowFile' }]);
  }
}

/** The engine's refusals as HTTP answers: a FlowFile or processor that is not there, a processor that cannot run. */
async function engineCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof FlowEngineError) throw e.code === 'not-found' ? new NotFoundError('queued FlowFile', e.message) : new BadInputError(e.message);
    throw e;
  }
}
