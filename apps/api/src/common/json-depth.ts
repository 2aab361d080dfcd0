import { BadInputError } from './errors.js';

/** JSON nested deeper than this is refused before any code walks it recursively. */
export const MAX_BODY_DEPTH = 64;

/**
 * Refuses JSON nested deeper than `max`, walking it without recursion. Values and their depths are kept on two
 * stacks and members read in place, leaving no pair or Object.values array per object behind.
 */
export function assertDepth(value: unknown, max: number, field = '(body)'): void {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) {
      throw new BadInputError(`${field === '(body)' ? 'the request body' : field} nests deeper than the limit of ${max} levels`, [{ field, message: `nested deeper than ${max} levels` }]);
    }
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) pushObject(values, depths, v[i], depth + 1);
    else for (const k in v) if (Object.hasOwn(v, k)) pushObject(values, depths, (v as Record<string, unknown>)[k], depth + 1);
  }
}

function pushObject(values: unknown[], depths: number[], child: unknown, depth: number): void {
  if (child !== null && typeof child === 'object') {
    values.push(child);
    depths.push(depth);
  }
}
