import { compileRecordExpression, type CompiledRecordExpression } from '@sluice/expression';

/** JSON content that is not a record set; the message says what was wrong. */
export class RecordContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordContentError';
  }
}

/** A record expression that failed or returned something other than a boolean for one row. */
export class RecordRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordRuleError';
  }
}

export interface RecordSet {
  readonly rows: unknown[];
  /** The content was one JSON object rather than an array of them. */
  readonly single: boolean;
}

/** Parses content as a JSON array of rows, or one object as a single row (as NiFi's JSON reader does). */
export function parseRecords(text: string): RecordSet {
  if (text.trim() === '') return { rows: [], single: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new RecordContentError(`content is not JSON: ${(e as Error).message}`);
  }
  if (Array.isArray(parsed)) return { rows: parsed, single: false };
  if (parsed !== null && typeof parsed === 'object') return { rows: [parsed], single: true };
  throw new RecordContentError(`content must be a JSON array of records or one JSON object, not ${describe(parsed)}`);
}

/** Compiles a record expression, naming the property in the error message. */
export function compileRule(property: string, text: string | undefined): CompiledRecordExpression {
  if (text === undefined || text.trim() === '') throw new RecordRuleError(`${property}: a record expression is required, e.g. row.stock > 0`);
  try {
    return compileRecordExpression(text);
  } catch (e) {
    throw new RecordRuleError(`${property}: ${(e as Error).message}`);
  }
}

/**
 * Evaluates a rule as a condition. Only true/false (or the strings "true"/"false") count, and a missing value
 * (null, undefined) counts as false: a rule returning a number or text is a mistake the user should see,
 * not something to guess truthiness for.
 */
export function ruleMatches(
  rule: CompiledRecordExpression,
  label: string,
  row: unknown,
  index: number,
  attributes: Readonly<Record<string, string>>,
): boolean {
  let result: unknown;
  try {
    result = rule.evaluate(row, attributes);
  } catch (e) {
    throw new RecordRuleError(`${label} failed on record ${index}: ${(e as Error).message}`);
  }
  if (result === true || result === false) return result;
  if (result === null || result === undefined) return false;
  if (typeof result === 'string') {
    const t = result.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
  }
  throw new RecordRuleError(`${label} must return true or false, but returned ${describe(result)} on record ${index}`);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
