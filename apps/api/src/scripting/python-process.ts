import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HttpClient, ScriptContext, ScriptInput, ScriptResult } from '@sluice/flow-api';
import { PYTHON_SUPERVISOR_SOURCE, PYTHON_WORKER_SOURCE } from './python-child.source.js';
import { answerHostCall, facadeMeta, toScriptResult, type RawResult } from './python-facade.js';
import { PYTHON_SHIM } from './python-shim.source.js';
import { httpHandler, type ScriptHttpHandler } from './script-http.js';
import type { ScriptSyntaxProblem } from './script-syntax.js';

export interface PythonRun {
  readonly script: string;
  readonly inputs: readonly ScriptInput[];
  readonly timeoutMs: number;
  readonly memoryLimitMb: number;
  readonly allowHttp: boolean;
  /** Serves the script's HTTP calls instead of the pool's client (a dry run records them). */
  readonly http?: HttpClient;
  /** The processor's side of `context`, state and later `session.get()` calls. */
  readonly context?: ScriptContext;
}

type ChildMessage =
  | { type: 'ready'; loadMs: number; timings: { pyodideMs: number; shimMs: number }; rss: number }
  | { type: 'result'; id: number; result: RawResult; contents: (Uint8Array | null)[]; recycling: boolean }
  | { type: 'http'; payload: string }
  | { type: 'host'; id: number; payload: string }
  | { type: 'snapshot'; snapshot: Uint8Array }
  | { type: 'fatal'; message: string };

/** Holds the Pyodide memory snapshot the first interpreter made, so later ones start in a fraction of the time. */
export interface SnapshotStore {
  snapshot: Uint8Array | null;
}

const pyodideDir = dirname(createRequire(import.meta.url).resolve('pyodide/package.json')) + '/';

let networkIsolation: boolean | undefined;
const UNSHARE = '/usr/bin/unshare';

/** Whether children can be started in their own empty network namespace (unprivileged user namespaces). */
export function canIsolateNetwork(): boolean {
  if (networkIsolation === undefined) {
    networkIsolation =
      process.platform === 'linux' &&
      existsSync(UNSHARE) &&
      spawnSync(UNSHARE, ['-rn', process.execPath, '-e', '0'], { stdio: 'ignore', env: {}, timeout: 5000 }).status === 0;
  }
  return networkIsolation;
}

/**
 * One sandboxed Python child process (one interpreter). It serves one run at a time; the pool queues the rest.
 * Kills and respawns the child when it dies or outlives a run's hard deadline.
 */
export class PythonProcess {
  private child: ChildProcess | null = null;
  private ready = false;
  private readyWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private pending: {
    id: number;
    run: PythonRun;
    started: number;
    resolve: (r: ScriptResult) => void;
    /** Set for a syntax check, which answers with the raw result. */
    checked?: (syntax: ScriptSyntaxProblem | null) => void;
    deadline: NodeJS.Timeout;
  } | null = null;
  private nextId = 1;
  private closed = false;
  private stderrTail = '';
  /** Milliseconds from spawn to the interpreter being ready, for the last start. */
  lastStartMs = 0;
  /** Where the last start's time went (Pyodide load, shim, worker total) and the child's RSS once ready. */
  lastStartTimings: { pyodideMs: number; shimMs: number; workerMs: number; rssMb: number } | null = null;
  private spawnedAt = 0;

  constructor(
    private readonly options: {
      readonly recycleRssMb: number;
      readonly http: ScriptHttpHandler;
      readonly onIdle: () => void;
      readonly snapshots: SnapshotStore;
      readonly niceness?: number;
    },
  ) {}

  get idle(): boolean {
    return this.ready && this.pending === null && !this.closed;
  }

  /** Starts the child if needed; resolves once the interpreter is loaded. */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('Python process is closed'));
    if (this.ready) return Promise.resolve();
    const waiting = new Promise<void>((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
    if (!this.child) this.spawn();
    return waiting;
  }

  private spawn(): void {
    const config = JSON.stringify({
      workerSource: PYTHON_WORKER_SOURCE,
      pyodideUrl: pathToFileURL(join(pyodideDir, 'pyodide.mjs')).href,
      indexDir: pyodideDir,
      recycleRssBytes: this.options.recycleRssMb * 1024 * 1024,
    });
    const nodeArgs = [
      '--no-warnings',
      '--experimental-permission',
      `--allow-fs-read=${pyodideDir}`,
      // The supervisor needs one worker thread for Pyodide; file reads stay limited to the Pyodide package.
      '--allow-worker',
      '--input-type=module',
      '-e',
      PYTHON_SUPERVISOR_SOURCE,
      config,
    ];
    const [command, args] = canIsolateNetwork()
      ? [UNSHARE, ['-rn', process.execPath, ...nodeArgs]]
      : [process.execPath, nodeArgs];
    this.spawnedAt = performance.now();
    this.stderrTail = '';
    const child = spawn(command, args, { env: {}, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    this.child = child;
    if (this.options.niceness && child.pid !== undefined) {
      try {
        // Relative to the API's own priority, so a server started niced keeps its workers below it.
        setPriority(child.pid, Math.min(19, getPriority() + this.options.niceness));
      } catch {
        // Not permitted here: the child keeps the API's priority.
      }
    }
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-4000);
    });
    child.on('message', (msg: ChildMessage) => this.onMessage(child, msg));
    const snapshot = this.options.snapshots.snapshot;
    // The facade travels over IPC: it is larger than one command-line argument may be.
    child.send({ type: 'init', snapshot, makeSnapshot: snapshot === null, shim: PYTHON_SHIM });
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    child.on('error', (e) => this.onExit(child, null, null, e));
  }

  private onMessage(child: ChildProcess, msg: ChildMessage): void {
    if (child !== this.child) return;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.lastStartMs = performance.now() - this.spawnedAt;
        this.lastStartTimings = { ...msg.timings, workerMs: msg.loadMs, rssMb: msg.rss / 1024 / 1024 };
        for (const w of this.readyWaiters.splice(0)) w.resolve();
        this.options.onIdle();
        break;
      case 'result': {
        const p = this.pending;
        if (!p || p.id !== msg.id) return;
        this.pending = null;
        clearTimeout(p.deadline);
        if (msg.recycling) {
          this.ready = false;
          this.spawnedAt = performance.now();
        }
        if (p.checked) p.checked(msg.result.syntax ?? (msg.result.error ? { line: null, column: null, message: msg.result.error.message } : null));
        else p.resolve(toScriptResult(p.run, msg.result, msg.contents, performance.now() - p.started));
        this.options.onIdle();
        break;
      }
      case 'http': {
        const p = this.pending;
        const answer = p?.run.allowHttp
          ? (p.run.http ? httpHandler(p.run.http) : this.options.http)(msg.payload)
          : Promise.resolve(JSON.stringify({ error: 'HTTP is not allowed for this script (enable Allow HTTP)' }));
        void answer.then((payload) => {
          if (this.child === child && child.connected) child.send({ type: 'http-reply', payload });
        });
        break;
      }
      case 'host': {
        // Calls from the script back into its processor (properties, state, more FlowFiles), answered in order.
        const p = this.pending;
        const answer = p ? answerHostCall(p.run, msg.payload) : Promise.resolve({ payload: JSON.stringify({ error: 'no run in progress' }) });
        void answer.then((reply) => {
          if (this.child === child && child.connected) child.send({ type: 'host-reply', id: msg.id, ...reply });
        });
        break;
      }
      case 'snapshot':
        this.options.snapshots.snapshot ??= msg.snapshot;
        break;
      case 'fatal':
        this.stderrTail += msg.message;
        this.restart();
        break;
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null, error?: Error): void {
    if (child !== this.child) return;
    this.child = null;
    this.ready = false;
    const why = error ? error.message : `exit code ${code}${signal ? `, signal ${signal}` : ''}`;
    const p = this.pending;
    this.pending = null;
    if (p) {
      clearTimeout(p.deadline);
      p.resolve(failure(p.run, { kind: 'exception', message: `Python runtime stopped (${why})` }, performance.now() - p.started));
    }
    if (this.closed) return;
    if (this.readyWaiters.length > 0 && !p) {
      // Died while starting: report instead of looping on a broken setup.
      const e = new Error(`Python runtime failed to start (${why}): ${this.stderrTail.trim().slice(-1500)}`);
      for (const w of this.readyWaiters.splice(0)) w.reject(e);
      return;
    }
    this.spawn();
  }

  private restart(): void {
    const child = this.child;
    if (child) {
      child.kill('SIGKILL');
      // onExit sees the same child and respawns.
    } else if (!this.closed) {
      this.spawn();
    }
  }

  /** Replaces an idle child with a fresh one and resolves when it is ready. */
  restartAndWait(): Promise<void> {
    if (this.pending) return Promise.reject(new Error('Python process is busy'));
    const old = this.child;
    this.child = null;
    this.ready = false;
    old?.kill('SIGKILL');
    return this.start();
  }

  /** Runs one request. The caller makes sure the process is idle. */
  run(run: PythonRun): Promise<ScriptResult> {
    const child = this.child;
    if (!child || !this.idle) return Promise.reject(new Error('Python process is not idle'));
    const id = this.nextId++;
    const contents = run.inputs.map((i) => i.content);
    const meta = facadeMeta(run);
    return new Promise<ScriptResult>((resolve) => {
      const started = performance.now();
      // The supervisor stops a runaway script itself; this only catches a supervisor that no longer answers.
      const deadline = setTimeout(() => {
        if (this.pending?.id !== id) return;
        this.pending = null;
        resolve(failure(run, { kind: 'timeout', message: `Script exceeded its timeout of ${run.timeoutMs} ms and its runtime was restarted` }, performance.now() - started));
        this.restart();
      }, run.timeoutMs + 5000);
      this.pending = { id, run, started, resolve, deadline };
      child.send({ type: 'run', id, script: run.script, meta, contents, timeoutMs: run.timeoutMs, memoryLimitMb: run.memoryLimitMb, allowHttp: run.allowHttp, hasContext: run.context !== undefined });
    });
  }

  /** Compiles a script without running it; resolves with its first syntax error, or null. */
  check(script: string, timeoutMs = 5000): Promise<ScriptSyntaxProblem | null> {
    const run: PythonRun = { script, inputs: [], timeoutMs, memoryLimitMb: 64, allowHttp: false };
    return new Promise((resolve, reject) => {
      const child = this.child;
      if (!child || !this.idle) return reject(new Error('Python process is not idle'));
      const id = this.nextId++;
      const deadline = setTimeout(() => {
        if (this.pending?.id !== id) return;
        this.pending = null;
        reject(new Error(`the syntax check did not answer within ${timeoutMs} ms`));
        this.restart();
      }, timeoutMs + 5000);
      const settle = (syntax: ScriptSyntaxProblem | null) => resolve(syntax);
      // The runtime stopping or closing under a check is not the script's fault: the check failed, no verdict.
      this.pending = { id, run, started: performance.now(), resolve: (r) => (r.error ? reject(new Error(r.error.message)) : settle(null)), checked: settle, deadline };
      child.send({ type: 'run', id, check: true, script, meta: '{}', contents: [], timeoutMs, memoryLimitMb: 64, allowHttp: false, hasContext: false });
    });
  }

  close(): void {
    this.closed = true;
    const p = this.pending;
    this.pending = null;
    if (p) {
      clearTimeout(p.deadline);
      p.resolve(failure(p.run, { kind: 'exception', message: 'Script pool closed' }, performance.now() - p.started));
    }
    for (const w of this.readyWaiters.splice(0)) w.reject(new Error('Script pool closed'));
    this.child?.kill('SIGKILL');
    this.child = null;
    this.ready = false;
  }
}

function failure(run: PythonRun, error: NonNullable<ScriptResult['error']>, durationMs: number): ScriptResult {
  void run;
  return { outputs: [], taken: [], logs: [], error, durationMs };
}
