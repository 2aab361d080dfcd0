import { CoreAttributes, defineProcessor, REL_FAILURE, REL_SUCCESS, type PropertyValues, type ValidationResult } from '@sluice/flow-api';
import { compileChain, JoltSpecError, parseJson, stringifyJson, type CompiledChain } from '@sluice/jolt';

const SPEC = 'Jolt Specification';
const CONTEXT = 'Custom Context';
const EMPTY = 'Empty Output Policy';
const REPORT = 'Report Unused Paths';
const ROUTE_TO_FAILURE = 'route to failure';
const PASS_THROUGH = 'pass through';

type Compiled = { chain: CompiledChain; context: unknown };

/** Parses and compiles the configuration; throws with a message naming the property at fault. */
function compileConfig(spec: string | undefined, context: string | undefined): Compiled {
  if (spec === undefined || spec.trim() === '') throw new ConfigError(SPEC, 'a Jolt chain specification is required');
  let chainSpec: unknown;
  try {
    chainSpec = parseJson(spec);
  } catch (e) {
    throw new ConfigError(SPEC, (e as Error).message);
  }
  let chain: CompiledChain;
  try {
    chain = compileChain(chainSpec, { javaDoubles: true });
  } catch (e) {
    if (e instanceof JoltSpecError) throw new ConfigError(SPEC, e.message);
    throw e;
  }
  let ctx: unknown;
  if (context !== undefined && context.trim() !== '') {
    try {
      ctx = parseJson(context);
    } catch (e) {
      throw new ConfigError(CONTEXT, (e as Error).message);
    }
  }
  return { chain, context: ctx };
}

class ConfigError extends Error {
  constructor(readonly property: string, message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const JoltTransformJSON = defineProcessor({
  descriptor: {
    type: 'JoltTransformJSON',
    version: 1,
    displayName: 'Jolt Transform JSON',
    description:
      'Applies a Jolt chain (shift, default, remove, cardinality, sort, modify-*) to JSON content with Java Jolt semantics. ' +
      'Reports input fields no spec line used and spec lines that matched nothing in jolt.warnings.',
    category: 'transform',
    tags: ['jolt', 'json', 'transform', 'mapping', 'shift'],
    properties: [
      {
        name: SPEC,
        displayName: 'Jolt Specification',
        description: 'The chain: a JSON array of {"operation": ..., "spec": ...} entries, as in the Jolt demo.',
        type: 'json',
        editor: 'jolt',
        required: true,
      },
      {
        name: CONTEXT,
        displayName: 'Custom Context',
        description: 'A JSON value passed to modify steps as their context (read with ^path).',
        type: 'json',
        editor: 'json',
      },
      {
        name: EMPTY,
        displayName: 'Empty Output Policy',
        description: 'What to do when the chain produces null (for example a shift that matched nothing).',
        type: 'enum',
        default: ROUTE_TO_FAILURE,
        allowableValues: [
          { value: ROUTE_TO_FAILURE, displayName: 'Route to failure', description: 'Send the input to failure with jolt.error.' },
          { value: PASS_THROUGH, displayName: 'Pass through', description: 'Send the input unchanged to success.' },
        ],
      },
      {
        name: REPORT,
        displayName: 'Report Unused Paths',
        description:
          'Count input paths the chain dropped and spec paths that matched nothing (jolt.warnings, and a warning in the log). ' +
          'It runs the slower tree walker, so it is off by default; the Mapping test pane always shows these warnings.',
        type: 'boolean',
        default: 'false',
      },
    ],
    relationships: [
      { name: REL_SUCCESS.name, description: 'The transformed JSON.' },
      { name: REL_FAILURE.name, description: 'Content that is not JSON, a transform error, or an empty result; jolt.error says why.' },
    ],
    inputRequirement: 'required',
    writesAttributes: [
      { name: 'jolt.error', description: 'Why the FlowFile went to failure.' },
      { name: 'jolt.warnings', description: 'How many input paths and spec paths the chain did not use.' },
      { name: CoreAttributes.MIME_TYPE, description: 'application/json on success.' },
    ],
  },

  validate(config: PropertyValues): ValidationResult[] {
    try {
      compileConfig(config[SPEC], config[CONTEXT]);
      return [];
    } catch (e) {
      if (e instanceof ConfigError) return [{ property: e.property, message: e.message, code: 'invalid' }];
      throw e;
    }
  },

  async onTrigger(ctx, session) {
    let flowFile = session.get();
    if (!flowFile) return;
    const spec = ctx.property(SPEC).raw;
    const contextText = ctx.property(CONTEXT).raw;
    const fail = (message: string) => {
      flowFile = session.putAttribute(flowFile!, 'jolt.error', message);
      session.transfer(flowFile, REL_FAILURE);
    };
    let compiled: Compiled;
    try {
      // Compiled once per configuration; the cache is per processor instance and configuration.
      compiled = ctx.cache(`jolt:${spec ?? ''}\u0000${contextText ?? ''}`, () => compileConfig(spec, contextText));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      fail(`${e.property}: ${e.message}`);
      return;
    }
    let input: unknown;
    try {
      input = parseJson(await session.readText(flowFile), { javaDoubles: true });
    } catch (e) {
      fail(`content is not JSON: ${(e as Error).message}`);
      return;
    }
    const report = ctx.property(REPORT).asBoolean() ?? false;
    let result: ReturnType<CompiledChain['transformWithReport']>;
    try {
      result = report
        ? compiled.chain.transformWithReport(input, compiled.context)
        : { output: compiled.chain.transform(input, compiled.context), warnings: [] };
    } catch (e) {
      fail(`transform failed: ${(e as Error).message}`);
      return;
    }
    if (result.output === null || result.output === undefined) {
      if ((ctx.property(EMPTY).raw ?? ROUTE_TO_FAILURE) === PASS_THROUGH) {
        if (report) flowFile = session.putAttribute(flowFile, 'jolt.warnings', String(result.warnings.length));
        session.transfer(flowFile, REL_SUCCESS);
      } else fail('the Jolt chain produced no output (null): no spec line matched the input');
      return;
    }
    if (result.warnings.length > 0) {
      ctx.log.warn(`Jolt chain left ${result.warnings.length} path(s) unused`, result.warnings.slice(0, 20));
    }
    flowFile = session.write(flowFile, stringifyJson(result.output));
    flowFile = session.putAllAttributes(flowFile, {
      ...(report ? { 'jolt.warnings': String(result.warnings.length) } : {}),
      [CoreAttributes.MIME_TYPE]: 'application/json',
    });
    session.transfer(flowFile, REL_SUCCESS);
  },
});
