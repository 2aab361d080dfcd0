import { ExpressionError, lineColumn } from './expression-error.js';
import { compileExpression, type EvaluationEnvironment } from './expression.js';

/** Attempts at most, so explaining an error stays cheap whatever the expression. */
const MAX_TRIES = 60;

/** Offsets where `${name` starts a reference to the attribute (bare or quoted), in text order. */
function referencesOf(text: string, name: string): number[] {
  const out: number[] = [];
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`\\$\\{\\s*(?:${escaped}|'${escaped}'|"${escaped}")(?=[\\s:}])`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index);
  return out;
}

function fails(text: string, env: EvaluationEnvironment, message: string): boolean {
  try {
    compileExpression(text).evaluate(env);
    return false;
  } catch (e) {
    return e instanceof ExpressionError && e.message === message;
  }
}

/**
 * Explains a run-time error for someone editing the expression: when it comes from an attribute that is not set,
 * one message names the attribute and where it is used (line and column of the reference that failed). Off the
 * evaluation path: it re-evaluates the text with single references stood in for, so it costs a few evaluations.
 */
export function explainEvaluationError(text: string, env: EvaluationEnvironment, error: ExpressionError): ExpressionError {
  if (error.phase !== 'evaluate' || error.line !== undefined) return error;
  let compiled;
  try {
    compiled = compileExpression(text);
  } catch {
    return error;
  }
  const missing = compiled.referencedAttributes.filter((a) => env.attributes[a] === undefined);
  let tries = 0;
  for (const name of missing) {
    for (const at of referencesOf(text, name)) {
      if (++tries > MAX_TRIES) return error;
      // The reference stands in for an empty value; if the error goes, this reference caused it.
      const open = text.indexOf('${', at) + 2;
      const end = text.slice(open).search(/[\s:}]/) + open;
      const patched = `${text.slice(0, open)}literal("")${text.slice(end)}`;
      if (!fails(patched, env, error.message)) {
        const { line, column } = lineColumn(text, at);
        return new ExpressionError(`attribute '${name}' is not set (line ${line}, column ${column}); ${error.message}`, 'evaluate', {
          line, column, ...(error.functionName ? { functionName: error.functionName } : {}),
        });
      }
    }
  }
  return error;
}
