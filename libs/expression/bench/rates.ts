// Rates of two functions measured side by side, shared by this library's benchmarks.

/** Sum of result lengths, printed at the end so the engine cannot drop the work as unused. */
let sink = 0;

export interface RateOptions {
  /** Calls per timing check (more for fast functions, so reading the clock does not dominate). */
  readonly batch: number;
  readonly warmup: number;
  readonly rounds: number;
  readonly roundMs: number;
}

/** Calls per second over one timed round. */
function round(fn: () => string, batch: number, ms: number): number {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < batch; i++) sink += fn().length;
    n += batch;
    now = performance.now();
  }
  return (n / (now - start)) * 1000;
}

/** Best rate of each side over interleaved rounds, so load from other processes hits both alike. */
export function compareRates(a: () => string, b: () => string, o: RateOptions): [number, number] {
  for (let i = 0; i < o.warmup; i++) sink += a().length + b().length;
  let bestA = 0;
  let bestB = 0;
  for (let r = 0; r < o.rounds; r++) {
    bestA = Math.max(bestA, round(a, o.batch, o.roundMs));
    bestB = Math.max(bestB, round(b, o.batch, o.roundMs));
  }
  return [bestA, bestB];
}

/** Keeps the results observable (prints nothing in practice). */
export function keepResults(): void {
  if (sink === 42) console.log('');
}
