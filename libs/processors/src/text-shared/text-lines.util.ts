import type { ProcessContext } from '@sluice/flow-api';
import { expressionSegments } from '@sluice/expression';

/**
 * NiFi's LineDemarcator: lines split after `\n`, `\r\n` or a lone `\r`, each line keeping its terminator; the last
 * line may have none. Empty text has no lines.
 */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    } else if (c === 13) {
      const end = text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      out.push(text.slice(start, end));
      start = end;
      i = end - 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** The line without its terminator. */
export function stripTerminator(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 10 || line.charCodeAt(end - 1) === 13)) end--;
  return line.slice(0, end);
}

/** Whether text holds Expression Language that must be evaluated per FlowFile. */
export const hasExpression = (text: string | undefined): boolean => text !== undefined && (text.includes('${') || text.includes('#{'));

/**
 * Evaluates a property value with `decorate` applied to what each `${...}` returns and not to the literal text
 * around it (NiFi's AttributeValueDecorator).
 */
export function evaluateDecorated(
  ctx: ProcessContext,
  text: string,
  flowFile: Parameters<ProcessContext['evaluateExpression']>[1],
  decorate: (value: string) => string,
  extra?: Readonly<Record<string, string>>,
): string {
  if (!hasExpression(text)) return text;
  let out = '';
  for (const s of expressionSegments(text)) {
    const value = ctx.evaluateExpression(s.text, flowFile, extra);
    out += s.expression ? decorate(value) : value;
  }
  return out;
}
