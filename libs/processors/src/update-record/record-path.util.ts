/** One step of a simple record path: a field name or an array index. */
export type PathStep = { readonly field: string } | { readonly index: number };

export class RecordPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordPathError';
  }
}

const SEGMENT = /^([^[\]]*)((?:\[\d+\])*)$/;

/**
 * Parses the subset of NiFi RecordPath that names one field: `/sku`, `/price/amount`, `/images[0]/url`.
 * Predicates, wildcards and `//` descendants are not supported and are rejected with a message.
 */
export function parseRecordPath(path: string): PathStep[] {
  if (!path.startsWith('/')) throw new RecordPathError(`'${path}' is not a record path; it must start with '/', e.g. /stock`);
  if (path.startsWith('//')) throw new RecordPathError(`'${path}': descendant paths (//) are not supported; name the field from the root, e.g. /a/b`);
  const steps: PathStep[] = [];
  for (const segment of path.slice(1).split('/')) {
    const m = SEGMENT.exec(segment);
    if (!m) throw new RecordPathError(`'${path}': segment '${segment}' is not a field name with optional [index]; RecordPath predicates, functions and wildcards are not supported`);
    const [, field, indexes] = m;
    if (field === '') {
      throw new RecordPathError(`'${path}' has an empty field name`);
    }
    if (field === '*') throw new RecordPathError(`'${path}': wildcards are not supported; name one field`);
    steps.push({ field: field! });
    for (const ix of indexes!.matchAll(/\[(\d+)\]/g)) steps.push({ index: Number(ix[1]) });
  }
  return steps;
}

export function formatSteps(steps: readonly PathStep[], upTo: number): string {
  return steps
    .slice(0, upTo)
    .map((s) => ('field' in s ? `/${s.field}` : `[${s.index}]`))
    .join('');
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Reads the value at a path, or undefined when any step is missing. */
export function getAtPath(record: unknown, steps: readonly PathStep[]): unknown {
  let cur: unknown = record;
  for (const step of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = 'field' in step ? (Array.isArray(cur) ? undefined : (cur as Record<string, unknown>)[step.field]) : Array.isArray(cur) ? cur[step.index] : undefined;
  }
  return cur;
}

/**
 * Sets the value at a path, creating missing objects (and arrays before an index) on the way. Throws when a
 * step crosses a value that is neither, naming where.
 */
export function setAtPath(record: unknown, steps: readonly PathStep[], value: unknown): void {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new RecordPathError(`the record is ${kind(record)}, not an object`);
  let cur = record as Record<string, unknown> | unknown[];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const last = i === steps.length - 1;
    const key: string | number = 'field' in step ? step.field : step.index;
    if ('field' in step && Array.isArray(cur)) throw new RecordPathError(`${formatSteps(steps, i)} is an array; use an index such as [0] before /${step.field}`);
    if ('index' in step && !Array.isArray(cur)) throw new RecordPathError(`${formatSteps(steps, i)} is ${kind(cur)}, not an array`);
    const container = cur as Record<string | number, unknown>;
    if (last) {
      container[key] = value;
      return;
    }
    let next = container[key];
    if (next === undefined || next === null) {
      next = 'index' in steps[i + 1]! ? [] : {};
      container[key] = next;
    } else if (typeof next !== 'object') {
      throw new RecordPathError(`${formatSteps(steps, i + 1)} is ${kind(next)}, so ${formatSteps(steps, steps.length)} cannot be set`);
    }
    cur = next as Record<string, unknown> | unknown[];
  }
}
