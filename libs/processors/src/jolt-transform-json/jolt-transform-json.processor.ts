import {
  handleList, propertyHandles,
  CoreAttributes, defineProcessor, REL_FAILURE, REL_SUCCESS, parseDataSize,
  type FlowFile, type ProcessContext, type PropertyValues, type ValidationResult,
} from '@sluice/flow-api';
import { parseJson, stringifyJson, type CompiledChain, type JoltWarning, type WriteOptions } from '@sluice/jolt';
import {
  CACHE_SIZE, CHAIN, compileTransform, ConfigError, CONTEXT, CUSTOM, CUSTOM_CLASS, EMPTY, hasExpression, MAX_STRING,
  migrateJoltProperties, MODULES, NOT_SUPPORTED_CUSTOM, PRETTY, REPORT, RETAIN_ESCAPES, SORT, SOURCE, SOURCE_ATTRIBUTE,
  SOURCE_VALUES, SPEC, TRANSFORM, TRANSFORM_VALUES, TransformCache,
} from './jolt-transform-config.js';

const WRITE_NULL = 'write null';
const ROUTE_TO_FAILURE = 'route to failure';
const PASS_THROUGH = 'pass through';
/** The warning log line lists this many unused paths (the count covers all). */
export const MAX_LOGGED_WARNINGS = 100;

class TransformFailure extends Error {}

interface Settings {
  readonly report: boolean;
  readonly empty: string;
  readonly write: WriteOptions;
  readonly maxString: number;
  readonly context: unknown;
}

/** Parses JSON as NiFi's Jackson setup does: comments allowed, Java doubles kept, strings up to Max String Length. */
function readJson(text: string, what: string, maxString: number): unknown {
  let value: unknown;
  try {
    value = parseJson(text, { javaDoubles: true });
  } catch (e) {
    throw new TransformFailure(`${what} is not JSON: ${(e as Error).message}`);
  }
  // No string can be longer than the text that holds it.
  if (text.length > maxString && longestString(value) > maxString) {
    throw new TransformFailure(`${what} holds a string longer than ${MAX_STRING} (${maxString} characters)`);
  }
  return value;
}

function longestString(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (v === null || typeof v !== 'object') return 0;
  let max = 0;
  for (const x of Array.isArray(v) ? v : Object.values(v)) max = Math.max(max, longestString(x));
  return max;
}

/** One document through the chain, written as NiFi writes it; `undefined` when the policy keeps the input. */
function transformOne(chain: CompiledChain, input: unknown, s: Settings, warnings: JoltWarning[], write: WriteOptions): string | undefined {
  let output: unknown;
  try {
    if (s.report) {
      const r = chain.transformWithReport(input, s.context);
      warnings.push(...r.warnings);
      output = r.output;
    } else output = chain.transform(input, s.context);
  } catch (e) {
    throw new TransformFailure(`transform failed: ${(e as Error).message}`);
  }
  if (output === null || output === undefined) {
    if (s.empty === ROUTE_TO_FAILURE) throw new TransformFailure('the Jolt chain produced no output (null): no spec line matched the input');
    if (s.empty === PASS_THROUGH) return undefined;
  }
  return stringifyJson(output ?? null, write);
}

function settings(ctx: ProcessContext): Settings {
  return ctx.cache('jolt:settings', () => {
    const contextText = ctx.property(PROPS[CONTEXT]).raw;
    let context: unknown;
    try {
      if (contextText !== undefined && contextText.trim() !== '') context = parseJson(contextText);
    } catch (e) {
      throw new TransformFailure(`${CONTEXT}: ${(e as Error).message}`);
    }
    return {
      report: ctx.get(PROPS[REPORT]),
      empty: ctx.get(PROPS[EMPTY]),
      write: { pretty: ctx.get(PROPS[PRETTY]), asciiOnly: ctx.get(PROPS[RETAIN_ESCAPES]) },
      maxString: ctx.get(PROPS[MAX_STRING]),
      context,
    };
  });
}

/** The chain for this FlowFile: the specification is evaluated per FlowFile when it holds EL, compiled once per text. */
function chainFor(ctx: ProcessContext, flowFile: FlowFile): CompiledChain {
  const strategy = ctx.get(PROPS[TRANSFORM]);
  let spec = ctx.property(PROPS[SPEC]).raw;
  if (strategy !== SORT && hasExpression(spec)) {
    try {
      spec = ctx.get(PROPS[SPEC], flowFile);
    } catch (e) {
      throw new TransformFailure(`${SPEC}: ${(e as Error).message}`);
    }
  }
  const cache = ctx.cache('jolt:transforms', () => new TransformCache<CompiledChain>(ctx.get(PROPS[CACHE_SIZE])));
  try {
    return cache.get(`${strategy}\u0000${spec ?? ''}`, () => compileTransform(strategy, spec));
  } catch (e) {
    if (e instanceof ConfigError) throw new TransformFailure(`${e.property}: ${e.message}`);
    throw e;
  }
}

const PROPS = propertyHandles([
  {
    name: TRANSFORM,
    displayName: 'Jolt Transform',
    description: 'Specifies the Jolt Transformation that should be used with the provided specification.',
    type: 'enum',
    required: true,
    default: CHAIN,
    allowableValues: TRANSFORM_VALUES,
  },
  {
    name: SPEC,
    displayName: 'Jolt Specification',
    description:
      'The Jolt specification: for Chain a JSON array of {"operation", "spec"} entries, otherwise the spec of the chosen transform. ' +
      'Java-style comments are allowed. Expression Language is evaluated per FlowFile and the result checked at run time. Ignored for Sort.',
    type: 'code',
    editor: 'jolt',
    expressionScope: 'flowfile',
  },
  {
    name: CUSTOM_CLASS,
    displayName: 'Custom Transformation Class Name',
    description: 'NiFi: a Java class for the Custom transform. Not supported.',
    type: 'string',
    expressionScope: 'flowfile',
    dependsOn: [{ property: TRANSFORM, values: [CUSTOM] }],
  },
  {
    name: MODULES,
    displayName: 'Custom Module Directory',
    description: 'NiFi: JARs holding custom transforms. Not supported.',
    type: 'string',
    expressionScope: 'environment',
    dependsOn: [{ property: TRANSFORM, values: [CUSTOM] }],
  },
  {
    name: CACHE_SIZE,
    displayName: 'Transform Cache Size',
    description: 'How many compiled transforms to keep; more than 1 helps when the specification uses Expression Language.',
    type: 'integer',
    required: true,
    default: '1',
    validators: [{ kind: 'range', min: 1 }],
  },
  {
    name: SOURCE,
    displayName: 'JSON Source',
    description: 'Whether the transform applies to the FlowFile content (JSON or JSON Lines) or to a FlowFile attribute holding JSON.',
    type: 'enum',
    required: true,
    default: 'FLOW_FILE',
    allowableValues: SOURCE_VALUES,
  },
  {
    name: SOURCE_ATTRIBUTE,
    displayName: 'JSON Source Attribute',
    description: 'The FlowFile attribute containing JSON to be transformed; the result replaces its value.',
    type: 'string',
    required: true,
    validators: [{ kind: 'minLength', min: 1 }],
    dependsOn: [{ property: SOURCE, values: ['ATTRIBUTE'] }],
  },
  {
    name: PRETTY,
    displayName: 'Pretty Print',
    description: 'Apply pretty print formatting to the output of the Jolt transform.',
    type: 'boolean',
    required: true,
    default: 'false',
    dependsOn: [{ property: SOURCE, values: ['FLOW_FILE', 'ATTRIBUTE'] }],
  },
  {
    name: MAX_STRING,
    displayName: 'Max String Length',
    description: 'The maximum allowed length of a string value when parsing the JSON document.',
    type: 'dataSize',
    required: true,
    default: '20 MB',
  },
  {
    name: RETAIN_ESCAPES,
    displayName: 'Retain Unicode Escape Sequences',
    description: 'Write non-ASCII characters as \\uXXXX escape sequences instead of the characters themselves.',
    type: 'boolean',
    required: true,
    default: 'false',
  },
  {
    name: CONTEXT,
    displayName: 'Custom Context',
    description: 'Sluice: a JSON value passed to modify steps as their context (read with ^path).',
    type: 'json',
    editor: 'json',
  },
  {
    name: EMPTY,
    displayName: 'Empty Output Policy',
    description: 'Sluice: what to do when the transform produces null (for example a shift that matched nothing). NiFi writes null.',
    type: 'enum',
    default: WRITE_NULL,
    allowableValues: [
      { value: WRITE_NULL, displayName: 'Write null', description: 'Write the text null and route to success, as NiFi does.' },
      { value: ROUTE_TO_FAILURE, displayName: 'Route to failure', description: 'Send the input to failure with jolt.error.' },
      { value: PASS_THROUGH, displayName: 'Pass through', description: 'Send the input unchanged to success.' },
    ],
  },
  {
    name: REPORT,
    displayName: 'Report Unused Paths',
    description:
      'Sluice: count input paths the chain dropped and spec paths that matched nothing (jolt.warnings, and a warning in the log). ' +
      'It runs the slower tree walker, so it is off by default; the Mapping test pane always shows these warnings.',
    type: 'boolean',
    default: 'false',
  },
]);

export const JoltTransformJSON = defineProcessor({
  descriptor: {
    type: 'JoltTransformJSON',
    version: 2,
    displayName: 'Jolt Transform JSON',
    description:
      'Reformats JSON with a Jolt transform (chain, shift, default, remove, cardinality, sort, modify-*) with Java Jolt semantics, ' +
      'on the FlowFile content, an attribute or each line of JSON Lines. Optionally reports input fields no spec line used in jolt.warnings.',
    category: 'transform',
    userTransform: true,
    tags: ['json', 'jolt', 'transform', 'chainr', 'shift', 'default', 'remove', 'cardinality', 'sort', 'mapping'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SUCCESS.name, description: 'The FlowFile with successfully transformed content or updated attribute.' },
      { ...REL_FAILURE, description: 'The original FlowFile when the transform fails (input that is not JSON, a transform error); jolt.error says why.' },
    ],
    inputRequirement: 'required',
    writesAttributes: [
      { name: CoreAttributes.MIME_TYPE, description: 'application/json, or application/jsonl for JSON Lines (not for an attribute source).' },
      { name: 'jolt.error', error: true, description: 'Why the FlowFile went to failure.' },
      { name: 'jolt.warnings', description: 'How many input paths and spec paths the chain did not use (Report Unused Paths).' },
    ],
  },

  migrateProperties: migrateJoltProperties,

  validate(config: PropertyValues): ValidationResult[] {
    const strategy = config[TRANSFORM]!;
    const out: ValidationResult[] = [];
    if (strategy === CUSTOM) {
      out.push({ property: TRANSFORM, message: `Jolt Transform: ${NOT_SUPPORTED_CUSTOM}`, code: 'invalid' });
      for (const p of [CUSTOM_CLASS, MODULES]) {
        if (config[p] !== undefined && config[p] !== '') out.push({ property: p, message: `${p}: ${NOT_SUPPORTED_CUSTOM}`, code: 'invalid' });
      }
      return out;
    }
    const spec = config[SPEC];
    if (strategy !== SORT && (spec === undefined || spec.trim() === '')) {
      return [{ property: SPEC, message: "'Jolt Specification' must be set, or the Transformation must be 'Sort'", code: 'required' }];
    }
    // A specification holding EL is complete only per FlowFile: it is checked when it runs.
    if (!hasExpression(spec)) {
      try {
        compileTransform(strategy, spec);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        out.push({ property: e.property, message: `${e.property}: ${e.message}`, code: 'invalid' });
      }
    }
    const context = config[CONTEXT];
    if (context !== undefined && context.trim() !== '') {
      try {
        parseJson(context);
      } catch (e) {
        out.push({ property: CONTEXT, message: `${CONTEXT}: ${(e as Error).message}`, code: 'invalid' });
      }
    }
    if (config[MAX_STRING] !== undefined && !(parseDataSize(config[MAX_STRING]) ?? 0)) {
      out.push({ property: MAX_STRING, message: `${MAX_STRING}: must be more than 0 B`, code: 'invalid' });
    }
    return out;
  },

  async onTrigger(ctx, session) {
    const original = session.get();
    if (!original) return;
    const fail = (message: string) => session.transfer(session.putAttribute(original, 'jolt.error', message), REL_FAILURE);
    const source = ctx.get(PROPS[SOURCE]);
    const warnings: JoltWarning[] = [];
    let flowFile = original;
    try {
      const s = settings(ctx);
      const chain = chainFor(ctx, original);
      if (source === 'ATTRIBUTE') {
        const name = ctx.get(PROPS[SOURCE_ATTRIBUTE]) ?? '';
        const value = original.attributes[name];
        if (value === undefined || value.trim() === '') throw new TransformFailure(`Content not found in FlowFile Attribute [${name}]`);
        const out = transformOne(chain, readJson(value, `FlowFile Attribute [${name}]`, s.maxString), s, warnings, s.write);
        if (out !== undefined) flowFile = session.putAttribute(flowFile, name, out);
      } else if (source === 'JSON_LINES') {
        const text = await session.readText(original);
        let out = '';
        let n = 0;
        for (const line of text.split(/\r\n|\r|\n/)) {
          n++;
          if (line.trim() === '') continue;
          const written = transformOne(chain, readJson(line, `line ${n}`, s.maxString), s, warnings, { asciiOnly: s.write.asciiOnly });
          out += `${written ?? line}\n`;
        }
        flowFile = session.putAttribute(session.write(flowFile, out), CoreAttributes.MIME_TYPE, 'application/jsonl');
      } else {
        const out = transformOne(chain, readJson(await session.readText(original), 'content', s.maxString), s, warnings, s.write);
        if (out !== undefined) flowFile = session.putAttribute(session.write(flowFile, out), CoreAttributes.MIME_TYPE, 'application/json');
      }
      if (s.report) {
        flowFile = session.putAttribute(flowFile, 'jolt.warnings', String(warnings.length));
        if (warnings.length > 0) ctx.log.warn(`Jolt chain left ${warnings.length} path(s) unused`, warnings.slice(0, MAX_LOGGED_WARNINGS));
      }
    } catch (e) {
      // Every failure is found before the FlowFile is changed, so the original goes to failure as it came.
      if (!(e instanceof TransformFailure)) throw e;
      fail(e.message);
      return;
    }
    session.transfer(flowFile, REL_SUCCESS);
  },
});
