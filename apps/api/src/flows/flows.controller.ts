import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FlowDocumentSchema, type FlowDocument, type FlowDto, type FlowImportDto, type FlowSummaryDto } from '@sluice/contracts';
import { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { JsonInSlicesInterceptor } from '../common/json-in-slices.js';
import { BodyLimit, BODY_LIMITS } from '../common/request-body.js';
import { parseInput } from '../common/zod.js';
import { ExecutionsService } from '../executions/executions.service.js';
import { FlowsService } from './flows.service.js';

const ExportQuerySchema = z.object({ format: z.enum(['sluice', 'nifi'], { error: "must be 'sluice' or 'nifi'" }).default('sluice') });

const flowDocumentJsonSchema = z.toJSONSchema(FlowDocumentSchema, { io: 'input', unrepresentable: 'any' }) as object;

@ApiTags('flows')
@ApiBearerAuth()
@Controller('flows')
// A flow at FLOW_LIMITS answers a few MB of JSON: written in slices, not in one stringify.
@UseInterceptors(JsonInSlicesInterceptor)
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
  @ApiOperation({ summary: "Import a Sluice export or a NiFi flow definition (NiFi's Download flow definition) as a new flow; `report` lists what could not be carried over" })
  @ApiBody({ schema: { oneOf: [flowDocumentJsonSchema, { type: 'object', required: ['flowContents'], properties: { flowContents: { type: 'object' }, parameterContexts: { type: 'object' } } }] } })
  import(@Body() body: unknown, @Req() req: AuthedRequest): Promise<FlowImportDto> {
    return this.flows.import(body, req.user.username);
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
  @ApiOperation({ summary: 'The flow document as JSON, secrets left out; `format=nifi` gives a NiFi flow definition (409 listing the components NiFi does not have)' })
  export(@Param('id') id: string, @Query() query: Record<string, unknown>): Promise<FlowDocument | Record<string, unknown>> {
    const { format } = parseInput(ExportQuerySchema, query, 'query');
    return format === 'nifi' ? this.flows.exportNifi(id) : this.flows.export(id);
  }
}
