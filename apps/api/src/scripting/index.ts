export { ScriptPool, ScriptPoolBusyError, DEFAULT_SCRIPT_MEMORY_MB, DEFAULT_SCRIPT_TIMEOUT_MS, type ScriptPoolOptions } from './script-pool.js';
export { runScriptTest, type ScriptTestInput, type ScriptTestOutcome } from './script-test.js';
export { fetchHttpClient } from './script-http.js';
export type { ScriptSyntaxProblem } from './script-syntax.js';
