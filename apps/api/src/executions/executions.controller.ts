import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ExecutionDto, ExecutionStepDto, Page, RowLogDto } from '@sluice/contracts';
import { z } from 'zod';
import { parseInput } from '../common/zod.js';
import { ExecutionsService } from './executions.service.js';

const dateParam = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date-time is required')
  .transform((s) => Date.parse(s));
const paging = { offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(50) };
const ListSchema = z.object({
  flowId: z.string().optional(),
  status: z.enum(['in-progress', 'success', 'partial', 'failed', 'empty']).optional(),
  from: dateParam.optional(),
  to: dateParam.optional(),
  sku: z.string().optional(),
  ...paging,
});
const RowsSchema = z.object({ status: z.enum(['success', 'failed', 'skipped']).optional(), sku: z.string().optional(), ...paging });
const HourlySchema = z.object({ flowId: z.string().optional(), hours: z.coerce.number().int().min(1).max(24 * 90).default(24) });

@ApiTags('executions')
@ApiBearerAuth()
@Controller('executions')
export class ExecutionsController {
  constructor(private readonly executions: ExecutionsService) {}

  @Get()
  @ApiOperation({ summary: 'Executions (main logs), newest first; filter by flow, status, time range, or a SKU in their row logs' })
  list(@Query() query: Record<string, string>): Promise<Page<ExecutionDto>> {
    return this.executions.list(parseInput(ListSchema, query, 'query'));
  }

  @Get('hourly')
  @ApiOperation({ summary: 'Rows written and failed per hour, with the error rate, for the last N hours' })
  hourly(@Query() query: Record<string, string>) {
    const q = parseInput(HourlySchema, query, 'query');
    const to = Date.now();
    return this.executions.hourly(q.flowId, to - q.hours * 3_600_000, to);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<ExecutionDto> {
    return this.executions.get(id);
  }

  @Get(':id/steps')
  @ApiOperation({ summary: 'Sub logs: each step with duration, input and output sizes, and its error' })
  steps(@Param('id') id: string): Promise<ExecutionStepDto[]> {
    return this.executions.steps(id);
  }

  @Get(':id/rows')
  @ApiOperation({ summary: 'Line logs: one per row written (SKU, status, message)' })
  rows(@Param('id') id: string, @Query() query: Record<string, string>): Promise<Page<RowLogDto>> {
    return this.executions.rowLogs(id, parseInput(RowsSchema, query, 'query'));
  }
}
