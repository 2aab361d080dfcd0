import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FlowDto } from '@sluice/contracts';
import { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { BadInputError } from '../common/errors.js';
import { parseInput } from '../common/zod.js';
import { FlowsService } from '../flows/flows.service.js';
import { FLOW_TEMPLATES, findTemplate } from './flow-templates.js';

const FromTemplateSchema = z.object({
  templateId: z.string().min(1),
  name: z.string().min(1).max(200).optional(),
  /** Values for the template's parameters (URLs, credentials, stock list); unknown names are refused. */
  parameters: z.record(z.string(), z.string()).optional(),
});

@ApiTags('templates')
@ApiBearerAuth()
@Controller()
export class TemplatesController {
  constructor(private readonly flows: FlowsService) {}

  @Get('templates')
  @ApiOperation({ summary: 'Ready-made Integrator flows: stock and image, inbound and outbound' })
  list() {
    return FLOW_TEMPLATES.map((t) => {
      const doc = t.build();
      return { id: t.id, name: t.name, description: t.description, kind: t.kind, direction: t.direction, parameters: doc.parameters ?? {}, sensitiveParameters: doc.sensitiveParameters ?? [] };
    });
  }

  @Post('flows/from-template')
  @ApiOperation({ summary: 'Create a flow from a template' })
  @ApiBody({ schema: z.toJSONSchema(FromTemplateSchema) as object })
  async create(@Body() body: unknown, @Req() req: AuthedRequest): Promise<FlowDto> {
    const input = parseInput(FromTemplateSchema, body, 'template request');
    const template = findTemplate(input.templateId);
    if (!template) {
      throw new BadInputError(`unknown template '${input.templateId}'; known: ${FLOW_TEMPLATES.map((t) => t.id).join(', ')}`, [
        { field: 'templateId', message: 'unknown template' },
      ]);
    }
    const doc = template.build();
    const parameters = { ...(doc.parameters ?? {}) };
    for (const [k, v] of Object.entries(input.parameters ?? {})) {
      if (!(k in parameters)) throw new BadInputError(`template '${template.id}' has no parameter '${k}'`, [{ field: `parameters.${k}`, message: 'unknown parameter' }]);
      parameters[k] = v;
    }
    return this.flows.create({ ...doc, name: input.name ?? doc.name, parameters }, req.user.username);
  }
}
