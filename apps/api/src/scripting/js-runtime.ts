import { randomBytes } from 'node:crypto';
import ivm from 'isolated-vm';
import type { HttpClient, LogLevel, ScriptInput, ScriptResult } from '@sluice/flow-api';
import { JS_PRELUDE } from './js-prelude.source.js';
import { httpHandler, type ScriptHttpHandler } from './script-http.js';
import { jsSyntaxProblem, type ScriptSyntaxProblem } from './script-syntax.js';

export interface JsRun {
  readonly script: string;
  readonly inputs: readonly ScriptInput[];
  readonly timeoutMs: number;
  readonly memoryLimitMb: number;
  readonly allowHttp: boolean;
  /** Serves the script's HTTP calls instead of the pool's client (a dry run records them). */
  readonly http?: HttpClient;
}

interface RawOutput {
  source: number | null;
  attributes: Record<string, string>;
  relationship: string | null;
  written: boolean;
  text: string | null;
  bytes: ArrayBuffer | null;
}

interface RawResult {
  outputs?: RawOutput[];
  taken?: number[];
  logs: { level: LogLevel; message: string }[];
  error?: NonNullable<ScriptResult['error']>;
}

interface PooledIsolate {
  readonly isolate: ivm.Isolate;
  readonly prelude: ivm.Script;
  readonly memoryLimitMb: number;
  runs: number;
  /** The next run's fresh context, created while the isolate waits (creating one costs milliseconds). */
  next: Promise<ivm.Context> | null;
}

/** Isolates are kept warm and reused; each is recycled after this many runs so leaks cannot pile up. */
const RUNS_PER_ISOLATE = 200;
/** isolated-vm refuses smaller heaps. */
const MIN_MEMORY_MB = 8;

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/**
 * Runs JavaScript in isolated-vm isolates: a real V8 isolate with its own heap limit, executed on isolated-vm's
 * threads (never the API's event loop), a fresh context per run, no Node globals at all.
 */
export class JsRuntime {
  private readonly idle: PooledIsolate[] = [];
  private readonly busy = new Set<PooledIsolate>();
  private checker: ivm.Isolate | null = null;
  private closed = false;

  constructor(private readonly http: ScriptHttpHandler) {}

  /** Creates one isolate ahead of the first request. */
  warmUp(memoryLimitMb: number): void {
    if (this.idle.length === 0) this.idle.push(this.createIsolate(memoryLimitMb));
  }

  async run(run: JsRun): Promise<ScriptResult> {
    if (this.closed) throw new Error('Script pool is closed');
    const started = performance.now();
    const deadline = started + run.timeoutMs;
    const remaining = () => Math.max(1, Math.ceil(deadline - performance.now()));
    const pooled = this.acquire(run.memoryLimitMb);
    let context: ivm.Context | null = null;
    let raw: RawResult;
    try {
      context = await takeContext(pooled);
      const items = run.inputs.map((input) => {
        const text = tryDecode(input.content);
        return text !== null
          ? { attributes: { ...input.attributes }, text, bytes: null }
          : { attributes: { ...input.attributes }, text: null, bytes: input.content.slice().buffer };
      });
      await context.global.set('__sluiceInputs', new ivm.ExternalCopy({ items, uuidSeed: randomBytes(8).toString('hex') }).copyInto({ release: true }));
      if (run.allowHttp) await context.global.set('__sluiceHttp', new ivm.Reference(run.http ? httpHandler(run.http) : this.http));
      await pooled.prelude.run(context, { timeout: remaining() });
      const user = await compile(pooled.isolate, run.script);
      if ('error' in user) {
        raw = { logs: [], error: user.error };
      } else {
        try {
          await user.script.run(context, { timeout: remaining() });
          raw = (await context.eval('__sluiceFinish()', { timeout: remaining(), copy: true })) as RawResult;
        } finally {
          user.script.release();
        }
      }
    } catch (e) {
      raw = { logs: [], error: this.classify(e, pooled, run) };
      if (raw.error!.kind === 'exception' && context && !pooled.isolate.isDisposed) {
        raw.logs = await context.eval('__sluiceLogs()', { timeout: 1000, copy: true }).catch(() => []) as RawResult['logs'];
      }
    } finally {
      if (context && !pooled.isolate.isDisposed) context.release();
      this.release(pooled);
    }
    return toScriptResult(run, raw, performance.now() - started);
  }

  /**
   * Compiles a script in an isolate of its own, on isolated-vm's threads (never the event loop); resolves with its
   * first syntax error, or null.
   */
  async check(script: string): Promise<ScriptSyntaxProblem | null> {
    if (this.closed) throw new Error('Script pool is closed');
    const isolate = (this.checker ??= new ivm.Isolate({ memoryLimit: 32 }));
    try {
      (await isolate.compileScript(script, { filename: '<script>' })).release();
      return null;
    } catch (e) {
      if (isolate.isDisposed) this.checker = null;
      if ((e as Error).name !== 'SyntaxError') throw e;
      return jsSyntaxProblem(e as Error);
    }
  }

  close(): void {
    this.closed = true;
    if (this.checker && !this.checker.isDisposed) this.checker.dispose();
    for (const p of [...this.idle.splice(0), ...this.busy]) if (!p.isolate.isDisposed) p.isolate.dispose();
    this.busy.clear();
  }

  private createIsolate(memoryLimitMb: number): PooledIsolate {
    const isolate = new ivm.Isolate({ memoryLimit: Math.max(MIN_MEMORY_MB, Math.ceil(memoryLimitMb)) });
    const prelude = isolate.compileScriptSync(JS_PRELUDE, { filename: '<sluice>' });
    return { isolate, prelude, memoryLimitMb, runs: 0, next: prepareContext(isolate) };
  }

  private acquire(memoryLimitMb: number): PooledIsolate {
    const index = this.idle.findIndex((p) => p.memoryLimitMb === memoryLimitMb);
    const pooled = index >= 0 ? this.idle.splice(index, 1)[0]! : this.createIsolate(memoryLimitMb);
    this.busy.add(pooled);
    return pooled;
  }

  private release(pooled: PooledIsolate): void {
    this.busy.delete(pooled);
    pooled.runs++;
    if (this.closed || pooled.isolate.isDisposed || pooled.runs >= RUNS_PER_ISOLATE || this.idle.length >= 4) {
      if (!pooled.isolate.isDisposed) pooled.isolate.dispose();
      return;
    }
    pooled.next = prepareContext(pooled.isolate);
    this.idle.push(pooled);
  }

  private classify(e: unknown, pooled: PooledIsolate, run: JsRun): NonNullable<ScriptResult['error']> {
    const message = e instanceof Error ? e.message : String(e);
    if (pooled.isolate.isDisposed || /disposed during execution due to memory limit|memory limit/i.test(message)) {
      if (!pooled.isolate.isDisposed) pooled.isolate.dispose();
      return { kind: 'memory', message: `Script exceeded its memory limit of ${run.memoryLimitMb} MB and was stopped` };
    }
    if (message === 'Script execution timed out.') {
      // A timed-out isolate may hold a half-built heap: do not reuse it.
      pooled.isolate.dispose();
      return { kind: 'timeout', message: `Script exceeded its timeout of ${run.timeoutMs} ms and was stopped` };
    }
    if (e instanceof Error) {
      return { kind: 'exception', message: `${e.name}: ${e.message}`, traceback: userStack(e) };
    }
    return { kind: 'exception', message: `Uncaught ${JSON.stringify(e) ?? String(e)}`, traceback: `Uncaught ${String(e)}` };
  }
}

/** Starts creating a context; a failure (the isolate went away) leaves the run to create its own. */
function prepareContext(isolate: ivm.Isolate): Promise<ivm.Context> | null {
  const next = isolate.createContext();
  next.catch(() => undefined);
  return next;
}

/** Every run gets a context no script has touched: the one prepared while the isolate was idle, or a new one. */
async function takeContext(pooled: PooledIsolate): Promise<ivm.Context> {
  const next = pooled.next;
  pooled.next = null;
  if (next) {
    const ready = await next.catch(() => null);
    if (ready) return ready;
  }
  return pooled.isolate.createContext();
}

async function compile(isolate: ivm.Isolate, script: string): Promise<{ script: ivm.Script } | { error: NonNullable<ScriptResult['error']> }> {
  try {
    return { script: await isolate.compileScript(script, { filename: '<script>' }) };
  } catch (e) {
    const err = e as Error;
    return { error: { kind: 'exception', message: `${err.name}: ${err.message}`, traceback: `${err.name}: ${err.message}` } };
  }
}

/** The stack as the script sees it: frames up to the isolate boundary. */
function userStack(e: Error): string {
  const lines = (e.stack ?? `${e.name}: ${e.message}`).split('\n');
  const boundary = lines.findIndex((l) => l.includes('<isolated-vm boundary>'));
  return (boundary >= 0 ? lines.slice(0, boundary) : lines).join('\n');
}

function tryDecode(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

function toScriptResult(run: JsRun, raw: RawResult, durationMs: number): ScriptResult {
  if (raw.error) return { outputs: [], taken: [], logs: raw.logs ?? [], error: raw.error, durationMs };
  const outputs = (raw.outputs ?? []).map((o) => {
    const content = !o.written
      ? o.source !== null ? run.inputs[o.source]!.content : new Uint8Array(0)
      : o.text !== null ? encoder.encode(o.text) : new Uint8Array(o.bytes ?? new ArrayBuffer(0));
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(o.attributes)) attributes[k] = String(v);
    return { source: o.source, attributes, relationship: o.relationship, content };
  });
  return { outputs, taken: raw.taken ?? [], logs: raw.logs, durationMs };
}
