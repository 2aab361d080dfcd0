import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { evaluateExpression, ExpressionError } from '@sluice/expression';
import type { ScriptRunner } from '@sluice/flow-api';
import { z } from 'zod';
import { MinRole } from '../auth/roles.js';
import { BadInputError } from '../common/errors.js';
import { BodyLimit, BODY_LIMITS } from '../common/request-body.js';
import { parseInput } from '../common/zod.js';
import { SCRIPT_RUNNER } from '../engine/engine.service.js';
import { runScriptTest } from '../scripting/index.js';
import { MappingSchema, runMappingPane, type MappingPaneResult } from './mapping-pane.js';

const ExpressionSchema = z.object({
  expression: z.string(),
  attributes: z.record(z.string(), z.string()).default({}),
  parameters: z.record(z.string(), z.string()).default({}),
  timeZone: z.string().optional(),
});
const ScriptSchema = z.object({
  language: z.enum(['python', 'javascript']),
  script: z.string().min(1, 'script is required'),
  input: z.string().default(''),
  attributes: z.record(z.string(), z.string()).default({}),
  timeoutMs: z.number().int().min(100).max(300_000).optional(),
});

/** The seeds' "Script Testing" and "Mapping Testing": what a user tries here is what production runs. */
@ApiTags('test panes')
@ApiBearerAuth()
@Controller('test')
@MinRole('viewer')
@BodyLimit(BODY_LIMITS.test)
export class TestPanesController {
  constructor(@Inject(SCRIPT_RUNNER) private readonly scripts: ScriptRunner) {}

  @Post('expression')
  @HttpCode(200)
  @ApiOperation({ summary: 'Evaluate NiFi Expression Language against attributes' })
  @ApiBody({ schema: z.toJSONSchema(ExpressionSchema, { io: 'input' }) as object })
  expression(@Body() body: unknown): { result: string } {
    const req = parseInput(ExpressionSchema, body);
    try {
      return { result: evaluateExpression(req.expression, { attributes: req.attributes, parameters: req.parameters, timeZone: req.timeZone }) };
    } catch (e) {
      if (e instanceof ExpressionError) {
        throw new BadInputError(e.message, [{ field: 'expression', message: e.message, line: e.line, column: e.column }], { error: e.message, line: e.line ?? null, column: e.column ?? null, phase: e.phase });
      }
      throw e;
    }
  }

  @Post('mapping')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run the JoltTransformJSON processor once on an input, as the step would; reports what the spec did not use' })
  @ApiBody({ schema: z.toJSONSchema(MappingSchema, { io: 'input' }) as object })
  mapping(@Body() body: unknown): Promise<MappingPaneResult> {
    return runMappingPane(body);
  }

  @Post('script')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a script on an input, as the Script step would; nothing is kept' })
  @ApiBody({ schema: z.toJSONSchema(ScriptSchema, { io: 'input' }) as object })
  script(@Body() body: unknown) {
    const req = parseInput(ScriptSchema, body);
    return runScriptTest(this.scripts, req);
  }
}
