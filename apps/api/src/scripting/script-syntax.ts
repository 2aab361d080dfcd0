/** A script's first syntax error: where it is (1-based, when known) and what it is. */
export interface ScriptSyntaxProblem {
  readonly line: number | null;
  readonly column: number | null;
  readonly message: string;
}

/** isolated-vm names the place as `[<script>:line:column]` at the end of the message. */
const PLACE = /\s*\[<script>:(\d+):(\d+)\]$/;

/** A JavaScript compile error as a problem with its place. */
export function jsSyntaxProblem(e: Error): ScriptSyntaxProblem {
  const m = PLACE.exec(e.message);
  return { line: m ? Number(m[1]) : null, column: m ? Number(m[2]) : null, message: `${e.name}: ${e.message.replace(PLACE, '')}` };
}
