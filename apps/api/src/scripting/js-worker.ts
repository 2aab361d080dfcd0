import type { ScriptResult } from '@sluice/flow-api';
import { Worker } from 'node:worker_threads';
import { appModule } from '../common/worker-pool.js';
import type { JsRun } from './js-runtime.js';
import type { ScriptSyntaxProblem } from './script-syntax.js';

/**
 * The source of the thread that hosts a JsRuntime at a lower priority. Linux keeps a nice value per thread, and a
 * thread starts with its creator's: this thread lowers its own before it loads isolated-vm, so the threads that
 * run its isolates are as nice as it is.
 */
const SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) { const os = require('node:os'); os.setPriority(tid, Math.min(19, os.getPriority(tid) + workerData.niceness)); }
} catch {}
(async () => {
  const { JsRuntime } = await import(workerData.runtimeUrl);
  const refuse = { request: () => Promise.reject(new Error('HTTP is not available to scripts run here')) };
  const runtime = new JsRuntime(refuse);
  parentPort.on('message', async (msg) => {
    try {
      const value = msg.kind === 'run' ? await runtime.run(msg.run) : msg.kind === 'check' ? await runtime.check(msg.script) : runtime.warmUp(msg.memoryMb);
      parentPort.postMessage({ id: msg.id, ok: true, value });
    } catch (e) {
      parentPort.postMessage({ id: msg.id, ok: false, message: e instanceof Error ? e.message : String(e) });
    }
  });
  parentPort.postMessage({ ready: true });
})();
`;

interface Reply {
  ready?: true;
  id?: number;
  ok?: boolean;
  value?: unknown;
  message?: string;
}

/**
 * A JsRuntime in a worker thread of lower OS priority (the test panes'): the same isolates, deadlines, memory
 * limits and globals, so a CPU-heavy script there takes the CPU the flows leave. Its scripts have no HTTP (the
 * panes never allow it).
 */
export class NicedJsRuntime {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly niceness: number) {}

  warmUp(memoryLimitMb: number): void {
    void this.call('warmUp', { memoryMb: memoryLimitMb }).catch(() => undefined);
  }

  run(run: JsRun): Promise<ScriptResult> {
    if (run.allowHttp) return Promise.reject(new Error('HTTP is not available to scripts run here'));
    const { http: _http, ...plain } = run;
    return this.call('run', { run: plain }) as Promise<ScriptResult>;
  }

  check(script: string): Promise<ScriptSyntaxProblem | null> {
    return this.call('check', { script }) as Promise<ScriptSyntaxProblem | null>;
  }

  close(): void {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    for (const p of this.pending.values()) p.reject(new Error('Script pool is closed'));
    this.pending.clear();
    void worker?.terminate();
  }

  private async call(kind: string, payload: Record<string, unknown>): Promise<unknown> {
    if (this.closed) throw new Error('Script pool is closed');
    await this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ id, kind, ...payload });
    });
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = new Worker(SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { niceness: this.niceness, runtimeUrl: appModule(new URL('./js-runtime.js', import.meta.url)) },
    });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: Reply) => {
        if (msg.ready) return resolve();
        const p = this.pending.get(msg.id!);
        if (!p) return;
        this.pending.delete(msg.id!);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new Error(msg.message));
      });
      const gone = (why: string) => {
        if (this.worker !== worker) return;
        this.worker = null;
        this.ready = null;
        reject(new Error(`the script worker stopped: ${why}`));
        for (const p of this.pending.values()) p.reject(new Error(`the script worker stopped: ${why}`));
        this.pending.clear();
      };
      worker.on('error', (e) => gone(e.message));
      worker.on('exit', (code) => gone(`exit code ${code}`));
    });
    this.ready.catch(() => undefined);
    return this.ready;
  }
}
