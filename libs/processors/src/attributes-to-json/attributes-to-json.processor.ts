import { handleList, propertyHandles, CoreAttributes, defineProcessor, REL_FAILURE, REL_SUCCESS, type FlowFile, type PropertyValues, type ValidationResult } from '@sluice/flow-api';
import { objectFrom, parseJson, stringifyJson } from '@sluice/jolt';
import { hasExpression } from '../text-shared/text-lines.util.js';
import { checkUserRegex, compileUserRegex, matchWhole } from '../text-shared/user-regex.util.js';

export const ATTRIBUTES_LIST = 'Attributes List';
export const ATTRIBUTES_REGEX = 'Attributes Regular Expression';
export const DESTINATION = 'Destination';
export const INCLUDE_CORE = 'Include Core Attributes';
export const NULL_VALUE = 'Null Value';
export const JSON_HANDLING = 'JSON Handling Strategy';
export const PRETTY_PRINT = 'Pretty Print';
export const JSON_ATTRIBUTE = 'JSONAttributes';

const TO_ATTRIBUTE = 'flowfile-attribute';
const TO_CONTENT = 'flowfile-content';
const ESCAPED = 'ESCAPED';
const NESTED = 'NESTED';
/** NiFi's CoreAttributes keys. */
const CORE = new Set(['filename', 'path', 'absolute.path', 'mime.type', 'priority', 'discard.reason', 'alternate.identifier', 'uuid']);
const bool = [{ value: 'true', displayName: 'true' }, { value: 'false', displayName: 'false' }];

class ConversionError extends Error {}

/**
 * The attributes to write, in NiFi's way: with a list or a regex only those (a listed attribute that is missing is ""
 * or null), and then Include Core Attributes is not applied — NiFi drops core attributes only when it writes all of
 * them; listed ones keep their list order, then regex matches in attribute order.
 */
function selectAttributes(ff: FlowFile, list: string[] | null, pattern: ReturnType<typeof compileUserRegex> | null, nullForMissing: boolean, includeCore: boolean): [string, string | null][] {
  const attrs = ff.attributes;
  if (list || pattern) {
    const out = new Map<string, string | null>();
    for (const name of list ?? []) out.set(name, attrs[name] ?? (nullForMissing ? null : ''));
    if (pattern) for (const [k, v] of Object.entries(attrs)) if (matchWhole(pattern, k)) out.set(k, v);
    return [...out];
  }
  return Object.entries(attrs).filter(([k]) => includeCore || !CORE.has(k));
}

/** NESTED: a value that looks like a JSON object or array (after trimming) is written as JSON; one that is not valid JSON fails. */
function formatValue(value: string | null, nested: boolean): unknown {
  if (!nested || value === null) return value;
  const t = value.trim();
  if (!((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']')))) return value;
  try {
    return parseJson(t, { javaDoubles: true });
  } catch (e) {
    throw new ConversionError(`attribute value is not valid JSON (expecting a JSON value): ${(e as Error).message}`);
  }
}

function parseList(text: string | undefined): string[] | null {
  if (text === undefined || text.trim() === '') return null;
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return names.length ? [...new Set(names)] : null;
}

const PROPS = propertyHandles([
  {
    name: ATTRIBUTES_LIST,
    displayName: 'Attributes List',
    description: 'Comma-separated attribute names to include (case sensitive). Empty includes every attribute; a listed attribute that is missing is written as "" (or null, see Null Value).',
    type: 'string',
    validators: [{ kind: 'minLength', min: 1 }],
  },
  {
    name: ATTRIBUTES_REGEX,
    displayName: 'Attributes Regular Expression',
    description: 'A Java regular expression; attributes whose whole name matches are included, together with the Attributes List.',
    type: 'string',
    expressionScope: 'environment',
    validators: [{ kind: 'minLength', min: 1 }],
  },
  {
    name: DESTINATION,
    displayName: 'Destination',
    description: "Write the JSON to the 'JSONAttributes' attribute or replace the content with it.",
    type: 'enum',
    required: true,
    default: TO_ATTRIBUTE,
    allowableValues: [
      { value: TO_ATTRIBUTE, displayName: 'flowfile-attribute' },
      { value: TO_CONTENT, displayName: 'flowfile-content' },
    ],
  },
  {
    name: INCLUDE_CORE,
    displayName: 'Include Core Attributes',
    description: 'Include NiFi core attributes (filename, path, uuid, mime.type, …). Applies only when neither a list nor a regex is set, as in NiFi.',
    type: 'enum',
    required: true,
    default: 'true',
    allowableValues: bool,
  },
  {
    name: NULL_VALUE,
    displayName: 'Null Value',
    description: 'Write a listed attribute that does not exist as null (true) or as an empty string (false).',
    type: 'enum',
    required: true,
    default: 'false',
    allowableValues: bool,
  },
  {
    name: JSON_HANDLING,
    displayName: 'JSON Handling Strategy',
    description: 'How attribute values holding JSON are written.',
    type: 'enum',
    required: true,
    default: ESCAPED,
    allowableValues: [
      { value: ESCAPED, displayName: 'Escaped', description: 'Escapes JSON attribute values to strings' },
      { value: NESTED, displayName: 'Nested', description: 'Handles JSON attribute values as nested structured objects or arrays' },
    ],
  },
  {
    name: PRETTY_PRINT,
    displayName: 'Pretty Print',
    description: 'Apply pretty print formatting to the output.',
    type: 'enum',
    required: true,
    default: 'false',
    allowableValues: bool,
    dependsOn: [{ property: DESTINATION, values: [TO_CONTENT] }],
  },
]);

export const AttributesToJSON = defineProcessor({
  descriptor: {
    type: 'AttributesToJSON',
    version: 1,
    displayName: 'Attributes To JSON',
    description:
      "Writes a JSON object of the FlowFile's attributes (all, a list, or those whose names match a regular expression) to the " +
      "'JSONAttributes' attribute or to the content. Attribute values holding JSON can be nested as JSON instead of strings.",
    category: 'transform',
    tags: ['json', 'attributes', 'flowfile'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SUCCESS.name, description: 'Successfully converted attributes to JSON' },
      { ...REL_FAILURE, description: 'Failed to convert attributes to JSON (a Nested value that looks like JSON but is not)' },
    ],
    inputRequirement: 'required',
    writesAttributes: [
      { name: JSON_ATTRIBUTE, description: 'JSON representation of Attributes (flowfile-attribute).' },
      { name: CoreAttributes.MIME_TYPE, description: 'application/json (flowfile-content).' },
    ],
  },

  migrateProperties(config) {
    config.renameProperty('attributes-to-json-regex', ATTRIBUTES_REGEX);
  },

  validate(config: PropertyValues): ValidationResult[] {
    // Blank means "not set" elsewhere; NiFi's non-empty validator refuses it for these two.
    for (const p of [ATTRIBUTES_LIST, ATTRIBUTES_REGEX]) {
      if (config[p] === '') return [{ property: p, message: `${p} cannot be empty: remove it to include every attribute`, code: 'invalid' }];
    }
    const regex = config[ATTRIBUTES_REGEX];
    if (regex === undefined || hasExpression(regex)) return [];
    const problem = checkUserRegex(regex);
    return problem ? [{ property: ATTRIBUTES_REGEX, message: `${ATTRIBUTES_REGEX}: ${problem}`, code: 'invalid' }] : [];
  },

  async onTrigger(ctx, session) {
    const original = session.get();
    if (!original) return;
    const settings = ctx.cache('attributes-to-json', () => {
      const regex = ctx.property(PROPS[ATTRIBUTES_REGEX]);
      return {
        list: parseList(ctx.get(PROPS[ATTRIBUTES_LIST])),
        pattern: regex.isSet() ? compileUserRegex(regex.evaluate().raw ?? '') : null,
        toContent: ctx.get(PROPS[DESTINATION]) === TO_CONTENT,
        includeCore: ctx.get(PROPS[INCLUDE_CORE]) === 'true',
        nullForMissing: ctx.get(PROPS[NULL_VALUE]) === 'true',
        nested: ctx.get(PROPS[JSON_HANDLING]) === NESTED,
        pretty: ctx.get(PROPS[PRETTY_PRINT]) === 'true',
      };
    });
    const selected = selectAttributes(original, settings.list, settings.pattern, settings.nullForMissing, settings.includeCore);
    let json: string;
    try {
      const values = new Map(selected.map(([k, v]) => [k, formatValue(v, settings.nested)]));
      const doc = objectFrom([...values.keys()], (k) => values.get(k));
      json = stringifyJson(doc, { pretty: settings.toContent && settings.pretty });
    } catch (e) {
      if (!(e instanceof ConversionError)) throw e;
      ctx.log.error(e.message);
      session.transfer(original, REL_FAILURE);
      return;
    }
    if (settings.toContent) {
      const out = session.putAttribute(session.write(original, json), CoreAttributes.MIME_TYPE, 'application/json');
      session.transfer(out, REL_SUCCESS);
    } else {
      session.transfer(session.putAttribute(original, JSON_ATTRIBUTE, json), REL_SUCCESS);
    }
  },
});
