import { BadInputError } from './errors.js';

/** JSON nested deeper than this is refused before any code walks it recursively. */
export const MAX_BODY_DEPTH = 64;

/** Refuses JSON nested deeper than `max`, walking it without recursion. */
export function assertDepth(value: unknown, max: number, field = '(body)'): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) {
      throw new BadInputError(`${field === '(body)' ? 'the request body' : field} nests deeper than the limit of ${max} levels`, [{ field, message: `nested deeper than ${max} levels` }]);
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
}
