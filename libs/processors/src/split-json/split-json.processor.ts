import { handleList, propertyHandles, CoreAttributes, defineProcessor, FragmentAttributes, REL_FAILURE, type FlowFile, type PropertyValues, type ValidationResult } from '@sluice/flow-api';
import { isDefiniteJsonPath } from '@sluice/expression';
import { JSONPath } from 'jsonpath-plus';

export const JSON_PATH = 'JsonPath Expression';
export const NULL_VALUE = 'Null Value Representation';
export const MAX_STRING = 'Max String Length';
export const ERROR_ATTRIBUTE = 'split.error';

const EMPTY_STRING = 'empty string';
const NULL_STRING = 'the string \'null\'';

export function checkJsonPath(path: string): string | null {
  const p = path.trim();
  if (p === '') return 'a JsonPath expression is required';
  if (!p.startsWith('$')) return `'${path}' must start with '$'`;
  if (/\.$/.test(p)) return `'${path}' is incomplete: it ends with '.'`;
  let depth = 0;
  for (const ch of p) {
    if (ch === '[') depth++;
    else if (ch === ']' && --depth < 0) return `'${path}' has a ']' without its '['`;
  }
  if (depth !== 0) return `'${path}' has a '[' that is never closed`;
  return null;
}

/**
 * The array a JsonPath selects, with Jayway's (and so NiFi's) rules: a definite path must lead to an array; an
 * indefinite one (`$.*`, `$..sku`, `$[?(@.qty > 0)]`) yields the list of what it matched. Returns an error text
 * when there is no array to split.
 */
export function selectArray(doc: unknown, path: string): unknown[] | string {
  const p = path.trim();
  if (p === '$') return Array.isArray(doc) ? doc : `JsonPath '${path}' did not select an array`;
  // The common `$.*` needs no path engine: it is the array itself or an object's values.
  if (p === '$.*' || p === '$[*]') {
    if (Array.isArray(doc)) return doc;
    if (doc !== null && typeof doc === 'object') return Object.values(doc);
    return [];
  }
  let matches: unknown[];
  try {
    matches = JSONPath({ path: p, json: doc as object, wrap: true, eval: 'safe' }) as unknown[];
  } catch (e) {
    return `invalid JsonPath '${path}': ${(e as Error).message}`;
  }
  if (!isDefiniteJsonPath(p)) return matches;
  if (matches.length === 0) return `JsonPath '${path}' matched nothing in the content`;
  const value = matches[0];
  return Array.isArray(value) ? value : `JsonPath '${path}' selected ${value === null ? 'null' : typeof value}, not an array`;
}

function longestString(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (v === null || typeof v !== 'object') return 0;
  let max = 0;
  for (const x of Array.isArray(v) ? v : Object.values(v)) max = Math.max(max, longestString(x));
  return max;
}

/**
 * The document as NiFi's Jackson-backed JsonPath reads it: a string value longer than `maxString` is refused, and
 * so is a document that is JSON `null` (there is nothing to evaluate a path on). Returns an error text when refused.
 */
export function readDocument(text: string, maxString: number): { doc: unknown } | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `content is not valid JSON: ${(e as Error).message}`;
  }
  if (doc === null) return 'content is JSON null, not a document a JsonPath can be evaluated on';
  // No string can be longer than the text that holds it.
  if (text.length > maxString && longestString(doc) > maxString) return `content holds a string longer than ${MAX_STRING} (${maxString} characters)`;
  return { doc };
}

/** How NiFi writes one split: objects and arrays as JSON, scalars as their text, null as the configured text. */
export function splitText(value: unknown, nullText: string): string {
  if (value === null || value === undefined) return nullText;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const PROPS = propertyHandles([
  {
    name: JSON_PATH,
    displayName: 'JsonPath Expression',
    description: "The JsonPath of the array to split, such as '$.*' (every element of the top-level array) or '$.results'.",
    type: 'string',
    required: true,
    placeholder: '$.*',
  },
  {
    name: NULL_VALUE,
    displayName: 'Null Value Representation',
    description: 'The content of a split whose element is null.',
    type: 'enum',
    default: EMPTY_STRING,
    required: true,
    allowableValues: [
      { value: EMPTY_STRING, displayName: 'empty string' },
      { value: NULL_STRING, displayName: "the string 'null'" },
    ],
  },
  {
    name: MAX_STRING,
    displayName: 'Max String Length',
    description: 'The maximum allowed length of a string value when parsing the JSON document; longer ones route to failure.',
    type: 'dataSize',
    default: '20 MB',
    required: true,
  },
]);

export const SplitJson = defineProcessor({
  descriptor: {
    type: 'SplitJson',
    version: 2,
    displayName: 'Split JSON',
    description:
      'Splits a JSON document into one FlowFile per element of the array a JsonPath expression selects (an ERP page into ' +
      'its rows, for example). Each split carries fragment.* attributes so a later step can merge or count them.',
    category: 'transform',
    tags: ['json', 'split', 'jsonpath'],
    properties: handleList(PROPS),
    relationships: [
      { name: 'split', description: 'One FlowFile per element of the selected array.' },
      { name: 'original', description: 'The incoming FlowFile, once split.' },
      { ...REL_FAILURE, description: `Content that is not JSON, or a path that selects no array; '${ERROR_ATTRIBUTE}' says why.` },
    ],
    inputRequirement: 'required',
    writesAttributes: [
      { name: FragmentAttributes.IDENTIFIER, description: 'The same random id on every split of one FlowFile, and on the original.' },
      { name: FragmentAttributes.INDEX, description: 'The position of the split, from 0.' },
      { name: FragmentAttributes.COUNT, description: 'How many splits the FlowFile gave (also on the original).' },
      { name: FragmentAttributes.SEGMENT_ORIGINAL_FILENAME, description: 'The filename of the incoming FlowFile.' },
      { name: ERROR_ATTRIBUTE, error: true, description: 'Why a FlowFile went to failure.' },
    ],
  },

  validate(config: PropertyValues): ValidationResult[] {
    const path = config[JSON_PATH];
    if (path === undefined) return [];
    const problem = checkJsonPath(path);
    return problem ? [{ property: JSON_PATH, message: `JsonPath Expression: ${problem}`, code: 'invalid' }] : [];
  },

  async onTrigger(ctx, session) {
    const original = session.get();
    if (!original) return;
    const path = ctx.get(PROPS[JSON_PATH]) ?? '';
    const nullText = ctx.get(PROPS[NULL_VALUE]) === NULL_STRING ? 'null' : '';
    const fail = (ff: FlowFile, message: string) => {
      ctx.log.error(`${message}; routing ${ff.uuid} to failure`);
      session.transfer(session.putAttribute(ff, ERROR_ATTRIBUTE, message), REL_FAILURE);
    };
    const read = readDocument(await session.readText(original), ctx.get(PROPS[MAX_STRING]));
    if (typeof read === 'string') {
      fail(original, read);
      return;
    }
    const selected = selectArray(read.doc, path);
    if (typeof selected === 'string') {
      fail(original, selected);
      return;
    }
    const identifier = globalThis.crypto.randomUUID();
    const count = String(selected.length);
    const filename = original.attributes[CoreAttributes.FILENAME] ?? '';
    for (let i = 0; i < selected.length; i++) {
      let split = session.create(original);
      split = session.write(split, splitText(selected[i], nullText));
      split = session.putAllAttributes(split, {
        [FragmentAttributes.IDENTIFIER]: identifier,
        [FragmentAttributes.INDEX]: String(i),
        [FragmentAttributes.COUNT]: count,
        [FragmentAttributes.SEGMENT_ORIGINAL_FILENAME]: filename,
      });
      session.transfer(split, 'split');
    }
    const done = session.putAllAttributes(original, { [FragmentAttributes.IDENTIFIER]: identifier, [FragmentAttributes.COUNT]: count });
    session.transfer(done, 'original');
  },
});
