export const JOLT_OPERATIONS = [
  { name: 'shift', doc: 'Copies values from the input tree to new paths in the output.' },
  { name: 'default', doc: 'Adds values where the input has none.' },
  { name: 'remove', doc: 'Removes keys from the input.' },
  { name: 'modify-overwrite-beta', doc: 'Computes values with functions, overwriting existing ones.' },
  { name: 'modify-default-beta', doc: 'Computes values with functions where none exist.' },
  { name: 'modify-define-beta', doc: 'Defines values with functions only where the key is absent.' },
  { name: 'cardinality', doc: 'Turns single values into lists (MANY) or lists into their first item (ONE).' },
  { name: 'sort', doc: 'Sorts the keys of every map alphabetically.' },
];

export const JOLT_MODIFY_FUNCTIONS = [
  'toLower', 'toUpper', 'concat', 'join', 'split', 'substring', 'trim', 'leftPad', 'rightPad', 'toInteger', 'toLong',
  'toDouble', 'toBoolean', 'toString', 'size', 'firstElement', 'lastElement', 'elementAt', 'toList', 'sort',
  'squashNulls', 'recursivelySquashNulls', 'squashDuplicates', 'noop', 'isPresent', 'notNull', 'isNull', 'min', 'max',
  'abs', 'avg', 'intSum', 'longSum', 'doubleSum', 'intSubtract', 'longSubtract', 'doubleSubtract', 'divide',
  'divideAndRound', 'not', 'equals', 'fromDateToEpochMilli',
];

export interface JoltCompletion {
  label: string;
  insertText: string;
  detail: string;
  kind: 'operation' | 'function';
}

/**
 * Completions for a Jolt spec at the cursor, from the text of the line before it: operation names as the
 * value of `"operation"`, and modify functions in a value starting with `=`.
 */
export function joltCompletions(lineBefore: string): { items: JoltCompletion[]; word: string } {
  const op = /"operation"\s*:\s*"([\w-]*)$/.exec(lineBefore);
  if (op) {
    return { word: op[1]!, items: JOLT_OPERATIONS.map((o) => ({ label: o.name, insertText: o.name, detail: o.doc, kind: 'operation' as const })) };
  }
  const fn = /:\s*"=(\w*)$/.exec(lineBefore);
  if (fn) {
    return { word: fn[1]!, items: JOLT_MODIFY_FUNCTIONS.map((f) => ({ label: f, insertText: `${f}(`, detail: 'Jolt modify function', kind: 'function' as const })) };
  }
  const key = /^\s*"([\w-]*)$/.exec(lineBefore);
  if (key && /^\s*$/.test(lineBefore.slice(0, lineBefore.lastIndexOf('"')))) {
    return { word: key[1]!, items: [{ label: 'operation', insertText: 'operation', detail: 'Jolt operation name', kind: 'operation' }, { label: 'spec', insertText: 'spec', detail: 'The operation’s spec', kind: 'operation' }] };
  }
  return { word: '', items: [] };
}
