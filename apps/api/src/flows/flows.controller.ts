import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FlowDocumentSchema, type FlowDocument, type FlowDto, type FlowSummaryDto } from '@sluice/contracts';
import { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { BodyLimit, BODY_LIMITS } from '../common/request-body.js';
import { ExecutionsService } from '../executions/executions.service.js';
import { FlowsService } from './flows.service.js';

const flowDocumentJsonSchema = z.toJSONSchema(FlowDocumentSchema, { io: 'input', unrepresentable: 'any' }) as object;

@ApiTags('flows')
@ApiBearerAuth()
@Controller('flows')
export class FlowsController {
  constructor(
    private readonly flows: FlowsService,
    private readonly executions: ExecutionsService,
  ) {}

  @Get()
  @ApiOperation({ summary: "Every flow, with its newest execution and its failures in the last 24 hours" })
  async list(): Promise<FlowSummaryDto[]> {
    const [flows, health] = await Promise.all([this.flows.list(), this.executions.flowHealth()]);
    return flows.map((f) => ({ ...f, ...health.get(f.id) }));
  }

  @Post()
  @BodyLimit(BODY_LIMITS.document)
  @ApiOperation({ summary: 'Create a flow from a flow document' })
  @ApiBody({ schema: flowDocumentJsonSchema })
  create(@Body() body: unknown, @Req() req: AuthedRequest): Promise<FlowDto> {
    return this.flows.create(body, req.user.username);
  }

  @Post('import')
  @BodyLimit(BODY_LIMITS.document)
  @ApiOperation({ summary: 'Import an exported flow document as a new flow' })
  @ApiBody({ schema: flowDocumentJsonSchema })
  import(@Body() body: unknown, @Req() req: AuthedRequest): Promise<FlowDto> {
    return this.flows.create(body, req.user.username);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<FlowDto> {
    return this.flows.get(id);
  }

  @Put(':id')
  @BodyLimit(BODY_LIMITS.document)
  @ApiOperation({ summary: 'Save a new version; 409 when `version` is not the stored one' })
  @ApiBody({ schema: { type: 'object', required: ['version', 'document'], properties: { version: { type: 'integer' }, document: flowDocumentJsonSchema } } })
  update(@Param('id') id: string, @Body() body: { version?: unknown; document?: unknown } | undefined, @Req() req: AuthedRequest): Promise<FlowDto> {
    return this.flows.update(id, body?.version, body?.document, req.user.username);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a flow' })
  @ApiBody({ schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } })
  rename(@Param('id') id: string, @Body() body: { name?: unknown } | undefined, @Req() req: AuthedRequest): Promise<FlowDto> {
    return this.flows.rename(id, body?.name, req.user.username);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.flows.delete(id);
  }

  @Post(':id/duplicate')
  duplicate(@Param('id') id: string, @Req() req: AuthedRequest): Promise<FlowDto> {
    return this.flows.duplicate(id, req.user.username);
  }

  @Get(':id/export')
  @ApiOperation({ summary: 'The flow document as JSON, secrets masked' })
  export(@Param('id') id: string): Promise<FlowDocument> {
    return this.flows.export(id);
  }
}
