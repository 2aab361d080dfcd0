import type { z } from 'zod';
import { BadInputError } from './errors.js';

/** Parses a request body/query with a zod schema; failures become a 400 naming every field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what = 'request body'): z.infer<S> {
  requireInput(value, what);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw inputError(result.error.issues, what);
}

/** The 400 for a missing body or query. */
export function requireInput(value: unknown, what: string): void {
  if (value === undefined || value === null) throw new BadInputError(`${what} is required`, [{ field: '', message: `${what} is required` }]);
}

/** The 400 that names each issue's field, in the order given. */
export function inputError(issues: readonly z.core.$ZodIssue[], what: string): BadInputError {
  const errors = issues.map((i) => ({ field: i.path.map(String).join('.') || '(root)', message: i.message }));
  return new BadInputError(`invalid ${what}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors);
}
