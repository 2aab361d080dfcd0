import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionError } from './index.js';
import { KNOWN_DIVERGENCES } from './conformance-divergences.js';

interface Case {
  id: string;
  expression: string;
  attributes: Record<string, string>;
  state?: Record<string, string>;
  parameters?: Record<string, string>;
  defaultTimeZone?: string;
  expected: string | null;
  error: boolean;
  errorPhase?: 'compile' | 'evaluate';
}

const here = dirname(fileURLToPath(import.meta.url));
const corpusPath = resolve(here, '../conformance/cases.json');
if (!existsSync(corpusPath)) throw new Error(`NiFi EL conformance corpus not found at ${corpusPath}`);
const cases = JSON.parse(readFileSync(corpusPath, 'utf8')) as Case[];

type Outcome = { ok: true; value: string } | { ok: false; phase: 'compile' | 'evaluate'; message: string };

function run(c: Case): Outcome {
  let compiled;
  try {
    compiled = compileExpression(c.expression);
  } catch (e) {
    return { ok: false, phase: 'compile', message: (e as Error).message };
  }
  try {
    const value = compiled.evaluate({
      attributes: c.attributes,
      ...(c.parameters ? { parameters: c.parameters } : {}),
      ...(c.state ? { state: c.state } : {}),
      timeZone: c.defaultTimeZone ?? 'UTC',
    });
    return { ok: true, value };
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    return { ok: false, phase: 'evaluate', message: e.message };
  }
}

function matches(c: Case, o: Outcome): boolean {
  return c.error ? !o.ok : o.ok && o.value === c.expected;
}

describe('NiFi EL conformance corpus', () => {
  it('has the expected size', () => {
    expect(cases.length).toBe(1071);
  });

  it('refuses none of its regular expressions as able to backtrack exponentially', () => {
    const refused = cases.map((c) => ({ id: c.id, o: run(c) })).filter(({ o }) => !o.ok && o.message.includes(' is refused: '));
    expect(refused.map(({ id, o }) => `${id}: ${(o as { message: string }).message}`)).toEqual([]);
  });

  for (const c of cases) {
    const divergence = KNOWN_DIVERGENCES[c.id];
    if (divergence) {
      it(`${c.id} (documented divergence: ${divergence})`, () => {
        expect(matches(c, run(c))).toBe(false);
      });
      continue;
    }
    it(c.id, () => {
      const o = run(c);
      if (c.error) {
        expect(o.ok, `expected an error, got ${JSON.stringify(o)}`).toBe(false);
        if (!o.ok && c.errorPhase) expect(o.phase).toBe(c.errorPhase);
      } else {
        expect(o).toEqual({ ok: true, value: c.expected });
      }
    });
  }
});
