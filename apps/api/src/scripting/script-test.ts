import type { LogLevel, ScriptLanguage, ScriptResult, ScriptRunner } from '@sluice/flow-api';
import { DEFAULT_SCRIPT_MEMORY_MB, DEFAULT_SCRIPT_TIMEOUT_MS } from './script-pool.js';

export interface ScriptTestInput {
  readonly language: ScriptLanguage;
  readonly script: string;
  /** The FlowFile content, as text (the ERP response pasted into the pane). */
  readonly input?: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly memoryLimitMb?: number;
  readonly allowHttp?: boolean;
}

export interface ScriptTestOutcome {
  /** Content of the FlowFile the script transferred (the input's own, else the first other), as text. */
  readonly output: string | null;
  readonly attributes: Record<string, string>;
  /** Where it went: `success`, `failure`, another name, or null when removed or never transferred. */
  readonly relationship: string | null;
  readonly logs: readonly { readonly level: LogLevel; readonly message: string }[];
  readonly durationMs: number;
  /** Every FlowFile the script created, for scripts that split. */
  readonly created: readonly { readonly output: string; readonly attributes: Record<string, string>; readonly relationship: string | null }[];
  readonly error?: NonNullable<ScriptResult['error']>;
}

const decoder = new TextDecoder();

/**
 * The Script card's "Script Testing": runs the script on one FlowFile built from the pane's input, exactly as the
 * ExecuteScript processor would, and reports what happened. An uncaught error sends the input to `failure` with
 * the traceback in `log.error.script_error`, as the processor does.
 */
export async function runScriptTest(runner: ScriptRunner, test: ScriptTestInput): Promise<ScriptTestOutcome> {
  const input = test.input ?? '';
  const attributes = { ...(test.attributes ?? {}) };
  const result = await runner.run({
    language: test.language,
    script: test.script,
    inputs: [{ attributes, content: new TextEncoder().encode(input) }],
    timeoutMs: test.timeoutMs ?? DEFAULT_SCRIPT_TIMEOUT_MS,
    memoryLimitMb: test.memoryLimitMb ?? DEFAULT_SCRIPT_MEMORY_MB,
    allowHttp: test.allowHttp === true,
  });
  if (result.error) {
    return {
      output: input,
      attributes: { ...attributes, 'log.error.script_error': result.error.traceback ?? result.error.message },
      relationship: 'failure',
      logs: result.logs,
      durationMs: result.durationMs,
      created: [],
      error: result.error,
    };
  }
  const own = result.outputs.find((o) => o.source === 0);
  const created = result.outputs.filter((o) => o.source === null);
  const main = own ?? created[0];
  return {
    output: main ? decoder.decode(main.content) : null,
    attributes: main ? { ...main.attributes } : attributes,
    relationship: main ? main.relationship : null,
    logs: result.logs,
    durationMs: result.durationMs,
    created: created.map((o) => ({ output: decoder.decode(o.content), attributes: { ...o.attributes }, relationship: o.relationship })),
  };
}
