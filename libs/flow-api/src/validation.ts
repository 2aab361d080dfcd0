import type { ProcessorDefinition, ProcessorDescriptor, ValidationResult } from './processor.js';
import { defaultValues } from './processor.js';
import type { PropertyDescriptor, PropertyValues, ValidatorSpec } from './property.js';
import { conditionHolds, parseDataSize, parseDuration } from './property.js';

/** An expression-language checker, injected so this package stays free of the EL engine. */
export type ExpressionChecker = (text: string) => { message: string; line?: number; column?: number } | null;

export interface ValidateOptions {
  /** Checks EL syntax in properties that support it. */
  readonly checkExpression?: ExpressionChecker;
  /** Checks a cron expression; the default accepts 5 to 7 whitespace-separated fields. */
  readonly checkCron?: (text: string) => string | null;
}

const hasExpression = (v: string) => v.includes('${') || v.includes('#{');

/**
 * NiFi's validation order, as a pure function the web and the API share: required, then the type and
 * allowable values, then validators, then EL syntax. Properties whose `dependsOn` is unmet are skipped.
 */
export function validateConfig(descriptor: ProcessorDescriptor, config: PropertyValues, options: ValidateOptions = {}): ValidationResult[] {
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
    const error = checkValue(p, value, options);
    if (error) results.push(error);
  }
  for (const name of Object.keys(config)) {
    if (known.has(name) || config[name] === undefined) continue;
    if (!descriptor.dynamicProperties) {
      results.push({ property: name, message: `'${name}' is not a property of ${descriptor.type}`, code: 'invalid' });
      continue;
    }
    const value = config[name]!;
    if (descriptor.dynamicProperties.expressionScope !== 'none' && options.checkExpression && hasExpression(value)) {
      const err = options.checkExpression(value);
      if (err) results.push({ property: name, ...err, code: 'invalid' });
    }
  }
  return results;
}

/** Single-property checks plus the definition's cross-property `validate`, run only when those pass. */
export function validateProcessor(definition: ProcessorDefinition, config: PropertyValues, options: ValidateOptions = {}): ValidationResult[] {
  const results = validateConfig(definition.descriptor, config, options);
  if (results.length > 0 || !definition.validate) return results;
  return definition.validate(config);
}

function checkValue(p: PropertyDescriptor, value: string, options: ValidateOptions): ValidationResult | null {
  const fail = (message: string): ValidationResult => ({ property: p.name, message: `${p.displayName}: ${message}`, code: 'invalid' });
  const el = (p.expressionScope ?? 'none') !== 'none' && hasExpression(value);
  if (el) {
    const err = options.checkExpression?.(value);
    return err ? { property: p.name, message: `${p.displayName}: ${err.message}`, line: err.line, column: err.column, code: 'invalid' } : null;
  }
  switch (p.type) {
    case 'integer':
      if (!/^-?\d+$/.test(value.trim())) return fail(`'${value}' is not a whole number`);
      break;
    case 'number':
      if (value.trim() === '' || !Number.isFinite(Number(value))) return fail(`'${value}' is not a number`);
      break;
    case 'boolean':
      if (value !== 'true' && value !== 'false') return fail(`'${value}' must be true or false`);
      break;
    case 'enum':
      if (!p.allowableValues?.some((a) => a.value === value)) {
        return fail(`'${value}' is not one of ${p.allowableValues?.map((a) => a.value).join(', ')}`);
      }
      break;
    case 'duration':
      if (parseDuration(value) === null) return fail(`'${value}' is not a duration such as '30 sec' or '5 mins'`);
      break;
    case 'dataSize':
      if (parseDataSize(value) === null) return fail(`'${value}' is not a data size such as '10 KB' or '1 GB'`);
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
    if (message) return fail(message);
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
    case 'validRegex':
      try {
        new RegExp(value);
        return null;
      } catch (e) {
        return `invalid regular expression: ${(e as Error).message}`;
      }
  }
}
