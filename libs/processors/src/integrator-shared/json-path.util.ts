/**
 * Reads a value by a simple JSON path: `$`, `$.a.b`, `a.b`, `$.a[0].b`, `$['odd key']`. Covers the token,
 * next-link and results paths the Integrator steps take; returns undefined when any step is missing.
 */
export function readJsonPath(value: unknown, path: string): unknown {
  let current = value;
  for (const step of parseJsonPath(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

const cache = new Map<string, (string | number)[]>();

export function parseJsonPath(path: string): (string | number)[] {
  const hit = cache.get(path);
  if (hit) return hit;
  const steps: (string | number)[] = [];
  let s = path.trim();
  if (s.startsWith('$')) s = s.slice(1);
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '.') {
      i++;
      continue;
    }
    if (c === '[') {
      const close = s.indexOf(']', i);
      if (close < 0) throw new Error(`JSON path '${path}': '[' at ${i} is never closed`);
      const inner = s.slice(i + 1, close).trim();
      const quoted = /^(['"])(.*)\1$/.exec(inner);
      if (quoted) steps.push(quoted[2]!);
      else if (/^\d+$/.test(inner)) steps.push(Number(inner));
      else throw new Error(`JSON path '${path}': '[${inner}]' must be an index or a quoted key`);
      i = close + 1;
      continue;
    }
    let j = i;
    while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
    const key = s.slice(i, j);
    steps.push(/^\d+$/.test(key) ? Number(key) : key);
    i = j;
  }
  cache.set(path, steps);
  return steps;
}
