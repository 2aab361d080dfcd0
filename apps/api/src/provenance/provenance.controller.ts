import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { ProvenanceEventDto } from '@sluice/contracts';
import { z } from 'zod';
import { parseInput } from '../common/zod.js';
import { ProvenanceService } from './provenance.service.js';

const EVENT_TYPES = ['CREATE', 'RECEIVE', 'FETCH', 'SEND', 'ATTRIBUTES_MODIFIED', 'CONTENT_MODIFIED', 'ROUTE', 'DROP', 'CLONE', 'FORK', 'JOIN'] as const;
const QuerySchema = z
  .object({
    flowFileUuid: z.string().min(1).max(64).optional(),
    eventType: z.enum(EVENT_TYPES).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();

@ApiTags('provenance')
@ApiBearerAuth()
@Controller()
export class ProvenanceController {
  constructor(private readonly provenance: ProvenanceService) {}

  @Get('flows/:id/provenance')
  query(@Param('id') id: string, @Query() query: Record<string, unknown>): Promise<ProvenanceEventDto[]> {
    const q = parseInput(QuerySchema, query, 'query');
    return this.provenance.query(id, { flowFileUuid: q.flowFileUuid, eventType: q.eventType, limit: q.limit, beforeId: q.before });
  }

  @Get('provenance/lineage/:uuid')
  lineage(@Param('uuid') uuid: string): Promise<ProvenanceEventDto[]> {
    return this.provenance.lineage(uuid);
  }
}
