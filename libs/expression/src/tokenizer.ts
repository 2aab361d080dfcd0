import './el-compiler.js';
import { FUNCTIONS } from './functions/function-table.js';

export type TokenKind = 'text' | 'delimiter' | 'attribute' | 'function' | 'string' | 'number' | 'operator' | 'parameter' | 'comment' | 'invalid';
export interface ExpressionToken {
  start: number;
  end: number;
  kind: TokenKind;
}

const NAME_STOP = /[$\{\}()\[\],:;\/*'\s]/;

/**
 * Highlighting tokens for an EL property value. A forgiving single pass (no parser): unclosed expressions and
 * unknown names become 'invalid' rather than throwing.
 */
export function tokenizeExpression(text: string): ExpressionToken[] {
  const out: ExpressionToken[] = [];
  const push = (start: number, end: number, kind: TokenKind) => {
    if (end <= start) return;
    const last = out[out.length - 1];
    if (last && last.kind === kind && last.end === start && (kind === 'text' || kind === 'invalid')) last.end = end;
    else out.push({ start, end, kind });
  };
  try {
    let i = 0;
    let depth = 0;
    const n = text.length;
    while (i < n) {
      const c = text[i]!;
      if (depth === 0) {
        if (c === '$' && text[i + 1] === '$') {
          push(i, i + 2, 'text');
          i += 2;
        } else if (c === '$' && text[i + 1] === '{') {
          push(i, i + 2, 'delimiter');
          depth = 1;
          i += 2;
        } else if (c === '#' && text[i + 1] === '{') {
          const close = text.indexOf('}', i);
          const end = close < 0 ? n : close + 1;
          push(i, end, close < 0 ? 'invalid' : 'parameter');
          i = end;
        } else {
          let j = i + 1;
          while (j < n && text[j] !== '$' && text[j] !== '#') j++;
          push(i, j, 'text');
          i = j;
        }
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
        i++;
        continue;
      }
      if (c === '$' && text[i + 1] === '{') {
        push(i, i + 2, 'delimiter');
        depth++;
        i += 2;
      } else if (c === '}') {
        push(i, i + 1, 'delimiter');
        depth--;
        i++;
      } else if (c === '#' && text[i + 1] === '{') {
        const close = text.indexOf('}', i);
        const end = close < 0 ? n : close + 1;
        push(i, end, 'parameter');
        i = end;
      } else if (c === '#') {
        const nl = text.indexOf('\n', i);
        const end = nl < 0 ? n : nl + 1;
        push(i, end, 'comment');
        i = end;
      } else if (c === "'" || c === '"') {
        let j = i + 1;
        while (j < n && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
        const end = Math.min(j + 1, n);
        push(i, end, j >= n ? 'invalid' : 'string');
        i = end;
      } else if (c === ':' || c === '(' || c === ')' || c === ',') {
        push(i, i + 1, 'operator');
        i++;
      } else {
        const num = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+)/.exec(text.slice(i, i + 40));
        const prev = out[out.length - 1];
        const inArgs = prev && prev.kind === 'operator' && (text[prev.start] === '(' || text[prev.start] === ',');
        if (num && inArgs) {
          push(i, i + num[0].length, 'number');
          i += num[0].length;
          continue;
        }
        let j = i;
        while (j < n && !NAME_STOP.test(text[j]!)) j++;
        if (j === i) {
          push(i, i + 1, 'invalid');
          i++;
          continue;
        }
        const word = text.slice(i, j);
        let k = j;
        while (k < n && /\s/.test(text[k]!)) k++;
        const isCall = text[k] === '(';
        const kind: TokenKind = isCall ? (FUNCTIONS.has(word) ? 'function' : 'invalid') : word === 'true' || word === 'false' || word === 'null' ? 'number' : 'attribute';
        push(i, j, kind);
        i = j;
      }
    }
  } catch {
    return [{ start: 0, end: text.length, kind: 'text' }];
  }
  return out;
}
