/**
 * JoltTransformJSON's configuration as NiFi 2.x names it: the transform types, compiling a specification for one,
 * the transform cache, and the NiFi 1.x property keys it migrates.
 */
import type { AllowableValue, PropertyConfiguration } from '@sluice/flow-api';
import { compileJavaRegex, UnsafeRegexError } from '@sluice/expression';
import { compileChain, JoltSpecError, parseJson, type CompileOptions, type CompiledChain } from '@sluice/jolt';

export const TRANSFORM = 'Jolt Transform';
export const SPEC = 'Jolt Specification';
export const CUSTOM_CLASS = 'Custom Transformation Class Name';
export const MODULES = 'Custom Module Directory';
export const CACHE_SIZE = 'Transform Cache Size';
export const SOURCE = 'JSON Source';
export const SOURCE_ATTRIBUTE = 'JSON Source Attribute';
export const PRETTY = 'Pretty Print';
export const MAX_STRING = 'Max String Length';
export const RETAIN_ESCAPES = 'Retain Unicode Escape Sequences';
export const CONTEXT = 'Custom Context';
export const EMPTY = 'Empty Output Policy';
export const REPORT = 'Report Unused Paths';

export const CHAIN = 'jolt-transform-chain';
export const SORT = 'jolt-transform-sort';
export const CUSTOM = 'jolt-transform-custom';

/** NiFi's JoltTransformStrategy values, with the operation each one runs. */
const STRATEGIES: readonly (AllowableValue & { operation: string | null })[] = [
  { value: 'jolt-transform-shift', displayName: 'Shift', description: 'Shift input JSON/data to create the output JSON.', operation: 'shift' },
  { value: CHAIN, displayName: 'Chain', description: 'Execute list of Jolt transformations.', operation: null },
  { value: 'jolt-transform-default', displayName: 'Default', description: 'Apply default values to the output JSON.', operation: 'default' },
  { value: 'jolt-transform-remove', displayName: 'Remove', description: 'Remove values from input data to create the output JSON.', operation: 'remove' },
  { value: 'jolt-transform-card', displayName: 'Cardinality', description: 'Change the cardinality of input elements to create the output JSON.', operation: 'cardinality' },
  { value: SORT, displayName: 'Sort', description: 'Sort input JSON key values alphabetically. Any specification set is ignored.', operation: 'sort' },
  { value: CUSTOM, displayName: 'Custom (not supported)', description: 'A Java transformation class: not supported, Sluice runs no Java code.', operation: null },
  { value: 'jolt-transform-modify-default', displayName: 'Modify - Default', description: 'Writes when key is missing or value is null', operation: 'modify-default-beta' },
  { value: 'jolt-transform-modify-overwrite', displayName: 'Modify - Overwrite', description: 'Always overwrite value', operation: 'modify-overwrite-beta' },
  { value: 'jolt-transform-modify-define', displayName: 'Modify - Define', description: 'Writes when key is missing', operation: 'modify-define-beta' },
];

export const TRANSFORM_VALUES: readonly AllowableValue[] = STRATEGIES.map(({ value, displayName, description }) => ({ value, displayName, description }));

export const SOURCE_VALUES: readonly AllowableValue[] = [
  { value: 'FLOW_FILE', displayName: 'FLOW_FILE', description: 'Transformation applied to FlowFile content containing JSON' },
  { value: 'ATTRIBUTE', displayName: 'ATTRIBUTE', description: 'Transformation applied to FlowFile attribute containing JSON' },
  { value: 'JSON_LINES', displayName: 'JSON_LINES', description: 'Transformation applied to FlowFile content containing JSON Lines or NDJSON' },
];

export const NOT_SUPPORTED_CUSTOM =
  'custom transformation classes are not supported (Sluice runs no Java code); use Chain or one of the stock transforms';

/** A configuration fault, attributed to the property that holds it. */
export class ConfigError extends Error {
  constructor(readonly property: string, message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const hasExpression = (text: string | undefined): boolean => text !== undefined && (text.includes('${') || text.includes('#{'));

/** Jolt's `split` takes a Java pattern (String.split), compiled like every user regex (hazardous ones run on the linear engine). */
const OPTIONS: CompileOptions = {
  javaDoubles: true,
  regex: {
    compile: (pattern) => compileJavaRegex(pattern).global,
    refusal: (pattern) => {
      try {
        compileJavaRegex(pattern);
        return null;
      } catch (e) {
        // An invalid pattern only makes that call yield nothing, as in Jolt.
        return e instanceof UnsafeRegexError ? e.message : null;
      }
    },
  },
};

/** The chain a transform type runs for a specification text (already evaluated when it held EL). */
export function compileTransform(strategy: string, specText: string | undefined): CompiledChain {
  const entry = STRATEGIES.find((s) => s.value === strategy);
  if (!entry) throw new ConfigError(TRANSFORM, `'${strategy}' is not a Jolt transform type`);
  if (strategy === CUSTOM) throw new ConfigError(TRANSFORM, NOT_SUPPORTED_CUSTOM);
  // NiFi ignores any specification for Sort.
  if (strategy === SORT) return compileChain([{ operation: 'sort' }], OPTIONS);
  if (specText === undefined || specText.trim() === '') {
    throw new ConfigError(SPEC, "'Jolt Specification' must be set, or the Transformation must be 'Sort'");
  }
  let spec: unknown;
  try {
    spec = parseJson(specText, { javaDoubles: true });
  } catch (e) {
    // NiFi also reads a file path here; Sluice keeps specifications in the flow.
    const looksLikePath = !/[[{]/.test(specText);
    throw new ConfigError(SPEC, looksLikePath
      ? `the specification must be JSON text; a path to a specification file is not supported (${(e as Error).message})`
      : `Specification not valid: ${(e as Error).message}`);
  }
  try {
    return compileChain(entry.operation === null ? spec : [{ operation: entry.operation, spec }], OPTIONS);
  } catch (e) {
    if (e instanceof JoltSpecError) throw new ConfigError(SPEC, `Specification not valid: ${e.message}`);
    throw e;
  }
}

/** Compiled transforms by evaluated specification, least recently used dropped past `size` (NiFi's cache). */
export class TransformCache<T> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly size: number) {}

  get(key: string, build: () => T): T {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = build();
    this.entries.set(key, value);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}

/** NiFi 1.x stored these properties under other keys; NiFi 2.x names them as above. */
export function migrateJoltProperties(config: PropertyConfiguration): void {
  config.renameProperty('jolt-transform', TRANSFORM);
  config.renameProperty('jolt-spec', SPEC);
  config.renameProperty('jolt-custom-class', CUSTOM_CLASS);
  config.renameProperty('jolt-custom-modules', MODULES);
  config.renameProperty('pretty_print', PRETTY);
}
