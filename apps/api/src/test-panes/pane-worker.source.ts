/**
 * Source of the test panes' worker thread (passed as an eval string, so no entry file has to exist next to the
 * sources). It runs the expression and mapping panes with the same libraries the engine uses; the parent stops it
 * when a request outlives its deadline, so a catastrophic regular expression never holds the API's event loop.
 */
export const PANE_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
// A lower priority than the API's event loop: on a busy machine a slow pattern here takes the spare CPU only, so
// it does not delay the server's answers. Linux: setpriority of this thread's id.
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) { const os = require('node:os'); os.setPriority(tid, Math.min(19, os.getPriority(tid) + workerData.niceness)); }
} catch {}
const MAX_DEPTH = workerData.maxDepth;

function depthOf(value) {
  const stack = [[value, 1]];
  let max = 0;
  while (stack.length) {
    const [v, d] = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > MAX_DEPTH) return max;
    for (const c of Array.isArray(v) ? v : Object.values(v)) if (c !== null && typeof c === 'object') stack.push([c, d + 1]);
  }
  return max;
}

(async () => {
  const el = await import(workerData.expressionUrl);
  const core = await import(workerData.coreUrl);
  const processors = await import(workerData.processorsUrl);
  const { ZLIB_COMPRESSION } = await import(workerData.compressionUrl);
  const { randomUUID } = require('node:crypto');
  const clock = { now: () => Date.now(), setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h) };
  const refuse = (what) => () => Promise.reject(new Error(what + ' is not available to a test in this sandbox'));

  // A one-processor engine on in-memory queues: the same FlowEngine.testProcessor the flow would use, with state
  // read from a snapshot and written nowhere.
  async function processorTest(p) {
    const state = { local: { ...p.state.local }, cluster: { ...p.state.cluster } };
    const store = new core.InMemoryStore();
    const engine = new core.FlowEngine({
      flowId: p.flowId,
      graph: { processors: [p.processor], connections: [], parameters: p.parameters, controllerServices: p.controllerServices ?? [] },
      registry: processors.getProcessor,
      serviceRegistry: processors.getControllerService,
      repository: new core.InMemoryFlowFileRepository(store),
      content: new core.InMemoryContentRepository(store),
      provenance: { record: () => undefined },
      events: { processorStateChanged() {}, queueChanged() {}, bulletin() {}, processorStats() {} },
      clock,
      services: () => ({
        clock,
        http: { request: refuse('HTTP') },
        scripts: { run: refuse('Scripting') },
        state: {
          get: async (scope = 'local') => ({ ...state[scope] }),
          set: async (v, scope = 'local') => { state[scope] = { ...v }; },
          replace: async (_e, v, scope = 'local') => { state[scope] = { ...v }; return true; },
          clear: async (scope = 'local') => { state[scope] = {}; },
        },
        compression: ZLIB_COMPRESSION,
        // This thread has the pane's deadline: a long regex job runs here, as the server's regex workers run it.
        regex: { run: async (job) => el.runJavaRegexJob(job, { unbounded: true }) },
        randomUuid: randomUUID,
      }),
    });
    await engine.initialize();
    try {
      return await engine.testProcessor(p.processor.id, p.input);
    } finally {
      await engine.close();
    }
  }

  // Input nested deeper than the limit is refused before the processor's recursive walk (text that is not JSON is
  // the processor's to report).
  function checkDepth(text) {
    let v;
    try {
      v = JSON.parse(text);
    } catch {
      return;
    }
    if (depthOf(v) > MAX_DEPTH) throw Object.assign(new Error('input nests deeper than the limit of ' + MAX_DEPTH + ' levels'), { name: 'LimitError', field: 'input' });
  }

  const paneServices = {
    clock,
    http: { request: refuse('HTTP') },
    scripts: { run: refuse('Scripting') },
    state: { get: refuse('State'), set: refuse('State'), replace: refuse('State'), clear: refuse('State') },
    randomUuid: randomUUID,
  };

  const tasks = {
    processor: processorTest,
    expression: (p) => {
      try {
        return el.evaluateExpression(p.expression, p.env);
      } catch (e) {
        // One message naming the attribute that is not set, with where it is used.
        throw e instanceof el.ExpressionError ? el.explainEvaluationError(p.expression, p.env, e) : e;
      }
    },
    // One run of JoltTransformJSON; the mapping pane prepares it and reads the result on the main thread.
    mapping: (p) => {
      checkDepth(p.content);
      return core.runOnce({ definition: processors.getProcessor('JoltTransformJSON'), properties: p.properties, parameters: p.parameters, content: p.content, attributes: p.attributes, services: paneServices });
    },
  };

  parentPort.on('message', async (msg) => {
    let reply;
    try {
      reply = { id: msg.id, ok: true, value: await tasks[msg.kind](msg.payload) };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      reply = { id: msg.id, ok: false, error: { name: err.name, message: err.message, line: err.line, column: err.column, phase: err.phase, path: err.path, field: err.field } };
    }
    try {
      parentPort.postMessage(reply);
    } catch (e) {
      parentPort.postMessage({ id: msg.id, ok: false, error: { name: 'Error', message: 'the result cannot be sent back: ' + e.message } });
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((e) => {
  throw e;
});
`;
