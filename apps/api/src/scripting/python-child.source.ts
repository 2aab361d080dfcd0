/**
 * Sources of the Python child process. The child runs with Node's permission model (reads limited to the Pyodide
 * package, no child processes) and an empty environment. Its main thread only supervises: it owns the IPC channel,
 * the interrupt buffer and the memory watch, while Pyodide runs in one worker thread so that a busy script never
 * blocks the supervisor. Both are passed as `-e` / eval strings, so no entry file has to exist next to the sources.
 */

/** Worker thread: loads Pyodide, installs the shim, runs one request at a time. */
export const PYTHON_WORKER_SOURCE = String.raw`
const { parentPort, workerData, receiveMessageOnPort } = await import('node:worker_threads');
const fsConstants = (await import('node:fs')).constants;
// Pyodide's NODEFS reads fs constants through process.binding, which the permission model refuses.
const realBinding = process.binding;
process.binding = (name) => (name === 'constants' ? { fs: fsConstants } : realBinding.call(process, name));
const t0 = performance.now();
const { loadPyodide } = await import(workerData.pyodideUrl);
let sink = null;
const snapshotOption = workerData.snapshot ? { _loadSnapshot: workerData.snapshot } : workerData.makeSnapshot ? { _makeSnapshot: true } : {};
const py = await loadPyodide({ indexURL: workerData.indexDir, env: { HOME: '/home/pyodide' }, ...snapshotOption });
let madeSnapshot = null;
function loadFacade() {
  // Compiled directly: runPython's own handling of a 130 kB source (tokenizing it for the last expression) costs ~0.6 s.
  py.globals.set('__sluice_facade', workerData.shim);
  py.runPython("exec(compile(__sluice_facade, '<sluice>', 'exec'), globals())\ndel __sluice_facade", { filename: '<sluice-load>' });
}
if (!workerData.snapshot && workerData.makeSnapshot) {
  // Loading from a memory snapshot skips Python's start-up: ~0.4 s instead of ~3 s for every later interpreter.
  // The facade's imports too. (A snapshot that also holds the facade's heap does not restore: the heap has grown.)
  py.runPython('import json, re, sys, traceback, types, builtins, ast, tokenize, io, codecs, datetime, decimal, uuid, hashlib, hmac, base64, functools, zlib, string, importlib.util, urllib.parse');
  madeSnapshot = py.makeMemorySnapshot();
}
py.setStdout({ batched: (line) => sink && sink.push({ level: 'info', message: line }) });
py.setStderr({ batched: (line) => sink && sink.push({ level: 'warn', message: line }) });
py.setInterruptBuffer(new Uint8Array(workerData.interrupt));
const t1 = performance.now();
loadFacade();
const run = py.runPython('_seal()\n_run', { filename: '<sluice-load>' });
const check = py.globals.get('_check');
const timings = { pyodideMs: t1 - t0, shimMs: performance.now() - t1 };
for (const name of ['fetch', 'Request', 'Response', 'Headers', 'WebSocket', 'XMLHttpRequest', 'EventSource', 'FormData']) {
  delete globalThis[name];
}
const httpFlag = new Int32Array(workerData.httpFlag);
const httpPort = workerData.httpPort;
let httpAllowed = false;
function httpHost(payload) {
  if (!httpAllowed) return JSON.stringify({ error: 'HTTP is not allowed for this script (enable Allow HTTP)' });
  Atomics.store(httpFlag, 0, 0);
  parentPort.postMessage({ type: 'http', payload });
  // Blocks the script until the supervisor answers, so the helper looks synchronous to Python.
  while (Atomics.wait(httpFlag, 0, 0, 1000) === 'timed-out') {
    if (Atomics.load(httpFlag, 0) !== 0) break;
  }
  let reply = receiveMessageOnPort(httpPort);
  // A late host-call answer (an object) is not this request's reply.
  while (reply && typeof reply.message !== 'string') reply = receiveMessageOnPort(httpPort);
  return reply ? reply.message : JSON.stringify({ error: 'no HTTP reply' });
}
let hostSeq = 0;
let hostAllowed = false;
function hostCall(payload) {
  // The script's calls back into its processor (context, state, more FlowFiles); replies carry the call's id.
  if (!hostAllowed) return [JSON.stringify({ error: 'this run has no processor context' }), undefined];
  // Calls carry names, attributes and state, never content; a huge one would only bloat the API process.
  if (payload.length > 8 * 1024 * 1024) return [JSON.stringify({ error: 'host call larger than 8 MB refused' }), undefined];
  const id = ++hostSeq;
  Atomics.store(httpFlag, 0, 0);
  parentPort.postMessage({ type: 'host', id, payload });
  for (;;) {
    const reply = receiveMessageOnPort(httpPort);
    if (reply) {
      if (reply.message && typeof reply.message === 'object' && reply.message.id === id) return [reply.message.payload, reply.message.bytes];
      continue;
    }
    Atomics.wait(httpFlag, 0, 0, 100);
    Atomics.store(httpFlag, 0, 0);
  }
}
parentPort.on('message', (msg) => {
  if (msg.type !== 'run') return;
  if (msg.check) {
    // A syntax check compiles the script without running it.
    let syntax;
    try {
      syntax = JSON.parse(check(msg.script));
    } catch (e) {
      syntax = { line: null, column: null, message: String(e && e.message || e) };
    }
    parentPort.postMessage({ type: 'result', id: msg.id, result: { outputs: [], taken: [], logs: [], syntax }, contents: [] });
    return;
  }
  const logs = [];
  sink = logs;
  httpAllowed = !!msg.allowHttp;
  hostAllowed = !!msg.hasContext;
  let reply;
  try {
    const res = run(msg.script, msg.meta, msg.contents, httpAllowed, httpHost, hostCall);
    const [json, contents] = res.toJs();
    res.destroy();
    const result = JSON.parse(json);
    result.logs = logs.concat(result.logs);
    reply = { type: 'result', id: msg.id, result, contents };
  } catch (e) {
    // The shim turns every Python exception into a result; an error escaping it means the interpreter itself broke
    // (Pyodide's fatal errors leave it unusable), so this worker is replaced after answering.
    reply = { type: 'result', id: msg.id, result: { outputs: [], taken: [], logs, error: { kind: 'exception', message: 'The Python runtime failed and was replaced: ' + String(e && e.message || e) } }, contents: [], broken: true };
  }
  sink = null;
  parentPort.postMessage(reply, reply.contents.filter((c) => c).map((c) => c.buffer));
});
parentPort.postMessage({ type: 'ready', timings, snapshot: madeSnapshot }, madeSnapshot ? [madeSnapshot.buffer] : []);
`;

/** Child main thread: supervisor between the API process (IPC) and the Pyodide worker. */
export const PYTHON_SUPERVISOR_SOURCE = String.raw`
const { Worker, MessageChannel } = await import('node:worker_threads');
const config = JSON.parse(process.argv[1]);
const MB = 1024 * 1024;
let worker = null;
let ready = false;
let current = null;
let interrupt = null;
let httpFlag = null;
let httpPort = null;
let snapshot = null;
let makeSnapshot = false;

function startWorker() {
  ready = false;
  interrupt = new SharedArrayBuffer(1);
  httpFlag = new SharedArrayBuffer(4);
  const channel = new MessageChannel();
  httpPort = channel.port1;
  const started = performance.now();
  worker = new Worker(config.workerSource, {
    eval: true,
    workerData: { pyodideUrl: config.pyodideUrl, indexDir: config.indexDir, shim: config.shim, interrupt, httpFlag, httpPort: channel.port2, snapshot, makeSnapshot: makeSnapshot && !snapshot },
    transferList: [channel.port2],
    stdout: true,
    stderr: true,
  });
  const self = worker;
  worker.on('message', (msg) => {
    if (self !== worker) return;
    if (msg.type === 'ready') {
      ready = true;
      if (msg.snapshot) {
        snapshot = msg.snapshot;
        process.send({ type: 'snapshot', snapshot });
      }
      process.send({ type: 'ready', loadMs: performance.now() - started, timings: msg.timings, rss: process.memoryUsage.rss() });
    } else if (msg.type === 'result') {
      finish(msg.result, msg.contents, !!msg.broken);
    } else if (msg.type === 'http') {
      process.send({ type: 'http', payload: msg.payload });
    } else if (msg.type === 'host') {
      process.send({ type: 'host', id: msg.id, payload: msg.payload });
    }
  });
  worker.on('error', (e) => {
    if (self !== worker) return;
    if (current) finish({ outputs: [], taken: [], logs: [], error: { kind: 'exception', message: 'Python runtime failed: ' + (e && e.message || e) } }, [], true);
    else process.send({ type: 'fatal', message: String(e && e.stack || e) });
  });
  worker.on('exit', () => {
    if (self === worker && current) finish({ outputs: [], taken: [], logs: [], error: { kind: 'exception', message: 'Python runtime exited' } }, [], true);
  });
}

function finish(result, contents, restart) {
  const run = current;
  if (!run) return;
  current = null;
  clearInterval(run.watch);
  clearInterval(run.timer);
  // Whatever the script caught after an interrupt, it ran out of time.
  if (run.interrupted && !run.killed) run.killed = run.interrupted;
  if (run.killed) result = { outputs: [], taken: [], logs: result.logs || [], error: run.killed };
  const again = restart || !!run.killed || process.memoryUsage.rss() > config.recycleRssBytes;
  process.send({ type: 'result', id: run.id, result, contents, recycling: again });
  if (again) recycle();
}

function recycle() {
  const old = worker;
  worker = null;
  if (old) old.terminate().catch(() => {});
  startWorker();
}

function kill(error) {
  const run = current;
  if (!run || run.killed) return;
  run.killed = error;
  finish({ outputs: [], taken: [], logs: [] }, [], true);
}

process.on('message', (msg) => {
  if (msg.type === 'init') {
    config.shim = msg.shim;
    snapshot = msg.snapshot || null;
    makeSnapshot = !!msg.makeSnapshot;
    startWorker();
    return;
  }
  if (msg.type === 'http-reply' || msg.type === 'host-reply') {
    if (!httpPort) return;
    httpPort.postMessage(msg.type === 'http-reply' ? msg.payload : { id: msg.id, payload: msg.payload, bytes: msg.bytes });
    const flag = new Int32Array(httpFlag);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    return;
  }
  if (msg.type !== 'run') return;
  if (!ready || current) {
    process.send({ type: 'result', id: msg.id, result: { outputs: [], taken: [], logs: [], error: { kind: 'exception', message: 'Python runtime busy' } }, contents: [] });
    return;
  }
  const baseline = process.memoryUsage.rss();
  const limit = baseline + msg.memoryLimitMb * MB;
  const run = { id: msg.id, killed: null, interrupted: false };
  current = run;
  new Uint8Array(interrupt)[0] = 0;
  run.watch = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > limit) {
      kill({ kind: 'memory', message: 'Script exceeded its memory limit of ' + msg.memoryLimitMb + ' MB and was stopped' });
    }
  }, 20);
  run.timer = setTimeout(() => {
    const error = { kind: 'timeout', message: 'Script exceeded its timeout of ' + msg.timeoutMs + ' ms and was stopped' };
    const ib = new Uint8Array(interrupt);
    let tries = 0;
    // SIGINT (2) raises KeyboardInterrupt; a bare except: in the script may swallow it, so keep asking, then stop the worker.
    ib[0] = 2;
    run.timer = setInterval(() => {
      if (current !== run) return;
      if (++tries >= 10) kill(error);
      else ib[0] = 2;
    }, 100);
    run.interrupted = error;
  }, msg.timeoutMs);
  worker.postMessage({ type: 'run', script: msg.script, meta: msg.meta, contents: msg.contents, allowHttp: msg.allowHttp, hasContext: msg.hasContext, check: !!msg.check });
});

process.on('disconnect', () => process.exit(0));
`;
