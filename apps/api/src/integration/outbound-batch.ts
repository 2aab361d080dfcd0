import type { FieldError } from '@sluice/contracts';
import type { PropertyValues } from '@sluice/flow-api';
import { getProcessor } from '@sluice/processors';
import { createHash } from 'node:crypto';
import { BadInputError } from '../common/errors.js';
import { assertDepth, MAX_BODY_DEPTH } from '../common/json-depth.js';
// Types only: the worker that runs this module does not load the HTTP layer.
import type { RawBody } from '../common/request-body.js';

/** The flow's row writer, whose own `checkRow` the rows are checked by, and its configuration (defaults in force). */
export interface RowRule {
  readonly type: string;
  readonly config: PropertyValues;
}

export interface DecodedBatch {
  /** The batch as the FlowFile's content: its JSON text in UTF-8. */
  readonly content: Uint8Array;
  readonly rows: number;
  /** SHA-256 of the content, which a repeat of the same Idempotency-Key must match. */
  readonly hash: string;
  /** No batch at all: null, or an object without keys. */
  readonly empty: boolean;
  /** The rows the flow's writer would refuse, as the 400 that names them. */
  readonly rowError: { readonly message: string; readonly errors: FieldError[] } | null;
}

/** The batch of a request without a body. */
export function noBatch(): DecodedBatch {
  return { content: new Uint8Array(0), rows: 0, hash: sha256(new TextEncoder().encode('null')), empty: true, rowError: null };
}

/**
 * Parses, checks and encodes one outbound batch: what the route once did on the event loop (the JSON parser's
 * strict mode and messages, the depth limit, the writer's row checks, the canonical text and its hash), now run in a
 * worker thread. Malformed or too deeply nested JSON throws the 400; the other findings are returned, so the caller
 * reports them in its own order.
 */
export function decodeBatch(raw: RawBody, rule: RowRule | null): DecodedBatch {
  const text = new TextDecoder(raw.charset).decode(raw.bytes);
  const body: unknown = raw.text ? text : parseStrict(text);
  if (body !== null && typeof body === 'object') assertDepth(body, MAX_BODY_DEPTH);
  const empty = body === null || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);
  const rows = Array.isArray(body) ? body : [body];
  const content = new TextEncoder().encode(JSON.stringify(body));
  return { content, rows: rows.length, hash: sha256(content), empty, rowError: empty || !rule ? null : checkRows(rule, rows) };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** JSON.parse as the JSON body parser calls it: an empty body is `{}`, and only an object or array is taken. */
function parseStrict(text: string): unknown {
  if (text.length === 0) return {};
  const first = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d])/.exec(text)?.[1];
  try {
    if (first !== '{' && first !== '[') {
      // The native message for the first character, with the rest masked so the message does not quote all of it.
      const index = first === undefined ? -1 : text.indexOf(first);
      const masked = index === -1 ? '' : text.slice(0, index) + '#'.repeat(text.length - index);
      try {
        JSON.parse(masked);
      } catch (e) {
        throw new SyntaxError((e as Error).message.replace(/#+/g, (m) => text.substring(index, index + m.length)));
      }
    }
    return JSON.parse(text) as unknown;
  } catch (e) {
    const message = (e as Error).message;
    throw new BadInputError(`malformed JSON body: ${message}`, [{ field: '(body)', message }]);
  }
}

/** Refuses the rows the flow's writer would fail, by the writer's own rule, naming them. */
function checkRows(rule: RowRule, rows: unknown[]): DecodedBatch['rowError'] {
  const checkRow = getProcessor(rule.type)?.checkRow;
  if (!checkRow) return null;
  const errors: FieldError[] = [];
  for (let i = 0; i < rows.length && errors.length < 50; i++) {
    const problem = checkRow(rows[i], rule.config);
    if (problem) errors.push({ field: problem.field ? `[${i}].${problem.field}` : `[${i}]`, message: problem.message });
  }
  if (errors.length === 0) return null;
  return { message: `${errors.length}${errors.length >= 50 ? '+' : ''} row(s) cannot be written: ${errors.slice(0, 5).map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors };
}
