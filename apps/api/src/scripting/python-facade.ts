import { randomBytes } from 'node:crypto';
import type { ScriptContext, ScriptHostCall, ScriptInput, ScriptOutput, ScriptResult } from '@sluice/flow-api';

/** What the Python facade needs to know about a run besides the script and the contents. */
export interface FacadeRun {
  readonly inputs: readonly ScriptInput[];
  readonly context?: ScriptContext;
}

/** The facade's per-run metadata, passed to the Python entry point as JSON. */
export function facadeMeta(run: FacadeRun): string {
  const c = run.context;
  return JSON.stringify({
    attributes: run.inputs.map((i) => i.attributes),
    inputs: run.inputs.map((i) => ({ lineageStartDate: i.lineageStartDate ?? null, entryDate: i.entryDate ?? null })),
    uuidSeed: randomBytes(8).toString('hex'),
    context: c
      ? { processorName: c.processorName, processorId: c.processorId, properties: c.properties, connected: c.connected, hasIncomingConnection: c.hasIncomingConnection }
      : null,
  });
}

/** A host call's answer as it travels back to the worker: JSON text plus bytes for content. */
export interface HostReplyMessage {
  readonly payload: string;
  readonly bytes?: Uint8Array;
}

/** Answers one host call from a running script; never rejects (errors travel back as `{ error }`). */
export async function answerHostCall(run: FacadeRun, payload: string): Promise<HostReplyMessage> {
  if (!run.context) return { payload: JSON.stringify({ error: 'this run has no processor context' }) };
  let call: ScriptHostCall;
  try {
    call = JSON.parse(payload) as ScriptHostCall;
  } catch {
    return { payload: JSON.stringify({ error: 'malformed host call' }) };
  }
  try {
    const reply = await run.context.call(call);
    return { payload: JSON.stringify({ value: reply.value ?? null }), ...(reply.bytes ? { bytes: reply.bytes } : {}) };
  } catch (e) {
    return { payload: JSON.stringify({ error: e instanceof Error ? e.message : String(e) }) };
  }
}

interface RawOutput extends Omit<ScriptOutput, 'content'> {
  readonly written?: boolean;
}

export interface RawResult {
  outputs: RawOutput[];
  taken: number[];
  returned?: number[];
  penalizeReturned?: boolean;
  counters?: Record<string, number>;
  yielded?: boolean;
  logs: ScriptResult['logs'];
  error: ScriptResult['error'] | null;
  /** The answer to a syntax check (no run): the first syntax error, or null. */
  syntax?: { line: number | null; column: number | null; message: string } | null;
}

const EMPTY = new Uint8Array(0);

/** The Python entry point's answer as a ScriptResult; unwritten content is the input's (empty for later FlowFiles). */
export function toScriptResult(run: FacadeRun, raw: RawResult, contents: (Uint8Array | null)[], durationMs: number): ScriptResult {
  const outputs = raw.outputs.map((o, i): ScriptOutput => {
    const written = contents[i];
    const content = written ? written : o.source !== null && o.source < run.inputs.length ? run.inputs[o.source]!.content : EMPTY;
    return { ...o, written: o.written ?? written != null, content };
  });
  return {
    outputs,
    taken: raw.taken,
    logs: raw.logs,
    ...(raw.returned?.length ? { returned: raw.returned, penalizeReturned: raw.penalizeReturned === true } : {}),
    ...(raw.counters && Object.keys(raw.counters).length ? { counters: raw.counters } : {}),
    ...(raw.yielded ? { yielded: true } : {}),
    ...(raw.error ? { error: raw.error } : {}),
    durationMs,
  };
}
