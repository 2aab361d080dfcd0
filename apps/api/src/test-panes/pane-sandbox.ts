import { MAX_BODY_DEPTH } from '../common/json-depth.js';
import { appModule, resolveLib, WorkerPool } from '../common/worker-pool.js';
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

/** Nice value of the panes' workers and test-pane interpreters (0 is the API's; 19 the lowest priority). */
export const PANE_NICENESS = 10;

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
  private readonly pool: WorkerPool;

  constructor(options: PaneSandboxOptions = {}) {
    this.pool = new WorkerPool({
      source: PANE_WORKER_SOURCE,
      eval: true,
      workerData: {
        expressionUrl: resolveLib('@sluice/expression'),
        coreUrl: resolveLib('@sluice/flow-core'),
        processorsUrl: resolveLib('@sluice/processors'),
        compressionUrl: appModule(new URL('../engine/zlib-compression.codec.js', import.meta.url)),
        maxDepth: MAX_BODY_DEPTH,
        niceness: PANE_NICENESS,
      },
      workers: options.workers,
      maxQueue: options.maxQueue,
      memoryMb: options.memoryMb,
      errors: {
        failed: (e) => new PaneError(e.name, e.message, e as PaneError['details']),
        timedOut: (ms) => new PaneLimitError(`evaluation exceeded the time limit of ${ms} ms and was stopped`),
        stopped: (why) => new PaneLimitError(`evaluation stopped: ${why}`),
        busy: (waiting) => new PaneBusyError(waiting),
        startFailure: 'test pane worker failed to start',
        closed: 'test panes are closed',
      },
    });
  }

  run<T>(kind: PaneTask, payload: unknown, timeoutMs: number): Promise<T> {
    return this.pool.run<T>(kind, payload, timeoutMs);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
