import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { evaluateExpression, ExpressionError } from '@sluice/expression';
import type { ScriptRunner } from '@sluice/flow-api';
import { compileChain, JoltSpecError, JoltTransformError, parseJson } from '@sluice/jolt';
import { z } from 'zod';
import { MinRole } from '../auth/roles.js';
import { BadInputError } from '../common/errors.js';
import { parseInput } from '../common/zod.js';
import { SCRIPT_RUNNER } from '../engine/engine.service.js';
import { runScriptTest } from '../scripting/index.js';

const ExpressionSchema = z.object({
  expression: z.string(),
  attributes: z.record(z.string(), z.string()).default({}),
  parameters: z.record(z.string(), z.string()).default({}),
  timeZone: z.string().optional(),
});
const MappingSchema = z.object({ spec: z.unknown(), input: z.unknown(), context: z.unknown().optional() });
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
  @ApiOperation({ summary: 'Run a Jolt chain on an input; reports what the spec did not use' })
  @ApiBody({ schema: z.toJSONSchema(MappingSchema, { io: 'input' }) as object })
  mapping(@Body() body: unknown): { output: unknown; warnings: unknown[] } {
    const req = parseInput(MappingSchema, body);
    const spec = this.json(req.spec, 'spec');
    const input = this.json(req.input, 'input');
    const context = req.context === undefined ? undefined : this.json(req.context, 'context');
    try {
      return compileChain(spec).transformWithReport(input, context);
    } catch (e) {
      if (e instanceof JoltSpecError || e instanceof JoltTransformError) {
        const path = (e as { path?: string }).path ?? null;
        throw new BadInputError(e.message, [{ field: e instanceof JoltSpecError ? 'spec' : 'input', message: e.message }], { error: e.message, path });
      }
      throw e;
    }
  }

  @Post('script')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a script on an input, as the Script step would; nothing is kept' })
  @ApiBody({ schema: z.toJSONSchema(ScriptSchema, { io: 'input' }) as object })
  script(@Body() body: unknown) {
    const req = parseInput(ScriptSchema, body);
    return runScriptTest(this.scripts, req);
  }

  /** Test panes send JSON either parsed or as the text the user typed. */
  private json(value: unknown, field: string): unknown {
    if (typeof value !== 'string') return value;
    try {
      return parseJson(value);
    } catch (e) {
      const message = `${field} is not valid JSON: ${(e as Error).message}`;
      throw new BadInputError(message, [{ field, message }], { error: message, path: field });
    }
  }
}
