/**
 * What a regex job does to each of its texts: Java's Matcher.find from the start (`find`), Matcher.matches
 * (`matches`), repeated Matcher.find (`findAll`), or Matcher.replaceAll with a Java replacement (`replaceAll`).
 */
export type RegexOperation = 'find' | 'matches' | 'findAll' | 'replaceAll';

/** One Java regular expression run over one or more texts (a line-by-line run sends its lines), each on its own. */
export interface RegexJob {
  /** The Java pattern, compiled as every user regex is. */
  readonly pattern: string;
  readonly operation: RegexOperation;
  readonly texts: readonly string[];
  /** replaceAll: the replacement in Java's syntax (`$1`, `${name}`, `\$`). */
  readonly replacement?: string;
  /** findAll: stop after this many matches of a text. */
  readonly maxMatches?: number;
}

/** One match: where it starts and its groups by number ([0] the whole match; undefined when a group took no part). */
export interface RegexMatch {
  readonly index: number;
  readonly groups: readonly (string | undefined)[];
}

/** What a job answers for one text: its matches (none for replaceAll), and for replaceAll the new text or null when nothing matched. */
export interface RegexTextResult {
  readonly matches: readonly RegexMatch[];
  readonly replaced?: string | null;
}

/**
 * Runs regex jobs too large for the server's thread (a pattern on the linear-time engine over long input) where a
 * runaway can be stopped. Failures reject with a RegexJobError.
 */
export interface RegexEngine {
  run(job: RegexJob): Promise<readonly RegexTextResult[]>;
}

export class RegexJobError extends Error {
  constructor(
    message: string,
    /** `deadline`: stopped at the job's time limit; `busy`: too many jobs waiting; `failed`: the job threw or its worker died. */
    readonly code: 'deadline' | 'busy' | 'failed',
  ) {
    super(message);
    this.name = 'RegexJobError';
  }
}
