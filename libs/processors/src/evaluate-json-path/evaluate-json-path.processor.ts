import { checkJsonPath, queryJsonPath } from '@sluice/expression';
import { handleList, propertyHandles, defineProcessor, REL_FAILURE, type PropertyValues, type ValidationResult } from '@sluice/flow-api';
import { javaScalarText } from '../text-shared/json-text.util.js';

export const DESTINATION = 'Destination';
export const RETURN_TYPE = 'Return Type';
export const PATH_NOT_FOUND = 'Path Not Found Behavior';
export const NULL_VALUE = 'Null Value Representation';
export const MAX_STRING_LENGTH = 'Max String Length';

const TO_CONTENT = 'flowfile-content';
const TO_ATTRIBUTE = 'flowfile-attribute';
const AUTO = 'auto-detect';
const JSON_TYPE = 'json';
const SCALAR = 'scalar';
const IGNORE = 'ignore';
const WARN = 'warn';
const SKIP = 'skip';
const EMPTY_STRING = 'empty string';
const NULL_STRING = "the string 'null'";
const STATIC = new Set([DESTINATION, RETURN_TYPE, PATH_NOT_FOUND, NULL_VALUE, MAX_STRING_LENGTH]);

class NotJson extends Error {}

function parseContent(text: string, maxString: number): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new NotJson(`content is not valid JSON: ${(e as Error).message}`);
  }
  if (text.length > maxString && longestString(doc) > maxString) throw new NotJson(`content holds a string longer than ${MAX_STRING_LENGTH} (${maxString})`);
  return doc;
}

function longestString(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (v === null || typeof v !== 'object') return 0;
  let max = 0;
  for (const x of Array.isArray(v) ? v : Object.values(v)) max = Math.max(max, longestString(x));
  return max;
}

/** What a path read yields, with Jayway's rules: a definite path that leads nowhere is "not found"; an indefinite one is a list. */
function read(doc: unknown, path: string): { found: false } | { found: true; value: unknown } {
  const { definite, values } = queryJsonPath(doc, path);
  if (!definite) return { found: true, value: values };
  return values.length === 0 ? { found: false } : { found: true, value: values[0] };
}

const isScalar = (v: unknown) => v === null || typeof v !== 'object';

/**
 * A JsonPath as Jayway compiles it: a path not starting with `$` or `@` is read from the root (`name` is `$.name`),
 * and whitespace outside brackets, empty brackets and a trailing `.` are errors. Returns the path to evaluate, or
 * the reason it is not valid.
 */
export function jaywayPath(text: string): { path: string } | { error: string } {
  const t = text.trim();
  if (t === '') return { error: 'the expression cannot be empty' };
  const path = t.startsWith('$') || t.startsWith('@') ? t : `$.${t}`;
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (depth > 0 && (c === "'" || c === '"')) quote = c;
    else if (c === '[') {
      if (path[i + 1] === ']') return { error: `'${text}' has empty brackets []` };
      depth++;
    } else if (c === ']') depth--;
    else if (depth === 0 && /\s/.test(c)) return { error: `'${text}' has whitespace outside brackets` };
  }
  if (/\.$/.test(path)) return { error: `'${text}' is incomplete: it ends with '.'` };
  const problem = checkJsonPath(path);
  return problem ? { error: problem } : { path };
}

const PROPS = propertyHandles([
  {
    name: DESTINATION,
    displayName: 'Destination',
    description: 'Whether results go to FlowFile attributes (one per property) or replace the content (exactly one property; its name is ignored).',
    type: 'enum',
    required: true,
    default: TO_CONTENT,
    allowableValues: [
      { value: TO_CONTENT, displayName: 'flowfile-content' },
      { value: TO_ATTRIBUTE, displayName: 'flowfile-attribute' },
    ],
  },
  {
    name: RETURN_TYPE,
    displayName: 'Return Type',
    description: "The type of the results: auto-detect is 'json' for flowfile-content and 'scalar' for flowfile-attribute.",
    type: 'enum',
    required: true,
    default: AUTO,
    allowableValues: [
      { value: AUTO, displayName: 'auto-detect' },
      { value: JSON_TYPE, displayName: 'json' },
      { value: SCALAR, displayName: 'scalar' },
    ],
  },
  {
    name: PATH_NOT_FOUND,
    displayName: 'Path Not Found Behavior',
    description: "For flowfile-attribute: a path that leads nowhere sets an empty attribute (ignore, warn: also logs a warning) or sets none (skip).",
    type: 'enum',
    required: true,
    default: IGNORE,
    allowableValues: [
      { value: WARN, displayName: 'warn' },
      { value: IGNORE, displayName: 'ignore' },
      { value: SKIP, displayName: 'skip' },
    ],
    dependsOn: [{ property: DESTINATION, values: [TO_ATTRIBUTE] }],
  },
  {
    name: NULL_VALUE,
    displayName: 'Null Value Representation',
    description: 'How a path whose value is null is written.',
    type: 'enum',
    required: true,
    default: EMPTY_STRING,
    allowableValues: [
      { value: EMPTY_STRING, displayName: 'empty string' },
      { value: NULL_STRING, displayName: "the string 'null'" },
    ],
  },
  {
    name: MAX_STRING_LENGTH,
    displayName: 'Max String Length',
    description: 'The longest string value the JSON document may hold; a longer one sends the FlowFile to failure.',
    type: 'dataSize',
    required: true,
    default: '20 MB',
  },
]);

export const EvaluateJsonPath = defineProcessor({
  descriptor: {
    type: 'EvaluateJsonPath',
    version: 1,
    displayName: 'Evaluate JSON Path',
    description:
      'Evaluates JsonPath expressions (one per user-added property) against the JSON content and writes the results to attributes ' +
      'named after the properties, or replaces the content with the one result. Return Type auto-detect means scalar for attributes ' +
      'and json for content; an array or object read as scalar sends the FlowFile to failure.',
    category: 'transform',
    tags: ['JSON', 'evaluate', 'JsonPath'],
    properties: handleList(PROPS),
    relationships: [
      { name: 'matched', description: 'The JsonPaths were evaluated and the FlowFile updated (for attributes: always, even when a path was not found).' },
      { name: 'unmatched', description: 'For flowfile-content: the path led nowhere; the content is unchanged.' },
      { ...REL_FAILURE, description: 'The content is not JSON, or a scalar was asked for and the path selected an array or object.' },
    ],
    dynamicProperties: {
      description: 'The name is the attribute to set (flowfile-attribute) and the value a JsonPath expression such as $.order.id.',
      expressionScope: 'none',
    },
    inputRequirement: 'required',
    writesAttributes: [{ name: '(dynamic property name)', description: 'The result of the property\'s JsonPath, for flowfile-attribute.' }],
  },

  validate(config: PropertyValues): ValidationResult[] {
    const out: ValidationResult[] = [];
    const paths = Object.keys(config).filter((k) => !STATIC.has(k) && config[k] !== undefined);
    for (const name of paths) {
      const value = config[name]!;
      const r = jaywayPath(value);
      if ('error' in r) out.push({ property: name, message: `${name}: specified expression was not valid: ${r.error}`, code: 'invalid' });
    }
    if (config[DESTINATION] === TO_CONTENT && paths.length !== 1) {
      out.push({
        property: null,
        message: `Exactly one JsonPath must be set if using destination of ${TO_CONTENT} (found ${paths.length}); add one property whose value is a JsonPath`,
        code: paths.length === 0 ? 'required' : 'invalid',
      });
    }
    return out;
  },

  async onTrigger(ctx, session) {
    let flowFile = session.get();
    if (!flowFile) return;
    const toAttribute = ctx.get(PROPS[DESTINATION]) === TO_ATTRIBUTE;
    let returnType = ctx.get(PROPS[RETURN_TYPE]);
    if (returnType === AUTO) returnType = toAttribute ? SCALAR : JSON_TYPE;
    const notFound = toAttribute ? ctx.get(PROPS[PATH_NOT_FOUND]) : IGNORE;
    const nullText = ctx.get(PROPS[NULL_VALUE]) === NULL_STRING ? 'null' : '';
    const maxString = ctx.get(PROPS[MAX_STRING_LENGTH]);

    let doc: unknown;
    try {
      doc = parseContent(await session.readText(flowFile), maxString);
    } catch (e) {
      if (!(e instanceof NotJson)) throw e;
      ctx.log.error(`FlowFile ${flowFile.uuid} did not have valid JSON content: ${e.message}`);
      session.transfer(flowFile, REL_FAILURE);
      return;
    }
    const results: Record<string, string> = {};
    for (const [name, text] of Object.entries(ctx.dynamicProperties())) {
      const compiled = jaywayPath(text);
      if ('error' in compiled) throw new Error(`${name}: ${compiled.error}`);
      const path = compiled.path;
      const r = read(doc, path);
      if (!r.found) {
        if (notFound === WARN) ctx.log.warn(`FlowFile ${flowFile.uuid} could not find path ${path} for attribute key ${name}.`);
        if (!toAttribute) {
          session.transfer(flowFile, 'unmatched');
          return;
        }
        if (notFound !== SKIP) results[name] = '';
        continue;
      }
      if (returnType === SCALAR && !isScalar(r.value)) {
        ctx.log.error(`Unable to return a scalar value for the expression ${path} for FlowFile ${flowFile.uuid}; evaluated value was ${JSON.stringify(r.value)}. Transferring to failure.`);
        session.transfer(flowFile, REL_FAILURE);
        return;
      }
      const written = isScalar(r.value) ? javaScalarText(r.value, nullText) : JSON.stringify(r.value);
      if (toAttribute) results[name] = written;
      else flowFile = session.write(flowFile, written);
    }
    if (toAttribute && Object.keys(results).length > 0) flowFile = session.putAllAttributes(flowFile, results);
    session.transfer(flowFile, 'matched');
  },
});
