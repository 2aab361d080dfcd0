import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { QueueListingDto } from '@sluice/contracts';
import { fromUtf8 } from '@sluice/flow-api';
import { z } from 'zod';
import { MinRole } from '../auth/roles.js';
import { parseInput } from '../common/zod.js';
import { FlowsService } from '../flows/flows.service.js';
import { EngineService } from './engine.service.js';

const TestStepSchema = z.object({
  flowFileUuid: z.string().optional(),
  content: z.string().optional(),
  attributes: z.record(z.string(), z.string()).optional(),
});

@ApiTags('engine')
@ApiBearerAuth()
@Controller('flows/:id')
export class EngineController {
  constructor(
    private readonly engines: EngineService,
    private readonly flows: FlowsService,
  ) {}

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
  @MinRole('viewer')
  @ApiOperation({ summary: 'Run the processor once on a chosen queued FlowFile (or given input); nothing continues' })
  async test(@Param('id') id: string, @Param('pid') pid: string, @Body() body: unknown) {
    const input = parseInput(TestStepSchema, body ?? {});
    this.engines.requireProcessor(id, pid);
    const result = await this.engines.engine(id).testProcessor(pid, input);
    return { ...result, outputs: result.outputs.map((o) => ({ relationship: o.relationship, attributes: o.attributes, content: fromUtf8(o.content) })) };
  }

  @Get('connections/:cid/queue')
  queue(@Param('id') id: string, @Param('cid') cid: string, @Query('limit') limit?: string): QueueListingDto {
    this.engines.requireConnection(id, cid);
    const n = Math.min(Math.max(Number(limit ?? 100) || 100, 1), 1000);
    const q = this.engines.engine(id).queue(cid, n);
    return {
      connectionId: cid,
      count: q.count,
      bytes: q.bytes,
      flowFiles: q.flowFiles.map((f, i) => ({
        uuid: f.flowFile.uuid,
        attributes: { ...f.flowFile.attributes },
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
