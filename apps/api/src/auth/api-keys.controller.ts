import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApiKeyDto, CreatedApiKeyDto } from '@sluice/contracts';
import { z } from 'zod';
import { parseInput } from '../common/zod.js';
import { FlowsRepository } from '../flows/flows.repository.js';
import { NotFoundError } from '../common/errors.js';
import { ApiKeysService } from './api-keys.service.js';
import type { AuthedRequest } from './auth.guard.js';
import { MinRole } from './roles.js';

const CreateKeySchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'a name is required (e.g. the ERP that will use the key)')
    .max(100)
    .refine((s) => !/\p{C}/u.test(s), 'must not contain control or invisible characters'),
}).strict();

@ApiTags('integrator')
@ApiBearerAuth()
@Controller('flows/:id/api-keys')
@MinRole('editor')
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly flows: FlowsRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: "The flow's API keys for outbound callers (never the keys themselves)" })
  async list(@Param('id') id: string): Promise<ApiKeyDto[]> {
    await this.flow(id);
    return this.keys.list(id);
  }

  @Post()
  @ApiOperation({ summary: 'Create an API key for POST /api/outbound/:flowId; the key is in this reply only' })
  @ApiBody({ schema: z.toJSONSchema(CreateKeySchema) as object })
  async create(@Param('id') id: string, @Body() body: unknown, @Req() req: AuthedRequest): Promise<CreatedApiKeyDto> {
    const { name } = parseInput(CreateKeySchema, body);
    await this.flow(id);
    return this.keys.create(id, name, req.user.username);
  }

  @Delete(':keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key: callers using it get 401 from then on' })
  async revoke(@Param('id') id: string, @Param('keyId') keyId: string): Promise<void> {
    await this.flow(id);
    await this.keys.revoke(id, keyId);
  }

  private async flow(id: string): Promise<void> {
    if (!(await this.flows.findById(id))) throw new NotFoundError('flow', id);
  }
}

@ApiTags('integrator')
@ApiBearerAuth()
@Controller('api-keys')
@MinRole('editor')
export class AllApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: "Every flow's API keys for outbound callers (never the keys themselves)" })
  list(): Promise<ApiKeyDto[]> {
    return this.keys.listAll();
  }
}
