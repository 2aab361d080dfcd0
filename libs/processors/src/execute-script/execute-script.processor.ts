import {
  handleList, propertyHandles,
  defineProcessor,
  parseDataSize,
  parseDuration,
  REL_FAILURE,
  REL_SUCCESS,
  type PropertyValues,
  type ScriptLanguage,
  type ScriptResult,
  type ValidationResult,
} from '@sluice/flow-api';
import { SCRIPT_ERROR_ATTRIBUTE, ScriptRun } from './script-run.js';

export { SCRIPT_ERROR_ATTRIBUTE } from './script-run.js';

export const SCRIPT_ENGINE = 'Script Engine';
export const SCRIPT_FILE = 'Script File';
export const SCRIPT_BODY = 'Script Body';
export const MODULE_DIRECTORY = 'Module Directory';
export const TIMEOUT = 'Timeout';
export const MEMORY_LIMIT = 'Memory Limit';
export const ALLOW_HTTP = 'Allow HTTP';

const MB = 1024 * 1024;
const MIN_MEMORY_MB = 16;
const MAX_TIMEOUT_MS = 3_600_000;
/** NiFi 1.x stores the engine's language name: `python` for Jython, `ECMAScript` for Nashorn. */
const ENGINES: Readonly<Record<string, ScriptLanguage>> = { python: 'python', Jython: 'python', javascript: 'javascript', ECMAScript: 'javascript' };

export const SCRIPT_FILE_UNSUPPORTED =
  "Script File is not supported: scripts run in a sandbox without access to the server's files, and a flow carries " +
  'its script with it. Paste the file into Script Body';
export const MODULE_DIRECTORY_UNSUPPORTED =
  'Module Directory is not supported: scripts run in a sandbox without access to the server\'s files. Scripts can import ' +
  "Python's standard library and the Java/NiFi names listed in the documentation; paste helper code into Script Body";

const PROPS = propertyHandles([
  {
    name: SCRIPT_ENGINE,
    displayName: 'Script Engine',
    description: 'The language of the script.',
    type: 'enum',
    default: 'python',
    required: true,
    allowableValues: [
      { value: 'python', displayName: 'python', description: "Jython 2.7 scripts (NiFi's python engine), run on Python 3 (Pyodide) with NiFi's Java API emulated." },
      { value: 'javascript', displayName: 'JavaScript', description: 'JavaScript in a V8 isolate; may also define transform(input, attributes).' },
      { value: 'Jython', displayName: 'Jython', description: 'Same as python.' },
      { value: 'ECMAScript', displayName: 'ECMAScript', description: "NiFi's name for its JavaScript engine; runs as JavaScript." },
    ],
  },
  {
    name: SCRIPT_FILE,
    displayName: 'Script File',
    description: `NiFi reads the script from this path. ${SCRIPT_FILE_UNSUPPORTED}.`,
    type: 'string',
  },
  {
    name: SCRIPT_BODY,
    displayName: 'Script Body',
    description:
      'The script. Variables: session, context, log, REL_SUCCESS, REL_FAILURE, each dynamic property (its PropertyValue), ' +
      'and http when Allow HTTP is on. In JavaScript, a script that only defines transform(input, attributes) gets the ' +
      'parsed JSON content and its return value becomes the new content.',
    type: 'code',
    editor: 'python',
    required: true,
  },
  {
    name: MODULE_DIRECTORY,
    displayName: 'Module Directory',
    description: `NiFi adds these paths to the script's module path. ${MODULE_DIRECTORY_UNSUPPORTED}.`,
    type: 'string',
  },
  {
    name: TIMEOUT,
    displayName: 'Timeout',
    description: 'How long one execution may run before it is stopped and its FlowFiles sent to failure.',
    type: 'duration',
    default: '300 sec',
    required: true,
  },
  {
    name: MEMORY_LIMIT,
    displayName: 'Memory Limit',
    description: 'How much memory one execution may use before it is stopped and its FlowFiles sent to failure.',
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
]);

export const ExecuteScript = defineProcessor({
  descriptor: {
    type: 'ExecuteScript',
    version: 1,
    displayName: 'Execute Script',
    description:
      "Runs a Jython (Python) or JavaScript script with NiFi's ExecuteScript API: session, context, log, REL_SUCCESS / " +
      'REL_FAILURE and the dynamic properties as variables, so NiFi and Integrator scripts run unchanged. Scripts run ' +
      `sandboxed, with a timeout and a memory limit. An error the script does not catch sends its FlowFiles to failure with the traceback in '${SCRIPT_ERROR_ATTRIBUTE}'.`,
    category: 'script',
    userTransform: true,
    roles: ['script'],
    tags: ['script', 'python', 'jython', 'javascript', 'execute', 'transform'],
    properties: handleList(PROPS),
    dynamicProperties: {
      description:
        'Each user-added property is a script variable of the same name holding its PropertyValue (getValue(), ' +
        'evaluateAttributeExpressions(flowFile), asInteger(), ...), and is readable through context.getProperty(name).',
      expressionScope: 'flowfile',
    },
    relationships: [
      { name: REL_SUCCESS.name, description: 'FlowFiles the script transferred to REL_SUCCESS.' },
      { ...REL_FAILURE, description: `FlowFiles the script transferred to REL_FAILURE, or whose execution failed (${SCRIPT_ERROR_ATTRIBUTE} says why).` },
    ],
    inputRequirement: 'allowed',
    sideEffects: { systems: ['the services the script calls'], writes: true, when: { property: ALLOW_HTTP, values: ['true'] } },
    writesAttributes: [
      { name: SCRIPT_ERROR_ATTRIBUTE, error: true, description: 'The traceback (or timeout / memory message) when the execution failed.' },
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
    if (config[SCRIPT_FILE]?.trim()) results.push({ property: SCRIPT_FILE, message: SCRIPT_FILE_UNSUPPORTED, code: 'invalid' });
    if (config[MODULE_DIRECTORY]?.trim()) results.push({ property: MODULE_DIRECTORY, message: MODULE_DIRECTORY_UNSUPPORTED, code: 'invalid' });
    const known = new Set(ExecuteScript.descriptor.properties.map((p) => p.name));
    for (const [name, value] of Object.entries(config)) {
      if (!known.has(name) && value !== undefined && value === '') {
        results.push({ property: name, message: `dynamic property '${name}' needs a value (NiFi binds it to the script)`, code: 'invalid' });
      }
    }
    return results;
  },

  async onTrigger(ctx, session) {
    const first = session.get();
    // NiFi triggers a processor with incoming connections only when something is queued.
    if (!first && ctx.hasIncomingConnection()) return;
    const content = first ? await session.read(first) : null;
    const run = new ScriptRun(ctx, session, ExecuteScript.descriptor.properties.map((p) => p.name), first, content);
    const language = ENGINES[ctx.get(PROPS[SCRIPT_ENGINE])] ?? 'python';
    let result: ScriptResult;
    try {
      result = await ctx.services.scripts.run({
        language,
        script: ctx.get(PROPS[SCRIPT_BODY]) ?? '',
        inputs: first && content ? [{ attributes: first.attributes, content, lineageStartDate: first.lineageStartDate, entryDate: first.entryDate }] : [],
        timeoutMs: ctx.get(PROPS[TIMEOUT]),
        memoryLimitMb: Math.max(1, Math.ceil(ctx.get(PROPS[MEMORY_LIMIT]) / MB)),
        allowHttp: ctx.get(PROPS[ALLOW_HTTP]) === true,
        http: ctx.services.http,
        context: run.scriptContext(),
      });
    } catch (e) {
      run.failAll(`Script runner failed: ${(e as Error).message}`);
      return;
    }
    run.apply(result);
    // A script run as a source that did nothing yields, so an idle 0 sec schedule does not spin the interpreter.
    if (!first && run.heldCount === 0 && result.outputs.length === 0) ctx.yield();
  },
});
