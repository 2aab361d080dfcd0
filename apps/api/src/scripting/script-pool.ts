import { MAX_TIMER_MS, type HttpClient, type ScriptRequest, type ScriptResult, type ScriptRunner } from '@sluice/flow-api';
import { JsRuntime } from './js-runtime.js';
import { NicedJsRuntime } from './js-worker.js';
import { canIsolateNetwork, PythonProcess, type SnapshotStore } from './python-process.js';
import { fetchHttpClient, httpHandler, type ScriptHttpHandler } from './script-http.js';
import type { ScriptSyntaxProblem } from './script-syntax.js';

/** The runtimes' deadline timers add a grace of seconds to a run's timeout and hold at most MAX_TIMER_MS. */
const MAX_SCRIPT_TIMEOUT_MS = MAX_TIMER_MS - 60_000;

export interface ScriptPoolOptions {
  /** Python child processes (one interpreter each, ~200 MB RSS). Default 1. */
  pythonWorkers?: number;
  /** JavaScript runs at once, each in its own isolate. Default 2. */
  jsIsolates?: number;
  /** Used when a request carries no timeout. Default 300 s, the Integrator's. */
  defaultTimeoutMs?: number;
  /** Used when a request carries no memory limit. Default 256 MB. */
  defaultMemoryMb?: number;
  /** Serves the scripts' HTTP helper when a request allows HTTP. Default: fetch. */
  http?: HttpClient;
  /** Requests that may wait per language before run() refuses with ScriptPoolBusyError. Default: unbounded. */
  maxQueue?: number;
  /**
   * Nice value of the Python children and of the JavaScript isolates' thread (Linux/Unix): above 0 they yield the
   * CPU to the API and to other pools. Default 0 (JavaScript then runs on the API's own isolate threads).
   */
  niceness?: number;
}

/** Every runtime is busy and the queue is full. */
export class ScriptPoolBusyError extends Error {
  constructor(language: string, waiting: number) {
    super(`all ${language} runtimes are busy and ${waiting} requests are waiting; try again shortly`);
    this.name = 'ScriptPoolBusyError';
  }
}

export const DEFAULT_SCRIPT_TIMEOUT_MS = 300_000;
export const DEFAULT_SCRIPT_MEMORY_MB = 256;

/**
 * One memory snapshot for every pool of the process (the flows' and the test panes'): it holds Pyodide after its
 * imports, before any facade or script, so it is the same for all. Made once, and kept once (about 30 MB).
 */
const SNAPSHOTS: SnapshotStore = { snapshot: null };

interface Task {
  readonly request: ScriptRequest;
  readonly resolve: (r: ScriptResult) => void;
  readonly reject: (e: Error) => void;
  /** A syntax check: compiled, not run. */
  readonly checked?: (syntax: ScriptSyntaxProblem | null) => void;
}

/**
 * Runs scripts out of the API's main thread: Python in sandboxed child processes (Pyodide), JavaScript in
 * isolated-vm isolates. Requests queue when every runtime is busy.
 */
export class ScriptPool implements ScriptRunner {
  private readonly python: PythonProcess[];
  private readonly queue: Task[] = [];
  private readonly js: JsRuntime | NicedJsRuntime;
  private readonly jsQueue: Task[] = [];
  private readonly jsLimit: number;
  private jsActive = 0;
  private readonly http: ScriptHttpHandler;
  private readonly defaultTimeoutMs: number;
  private readonly defaultMemoryMb: number;
  private closed = false;
  private started = false;
  private readonly maxQueue: number;

  constructor(options: ScriptPoolOptions = {}) {
    this.defaultTimeoutMs = positive(options.defaultTimeoutMs, 'defaultTimeoutMs') ?? DEFAULT_SCRIPT_TIMEOUT_MS;
    this.defaultMemoryMb = positive(options.defaultMemoryMb, 'defaultMemoryMb') ?? DEFAULT_SCRIPT_MEMORY_MB;
    const workers = positive(options.pythonWorkers, 'pythonWorkers') ?? 1;
    this.maxQueue = positive(options.maxQueue, 'maxQueue') ?? Infinity;
    this.http = httpHandler(options.http ?? fetchHttpClient);
    this.jsLimit = Math.floor(positive(options.jsIsolates, 'jsIsolates') ?? 2);
    this.js = options.niceness ? new NicedJsRuntime(options.niceness) : new JsRuntime(this.http);
    // The probe spawns a process synchronously: at construction (boot), never on a request's first Python run.
    canIsolateNetwork();
    this.python = Array.from(
      { length: Math.floor(workers) },
      () => new PythonProcess({ recycleRssMb: 1024, http: this.http, onIdle: () => this.pump(), snapshots: SNAPSHOTS, niceness: options.niceness ?? 0 }),
    );
  }

  /** Starts every Python interpreter and waits until they are loaded. */
  async warmUp(): Promise<void> {
    this.assertOpen();
    this.started = true;
    this.js.warmUp(this.defaultMemoryMb);
    await Promise.all(this.python.map((p) => p.start()));
  }

  /** Milliseconds the slowest Python interpreter took to start, last time it started. */
  get pythonStartMs(): number {
    return Math.max(...this.python.map((p) => p.lastStartMs));
  }

  /**
   * Restarts the Python interpreters and resolves when they are ready again. Later starts load the memory
   * snapshot the first one made; the benchmark uses this to measure that path.
   */
  async restartPython(): Promise<void> {
    this.assertOpen();
    await Promise.all(this.python.map((p) => p.restartAndWait()));
  }

  run(request: ScriptRequest): Promise<ScriptResult> {
    if (this.closed) return Promise.reject(new Error('Script pool is closed'));
    let normalized: ScriptRequest;
    try {
      normalized = this.normalize(request);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const waiting = normalized.language === 'javascript' ? this.jsQueue : this.queue;
    if (waiting.length >= this.maxQueue) return Promise.reject(new ScriptPoolBusyError(normalized.language, waiting.length));
    if (normalized.language === 'javascript') {
      return new Promise<ScriptResult>((resolve, reject) => {
        this.jsQueue.push({ request: normalized, resolve, reject });
        this.pumpJs();
      });
    }
    return new Promise<ScriptResult>((resolve, reject) => {
      this.queue.push({ request: normalized, resolve, reject });
      if (!this.started) {
        this.started = true;
        for (const p of this.python) p.start().catch((e: Error) => this.failQueue(e));
      }
      this.pump();
    });
  }

  /**
   * The script's first syntax error, or null, as the runtime that would run it compiles it (Python 2 forms
   * rewritten as for a run). A Python check goes ahead of queued runs; it still waits for a run in progress.
   */
  checkSyntax(language: ScriptRequest['language'], script: string): Promise<ScriptSyntaxProblem | null> {
    if (this.closed) return Promise.reject(new Error('Script pool is closed'));
    if (language === 'javascript') return this.js.check(script);
    return new Promise<ScriptSyntaxProblem | null>((resolve, reject) => {
      const request: ScriptRequest = { language, script, inputs: [], timeoutMs: 5000, memoryLimitMb: 64 };
      this.queue.unshift({ request, resolve: () => resolve(null), reject, checked: resolve });
      if (!this.started) {
        this.started = true;
        for (const p of this.python) p.start().catch((e: Error) => this.failQueue(e));
      }
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.python) p.close();
    this.js.close();
    this.failQueue(new Error('Script pool is closed'));
  }

  private normalize(request: ScriptRequest): ScriptRequest {
    if (request.language !== 'python' && request.language !== 'javascript') {
      throw new TypeError(`Unsupported script language '${String(request.language)}' (use python or javascript)`);
    }
    if (typeof request.script !== 'string') throw new TypeError('script must be a string');
    if (!Array.isArray(request.inputs)) throw new TypeError('inputs must be an array of FlowFile inputs');
    return {
      ...request,
      // A longer timeout (weeks) would overflow those timers and stop the script after 1 ms.
      timeoutMs: Math.min(request.timeoutMs > 0 ? request.timeoutMs : this.defaultTimeoutMs, MAX_SCRIPT_TIMEOUT_MS),
      memoryLimitMb: request.memoryLimitMb > 0 ? request.memoryLimitMb : this.defaultMemoryMb,
    };
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const worker = this.python.find((p) => p.idle);
      if (!worker) return;
      const task = this.queue.shift()!;
      const r = task.request;
      if (task.checked) {
        worker.check(r.script, r.timeoutMs).then(task.checked, task.reject);
        continue;
      }
      worker
        .run({ script: r.script, inputs: r.inputs, timeoutMs: r.timeoutMs, memoryLimitMb: r.memoryLimitMb, allowHttp: r.allowHttp === true, http: r.http, context: r.context })
        .then(task.resolve, task.reject);
    }
  }

  private pumpJs(): void {
    while (this.jsActive < this.jsLimit && this.jsQueue.length > 0) {
      const task = this.jsQueue.shift()!;
      const r = task.request;
      this.jsActive++;
      this.js
        .run({ script: r.script, inputs: r.inputs, timeoutMs: r.timeoutMs, memoryLimitMb: r.memoryLimitMb, allowHttp: r.allowHttp === true, http: r.http })
        .then(task.resolve, task.reject)
        .finally(() => {
          this.jsActive--;
          this.pumpJs();
        });
    }
  }

  private failQueue(error: Error): void {
    for (const t of this.queue.splice(0)) t.reject(error);
    for (const t of this.jsQueue.splice(0)) t.reject(error);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('Script pool is closed');
  }
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`ScriptPool option ${name} must be a positive number, got ${value}`);
  return value;
}
