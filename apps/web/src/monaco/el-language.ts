import type * as Monaco from 'monaco-editor/editor';
import { checkExpression } from '@sluice/expression';
import { elCompletions, flowAttributeNames, tokenizeElLine } from './el-tokens.js';
import { joltCompletions } from './jolt-completions.js';

export { setFlowAttributeNames } from './el-tokens.js';

export const EL_LANGUAGE = 'nifi-el';

class ElState implements Monaco.languages.IState {
  constructor(readonly depth: number) {}
  clone() {
    return new ElState(this.depth);
  }
  equals(other: Monaco.languages.IState) {
    return other instanceof ElState && other.depth === this.depth;
  }
}

let registered = false;

/** Registers NiFi EL (tokens from @sluice/expression, completion, error markers) and Jolt spec completion. */
export function registerSluiceLanguages(monaco: typeof Monaco) {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: EL_LANGUAGE, aliases: ['NiFi Expression Language'] });
  monaco.languages.setTokensProvider(EL_LANGUAGE, {
    getInitialState: () => new ElState(0),
    tokenize(line, state) {
      const { tokens, endDepth } = tokenizeElLine(line, (state as ElState).depth);
      return { tokens, endState: new ElState(endDepth) };
    },
  });
  monaco.languages.setLanguageConfiguration(EL_LANGUAGE, {
    brackets: [['${', '}'], ['(', ')']],
    autoClosingPairs: [
      { open: '${', close: '}' },
      { open: '(', close: ')' },
      { open: "'", close: "'" },
      { open: '"', close: '"' },
    ],
  });
  monaco.languages.registerCompletionItemProvider(EL_LANGUAGE, {
    triggerCharacters: [':', '{', '('],
    provideCompletionItems(model, position) {
      const offset = model.getOffsetAt(position);
      const { items, replaceFrom } = elCompletions(model.getValue(), offset, flowAttributeNames());
      const start = model.getPositionAt(replaceFrom);
      const range = new monaco.Range(start.lineNumber, start.column, position.lineNumber, position.column);
      return {
        suggestions: items.map((i) => ({
          label: i.label,
          kind: i.kind === 'function' ? monaco.languages.CompletionItemKind.Function : monaco.languages.CompletionItemKind.Variable,
          insertText: i.insertText,
          detail: i.detail,
          documentation: i.documentation,
          range,
        })),
      };
    },
  });
  monaco.languages.registerCompletionItemProvider('json', {
    triggerCharacters: ['"', '='],
    provideCompletionItems(model, position) {
      if (!model.uri.path.includes('/jolt/')) return { suggestions: [] };
      const lineBefore = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      const { items, word } = joltCompletions(lineBefore);
      const range = new monaco.Range(position.lineNumber, position.column - word.length, position.lineNumber, position.column);
      return {
        suggestions: items.map((i) => ({
          label: i.label,
          kind: i.kind === 'function' ? monaco.languages.CompletionItemKind.Function : monaco.languages.CompletionItemKind.EnumMember,
          insertText: i.insertText,
          detail: i.detail,
          range,
        })),
      };
    },
  });
}

/** Underlines the first EL syntax error, at the line and column the compiler reports. */
export function updateElMarkers(monaco: typeof Monaco, model: Monaco.editor.ITextModel) {
  const text = model.getValue();
  const err = text.includes('${') || text.includes('#{') ? checkExpression(text) : null;
  if (!err) {
    monaco.editor.setModelMarkers(model, 'nifi-el', []);
    return;
  }
  const line = Math.min(Math.max(1, err.line), model.getLineCount());
  const col = Math.max(1, err.column);
  monaco.editor.setModelMarkers(model, 'nifi-el', [
    {
      severity: monaco.MarkerSeverity.Error,
      message: err.message,
      startLineNumber: line,
      startColumn: col,
      endLineNumber: line,
      endColumn: Math.max(col + 1, model.getLineMaxColumn(line)),
    },
  ]);
}
