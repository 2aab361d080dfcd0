import { functionCatalogue, tokenizeExpression, type TokenKind } from '@sluice/expression';

/** Monaco token class per EL token kind (names the built-in themes already colour). */
export const TOKEN_CLASS: Record<TokenKind, string> = {
  text: '',
  delimiter: 'delimiter.bracket.el',
  attribute: 'variable.el',
  function: 'keyword.el',
  string: 'string.el',
  number: 'number.el',
  operator: 'delimiter.el',
  parameter: 'type.el',
  comment: 'comment.el',
  invalid: 'invalid.el',
};

export interface LineTokens {
  tokens: { startIndex: number; scopes: string }[];
  /** How many `${` are still open at the end of the line. */
  endDepth: number;
}

/**
 * Tokenizes one line of an EL value, given how many expressions the previous lines left open. Monaco
 * tokenizes line by line, so the open `${` are replayed as a prefix and their tokens dropped again.
 */
export function tokenizeElLine(line: string, depth: number): LineTokens {
  const prefix = '${'.repeat(depth);
  const text = prefix + line;
  const raw = tokenizeExpression(text);
  let open = 0;
  for (const t of raw) {
    if (t.kind !== 'delimiter') continue;
    const d = text.slice(t.start, t.end);
    if (d === '${') open++;
    else if (d === '}') open = Math.max(0, open - 1);
  }
  const tokens: LineTokens['tokens'] = [];
  const push = (startIndex: number, scopes: string) => {
    const prev = tokens[tokens.length - 1];
    if (prev && prev.scopes === scopes) return;
    if (prev && prev.startIndex === startIndex) prev.scopes = scopes;
    else tokens.push({ startIndex, scopes });
  };
  let lastEnd = 0;
  for (const t of raw) {
    if (t.end <= prefix.length) continue;
    const start = Math.max(0, t.start - prefix.length);
    // Whitespace the tokenizer skipped must not inherit the colour of the token before it.
    if (start > lastEnd) push(lastEnd, '');
    push(start, TOKEN_CLASS[t.kind]);
    lastEnd = t.end - prefix.length;
  }
  if (lastEnd < line.length) push(lastEnd, '');
  if (tokens.length === 0 || tokens[0]!.startIndex !== 0) tokens.unshift({ startIndex: 0, scopes: '' });
  return { tokens, endDepth: open };
}

export interface ElCompletion {
  label: string;
  kind: 'function' | 'attribute';
  insertText: string;
  detail: string;
  documentation?: string;
}

/** Attributes commonly present on every FlowFile. */
export const CORE_ATTRIBUTES = ['filename', 'path', 'uuid', 'mime.type', 'entryDate', 'lineageStartDate', 'fileSize'];

/**
 * What to offer at `offset`: inside `${...}` after `:` the chainable functions; at the start of a subject the
 * attribute names plus the subjectless functions. Outside an expression, nothing.
 */
export function elCompletions(text: string, offset: number, attributes: readonly string[]): { items: ElCompletion[]; replaceFrom: number } {
  const before = text.slice(0, offset);
  const depth = tokenizeElLine(before, 0).endDepth;
  if (depth === 0) return { items: [], replaceFrom: offset };
  const word = /[\w.]*$/.exec(before)![0];
  const replaceFrom = offset - word.length;
  const prevChar = before.slice(0, replaceFrom).replace(/\s+$/, '').slice(-1);
  const fns = (subjectless: boolean): ElCompletion[] =>
    functionCatalogue
      .filter((f) => f.subjectless === subjectless)
      .map((f) => ({ label: f.name, kind: 'function' as const, insertText: `${f.name}(`, detail: f.signature, documentation: f.description }));
  if (prevChar === ':') return { items: fns(false), replaceFrom };
  if (prevChar === '{' || prevChar === '(' || prevChar === ',') {
    const attrs = [...new Set([...attributes, ...CORE_ATTRIBUTES])].sort().map((a) => ({
      label: a,
      kind: 'attribute' as const,
      insertText: /^[\w.]+$/.test(a) ? a : `'${a.replace(/'/g, "\\'")}'`,
      detail: 'attribute',
    }));
    return { items: [...attrs, ...fns(true)], replaceFrom };
  }
  return { items: [], replaceFrom };
}

let flowAttributes: readonly string[] = [];
/** The attribute names the open flow's processors write (from their descriptors' `writesAttributes`). */
export function setFlowAttributeNames(names: readonly string[]) {
  flowAttributes = names;
}
export const flowAttributeNames = () => flowAttributes;
