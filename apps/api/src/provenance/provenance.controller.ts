import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { ProvenanceEventDto } from '@sluice/contracts';
import { ProvenanceService } from './provenance.service.js';

@ApiTags('provenance')
@ApiBearerAuth()
@Controller()
export class ProvenanceController {
  constructor(private readonly provenance: ProvenanceService) {}

  @Get('flows/:id/provenance')
  query(
    @Param('id') id: string,
    @Query('flowFileUuid') flowFileUuid?: string,
    @Query('eventType') eventType?: string,
    @Query('limit') limit?: string,
    @Query('before') before?: string,
  ): Promise<ProvenanceEventDto[]> {
    return this.provenance.query(id, { flowFileUuid, eventType, limit: limit ? Number(limit) : undefined, beforeId: before ? Number(before) : undefined });
  }

  @Get('provenance/lineage/:uuid')
  lineage(@Param('uuid') uuid: string): Promise<ProvenanceEventDto[]> {
    return this.provenance.lineage(uuid);
  }
}
