/**
 * The "Script Testing" pane: one run of the ExecuteScript processor itself, on the real session and context, with
 * the step's own properties (dynamic ones included), so `session`, `context`, `log`, `REL_SUCCESS` and the state
 * manager behave exactly as in the flow. State starts from the step's stored state and its writes stay in the run
 * (reported, never stored); scripts run in the test panes' own pool with the role's limits and without HTTP.
 */
import { checkExpression } from '@sluice/expression';
import { migrateProperties, validateProcessor, type LogLevel, type ProcessorDefinition, type ProcessorServices, type ScriptResult, type ScriptRunner, type StateManager, type StateScope } from '@sluice/flow-api';
import { runOnce } from '@sluice/flow-core';
import { getProcessor } from '@sluice/processors';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BadInputError } from '../common/errors.js';
import { SYSTEM_CLOCK } from '../engine/engine.service.js';
import { ZLIB_COMPRESSION } from '../engine/zlib-compression.codec.js';

const MAX_ENTRIES = 1000;
const entries = (what: string) => z.record(z.string().max(1000), z.string()).refine((r) => Object.keys(r).length <= MAX_ENTRIES, `at most ${MAX_ENTRIES} ${what}`);

export const ScriptPaneSchema = z.object({
  language: z.enum(['python', 'javascript']),
  script: z.string().min(1, 'script is required').max(1_000_000),
  input: z.string().default(''),
  attributes: entries('attributes').default({}),
  timeoutMs: z.number().int().min(100).max(300_000).optional(),
  /** The step's ExecuteScript properties (dynamic properties become script variables); `script` and `language` win. */
  properties: entries('properties').default({}),
  /** Flow parameters for `#{...}` references in the properties. */
  parameters: entries('parameters').default({}),
  /** The step whose stored state the run starts from (nothing is written back). */
  flowId: z.string().max(64).optional(),
  processorId: z.string().max(200).optional(),
});
export type ScriptPaneRequest = z.infer<typeof ScriptPaneSchema>;

export interface ScriptPaneOutcome {
  /** Content of the input FlowFile as the script left it (else the first one it created), as text. */
  readonly output: string | null;
  readonly attributes: Record<string, string>;
  /** Where it went: `success`, `failure`, or null when removed or never transferred. */
  readonly relationship: string | null;
  readonly logs: readonly { readonly level: LogLevel; readonly message: string }[];
  readonly durationMs: number;
  /** The FlowFiles the script created. */
  readonly created: readonly { readonly output: string; readonly attributes: Record<string, string>; readonly relationship: string | null }[];
  /** The processor's state after the run (local and cluster), as the flow would have stored it. */
  readonly state: { readonly local: Record<string, string>; readonly cluster: Record<string, string> };
  readonly error?: NonNullable<ScriptResult['error']>;
}

const SCRIPT_ENGINE = 'Script Engine';
const SCRIPT_BODY = 'Script Body';
const decoder = new TextDecoder();
const unavailable = (what: string) => () => Promise.reject(new Error(`${what} is not available in the script test pane; test the step (dry run) to see its requests`));

/** State read from a snapshot; writes change only the snapshot, which the outcome reports. */
export class SandboxState implements StateManager {
  private readonly scopes: Record<StateScope, Record<string, string>>;

  constructor(initial: { local: Record<string, string>; cluster: Record<string, string> }) {
    this.scopes = { local: { ...initial.local }, cluster: { ...initial.cluster } };
  }

  snapshot(): { local: Record<string, string>; cluster: Record<string, string> } {
    return { local: { ...this.scopes.local }, cluster: { ...this.scopes.cluster } };
  }

  async get(scope: StateScope = 'local'): Promise<Record<string, string>> {
    return { ...this.scopes[scope] };
  }

  async set(state: Record<string, string>, scope: StateScope = 'local'): Promise<void> {
    this.scopes[scope] = { ...state };
  }

  async replace(expected: Record<string, string>, next: Record<string, string>, scope: StateScope = 'local'): Promise<boolean> {
    if (!sameEntries(this.scopes[scope], expected)) return false;
    this.scopes[scope] = { ...next };
    return true;
  }

  async clear(scope: StateScope = 'local'): Promise<void> {
    this.scopes[scope] = {};
  }
}

/** The pane's properties: the step's, with the pane's script, language and the role's limits; HTTP stays off. */
function paneProperties(definition: ProcessorDefinition, req: ScriptPaneRequest, limits: { timeoutMs: number; memoryMb: number }): Record<string, string> {
  const properties: Record<string, string> = { ...migrateProperties(definition, req.properties).properties };
  properties[SCRIPT_ENGINE] = req.language;
  properties[SCRIPT_BODY] = req.script;
  properties['Timeout'] = `${req.timeoutMs ?? limits.timeoutMs} millis`;
  properties['Memory Limit'] = `${limits.memoryMb} MB`;
  properties['Allow HTTP'] = 'false';
  return properties;
}

export async function runScriptPane(
  req: ScriptPaneRequest,
  scripts: ScriptRunner,
  initialState: { local: Record<string, string>; cluster: Record<string, string> },
  limits: { timeoutMs: number; memoryMb: number },
): Promise<ScriptPaneOutcome> {
  const definition = getProcessor('ExecuteScript') as ProcessorDefinition;
  const properties = paneProperties(definition, req, limits);
  const issues = validateProcessor(definition, properties, { checkExpression, parameters: req.parameters });
  if (issues.length > 0) {
    const message = issues.map((i) => i.message).join('; ');
    throw new BadInputError(message, issues.map((i) => ({ field: i.property === SCRIPT_BODY ? 'script' : `properties.${i.property ?? ''}`, message: i.message })));
  }
  const state = new SandboxState(initialState);
  // The raw run, for what the processor turns into attributes: the error's kind and the interpreter's time.
  let raw: ScriptResult | null = null;
  const runner: ScriptRunner = { run: async (r) => (raw = await scripts.run(r)) };
  let sourceUuid: string | null = null;
  const services: ProcessorServices = {
    clock: SYSTEM_CLOCK,
    http: { request: unavailable('HTTP') },
    scripts: runner,
    state,
    compression: ZLIB_COMPRESSION,
    randomUuid: () => {
      const id = randomUUID();
      // The first id is the input FlowFile's.
      sourceUuid ??= id;
      return id;
    },
  };
  const started = performance.now();
  const result = await runOnce({ definition, properties, parameters: req.parameters, content: req.input, attributes: req.attributes, services });
  const ran = raw as ScriptResult | null;
  const own = result.outputs.find((o) => o.attributes['uuid'] === sourceUuid);
  const created = result.outputs.filter((o) => o !== own);
  const main = own ?? created[0];
  return {
    output: main ? decoder.decode(main.content) : null,
    attributes: main ? { ...main.attributes } : { ...req.attributes },
    relationship: main ? main.relationship : null,
    logs: result.logs.map((l) => ({ level: l.level, message: l.message })),
    durationMs: ran?.durationMs ?? performance.now() - started,
    created: created.map((o) => ({ output: decoder.decode(o.content), attributes: { ...o.attributes }, relationship: o.relationship })),
    state: state.snapshot(),
    ...(ran?.error ? { error: ran.error } : {}),
  };
}

function sameEntries(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}
