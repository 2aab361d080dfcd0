/** Raised for syntax errors (phase 'compile') and run-time failures (phase 'evaluate'). */
export class ExpressionError extends Error {
  readonly phase: 'compile' | 'evaluate';
  readonly line?: number;
  readonly column?: number;
  readonly functionName?: string;

  constructor(
    message: string,
    phase: 'compile' | 'evaluate',
    details: { line?: number; column?: number; functionName?: string } = {},
  ) {
    super(message);
    this.name = 'ExpressionError';
    this.phase = phase;
    if (details.line !== undefined) this.line = details.line;
    if (details.column !== undefined) this.column = details.column;
    if (details.functionName !== undefined) this.functionName = details.functionName;
  }
}

/** 1-based line and column of an offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export function compileError(text: string, offset: number, message: string, functionName?: string, suffix = ''): ExpressionError {
  const { line, column } = lineColumn(text, offset);
  return new ExpressionError(`${message} at ${line}:${column}${suffix}`, 'compile', {
    line,
    column,
    ...(functionName ? { functionName } : {}),
  });
}

export function evalError(functionName: string, message: string): ExpressionError {
  return new ExpressionError(`${functionName}: ${message}`, 'evaluate', { functionName });
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best !== undefined && bestDist <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
