/**
 * Bounds that keep one expression from exhausting the server. NiFi has none; real expressions stay far below them.
 * Exceeding one is an ExpressionError naming the limit.
 */
export const EXPRESSION_LIMITS = {
  /** Nested `${…}` and chained `:fn()` calls in one expression (each level is a frame when it runs). */
  maxDepth: 100,
  /** Function calls, attributes and literals in one property value. */
  maxNodes: 20_000,
  /** Characters a function may produce (repeat, padLeft, replace, append, …). */
  maxResultLength: 1024 * 1024,
  /**
   * Characters of input a pattern on the linear-time regex engine (the patterns that could backtrack
   * exponentially) is run over on the server's one JavaScript thread: that engine runs at 1 to 20 MB/s, so this
   * keeps one run under about 50 ms. Longer content goes to the host's regex engine (runJavaRegexJob unbounded, in
   * a thread that can be stopped); Expression Language stays within it. Other patterns have no such limit.
   */
  maxLinearRegexInput: 32 * 1024,
} as const;
