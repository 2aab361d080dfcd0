import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { dryRunRows, getProcessor } from '@sluice/processors';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ProcessorTestResultDto, QueueListingDto } from '@sluice/contracts';
import { FlowEngineError } from '@sluice/flow-core';
import { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { MinRole, ROLE_RANK } from '../auth/roles.js';
import { BadInputError, ForbiddenError, NotFoundError, ServiceBusyError } from '../common/errors.js';
import { PaneBusyError, PaneError, PaneLimitError } from '../test-panes/pane-sandbox.js';
import { sandboxedProcessorTest } from '../test-panes/sandboxed-processor-test.js';
import { TestPaneRuntime } from '../test-panes/test-pane-runtime.js';
import { DataSource } from 'typeorm';
import { SecretRegistry } from '../secrets/secret-registry.js';
import { BodyLimit, BODY_LIMITS } from '../common/request-body.js';
import { parseInput } from '../common/zod.js';
import { FlowsService } from '../flows/flows.service.js';
import { EngineService, type TestInput } from './engine.service.js';
import { testResultDto } from './processor-test.js';

const TestStepSchema = z.object({
  flowFileUuid: z.string().max(64).optional(),
  content: z.string().optional(),
  attributes: z.record(z.string(), z.string()).optional(),
  mode: z.enum(['dry-run', 'live']).default('dry-run'),
});

const QueueQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();

@ApiTags('engine')
@ApiBearerAuth()
@Controller('flows/:id')
export class EngineController {
  constructor(
    private readonly engines: EngineService,
    private readonly flows: FlowsService,
    private readonly secrets: SecretRegistry,
    private readonly panes: TestPaneRuntime,
    private readonly ds: DataSource,
  ) {}

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

  @Post('start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start every processor of the flow; 400 naming the problems when it is not valid' })
  async start(@Param('id') id: string) {
    await this.flows.assertStartable(id);
    await this.engines.start(id);
    return this.status(id);
  }

  @Post('stop')
  @HttpCode(200)
  async stop(@Param('id') id: string) {
    await this.flows.get(id);
    await this.engines.stop(id);
    return this.status(id);
  }

  @Get('status')
  async status(@Param('id') id: string) {
    const flow = await this.flows.get(id);
    return { state: flow.state, ...this.engines.engine(id).status() };
  }

  @Post('processors/:pid/start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start one processor and keep it running across saves and restarts; 400 naming its problems when it is not valid' })
  async startProcessor(@Param('id') id: string, @Param('pid') pid: string) {
    this.engines.requireProcessor(id, pid);
    await this.flows.assertProcessorStartable(id, pid);
    await this.engines.startProcessor(id, pid);
    return this.status(id);
  }

  @Post('processors/:pid/stop')
  @HttpCode(200)
  async stopProcessor(@Param('id') id: string, @Param('pid') pid: string) {
    await this.engines.stopProcessor(id, pid);
    return this.status(id);
  }

  @Post('processors/:pid/run-once')
  @HttpCode(200)
  @ApiOperation({ summary: 'Trigger the processor once' })
  async runOnce(@Param('id') id: string, @Param('pid') pid: string) {
    this.engines.requireProcessor(id, pid);
    await this.flows.assertProcessorStartable(id, pid, 'run');
    await engineCall(() => this.engines.runOnce(id, pid));
    return this.status(id);
  }

  @Post('processors/:pid/test')
  @HttpCode(200)
  @BodyLimit(BODY_LIMITS.test)
  @MinRole('viewer')
  @ApiOperation({
    summary:
      "Run the processor once on a queued FlowFile (or given input). `mode: 'dry-run'` (the default) sends nothing: a processor that reaches other systems shows the requests it would send; " +
      "`mode: 'live'` (editor) runs it for real and consumes the queued FlowFile, whose result goes on in the flow. Processors that reach other systems need editor.",
  })
  async test(@Param('id') id: string, @Param('pid') pid: string, @Body() body: unknown, @Req() req: AuthedRequest): Promise<ProcessorTestResultDto> {
    const { mode, ...input } = parseInput(TestStepSchema, body ?? {});
    this.engines.requireProcessor(id, pid);
    const doc = await this.flows.document(id);
    const descriptor = getProcessor(doc.processors.find((p) => p.id === pid)?.type ?? '')?.descriptor;
    const editor = ROLE_RANK[req.user.role] >= ROLE_RANK.editor;
    if (mode === 'live' && !editor) throw new ForbiddenError(`a live run needs the 'editor' role: it runs the step for real and consumes its FlowFile; you are '${req.user.role}'`);
    // Such a step uses the flow's credentials even in a dry run. Viewers only test processors that stay inside Sluice.
    if (descriptor?.sideEffects && !editor) {
      throw new ForbiddenError(`testing ${descriptor.displayName} needs the 'editor' role: it reaches systems outside Sluice; you are '${req.user.role}'`);
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

  /** The FlowFile a live run takes when none is chosen: the first one queued in front of the processor. */
  private firstQueued(id: string, doc: { connections: { id: string; targetId: string }[] }, pid: string): string {
    const engine = this.engines.engine(id);
    for (const cid of [...doc.connections.filter((c) => c.targetId === pid).map((c) => c.id), `ingress:${pid}`]) {
      const hit = engine.status().connections.some((c) => c.id === cid) ? engine.queue(cid, 1).flowFiles[0] : undefined;
      if (hit) return hit.flowFile.uuid;
    }
    throw new BadInputError('nothing is queued in front of this processor: choose a queued FlowFile or give content to run on', [{ field: 'flowFileUuid', message: 'no queued FlowFile' }]);
  }

  @Get('connections/:cid/queue')
  queue(@Param('id') id: string, @Param('cid') cid: string, @Query() query: Record<string, unknown>): QueueListingDto {
    const n = parseInput(QueueQuerySchema, query, 'query').limit;
    this.engines.requireConnection(id, cid);
    const q = this.engines.engine(id).queue(cid, n);
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

  @Get('connections/:cid/queue/:uuid/content')
  async content(@Param('id') id: string, @Param('cid') cid: string, @Param('uuid') uuid: string) {
    this.engines.requireConnection(id, cid);
    return { uuid, content: await this.engines.queuedContent(id, cid, uuid) };
  }

  @Delete('connections/:cid/queue')
  @HttpCode(200)
  async empty(@Param('id') id: string, @Param('cid') cid: string) {
    this.engines.requireConnection(id, cid);
    return { dropped: await this.engines.engine(id).emptyQueue(cid) };
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
