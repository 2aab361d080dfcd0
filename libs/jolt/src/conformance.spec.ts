import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileChain, JoltSpecError, JoltTransformError, parseJson, toPlainJson, type CustomFunction } from './index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../conformance');

interface Case {
  id: string;
  kind: 'output' | 'spec-error' | 'transform-error' | 'java-only';
  operation: string;
  spec?: string;
  input?: string;
  inputLiteral?: unknown;
  expected?: string;
  context?: string;
  range?: [number, number];
  reuse?: boolean;
  customFunctions?: Record<string, string>;
  compare?: 'deep-equal' | 'key-order';
}

/** Inputs keep Java's double typing (`10.0`), which some modify fixtures depend on. */
function load(ref: string, javaDoubles = false): unknown {
  const [file, pointer = ''] = ref.split('#');
  let v = parseJson(readFileSync(join(root, file!), 'utf8'), { javaDoubles });
  for (const raw of pointer.split('/').slice(1)) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    v = Array.isArray(v) ? v[Number(k)] : (v as Record<string, unknown>)[k];
  }
  return v;
}

function chainOf(c: Case, spec: unknown): unknown {
  return c.operation === 'chainr' ? spec : [{ operation: c.operation, spec }];
}

/** Checks key order at every depth (Sortr's verifyOrder). */
function keyOrder(actual: unknown, expected: unknown): void {
  if (Array.isArray(expected)) {
    (expected as unknown[]).forEach((e, i) => keyOrder((actual as unknown[])[i], e));
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object)).toEqual(Object.keys(expected));
    for (const k of Object.keys(expected)) keyOrder((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]);
  }
}

/** The test-only functions of labelsLookupTest, as the manifest describes them. */
const testFunctions: Record<string, CustomFunction> = {
  minLabelComputation: (arg) => labelBy(arg, (a, b) => a < b),
  maxLabelComputation: (arg) => labelBy(arg, (a, b) => a > b),
};

function labelBy(arg: unknown, better: (a: number, b: number) => boolean): unknown {
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) return undefined;
  let best: number | undefined;
  for (const k of Object.keys(arg)) {
    if (!/^-?\d+$/.test(k)) continue;
    const n = Number(k);
    if (best === undefined || better(n, best)) best = n;
  }
  return best === undefined ? undefined : (arg as Record<string, unknown>)[String(best)];
}

const manifest = load('manifest.json') as { cases: Case[] };

describe('Jolt conformance corpus', () => {
  for (const c of manifest.cases) {
    it(`${c.kind} ${c.id}`, () => {
      const spec = c.spec === undefined ? undefined : load(c.spec);
      const options = c.customFunctions ? { customFunctions: testFunctions } : {};
      if (c.kind === 'java-only') {
        // These chains name Java test classes; the engine must refuse them at build time.
        expect(() => compileChain(spec, options)).toThrow(JoltSpecError);
        return;
      }
      if (c.kind === 'spec-error') {
        expect(() => compileChain(chainOf(c, spec), options)).toThrow(JoltSpecError);
        return;
      }
      const chainSpec = c.operation === 'sort' && spec === undefined ? [{ operation: 'sort' }] : chainOf(c, spec);
      const chain = compileChain(chainSpec, options);
      const input = () => (c.input !== undefined ? load(c.input, true) : structuredClone(c.inputLiteral ?? null));
      const context = c.context !== undefined ? load(c.context) : undefined;
      const run = () => (c.range ? chain.transformRange(input(), c.range[0], c.range[1], context) : chain.transform(input(), context));
      if (c.kind === 'transform-error') {
        expect(run).toThrow(JoltTransformError);
        return;
      }
      let actual = run();
      if (c.reuse) {
        const o = actual as { array: unknown[]; map: Record<string, unknown> };
        o.array.push('a');
        o.map['c'] = 'c';
        actual = run();
      }
      actual = toPlainJson(actual);
      const expected = load(c.expected!);
      expect(actual).toStrictEqual(expected);
      // The reporting path walks the spec without generated code; it must agree.
      if (!c.range && !c.reuse) expect(toPlainJson(chain.transformWithReport(input(), context).output)).toStrictEqual(expected);
      if (c.compare === 'key-order') keyOrder(actual, expected);
    });
  }
});

interface Probe { id: string; operation: string; spec?: unknown; input: unknown; context?: unknown; expected?: unknown; error?: 'spec' | 'transform' }

const probes = load('extras/probes.json') as { cases: Probe[] };

describe('Jolt probes', () => {
  for (const p of probes.cases) {
    it(p.id, () => {
      const chainSpec = p.operation === 'chainr' ? p.spec : [p.spec === undefined ? { operation: p.operation } : { operation: p.operation, spec: p.spec }];
      if (p.error === 'spec') {
        expect(() => compileChain(chainSpec)).toThrow(JoltSpecError);
        return;
      }
      const chain = compileChain(chainSpec);
      if (p.error === 'transform') {
        expect(() => chain.transform(structuredClone(p.input), p.context)).toThrow(JoltTransformError);
        return;
      }
      expect(chain.transform(structuredClone(p.input), p.context)).toStrictEqual(p.expected);
      expect(chain.transformWithReport(structuredClone(p.input), p.context).output).toStrictEqual(p.expected);
    });
  }
});
