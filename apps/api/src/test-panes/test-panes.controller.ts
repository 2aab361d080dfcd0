import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { MinRole, ROLE_RANK } from '../auth/roles.js';
import { BadInputError, ServiceBusyError } from '../common/errors.js';
import { BodyLimit, BODY_LIMITS } from '../common/request-body.js';
import { parseInput } from '../common/zod.js';
import { ScriptPoolBusyError } from '../scripting/index.js';
import { runScriptPane, ScriptPaneSchema } from './script-pane.js';
import { SecretRegistry } from '../secrets/secret-registry.js';
import { MappingSchema, runMappingPane, type MappingPaneResult, type MappingRun } from './mapping-pane.js';
import { PaneBusyError, PaneError, PaneLimitError } from './pane-sandbox.js';
import { PANE_LIMITS, TestPaneRuntime } from './test-pane-runtime.js';

const MAX_ENTRIES = 1000;
const entries = (what: string) => z.record(z.string().max(1000), z.string()).refine((r) => Object.keys(r).length <= MAX_ENTRIES, `at most ${MAX_ENTRIES} ${what}`);
const ExpressionSchema = z.object({
  expression: z.string().max(100_000, 'expression: at most 100000 characters'),
  attributes: entries('attributes').default({}),
  parameters: entries('parameters').default({}),
  timeZone: z.string().max(100).optional(),
});

/** The seeds' "Script Testing" and "Mapping Testing": what a user tries here is what production runs. */
@ApiTags('test panes')
@ApiBearerAuth()
@Controller('test')
@MinRole('viewer')
@BodyLimit(BODY_LIMITS.test)
export class TestPanesController {
  constructor(
    private readonly runtime: TestPaneRuntime,
    private readonly secrets: SecretRegistry,
  ) {}

  @Post('expression')
  @HttpCode(200)
  @ApiOperation({ summary: `Evaluate NiFi Expression Language against attributes (stopped after ${PANE_LIMITS.expressionTimeoutMs} ms)` })
  @ApiBody({ schema: z.toJSONSchema(ExpressionSchema, { io: 'input' }) as object })
  async expression(@Body() body: unknown): Promise<{ result: string }> {
    const req = parseInput(ExpressionSchema, body);
    const env = { attributes: req.attributes, parameters: req.parameters, timeZone: req.timeZone };
    return { result: await this.sandboxed<string>('expression', { expression: req.expression, env }, PANE_LIMITS.expressionTimeoutMs) };
  }

  @Post('mapping')
  @HttpCode(200)
  @ApiOperation({ summary: `Run the JoltTransformJSON processor once on an input, as the step would; reports what the spec did not use (stopped after ${PANE_LIMITS.mappingTimeoutMs} ms)` })
  @ApiBody({ schema: z.toJSONSchema(MappingSchema, { io: 'input' }) as object })
  mapping(@Body() body: unknown): Promise<MappingPaneResult> {
    // The processor runs in a worker with a deadline: a Jolt =split regex may backtrack catastrophically.
    const run: MappingRun = (req) => this.sandboxed('mapping', req, PANE_LIMITS.mappingTimeoutMs);
    return runMappingPane(body, run);
  }

  @Post('script')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Run a script through the ExecuteScript processor on an input, with the step's properties, as the Script step would: the same session, context, log and state " +
      "(starting from the step's stored state when flowId and processorId are given; writes are reported, never stored), in the test panes' own runtimes, without HTTP",
  })
  @ApiBody({ schema: z.toJSONSchema(ScriptPaneSchema, { io: 'input' }) as object })
  async script(@Body() body: unknown, @Req() http: AuthedRequest) {
    const req = parseInput(ScriptPaneSchema, body);
    const limits = ROLE_RANK[http.user.role] >= ROLE_RANK.editor ? PANE_LIMITS.script.editor : PANE_LIMITS.script.viewer;
    if (req.timeoutMs !== undefined && req.timeoutMs > limits.timeoutMs) {
      throw new BadInputError(`timeoutMs: at most ${limits.timeoutMs} ms in the test pane for the '${http.user.role}' role`, [{ field: 'timeoutMs', message: `at most ${limits.timeoutMs}` }]);
    }
    try {
      const outcome = await runScriptPane(req, this.runtime.scripts, await this.runtime.storedState(req.flowId, req.processorId), limits);
      const redact = (s: string) => this.secrets.redact(s);
      return {
        ...outcome,
        attributes: this.secrets.redactAttributes(outcome.attributes),
        logs: outcome.logs.map((l) => ({ ...l, message: redact(l.message) })),
        created: outcome.created.map((c) => ({ ...c, attributes: this.secrets.redactAttributes(c.attributes), output: c.output })),
        state: { local: this.secrets.redactAttributes(outcome.state.local), cluster: this.secrets.redactAttributes(outcome.state.cluster) },
      };
    } catch (e) {
      if (e instanceof ScriptPoolBusyError) throw new ServiceBusyError(e.message);
      throw e;
    }
  }

  private async sandboxed<T>(kind: 'expression' | 'mapping', payload: unknown, timeoutMs: number): Promise<T> {
    try {
      return await this.runtime.sandbox.run<T>(kind, payload, timeoutMs);
    } catch (e) {
      throw toHttp(e, kind);
    }
  }
}

function toHttp(e: unknown, kind: 'expression' | 'mapping'): Error {
  if (e instanceof PaneBusyError) return new ServiceBusyError(e.message);
  if (e instanceof PaneLimitError) return new BadInputError(`${kind}: ${e.message}`, [{ field: kind === 'expression' ? 'expression' : 'spec', message: e.message }], { error: e.message });
  if (!(e instanceof PaneError)) return e as Error;
  const d = e.details;
  switch (e.kind) {
    case 'ExpressionError':
      return new BadInputError(e.message, [{ field: 'expression', message: e.message, line: d.line, column: d.column }], { error: e.message, line: d.line ?? null, column: d.column ?? null, phase: d.phase });
    case 'JoltSpecError':
    case 'JoltTransformError':
      return new BadInputError(e.message, [{ field: e.kind === 'JoltSpecError' ? 'spec' : 'input', message: e.message }], { error: e.message, path: d.path ?? null });
    case 'JsonError':
    case 'LimitError':
      return new BadInputError(e.message, [{ field: d.field ?? kind, message: e.message }], { error: e.message, path: d.field ?? null });
    default:
      return new BadInputError(`${kind} failed: ${e.message}`, [{ field: kind, message: e.message }], { error: e.message });
  }
}
