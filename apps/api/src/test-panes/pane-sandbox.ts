import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MAX_BODY_DEPTH } from '../common/request-body.js';
import { PANE_WORKER_SOURCE } from './pane-worker.source.js';

export type PaneTask = 'expression' | 'mapping' | 'processor';

/** What a pane's code threw, as the worker reported it (ExpressionError, JoltSpecError, …). */
export class PaneError extends Error {
  constructor(
    readonly kind: string,
    message: string,
    readonly details: { line?: number; column?: number; phase?: string; path?: string; field?: string },
  ) {
    super(message);
    this.name = 'PaneError';
  }
}

/** The task outlived its deadline (or its memory) and its worker was replaced. */
export class PaneLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaneLimitError';
  }
}

/** Every worker is busy and the queue is full. */
export class PaneBusyError extends Error {
  constructor(waiting: number) {
    super(`the test panes are busy (${waiting} requests waiting); try again shortly`);
    this.name = 'PaneBusyError';
  }
}

interface Task {
  readonly id: number;
  readonly kind: PaneTask;
  readonly payload: unknown;
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

/** Nice value of the panes' workers and test-pane interpreters (0 is the API's; 19 the lowest priority). */
export const PANE_NICENESS = 10;

/**
 * The built entry of a workspace library. Worker threads run plain JavaScript, so the package's `default` export is
 * taken even when this process resolves workspace packages to their sources (tests).
 */
function resolveLib(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  const exports = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports: { '.': { default: string } } }).exports['.'];
  return pathToFileURL(join(dir, exports.default)).href;
}

/** A module of this app, built: tests run the sources, but worker threads need the compiled JavaScript. */
function appModule(relative: string): string {
  const here = fileURLToPath(new URL(relative, import.meta.url));
  const built = here.replace(/([\\/])src([\\/])(?!.*[\\/]src[\\/])/, '$1dist$2');
  return pathToFileURL(existsSync(here) ? here : built).href;
}

export interface PaneSandboxOptions {
  readonly workers?: number;
  readonly maxQueue?: number;
  /** Heap of one worker. */
  readonly memoryMb?: number;
}

/**
 * Worker threads for the expression and mapping panes and for tests of processors that stay inside Sluice. Each task has a deadline; a task that outlives it has its
 * worker terminated (the only way to stop a synchronous regex) and a fresh one takes its place.
 */
export class PaneSandbox {
  private readonly slots: Slot[];
  private readonly queue: Task[] = [];
  private readonly maxQueue: number;
  private readonly memoryMb: number;
  private nextId = 1;
  private closed = false;

  constructor(options: PaneSandboxOptions = {}) {
    this.slots = Array.from({ length: options.workers ?? 2 }, () => ({ worker: null, ready: null, task: null, timer: null }));
    this.maxQueue = options.maxQueue ?? 32;
    this.memoryMb = options.memoryMb ?? 256;
  }

  run<T>(kind: PaneTask, payload: unknown, timeoutMs: number): Promise<T> {
    if (this.closed) return Promise.reject(new Error('test panes are closed'));
    if (this.queue.length >= this.maxQueue) return Promise.reject(new PaneBusyError(this.queue.length));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, kind, payload, timeoutMs, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error('test panes are closed'));
    await Promise.all(this.slots.map((s) => this.reset(s, new Error('test panes are closed'))));
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
    // The deadline starts once a worker is ready: a cold start is not the user's time.
    slot.timer = setTimeout(() => {
      if (slot.task !== task) return;
      void this.reset(slot, null);
      this.finish(slot, task, () => task.reject(new PaneLimitError(`evaluation exceeded the time limit of ${task.timeoutMs} ms and was stopped`)));
    }, task.timeoutMs);
    slot.worker!.postMessage({ id: task.id, kind: task.kind, payload: task.payload });
  }

  private ensureWorker(slot: Slot): Promise<void> {
    if (slot.worker && slot.ready) return slot.ready;
    const worker = new Worker(PANE_WORKER_SOURCE, {
      eval: true,
      // Plain Node: the workers load the libraries' built entries, whatever conditions this process resolves with.
      execArgv: [],
      workerData: {
        expressionUrl: resolveLib('@sluice/expression'),
        coreUrl: resolveLib('@sluice/flow-core'),
        processorsUrl: resolveLib('@sluice/processors'),
        compressionUrl: appModule('../engine/zlib-compression.codec.js'),
        maxDepth: MAX_BODY_DEPTH,
        niceness: PANE_NICENESS,
      },
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, maxYoungGenerationSizeMb: 32 },
      stdout: true,
      stderr: true,
    });
    slot.worker = worker;
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: { ready?: true; id?: number; ok?: boolean; value?: unknown; error?: { name: string; message: string } & PaneError['details'] }) => {
        if (msg.ready) return resolve();
        const task = slot.task;
        if (!task || msg.id !== task.id || slot.worker !== worker) return;
        this.finish(slot, task, () => (msg.ok ? task.resolve(msg.value) : task.reject(new PaneError(msg.error!.name, msg.error!.message, msg.error!))));
      });
      const gone = (why: string) => {
        if (slot.worker !== worker) return;
        slot.worker = null;
        slot.ready = null;
        reject(new Error(`test pane worker failed to start: ${why}`));
        const task = slot.task;
        if (task) this.finish(slot, task, () => task.reject(new PaneLimitError(`evaluation stopped: ${why}`)));
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
