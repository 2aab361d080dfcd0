import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { BulletinDto } from '@sluice/contracts';
import { z } from 'zod';
import { parseInput } from '../common/zod.js';
import { FlowsService } from '../flows/flows.service.js';
import { BulletinsService } from './bulletins.service.js';

const QuerySchema = z.object({ processorId: z.string().min(1).max(64).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }).strict();

@ApiTags('engine')
@ApiBearerAuth()
@Controller('flows/:id/bulletins')
export class BulletinsController {
  constructor(
    private readonly bulletins: BulletinsService,
    private readonly flows: FlowsService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The flow's stored bulletins, newest first: each processor's newest 20" })
  async list(@Param('id') id: string, @Query() query: Record<string, unknown>): Promise<BulletinDto[]> {
    const q = parseInput(QuerySchema, query, 'query');
    await this.flows.document(id);
    return this.bulletins.list(id, q.processorId, q.limit);
  }
}
