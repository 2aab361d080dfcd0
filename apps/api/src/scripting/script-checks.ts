import { effectiveParameters, type FlowDocument, type ProcessorValidationDto } from '@sluice/contracts';
import { substituteParameters, type ScriptLanguage, type ScriptRunner } from '@sluice/flow-api';
import { getProcessor } from '@sluice/processors';
import { createHash } from 'node:crypto';
import type { ScriptSyntaxProblem } from './script-syntax.js';

/** Verdicts kept, by script digest: a save re-sends unchanged scripts, which must not be compiled again. */
const CACHE_ENTRIES = 500;
/** A save waits at most this long for a runtime's verdict (Pyodide loading, a Python run in progress). */
const CHECK_DEADLINE_MS = 10_000;

type Checker = (language: ScriptLanguage, script: string) => Promise<ScriptSyntaxProblem | null>;

/**
 * Syntax checks of the scripts in a flow, as the runtimes that run them compile them (Pyodide for Python, a V8
 * isolate for JavaScript), never on the request's event loop. A syntax error is a problem of the script property
 * with its line and column.
 */
export class ScriptChecks {
  private readonly cache = new Map<string, ScriptSyntaxProblem | null>();
  /** Checks on their way, so saves that repeat a script while it compiles wait for the same one. */
  private readonly running = new Map<string, Promise<ScriptSyntaxProblem | null>>();
  private readonly check: Checker | null;

  constructor(runner: ScriptRunner) {
    const pool = runner as Partial<{ checkSyntax: Checker }>;
    this.check = pool.checkSyntax ? pool.checkSyntax.bind(runner) : null;
  }

  async issues(doc: FlowDocument): Promise<ProcessorValidationDto[]> {
    // Only the few processors with a script property pay for their parameters.
    const checks = doc.processors.flatMap((p) => (scriptEditors(p.type).length === 0 ? [] : scriptsOf(p.type, p.properties, effectiveParameters(doc, p.groupId)).map((s) => ({ processorId: p.id, ...s }))));
    const results = await Promise.all(checks.map(async (c) => ({ c, problem: await this.verdict(c.language, c.script) })));
    return results.flatMap(({ c, problem }) =>
      problem
        ? [{
            processorId: c.processorId,
            property: c.property,
            message: `${c.label}: ${problem.message}`,
            ...(problem.line !== null ? { line: problem.line } : {}),
            ...(problem.column !== null ? { column: problem.column } : {}),
            code: 'invalid' as const,
          }]
        : [],
    );
  }

  /**
   * The script's syntax problem, or null. A runtime that does not answer in time (Pyodide still loading, a long run)
   * is no reason to hold a flow back: the script is not flagged, the check goes on, and its verdict is kept for the
   * next save or start. A script that does not compile still fails its step at run time.
   */
  private async verdict(language: ScriptLanguage, script: string): Promise<ScriptSyntaxProblem | null> {
    if (!this.check || script.trim() === '') return null;
    const key = createHash('sha256').update(language).update('\u0000').update(script).digest('base64');
    if (this.cache.has(key)) {
      const hit = this.cache.get(key)!;
      // Most recently used last, so the oldest verdict goes first.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    let running = this.running.get(key);
    if (!running) {
      running = this.check(language, script).then(
        (problem) => {
          this.cache.set(key, problem);
          if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
          return problem;
        },
        // The runtime failed: no verdict, the next save checks again.
        () => null,
      );
      this.running.set(key, running);
      void running.finally(() => this.running.delete(key));
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([running, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), CHECK_DEADLINE_MS)))]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A type's properties edited as Python or JavaScript; descriptors do not change while the server runs. */
const editors = new Map<string, readonly string[]>();
function scriptEditors(type: string): readonly string[] {
  let names = editors.get(type);
  if (!names) editors.set(type, (names = (getProcessor(type)?.descriptor.properties ?? []).filter((p) => p.editor === 'python' || p.editor === 'javascript').map((p) => p.name)));
  return names;
}

/** The scripts a processor holds: properties edited as Python or JavaScript, in the language its engine names. */
function scriptsOf(type: string, properties: Record<string, string>, parameters: Record<string, string>): { property: string; label: string; language: ScriptLanguage; script: string }[] {
  const descriptor = getProcessor(type)?.descriptor;
  if (!descriptor) return [];
  const engine = descriptor.properties.find((p) => p.type === 'enum' && /engine|language/i.test(p.name));
  const engineValue = (engine && (properties[engine.name] ?? engine.default)) ?? '';
  return descriptor.properties
    .filter((p) => (p.editor === 'python' || p.editor === 'javascript') && (properties[p.name] ?? '') !== '')
    .map((p) => ({
      property: p.name,
      label: p.displayName,
      language: languageOf(engineValue, p.editor as ScriptLanguage),
      // As NiFi does, parameters are replaced before the script is compiled.
      script: substituteParameters(properties[p.name]!, parameters).text,
    }));
}

/** NiFi stores `python` (or `Jython`) for Jython and `ECMAScript` for JavaScript. */
function languageOf(engine: string, editor: ScriptLanguage): ScriptLanguage {
  const e = engine.toLowerCase();
  if (/python|jython/.test(e)) return 'python';
  if (e) return 'javascript';
  return editor;
}
