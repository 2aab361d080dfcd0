import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { getProcessor } from '@sluice/processors';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { QueueListingDto } from '@sluice/contracts';
import { fromUtf8 } from '@sluice/flow-api';
import { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { MinRole, ROLE_RANK } from '../auth/roles.js';
import { BadInputError, ForbiddenError, ServiceBusyError } from '../common/errors.js';
import { PaneBusyError, PaneError, PaneLimitError } from '../test-panes/pane-sandbox.js';
import { sandboxedProcessorTest } from '../test-panes/sandboxed-processor-test.js';
import { TestPaneRuntime } from '../test-panes/test-pane-runtime.js';
import { DataSource } from 'typeorm';
import { SecretRegistry } from '../secrets/secret-registry.js';
import { BodyLimit, BODY_LIMITS } from '../common/request-body.js';
import { parseInput } from '../common/zod.js';
import { FlowsService } from '../flows/flows.service.js';
import { EngineService } from './engine.service.js';

const TestStepSchema = z.object({
  flowFileUuid: z.string().optional(),
  content: z.string().optional(),
  attributes: z.record(z.string(), z.string()).optional(),
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

  private async sandboxed(id: string, pid: string, input: z.infer<typeof TestStepSchema>) {
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
  async startProcessor(@Param('id') id: string, @Param('pid') pid: string) {
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
    await this.engines.runOnce(id, pid);
    return this.status(id);
  }

  @Post('processors/:pid/test')
  @HttpCode(200)
  @BodyLimit(BODY_LIMITS.test)
  @MinRole('viewer')
  @ApiOperation({ summary: 'Run the processor once on a chosen queued FlowFile (or given input); nothing continues. Processors that reach other systems need editor.' })
  async test(@Param('id') id: string, @Param('pid') pid: string, @Body() body: unknown, @Req() req: AuthedRequest) {
    const input = parseInput(TestStepSchema, body ?? {});
    this.engines.requireProcessor(id, pid);
    const doc = await this.flows.document(id);
    const type = doc.processors.find((p) => p.id === pid)?.type ?? '';
    const descriptor = getProcessor(type)?.descriptor;
    // A test run is a real run: a Login logs in, a Write writes. Viewers only test processors that stay inside Sluice.
    if ((descriptor?.sideEffects || descriptor?.reachesExternalSystems) && ROLE_RANK[req.user.role] < ROLE_RANK.editor) {
      throw new ForbiddenError(`testing ${descriptor.displayName} needs the 'editor' role: it reaches systems outside Sluice; you are '${req.user.role}'`);
    }
    const pure = !descriptor?.sideEffects && !descriptor?.reachesExternalSystems;
    const result = pure ? await this.sandboxed(id, pid, input) : await this.engines.engine(id).testProcessor(pid, input);
    const redact = (s: string) => this.secrets.redact(s);
    return {
      ...result,
      ...('error' in result && typeof result.error === 'string' ? { error: redact(result.error) } : {}),
      logs: result.logs.map((l) => ({ ...l, message: redact(l.message) })),
      outputs: result.outputs.map((o) => ({ relationship: o.relationship, attributes: this.secrets.redactAttributes(o.attributes), content: fromUtf8(o.content) })),
    };
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
