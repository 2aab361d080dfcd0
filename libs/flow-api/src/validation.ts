import type { ProcessorDefinition, ProcessorDescriptor, ValidationResult } from './processor.js';
import { defaultValues } from './processor.js';
import type { PropertyDescriptor, PropertyValues, ValidatorSpec } from './property.js';
import { conditionHolds, parseDataSize, parseDuration } from './property.js';
import { checkCharset } from './charset.js';
import { substituteParameters } from './parameters.js';
import { checkServiceReference, type ControllerServiceDefinition, type ControllerServiceSummary } from './controller-service.js';

/** An expression-language checker, injected so this package stays free of the EL engine. */
export type ExpressionChecker = (text: string) => { message: string; line?: number; column?: number } | null;

export interface ValidateOptions {
  /** Checks EL syntax in properties that support it. */
  readonly checkExpression?: ExpressionChecker;
  /** Checks a cron expression; the default accepts 5 to 7 whitespace-separated fields. */
  readonly checkCron?: (text: string) => string | null;
  /**
   * The flow's parameters. Values are checked after `#{name}` references are replaced, as NiFi validates the
   * effective value; a reference to a parameter not defined here is reported. When absent, a value that
   * references parameters is not checked (its effective value is unknown).
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * The flow's controller services by id. Properties that name a service are checked against them; when absent
   * (a form without the flow at hand) such values are not checked.
   */
  readonly controllerServices?: ReadonlyMap<string, ControllerServiceSummary>;
}

/** The parts of a processor or controller service descriptor the property checks read. */
export type ConfigurableDescriptor = Pick<ProcessorDescriptor, 'type' | 'properties' | 'dynamicProperties'>;

const hasExpression = (v: string) => v.includes('${') || v.includes('#{');
const hasEl = (v: string) => v.includes('${');

/** A value as the checks see it: after parameter substitution, with what to call it in messages. */
interface Effective {
  readonly value: string;
  /** `'#{File Size}' = '12 parsecs'` when parameters made the value, else the value quoted. */
  readonly shown: string;
  /** Referenced parameters the flow does not define (only when parameters are known). */
  readonly missing: readonly string[];
  /** False when the value references parameters whose values are unknown. */
  readonly known: boolean;
}

function effective(raw: string, parameters: Readonly<Record<string, string>> | undefined): Effective {
  const s = substituteParameters(raw, parameters);
  if (s.references.length === 0) return { value: s.text, shown: `'${s.text}'`, missing: [], known: true };
  if (!parameters) return { value: raw, shown: `'${raw}'`, missing: [], known: false };
  return { value: s.text, shown: `'${raw}' = '${s.text}'`, missing: s.missing, known: s.missing.length === 0 };
}

function missingParameters(property: string, label: string, missing: readonly string[]): ValidationResult {
  const names = missing.map((m) => `'${m}'`).join(', ');
  return { property, message: `${label}: references parameter${missing.length > 1 ? 's' : ''} ${names}, which the flow does not define`, code: 'required' };
}

/** The configuration with parameter references replaced. */
export function effectiveConfig(config: PropertyValues, parameters?: Readonly<Record<string, string>>): Record<string, string | undefined> {
  if (!parameters) return { ...config };
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(config)) out[k] = v === undefined ? v : substituteParameters(v, parameters).text;
  return out;
}

/**
 * NiFi's validation order, as a pure function the web and the API share: required, then the type and
 * allowable values, then validators, then EL syntax. Properties whose `dependsOn` is unmet are skipped.
 */
export function validateConfig(descriptor: ConfigurableDescriptor, config: PropertyValues, options: ValidateOptions = {}): ValidationResult[] {
  const defaults = defaultValues(descriptor);
  const results: ValidationResult[] = [];
  const known = new Set<string>();
  for (const p of descriptor.properties) {
    known.add(p.name);
    if (p.dependsOn && !p.dependsOn.every((c) => conditionHolds(c, config, defaults))) continue;
    const value = config[p.name] ?? p.default;
    if (value === undefined || value === '') {
      if (p.required) results.push({ property: p.name, message: `${p.displayName} is required`, code: 'required' });
      continue;
    }
    const eff = effective(value, options.parameters);
    if (eff.missing.length) {
      results.push(missingParameters(p.name, p.displayName, eff.missing));
      continue;
    }
    if (eff.known && eff.value === '') {
      // Parameters made the value empty: as good as unset.
      if (p.required) results.push({ property: p.name, message: `${p.displayName} is required: ${eff.shown} is empty`, code: 'required' });
      continue;
    }
    const error = checkValue(p, value, eff, options);
    if (error) results.push(error);
  }
  for (const name of Object.keys(config)) {
    if (known.has(name) || config[name] === undefined) continue;
    if (!descriptor.dynamicProperties) {
      results.push({ property: name, message: `'${name}' is not a property of ${descriptor.type}, which takes no user-added properties`, code: 'invalid' });
      continue;
    }
    const value = config[name]!;
    const eff = effective(value, options.parameters);
    if (eff.missing.length) {
      results.push(missingParameters(name, name, eff.missing));
      continue;
    }
    if (descriptor.dynamicProperties.expressionScope !== 'none' && options.checkExpression && hasExpression(value)) {
      const err = options.checkExpression(value);
      if (err) results.push({ property: name, ...err, code: 'invalid' });
    }
  }
  return results;
}

/**
 * What a cross-property `validate` sees: parameters substituted and every unset property's default in force, so a
 * property with a default is never undefined there either (as `ProcessContext.get` reads it).
 */
export function crossPropertyConfig(descriptor: ConfigurableDescriptor, config: PropertyValues, parameters?: Readonly<Record<string, string>>): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = defaultValues(descriptor);
  for (const [k, v] of Object.entries(config)) if (v !== undefined) merged[k] = v;
  return effectiveConfig(merged, parameters);
}

/** Single-property checks plus the definition's cross-property `validate`, run only when those pass. */
export function validateProcessor(definition: ProcessorDefinition, config: PropertyValues, options: ValidateOptions = {}): ValidationResult[] {
  const results = validateConfig(definition.descriptor, config, options);
  if (results.length > 0 || !definition.validate) return results;
  return definition.validate(crossPropertyConfig(definition.descriptor, config, options.parameters));
}

/** A controller service's configuration: single-property checks, then its own cross-property `validate`. */
export function validateControllerService(definition: ControllerServiceDefinition, config: PropertyValues, options: ValidateOptions = {}): ValidationResult[] {
  const results = validateConfig(definition.descriptor, config, options);
  if (results.length > 0 || !definition.validate) return results;
  return definition.validate(crossPropertyConfig(definition.descriptor, config, options.parameters));
}

/**
 * One property's checks. A property that supports Expression Language and holds an expression is checked for
 * syntax only: its value is known per FlowFile, so the rest is checked when it runs.
 */
function checkValue(p: PropertyDescriptor, raw: string, eff: Effective, options: ValidateOptions): ValidationResult | null {
  const elScope = (p.expressionScope ?? 'none') !== 'none';
  if (elScope && (hasEl(raw) || (!eff.known && hasExpression(raw)))) {
    const err = options.checkExpression?.(raw);
    return err ? { property: p.name, message: `${p.displayName}: ${err.message}`, line: err.line, column: err.column, code: 'invalid' } : null;
  }
  if (!eff.known) return null;
  const value = eff.value;
  const shown = eff.shown;
  if (p.identifiesControllerService) return options.controllerServices ? checkServiceReference(p, value, options.controllerServices) : null;
  const fail = (message: string): ValidationResult => ({ property: p.name, message: `${p.displayName}: ${message}`, code: 'invalid' });
  if (elScope && hasEl(value)) {
    // A parameter brought the expression in.
    const err = options.checkExpression?.(value);
    return err ? fail(`${shown}: ${err.message}`) : null;
  }
  switch (p.type) {
    case 'integer':
      if (!/^-?\d+$/.test(value.trim())) return fail(`${shown} is not a whole number`);
      break;
    case 'number':
      if (value.trim() === '' || !Number.isFinite(Number(value))) return fail(`${shown} is not a number`);
      break;
    case 'boolean':
      if (value !== 'true' && value !== 'false') return fail(`${shown} must be true or false`);
      break;
    case 'enum':
      if (!p.allowableValues?.some((a) => a.value === value)) {
        return fail(`${shown} is not one of ${p.allowableValues?.map((a) => a.value).join(', ')}`);
      }
      break;
    case 'duration':
      if (parseDuration(value) === null) return fail(`${shown} is not a duration such as '30 sec' or '5 mins'`);
      break;
    case 'dataSize':
      if (parseDataSize(value) === null) return fail(`${shown} is not a data size such as '10 KB' or '1 GB'`);
      break;
    case 'json':
      try {
        JSON.parse(value);
      } catch (e) {
        return fail(`invalid JSON: ${(e as Error).message}`);
      }
      break;
    case 'dict': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch (e) {
        return fail(`must be a JSON object such as {"key": "value"}: ${(e as Error).message}`);
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return fail('must be a JSON object such as {"key": "value"}');
      break;
    }
    default:
      break;
  }
  for (const v of p.validators ?? []) {
    const message = runValidator(v, value, options);
    if (message) return fail(shown === `'${value}'` ? message : `${shown}: ${message}`);
  }
  return null;
}

function runValidator(v: ValidatorSpec, value: string, options: ValidateOptions): string | null {
  switch (v.kind) {
    case 'regex':
      return new RegExp(v.pattern).test(value) ? null : (v.message ?? `must match ${v.pattern}`);
    case 'range': {
      const n = Number(value);
      if (v.min !== undefined && n < v.min) return `must be at least ${v.min}`;
      if (v.max !== undefined && n > v.max) return `must be at most ${v.max}`;
      return null;
    }
    case 'minLength':
      return value.length >= v.min ? null : `must have at least ${v.min} characters`;
    case 'url':
      try {
        const u = new URL(value);
        return u.protocol === 'http:' || u.protocol === 'https:' ? null : `'${value}' is not an http(s) URL`;
      } catch {
        return `'${value}' is not a valid URL`;
      }
    case 'cron':
      if (options.checkCron) return options.checkCron(value);
      return /^\s*\S+(\s+\S+){4,6}\s*$/.test(value) ? null : `'${value}' is not a cron expression`;
    case 'jsonObject':
    case 'jsonArray': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch (e) {
        return `invalid JSON: ${(e as Error).message}`;
      }
      const ok = v.kind === 'jsonArray' ? Array.isArray(parsed) : parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
      return ok ? null : `must be a JSON ${v.kind === 'jsonArray' ? 'array' : 'object'}`;
    }
    case 'timeZone':
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: value });
        return null;
      } catch {
        return `'${value}' is not a known time zone`;
      }
    case 'charset':
      return checkCharset(value, v.forWriting === true);
    case 'validRegex':
      try {
        new RegExp(value);
        return null;
      } catch (e) {
        return `invalid regular expression: ${(e as Error).message}`;
      }
  }
}
