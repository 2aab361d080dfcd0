import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ProcessorTestResultDto, QueueListingDto } from '@sluice/contracts';
import { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { MinRole } from '../auth/roles.js';
import { BodyLimit, BODY_LIMITS } from '../common/request-body.js';
import { parseInput } from '../common/zod.js';
import { FlowControl } from './flow-control.service.js';

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
export class FlowControlController {
  constructor(private readonly control: FlowControl) {}

  @Post('start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start every processor of the flow; 400 naming the problems when it is not valid' })
  start(@Param('id') id: string) {
    return this.control.start(id);
  }

  @Post('stop')
  @HttpCode(200)
  stop(@Param('id') id: string) {
    return this.control.stop(id);
  }

  @Get('status')
  status(@Param('id') id: string) {
    return this.control.status(id);
  }

  @Post('processors/:pid/start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start one processor and keep it running across saves and restarts; 400 naming its problems when it is not valid' })
  startProcessor(@Param('id') id: string, @Param('pid') pid: string) {
    return this.control.startProcessor(id, pid);
  }

  @Post('processors/:pid/stop')
  @HttpCode(200)
  stopProcessor(@Param('id') id: string, @Param('pid') pid: string) {
    return this.control.stopProcessor(id, pid);
  }

  @Post('processors/:pid/run-once')
  @HttpCode(200)
  @ApiOperation({ summary: 'Trigger the processor once' })
  runOnce(@Param('id') id: string, @Param('pid') pid: string) {
    return this.control.runOnce(id, pid);
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
  test(@Param('id') id: string, @Param('pid') pid: string, @Body() body: unknown, @Req() req: AuthedRequest): Promise<ProcessorTestResultDto> {
    const { mode, ...input } = parseInput(TestStepSchema, body ?? {});
    return this.control.test(id, pid, mode, input, req.user.role);
  }

  @Get('connections/:cid/queue')
  queue(@Param('id') id: string, @Param('cid') cid: string, @Query() query: Record<string, unknown>): QueueListingDto {
    return this.control.queue(id, cid, parseInput(QueueQuerySchema, query, 'query').limit);
  }

  @Get('connections/:cid/queue/:uuid/content')
  content(@Param('id') id: string, @Param('cid') cid: string, @Param('uuid') uuid: string) {
    return this.control.queuedContent(id, cid, uuid);
  }

  @Delete('connections/:cid/queue')
  @HttpCode(200)
  empty(@Param('id') id: string, @Param('cid') cid: string) {
    return this.control.emptyQueue(id, cid);
  }
}
