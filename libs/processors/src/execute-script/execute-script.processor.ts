import {
  defineProcessor,
  parseDataSize,
  parseDuration,
  REL_FAILURE,
  REL_SUCCESS,
  type FlowFile,
  type ProcessContext,
  type ProcessSession,
  type PropertyValues,
  type ScriptLanguage,
  type ScriptOutput,
  type ScriptResult,
  type ValidationResult,
} from '@sluice/flow-api';

export const SCRIPT_ENGINE = 'Script Engine';
export const SCRIPT_BODY = 'Script Body';
export const TIMEOUT = 'Timeout';
export const MEMORY_LIMIT = 'Memory Limit';
export const ALLOW_HTTP = 'Allow HTTP';

/** Where an uncaught script error lands, as in the Integrator's base script. */
export const SCRIPT_ERROR_ATTRIBUTE = 'log.error.script_error';

const MB = 1024 * 1024;
const MIN_MEMORY_MB = 16;
const MAX_TIMEOUT_MS = 3_600_000;
const ROUTABLE = new Set([REL_SUCCESS.name, REL_FAILURE.name]);

export const ExecuteScript = defineProcessor({
  descriptor: {
    type: 'ExecuteScript',
    version: 1,
    displayName: 'Execute Script',
    description:
      'Runs a Python or JavaScript script on each FlowFile with NiFi\'s ExecuteScript API (session.get, session.write with a ' +
      'StreamCallback, putAttribute, transfer to REL_SUCCESS / REL_FAILURE), so the Integrator\'s Jython scripts run unchanged. ' +
      'Scripts run sandboxed, with a timeout and a memory limit. An error the script does not catch sends the FlowFile to ' +
      `failure with the traceback in '${SCRIPT_ERROR_ATTRIBUTE}'.`,
    category: 'script',
    tags: ['script', 'python', 'jython', 'javascript', 'execute', 'transform'],
    properties: [
      {
        name: SCRIPT_ENGINE,
        displayName: 'Script Engine',
        description: 'The language of the script body.',
        type: 'enum',
        default: 'python',
        required: true,
        allowableValues: [
          { value: 'python', displayName: 'Python', description: 'Python 3 (Pyodide) with the NiFi/Jython module shims the Integrator\'s scripts import.' },
          { value: 'javascript', displayName: 'JavaScript', description: 'JavaScript in a V8 isolate; may also define transform(input, attributes).' },
        ],
      },
      {
        name: SCRIPT_BODY,
        displayName: 'Script Body',
        description:
          'The script. Globals: session, REL_SUCCESS, REL_FAILURE, log (and http when Allow HTTP is on). In JavaScript, a script that ' +
          'only defines transform(input, attributes) gets the parsed JSON content and its return value becomes the new content.',
        type: 'code',
        editor: 'python',
        required: true,
      },
      {
        name: TIMEOUT,
        displayName: 'Timeout',
        description: 'How long one execution may run before it is stopped and the FlowFile sent to failure.',
        type: 'duration',
        default: '300 sec',
        required: true,
      },
      {
        name: MEMORY_LIMIT,
        displayName: 'Memory Limit',
        description: 'How much memory one execution may use before it is stopped and the FlowFile sent to failure.',
        type: 'dataSize',
        default: '256 MB',
        required: true,
      },
      {
        name: ALLOW_HTTP,
        displayName: 'Allow HTTP',
        description: 'Gives the script an `http` helper (http.get / http.post / http.request) for outbound calls. Off, the script has no network.',
        type: 'boolean',
        default: 'false',
        allowableValues: [
          { value: 'true', displayName: 'true' },
          { value: 'false', displayName: 'false' },
        ],
      },
    ],
    relationships: [
      { name: REL_SUCCESS.name, description: 'FlowFiles the script transferred to REL_SUCCESS.' },
      { name: REL_FAILURE.name, description: `FlowFiles the script transferred to REL_FAILURE, or whose execution failed (${SCRIPT_ERROR_ATTRIBUTE} says why).` },
    ],
    inputRequirement: 'required',
    sideEffects: true,
    writesAttributes: [
      { name: SCRIPT_ERROR_ATTRIBUTE, description: 'The traceback (or timeout / memory message) when the execution failed.' },
      { name: '(any)', description: 'Whatever attributes the script sets.' },
    ],
  },

  validate(config: PropertyValues): ValidationResult[] {
    const results: ValidationResult[] = [];
    const timeout = config[TIMEOUT] === undefined ? undefined : parseDuration(config[TIMEOUT]!);
    if (timeout !== undefined && timeout !== null && (timeout < 100 || timeout > MAX_TIMEOUT_MS)) {
      results.push({ property: TIMEOUT, message: 'must be between 100 millis and 1 hour', code: 'invalid' });
    }
    const memory = config[MEMORY_LIMIT] === undefined ? undefined : parseDataSize(config[MEMORY_LIMIT]!);
    if (memory !== undefined && memory !== null && memory < MIN_MEMORY_MB * MB) {
      results.push({ property: MEMORY_LIMIT, message: `must be at least ${MIN_MEMORY_MB} MB`, code: 'invalid' });
    }
    if (config[SCRIPT_BODY] !== undefined && config[SCRIPT_BODY]!.trim() === '') {
      results.push({ property: SCRIPT_BODY, message: 'the script is empty', code: 'required' });
    }
    return results;
  },

  async onTrigger(ctx, session) {
    const flowFile = session.get();
    if (!flowFile) return;
    const content = await session.read(flowFile);
    const language = (ctx.property(SCRIPT_ENGINE).asString() ?? 'python') as ScriptLanguage;
    let result: ScriptResult;
    try {
      result = await ctx.services.scripts.run({
        language,
        script: ctx.property(SCRIPT_BODY).asString() ?? '',
        inputs: [{ attributes: flowFile.attributes, content }],
        timeoutMs: ctx.property(TIMEOUT).asDuration() ?? 300_000,
        memoryLimitMb: Math.max(1, Math.ceil((ctx.property(MEMORY_LIMIT).asDataSize() ?? 256 * MB) / MB)),
        allowHttp: ctx.property(ALLOW_HTTP).asBoolean() === true,
      });
    } catch (e) {
      fail(ctx, session, flowFile, `Script runner failed: ${(e as Error).message}`);
      return;
    }
    for (const line of result.logs) ctx.log[line.level](line.message);
    if (result.error) {
      fail(ctx, session, flowFile, result.error.traceback ?? result.error.message, result.error.message);
      return;
    }
    const unknown = result.outputs.find((o) => o.relationship !== null && !ROUTABLE.has(o.relationship));
    if (unknown) {
      fail(ctx, session, flowFile, `Script transferred a FlowFile to '${unknown.relationship}'; ExecuteScript has only success and failure`);
      return;
    }
    applyOutputs(session, flowFile, content, result);
    if (!result.taken.includes(0)) {
      // The real session already holds the FlowFile; NiFi would leave it queued, which would re-run the script forever.
      fail(ctx, session, flowFile, 'The script did not take the FlowFile (session.get() was never called)');
    }
  },
});

function applyOutputs(session: ProcessSession, input: FlowFile, content: Uint8Array, result: ScriptResult): void {
  for (const out of result.outputs) {
    if (out.source === 0) {
      let ff = applyAttributes(session, input, out);
      if (out.content !== content && !sameBytes(out.content, content)) ff = session.write(ff, out.content);
      if (out.relationship === null) session.remove(ff);
      else session.transfer(ff, out.relationship);
    } else if (out.source === null) {
      if (out.relationship === null) continue;
      let child = session.create(input);
      child = applyAttributes(session, child, out);
      child = session.write(child, out.content);
      session.transfer(child, out.relationship);
    }
  }
}

function applyAttributes(session: ProcessSession, ff: FlowFile, out: ScriptOutput): FlowFile {
  const removed = Object.keys(ff.attributes).filter((k) => k !== 'uuid' && !(k in out.attributes));
  const changed: Record<string, string> = {};
  for (const [k, v] of Object.entries(out.attributes)) if (k !== 'uuid' && ff.attributes[k] !== v) changed[k] = v;
  let next = ff;
  if (removed.length > 0) next = session.removeAllAttributes(next, removed);
  if (Object.keys(changed).length > 0) next = session.putAllAttributes(next, changed);
  return next;
}

function fail(ctx: ProcessContext, session: ProcessSession, flowFile: FlowFile, detail: string, summary = detail): void {
  ctx.log.error(`ExecuteScript failed for ${flowFile.uuid}: ${summary}`);
  session.transfer(session.putAttribute(flowFile, SCRIPT_ERROR_ATTRIBUTE, detail), REL_FAILURE);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
