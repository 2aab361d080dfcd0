import {
  handleList, propertyHandles,
  checkCharset, CoreAttributes, decodeText, defineProcessor, REL_SUCCESS,
  type FlowFile, type PropertyConfiguration, type PropertyValues, type ValidationResult,
} from '@sluice/flow-api';
import { checkUserRegex, compileUserRegex } from '../text-shared/user-regex.util.js';

export const LOG_LEVEL = 'Log Level';
export const LOG_PAYLOAD = 'Log Payload';
export const ATTRIBUTES_TO_LOG = 'Attributes to Log';
export const ATTRIBUTES_TO_LOG_REGEX = 'Attributes to Log Regular Expression';
export const ATTRIBUTES_TO_IGNORE = 'Attributes to Ignore';
export const ATTRIBUTES_TO_IGNORE_REGEX = 'Attributes to Ignore Regular Expression';
export const LOG_FLOWFILE_PROPERTIES = 'Log FlowFile Properties';
export const OUTPUT_FORMAT = 'Output Format';
export const LOG_PREFIX = 'Log Prefix';
export const CHARSET = 'Character Set';

export const LINE_PER_ATTRIBUTE = 'Line per Attribute';
export const SINGLE_LINE = 'Single Line';
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];
/** NiFi logs a payload only below this size. */
export const MAX_PAYLOAD = 1024 * 1024;

export interface AttributeSelection {
  readonly include: ReadonlySet<string>;
  readonly includeRegex: RegExp;
  readonly ignore: ReadonlySet<string>;
  readonly ignoreRegex: RegExp | null;
}

/** Java's `split("\\s*,\\s*")` of a non-blank list: trailing empty names are dropped, inner ones kept. */
function nameList(text: string | undefined): Set<string> {
  if (text === undefined || text.trim() === '') return new Set();
  const names = text.split(/\s*,\s*/);
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  return new Set(names);
}

/** Java `matches()`: the whole name must match. */
const wholeMatch = (regex: string): RegExp => compileUserRegex(regex).full;

export function attributeSelection(config: { include?: string; includeRegex?: string; ignore?: string; ignoreRegex?: string }): AttributeSelection {
  return {
    include: nameList(config.include),
    includeRegex: wholeMatch(config.includeRegex ?? '.*'),
    ignore: nameList(config.ignore),
    ignoreRegex: config.ignoreRegex === undefined || config.ignoreRegex === '' ? null : wholeMatch(config.ignoreRegex),
  };
}

/**
 * NiFi's rule: a name is logged when it is listed (or nothing is listed) and matches the include regex, unless it
 * is listed or matched as ignored. Sorted by name, as NiFi's TreeSet prints them.
 */
export function selectAttributes(attributes: Readonly<Record<string, string>>, s: AttributeSelection): [string, string][] {
  return Object.keys(attributes)
    .filter((k) => (s.include.size === 0 || s.include.has(k)) && s.includeRegex.test(k) && !s.ignore.has(k) && !(s.ignoreRegex?.test(k) ?? false))
    .sort()
    .map((k) => [k, attributes[k]!]);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `java.util.Date.toString()` in UTC: `Sat Nov 22 10:00:00 UTC 2026`. */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** The header line: 50 dashes, or the prefix (abbreviated to 40 characters) centred in dashes. */
export function dashedLine(prefix: string | undefined): string {
  if (prefix === undefined || prefix.trim() === '') return '-'.repeat(50);
  const text = prefix.length > 40 ? `${prefix.slice(0, 37)}...` : prefix;
  const pad = 40 - text.length;
  const left = Math.floor(pad / 2);
  return `${'-'.repeat(5 + left)}${text}${'-'.repeat(5 + pad - left)}`;
}

export interface LogOptions {
  readonly format: string;
  readonly prefix?: string;
  readonly flowFileProperties: boolean;
  /** The decoded content, or null when it was too large to log. Absent when Log Payload is off. */
  readonly payload?: string | null;
}

/** The message NiFi's LogAttribute writes for one FlowFile. */
export function formatLogMessage(ff: FlowFile, attributes: readonly [string, string][], options: LogOptions): string {
  let message = `logging for FlowFile FlowFile[uuid=${ff.uuid},name=${ff.attributes[CoreAttributes.FILENAME] ?? ''},size=${ff.size}]\n`;
  const properties: [string, string][] = [
    ['entryDate', javaDate(ff.entryDate)],
    ['lineageStartDate', javaDate(ff.lineageStartDate)],
    ['fileSize', String(ff.size)],
  ];
  if (options.format === SINGLE_LINE) {
    const all = [...attributes, ...(options.flowFileProperties ? properties : [])];
    // A TreeMap: sorted by key, a FlowFile property replacing an attribute of the same name.
    const map = new Map<string, string>(all);
    const keys = [...map.keys()].sort();
    message += `FlowFile Properties: {${keys.map((k) => `${k}=${map.get(k)}`).join(', ')}}`;
  } else {
    const line = dashedLine(options.prefix);
    const entry = ([k, v]: [string, string]) => `\nKey: '${k}'\n\tValue: '${v}'`;
    message += line;
    if (options.flowFileProperties) message += `\nFlowFile Properties${properties.map(entry).join('')}`;
    message += `\nFlowFile Attribute Map Content${attributes.map(entry).join('')}\n${line}`;
  }
  if (options.payload !== undefined) message += options.payload === null ? '\n\n Not including payload since it is larger than one mb.' : `\n${options.payload}`;
  return message.trim();
}

export function migrateLogAttributeProperties(config: PropertyConfiguration): void {
  config.renameProperty('attributes-to-log-regex', ATTRIBUTES_TO_LOG_REGEX);
  config.renameProperty('attributes-to-ignore-regex', ATTRIBUTES_TO_IGNORE_REGEX);
  config.renameProperty('character-set', CHARSET);
  config.renameProperty('Log prefix', LOG_PREFIX);
  // Earlier Sluice versions stored NiFi 1.x's display names.
  config.renameProperty('Attributes to Log by Regular Expression', ATTRIBUTES_TO_LOG_REGEX);
  config.renameProperty('Attributes to Ignore by Regular Expression', ATTRIBUTES_TO_IGNORE_REGEX);
}

const PROPS = propertyHandles([
  {
    name: LOG_LEVEL,
    displayName: 'Log Level',
    description: 'The level to log the attributes at (trace is written at debug, the finest level Sluice has).',
    type: 'enum',
    default: 'info',
    required: true,
    allowableValues: LEVELS.map((v) => ({ value: v, displayName: v })),
  },
  { name: LOG_PAYLOAD, displayName: 'Log Payload', description: 'Also log the content (below 1 MB), decoded with the Character Set.', type: 'boolean', default: 'false', required: true },
  {
    name: ATTRIBUTES_TO_LOG,
    displayName: 'Attributes to Log',
    description: 'Comma-separated names of the attributes to log (all when empty); a name must also match the regular expression below.',
    type: 'string',
  },
  {
    name: ATTRIBUTES_TO_LOG_REGEX,
    displayName: 'Attributes to Log Regular Expression',
    description: 'Attributes whose whole name matches are logged (and, when Attributes to Log is set, are listed there too).',
    type: 'string',
    default: '.*',
  },
  { name: ATTRIBUTES_TO_IGNORE, displayName: 'Attributes to Ignore', description: 'Comma-separated names of attributes never logged.', type: 'string' },
  {
    name: ATTRIBUTES_TO_IGNORE_REGEX,
    displayName: 'Attributes to Ignore Regular Expression',
    description: 'Attributes whose whole name matches are never logged.',
    type: 'string',
  },
  {
    name: LOG_FLOWFILE_PROPERTIES,
    displayName: 'Log FlowFile Properties',
    description: 'Also log the entry date, lineage start date (both in UTC) and content size.',
    type: 'boolean',
    default: 'true',
    required: true,
  },
  {
    name: OUTPUT_FORMAT,
    displayName: 'Output Format',
    description: 'One line for each attribute name and one for its value, or everything on a single line.',
    type: 'enum',
    default: LINE_PER_ATTRIBUTE,
    required: true,
    allowableValues: [
      { value: LINE_PER_ATTRIBUTE, displayName: LINE_PER_ATTRIBUTE, description: 'Best when looking at the attributes of one FlowFile.' },
      { value: SINGLE_LINE, displayName: SINGLE_LINE, description: 'Best when comparing the logs of many FlowFiles.' },
    ],
  },
  {
    name: LOG_PREFIX,
    displayName: 'Log Prefix',
    description: 'Text centred in the dashed header lines, to tell several LogAttribute processors apart.',
    type: 'string',
    expressionScope: 'flowfile',
    editor: 'el',
  },
  {
    name: CHARSET,
    displayName: 'Character Set',
    description: 'The character set the payload is decoded with.',
    type: 'string',
    default: 'UTF-8',
    required: true,
    expressionScope: 'flowfile',
    validators: [{ kind: 'charset' }],
  },
]);

export const LogAttribute = defineProcessor({
  descriptor: {
    type: 'LogAttribute',
    version: 2,
    displayName: 'Log Attribute',
    description: 'Writes the attributes (and optionally the content) of each FlowFile to the log, then passes it on unchanged.',
    category: 'utility',
    tags: ['attributes', 'logging'],
    properties: handleList(PROPS),
    relationships: [{ name: REL_SUCCESS.name, description: 'All FlowFiles, unchanged.' }],
    inputRequirement: 'required',
    defaultRunDuration: '25 ms',
  },

  migrateProperties: migrateLogAttributeProperties,

  validate(config: PropertyValues): ValidationResult[] {
    const results: ValidationResult[] = [];
    for (const property of [ATTRIBUTES_TO_LOG_REGEX, ATTRIBUTES_TO_IGNORE_REGEX]) {
      const regex = config[property];
      const problem = regex === undefined || regex === '' ? null : checkUserRegex(regex);
      if (problem) results.push({ property, message: `${property}: ${problem}`, code: 'invalid' });
    }
    return results;
  },

  async onTrigger(ctx, session) {
    const chosen = ctx.get(PROPS[LOG_LEVEL]).toLowerCase() as Level;
    if (!LEVELS.includes(chosen)) throw new Error(`${LOG_LEVEL}: '${chosen}' is not one of ${LEVELS.join(', ')}`);
    const level = chosen === 'trace' ? 'debug' : chosen;
    if (ctx.log.isEnabled?.(level) === false) {
      // As NiFi does: nothing would be written, so skip formatting and pass FlowFiles on in chunks.
      for (const skipped of session.getBatch(50)) session.transfer(skipped, REL_SUCCESS);
      return;
    }
    // One FlowFile per trigger, as NiFi's LogAttribute, so its schedule paces the flow.
    const ff = session.get();
    if (!ff) return;
    const selection = ctx.cache('selection', () =>
      attributeSelection({
        include: ctx.get(PROPS[ATTRIBUTES_TO_LOG]),
        includeRegex: ctx.get(PROPS[ATTRIBUTES_TO_LOG_REGEX]),
        ignore: ctx.get(PROPS[ATTRIBUTES_TO_IGNORE]),
        ignoreRegex: ctx.get(PROPS[ATTRIBUTES_TO_IGNORE_REGEX]),
      }),
    );
    // As in NiFi, the character set is resolved for every FlowFile, so a bad one fails whether or not the payload is logged.
    const charset = ctx.get(PROPS[CHARSET], ff);
    const badCharset = checkCharset(charset);
    if (badCharset) throw new Error(`${CHARSET}: ${badCharset}`);
    let payload: string | null | undefined;
    if (ctx.get(PROPS[LOG_PAYLOAD])) payload = ff.size < MAX_PAYLOAD ? decodeText(await session.read(ff), charset) : null;
    const message = formatLogMessage(ff, selectAttributes(ff.attributes, selection), {
      format: ctx.get(PROPS[OUTPUT_FORMAT]),
      prefix: ctx.get(PROPS[LOG_PREFIX], ff),
      flowFileProperties: ctx.get(PROPS[LOG_FLOWFILE_PROPERTIES]),
      payload,
    });
    ctx.log[level](message);
    session.transfer(ff, REL_SUCCESS);
  },
});
