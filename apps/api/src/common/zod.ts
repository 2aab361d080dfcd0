import type { z } from 'zod';
import { BadInputError } from './errors.js';

/** Parses a request body/query with a zod schema; failures become a 400 naming every field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what = 'request body'): z.infer<S> {
  if (value === undefined || value === null) throw new BadInputError(`${what} is required`, [{ field: '', message: `${what} is required` }]);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(root)', message: i.message }));
  throw new BadInputError(`invalid ${what}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors);
}
