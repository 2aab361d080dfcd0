import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Transferable, Worker } from 'node:worker_threads';

/**
 * The built entry of a workspace library. Worker threads run plain JavaScript, so the package's `default` export is
 * taken even when this process resolves workspace packages to their sources (tests).
 */
export function resolveLib(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  const exports = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports: { '.': { default: string } } }).exports['.'];
  return pathToFileURL(join(dir, exports.default)).href;
}

/** A module of this app (`new URL('./x.js', import.meta.url)`), built: tests run the sources, but worker threads need the compiled JavaScript. */
export function appModule(url: URL): string {
  const here = fileURLToPath(url);
  const built = here.replace(/([\\/])src([\\/])(?!.*[\\/]src[\\/])/, '$1dist$2');
  return pathToFileURL(existsSync(here) ? here : built).href;
}

/**
 * What a worker answers: `{ ready: true }` once it loaded, then `{ id, ok, value }` or `{ id, ok: false, error }` per
 * task. A worker may transfer buffers in its answer.
 */
export interface WorkerReply {
  ready?: true;
  id?: number;
  ok?: boolean;
  value?: unknown;
  error?: { name: string; message: string } & Record<string, unknown>;
}

/** How a pool names its failures to its callers. */
export interface WorkerPoolErrors {
  /** The worker reported that the task threw. */
  failed(error: NonNullable<WorkerReply['error']>): Error;
  /** The task outlived its deadline and its worker was replaced. */
  timedOut(timeoutMs: number): Error;
  /** The worker died under the task (memory limit, crash). */
  stopped(why: string): Error;
  busy(waiting: number): Error;
  /** What a worker that cannot start and a closed pool say. */
  readonly startFailure: string;
  readonly closed: string;
}

export interface WorkerPoolOptions {
  /** Source text (with `eval`) or the URL of a built module. */
  readonly source: string | URL;
  readonly eval?: boolean;
  readonly workerData?: unknown;
  readonly errors: WorkerPoolErrors;
  readonly workers?: number;
  readonly maxQueue?: number;
  /** Heap of one worker. */
  readonly memoryMb?: number;
}

interface Task {
  readonly id: number;
  readonly kind: string;
  readonly payload: unknown;
  readonly transfer: readonly Transferable[];
  readonly timeoutMs: number;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  worker: Worker | null;
  ready: Promise<void> | null;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

/**
 * A few worker threads taking tasks from one bounded queue. Each task has a deadline; a task that outlives it has its
 * worker terminated (the only way to stop synchronous code) and a fresh one takes its place.
 */
export class WorkerPool {
  private readonly slots: Slot[];
  private readonly queue: Task[] = [];
  private readonly maxQueue: number;
  private readonly memoryMb: number;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    this.slots = Array.from({ length: options.workers ?? 2 }, () => ({ worker: null, ready: null, task: null, timer: null }));
    this.maxQueue = options.maxQueue ?? 32;
    this.memoryMb = options.memoryMb ?? 256;
  }

  /** Runs one task; `transfer` lists buffers of the payload handed to the worker instead of copied. */
  run<T>(kind: string, payload: unknown, timeoutMs: number, transfer: readonly Transferable[] = []): Promise<T> {
    if (this.closed) return Promise.reject(new Error(this.options.errors.closed));
    if (this.queue.length >= this.maxQueue) return Promise.reject(this.options.errors.busy(this.queue.length));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, kind, payload, transfer, timeoutMs, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error(this.options.errors.closed));
    await Promise.all(this.slots.map((s) => this.reset(s, new Error(this.options.errors.closed))));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.task || this.queue.length === 0) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      void this.start(slot, task);
    }
  }

  private async start(slot: Slot, task: Task): Promise<void> {
    try {
      await this.ensureWorker(slot);
    } catch (e) {
      this.finish(slot, task, () => task.reject(e as Error));
      return;
    }
    if (slot.task !== task) return;
    // The deadline starts once a worker is ready: a cold start is not the caller's time.
    slot.timer = setTimeout(() => {
      if (slot.task !== task) return;
      void this.reset(slot, null);
      this.finish(slot, task, () => task.reject(this.options.errors.timedOut(task.timeoutMs)));
    }, task.timeoutMs);
    slot.worker!.postMessage({ id: task.id, kind: task.kind, payload: task.payload }, [...task.transfer]);
  }

  private ensureWorker(slot: Slot): Promise<void> {
    if (slot.worker && slot.ready) return slot.ready;
    const worker = new Worker(this.options.source, {
      eval: this.options.eval ?? false,
      // Plain Node: the workers load the libraries' built entries, whatever conditions this process resolves with.
      execArgv: [],
      workerData: this.options.workerData,
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, maxYoungGenerationSizeMb: 32 },
      stdout: true,
      stderr: true,
    });
    slot.worker = worker;
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: WorkerReply) => {
        if (msg.ready) return resolve();
        const task = slot.task;
        if (!task || msg.id !== task.id || slot.worker !== worker) return;
        this.finish(slot, task, () => (msg.ok ? task.resolve(msg.value) : task.reject(this.options.errors.failed(msg.error!))));
      });
      const gone = (why: string) => {
        if (slot.worker !== worker) return;
        slot.worker = null;
        slot.ready = null;
        reject(new Error(`${this.options.errors.startFailure}: ${why}`));
        const task = slot.task;
        if (task) this.finish(slot, task, () => task.reject(this.options.errors.stopped(why)));
      };
      worker.on('error', (e) => gone((e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it exceeded the memory limit of ${this.memoryMb} MB` : e.message));
      worker.on('exit', (code) => gone(`the worker exited (code ${code})`));
    });
    slot.ready.catch(() => undefined);
    return slot.ready;
  }

  private finish(slot: Slot, task: Task, settle: () => void): void {
    if (slot.task !== task) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
    settle();
    this.pump();
  }

  private async reset(slot: Slot, error: Error | null): Promise<void> {
    const worker = slot.worker;
    slot.worker = null;
    slot.ready = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    if (error && slot.task) {
      const t = slot.task;
      slot.task = null;
      t.reject(error);
    }
    await worker?.terminate();
  }
}
