import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ProvenanceContentDto, ProvenanceEventDto, RowJourneyDto, StepFlowFilesDto } from '@sluice/contracts';
import { z } from 'zod';
import { MinRole } from '../auth/roles.js';
import { NotFoundError } from '../common/errors.js';
import { parseInput } from '../common/zod.js';
import { ExecutionsService } from '../executions/executions.service.js';
import { CONTENT_PAGE_MAX, LINEAGE_MAX_EVENTS, ProvenanceService } from './provenance.service.js';
import { exchangeOf, ProvenanceViews } from './provenance-views.js';

const EVENT_TYPES = ['CREATE', 'RECEIVE', 'FETCH', 'SEND', 'ATTRIBUTES_MODIFIED', 'CONTENT_MODIFIED', 'ROUTE', 'DROP', 'CLONE', 'FORK', 'JOIN'] as const;
const id = z.string().min(1).max(64);
const QuerySchema = z
  .object({
    flowFileUuid: id.optional(),
    eventType: z.enum(EVENT_TYPES).optional(),
    executionId: id.optional(),
    processorId: id.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();
const EventIdSchema = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const ContentQuerySchema = z
  .object({
    offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    length: z.coerce.number().int().min(1).max(CONTENT_PAGE_MAX).default(64 * 1024),
  })
  .strict();
const LineageQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(LINEAGE_MAX_EVENTS).default(LINEAGE_MAX_EVENTS) }).strict();

/** Provenance is read data: every signed-in role may read it; credentials are masked in all of it. */
@ApiTags('provenance')
@ApiBearerAuth()
@MinRole('viewer')
@Controller()
export class ProvenanceController {
  constructor(
    private readonly provenance: ProvenanceService,
    private readonly views: ProvenanceViews,
    private readonly executions: ExecutionsService,
  ) {}

  @Get('flows/:id/provenance')
  @ApiOperation({ summary: "A flow's provenance events, newest first; filter by FlowFile, event type, execution or processor" })
  query(@Param('id') flowId: string, @Query() query: Record<string, unknown>): Promise<ProvenanceEventDto[]> {
    const q = parseInput(QuerySchema, query, 'query');
    return this.provenance.query(flowId, { flowFileUuid: q.flowFileUuid, eventType: q.eventType, executionId: q.executionId, processorId: q.processorId, limit: q.limit, beforeId: q.before });
  }

  @Get('provenance/lineage/:uuid')
  @ApiOperation({ summary: "Every event of a FlowFile, its ancestors and descendants, oldest first (at most 2000; X-Lineage-Truncated says when cut)" })
  async lineage(@Param('uuid') uuid: string, @Query() query: Record<string, unknown>): Promise<ProvenanceEventDto[]> {
    const { limit } = parseInput(LineageQuerySchema, query, 'query');
    return (await this.provenance.lineage(parseInput(id, uuid, 'uuid'), limit)).events;
  }

  @Get('provenance/lineage/:uuid/graph')
  @ApiOperation({ summary: 'The lineage with a flag telling whether it was cut at the limit' })
  lineageGraph(@Param('uuid') uuid: string, @Query() query: Record<string, unknown>) {
    const { limit } = parseInput(LineageQuerySchema, query, 'query');
    return this.provenance.lineage(parseInput(id, uuid, 'uuid'), limit);
  }

  @Get('provenance/events/:eventId')
  @ApiOperation({ summary: 'One event with its attributes, and the HTTP exchange a writer recorded in it' })
  async event(@Param('eventId') eventId: string) {
    const e = await this.provenance.event(parseInput(EventIdSchema, eventId, 'eventId'));
    if (!e) throw new NotFoundError('provenance event', eventId);
    const { contentClaim: _claim, ...dto } = e;
    return { ...dto, exchange: exchangeOf(dto.details) };
  }

  @Get('provenance/events/:eventId/content')
  @ApiOperation({ summary: "A slice of the event's FlowFile content as it was then (at most 256 KB per request; nextOffset pages on)" })
  async content(@Param('eventId') eventId: string, @Query() query: Record<string, unknown>): Promise<ProvenanceContentDto> {
    const q = parseInput(ContentQuerySchema, query, 'query');
    const e = await this.provenance.event(parseInput(EventIdSchema, eventId, 'eventId'));
    if (!e) throw new NotFoundError('provenance event', eventId);
    return this.provenance.content(e, q.offset, q.length);
  }

  @Get('executions/:id/steps/:processorId/flowfiles')
  @ApiOperation({ summary: 'The FlowFiles that entered and left one step of an execution (at most 100 each)' })
  async stepFlowFiles(@Param('id') executionId: string, @Param('processorId') processorId: string): Promise<StepFlowFilesDto> {
    await this.executions.get(executionId);
    return this.views.stepFlowFiles(executionId, parseInput(id, processorId, 'processorId'));
  }

  @Get('executions/:id/rows/:rowId/journey')
  @ApiOperation({ summary: "A row log's way through the flow: its FlowFile's ancestry, the row as the step got it, and the requests that carried it" })
  async rowJourney(@Param('id') executionId: string, @Param('rowId') rowId: string): Promise<RowJourneyDto> {
    await this.executions.get(executionId);
    return this.views.rowJourney(executionId, parseInput(EventIdSchema, rowId, 'rowId'));
  }
}
