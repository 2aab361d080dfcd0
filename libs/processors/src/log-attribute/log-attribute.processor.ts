import { defineProcessor, REL_SUCCESS, type FlowFile } from '@sluice/flow-api';

export const LOG_LEVEL = 'Log Level';
export const LOG_PAYLOAD = 'Log Payload';
export const ATTRIBUTES_TO_LOG = 'Attributes to Log';
export const ATTRIBUTES_TO_LOG_REGEX = 'Attributes to Log by Regular Expression';
export const ATTRIBUTES_TO_IGNORE = 'Attributes to Ignore';
export const ATTRIBUTES_TO_IGNORE_REGEX = 'Attributes to Ignore by Regular Expression';
export const LOG_FLOWFILE_PROPERTIES = 'Log FlowFile Properties';
export const OUTPUT_FORMAT = 'Output Format';
export const LOG_PREFIX = 'Log prefix';

const LINE_PER_ATTRIBUTE = 'Line per Attribute';
const SINGLE_LINE = 'Single Line';

export interface AttributeSelection {
  readonly include: ReadonlySet<string>;
  readonly includeRegex: RegExp | null;
  readonly ignore: ReadonlySet<string>;
  readonly ignoreRegex: RegExp | null;
}

const nameList = (text: string | undefined): Set<string> =>
  new Set((text ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''));

/** Java `matches()`: the whole name must match. */
const wholeMatch = (regex: string | undefined): RegExp | null => (regex === undefined || regex === '' ? null : new RegExp(`^(?:${regex})$`));

export function attributeSelection(config: {
  include?: string;
  includeRegex?: string;
  ignore?: string;
  ignoreRegex?: string;
}): AttributeSelection {
  return {
    include: nameList(config.include),
    includeRegex: wholeMatch(config.includeRegex),
    ignore: nameList(config.ignore),
    ignoreRegex: wholeMatch(config.ignoreRegex),
  };
}

/**
 * NiFi's rule: a name is logged when it is listed (or nothing is listed) and matches the include regex, unless it
 * is listed or matched as ignored. Sorted by name, as NiFi's TreeSet prints them.
 */
export function selectAttributes(attributes: Readonly<Record<string, string>>, s: AttributeSelection): [string, string][] {
  return Object.keys(attributes)
    .filter(
      (k) =>
        (s.include.size === 0 || s.include.has(k)) &&
        (s.includeRegex === null || s.includeRegex.test(k)) &&
        !s.ignore.has(k) &&
        !(s.ignoreRegex?.test(k) ?? false),
    )
    .sort()
    .map((k) => [k, attributes[k]!]);
}

export function formatLogMessage(
  ff: FlowFile,
  attributes: [string, string][],
  options: { format: string; prefix: string; flowFileProperties: boolean; payload?: string },
): string {
  const dashes = '-'.repeat(50);
  const header = options.prefix ? `${dashes}${options.prefix}${dashes}` : dashes;
  const properties: [string, string][] = options.flowFileProperties
    ? [
        ['entryDate', new Date(ff.entryDate).toISOString()],
        ['lineageStartDate', new Date(ff.lineageStartDate).toISOString()],
        ['fileSize', String(ff.size)],
      ]
    : [];
  if (options.format === SINGLE_LINE) {
    const list = (pairs: [string, string][]) => `[${pairs.map(([k, v]) => `${k}=${v}`).join(', ')}]`;
    const parts = [header];
    if (options.flowFileProperties) parts.push(`FlowFile Properties: ${list(properties)}`);
    parts.push(`FlowFile Attribute Map Content: ${list(attributes)}`);
    if (options.payload !== undefined) parts.push(`Payload: ${options.payload}`);
    return parts.join(' ');
  }
  const lines = [header];
  if (options.flowFileProperties) {
    lines.push('FlowFile Properties');
    for (const [k, v] of properties) lines.push(`Key: '${k}'`, `\tValue: '${v}'`);
  }
  lines.push('FlowFile Attribute Map Content');
  for (const [k, v] of attributes) lines.push(`Key: '${k}'`, `\tValue: '${v}'`);
  lines.push(header);
  if (options.payload !== undefined) lines.push(options.payload);
  return lines.join('\n');
}

export const LogAttribute = defineProcessor({
  descriptor: {
    type: 'LogAttribute',
    version: 1,
    displayName: 'Log Attribute',
    description: 'Writes the attributes (and optionally the content) of each FlowFile to the log, then passes it on unchanged.',
    category: 'utility',
    tags: ['attributes', 'logging', 'debug'],
    properties: [
      {
        name: LOG_LEVEL,
        displayName: 'Log Level',
        description: 'The level the message is logged at.',
        type: 'enum',
        default: 'info',
        required: true,
        allowableValues: ['debug', 'info', 'warn', 'error'].map((v) => ({ value: v, displayName: v })),
      },
      { name: LOG_PAYLOAD, displayName: 'Log Payload', description: 'Also log the content, as UTF-8 text.', type: 'boolean', default: 'false', required: true },
      {
        name: ATTRIBUTES_TO_LOG,
        displayName: 'Attributes to Log',
        description: 'Comma-separated names of the attributes to log (all when empty); a name must also match the regular expression below.',
        type: 'string',
      },
      {
        name: ATTRIBUTES_TO_LOG_REGEX,
        displayName: 'Attributes to Log by Regular Expression',
        description: 'Attributes whose whole name matches are logged.',
        type: 'string',
        default: '.*',
        validators: [{ kind: 'validRegex' }],
      },
      { name: ATTRIBUTES_TO_IGNORE, displayName: 'Attributes to Ignore', description: 'Comma-separated names of attributes never logged.', type: 'string' },
      {
        name: ATTRIBUTES_TO_IGNORE_REGEX,
        displayName: 'Attributes to Ignore by Regular Expression',
        description: 'Attributes whose whole name matches are never logged.',
        type: 'string',
        validators: [{ kind: 'validRegex' }],
      },
      {
        name: LOG_FLOWFILE_PROPERTIES,
        displayName: 'Log FlowFile Properties',
        description: 'Also log entry date, lineage start date and size.',
        type: 'boolean',
        default: 'true',
        required: true,
      },
      {
        name: OUTPUT_FORMAT,
        displayName: 'Output Format',
        description: 'One line per attribute, or everything on a single line.',
        type: 'enum',
        default: LINE_PER_ATTRIBUTE,
        required: true,
        allowableValues: [
          { value: LINE_PER_ATTRIBUTE, displayName: LINE_PER_ATTRIBUTE },
          { value: SINGLE_LINE, displayName: SINGLE_LINE },
        ],
      },
      { name: LOG_PREFIX, displayName: 'Log Prefix', description: 'Text in the header line, to find these messages in the log.', type: 'string', expressionScope: 'flowfile', editor: 'el' },
    ],
    relationships: [{ name: REL_SUCCESS.name, description: 'Every FlowFile, unchanged.' }],
    inputRequirement: 'required',
    defaultRunDuration: '25 ms',
  },

  async onTrigger(ctx, session) {
    // One FlowFile per run, as NiFi's LogAttribute, so its schedule paces the flow.
    const level = (ctx.property(LOG_LEVEL).asString() ?? 'info') as 'debug' | 'info' | 'warn' | 'error';
    if (ctx.log.isEnabled?.(level) === false) {
      // As NiFi does: nothing would be written, so skip formatting and pass FlowFiles on in chunks.
      for (const skipped of session.getBatch(50)) session.transfer(skipped, REL_SUCCESS);
      return;
    }
    const ff = session.get();
    if (!ff) return;
    const selection = ctx.cache('selection', () =>
      attributeSelection({
        include: ctx.property(ATTRIBUTES_TO_LOG).asString(),
        includeRegex: ctx.property(ATTRIBUTES_TO_LOG_REGEX).asString(),
        ignore: ctx.property(ATTRIBUTES_TO_IGNORE).asString(),
        ignoreRegex: ctx.property(ATTRIBUTES_TO_IGNORE_REGEX).asString(),
      }),
    );
    const message = formatLogMessage(ff, selectAttributes(ff.attributes, selection), {
      format: ctx.property(OUTPUT_FORMAT).asString() ?? LINE_PER_ATTRIBUTE,
      prefix: ctx.property(LOG_PREFIX).evaluate(ff).asString() ?? '',
      flowFileProperties: ctx.property(LOG_FLOWFILE_PROPERTIES).asBoolean() ?? true,
      payload: ctx.property(LOG_PAYLOAD).asBoolean() ? await session.readText(ff) : undefined,
    });
    (ctx.log[level] ?? ctx.log.info).call(ctx.log, message);
    session.transfer(ff, REL_SUCCESS);
  },
});
