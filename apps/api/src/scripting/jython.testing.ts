import { getProcessor } from '@sluice/processors';
import { TestRunner, type MockFlowFile } from '@sluice/flow-testing';
import { afterAll, beforeAll } from 'vitest';
import { ScriptPool } from './script-pool.js';

export interface JythonCase {
  /** FlowFiles queued before the run: content (objects as JSON) and attributes. */
  readonly inputs?: readonly { readonly content?: string | object; readonly attributes?: Record<string, string> }[];
  /** Dynamic (and NiFi) properties of the processor, as a user would set them. */
  readonly properties?: Record<string, string>;
  readonly parameters?: Record<string, string>;
  /** No incoming connection: the script runs as a source. */
  readonly source?: boolean;
  readonly runs?: number;
  readonly engine?: string;
}

export interface JythonOutcome {
  readonly runner: TestRunner;
  readonly success: MockFlowFile[];
  readonly failure: MockFlowFile[];
  readonly logs: { level: string; message: string }[];
  /** The traceback or message of the first FlowFile routed to failure by an execution error. */
  readonly error: string | undefined;
}

/**
 * Runs scripts the way a flow does: the ExecuteScript processor (through the TestRunner's real session) on the
 * real Pyodide pool. One pool per spec file.
 */
export function jythonHarness(): { run(script: string, test?: JythonCase): Promise<JythonOutcome>; readonly pool: () => ScriptPool } {
  let pool: ScriptPool;
  beforeAll(async () => {
    pool = new ScriptPool({ pythonWorkers: 1 });
    await pool.warmUp();
  });
  afterAll(async () => {
    await pool.close();
  });
  return {
    pool: () => pool,
    async run(script, test = {}) {
      const runner = new TestRunner(getProcessor('ExecuteScript')!, {
        services: { scripts: pool },
        parameters: test.parameters ?? {},
        ...(test.source ? { hasIncomingConnection: false } : {}),
      });
      runner.setProperty('Script Engine', test.engine ?? 'python');
      runner.setProperty('Script Body', script);
      runner.setProperty('Timeout', '20 sec');
      for (const [k, v] of Object.entries(test.properties ?? {})) runner.setProperty(k, v);
      runner.assertValid();
      for (const input of test.inputs ?? []) runner.enqueue(input.content ?? '', input.attributes ?? {});
      await runner.run(test.runs ?? 1);
      const failure = runner.flowFilesFor('failure');
      return {
        runner,
        success: runner.flowFilesFor('success'),
        failure,
        logs: runner.logs(),
        error: failure.map((f) => f.getAttribute('log.error.script_error')).find((e) => e !== undefined),
      };
    },
  };
}
