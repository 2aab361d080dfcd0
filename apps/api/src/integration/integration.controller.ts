import { Body, Controller, Headers, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { AcceptsFlowApiKey, MinRole } from '../auth/roles.js';
import { BodyLimit, RawBody } from '../common/request-body.js';
import { parseInput } from '../common/zod.js';
import { z } from 'zod';
import { IntegrationService } from './integration.service.js';

// Which keys a flow accepts, and how a date-time reads, depend on the flow: the service checks those.
const TriggerQuerySchema = z.record(z.string(), z.string({ error: 'a single non-empty value is required' }).refine((v) => v.trim() !== '', 'a single non-empty value is required'));

@ApiTags('integrator')
@ApiBearerAuth()
@Controller()
export class IntegrationController {
  constructor(private readonly integration: IntegrationService) {}

  @Post('flows/:id/trigger')
  @HttpCode(202)
  @MinRole('editor')
  @ApiOperation({ summary: 'Run an inbound flow now, e.g. ?sku=1234,1235 or ?modified_date__gt=2024-12-31T13:30:59.000001 (plus custom trigger keys)' })
  trigger(@Param('id') id: string, @Query() query: Record<string, unknown>, @Req() req: AuthedRequest) {
    return this.integration.trigger(id, parseInput(TriggerQuerySchema, query, 'query'), req.user.username);
  }

  @Post('flows/:id/fetch-missing')
  @HttpCode(202)
  @MinRole('editor')
  @ApiOperation({ summary: 'Run fetch missing now: trigger the flow with recently productized SKUs that lack stock or images' })
  fetchMissing(@Param('id') id: string) {
    return this.integration.runFetchMissing(id);
  }

  @Post('outbound/:flowId')
  @HttpCode(202)
  @MinRole('editor')
  @AcceptsFlowApiKey('flowId')
  @BodyLimit('outbound')
  @RawBody()
  @ApiOperation({ summary: "Outbound Request URL: post a batch of rows (the seed's payload) with one of the flow's API keys (X-API-Key); 202 once it is durable, 429 past the flow's concurrency limit" })
  @ApiSecurity('flow-api-key')
  @ApiBody({ schema: { type: 'array', items: { type: 'object' } } })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Any unique value per batch (a UUID): a repeat within 24 h returns the same executionId and creates nothing' })
  outbound(@Param('flowId') flowId: string, @Body() body: RawBody | undefined, @Req() req: AuthedRequest, @Headers('idempotency-key') idempotencyKey?: string) {
    return this.integration.outbound(flowId, body, req.user.username, idempotencyKey);
  }
}
