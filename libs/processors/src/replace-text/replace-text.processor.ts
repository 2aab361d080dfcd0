import { expandJavaReplacement, ExpressionError, type JavaRegex } from '@sluice/expression';
import { handleList, propertyHandles, defineProcessor, REL_FAILURE, REL_SUCCESS, RegexJobError, type FlowFile, type ProcessContext, type PropertyHandle, type PropertyValues, type ValidationResult } from '@sluice/flow-api';
import { charsetOf, checkCharset, decodeText, encodeText, type CharsetName } from '../text-shared/charset.util.js';
import {
  escapeBackReferenceValue, escapeLiteralBackReferences, normalizeReplacement, substituteVariables,
} from '../text-shared/java-replacement.util.js';
import { configuredText } from '../text-shared/property-text.util.js';
import { evaluateDecorated, hasExpression, splitLines } from '../text-shared/text-lines.util.js';
import { checkUserRegex, compileUserRegex, quoteJavaRegex, runUserRegex, UnsafeRegexError } from '../text-shared/user-regex.util.js';

export const STRATEGY = 'Replacement Strategy';
export const SEARCH_VALUE = 'Search Value';
export const REPLACEMENT_VALUE = 'Replacement Value';
export const PREPEND_TEXT = 'Text to Prepend';
export const APPEND_TEXT = 'Text to Append';
export const CHARACTER_SET = 'Character Set';
export const MAX_BUFFER_SIZE = 'Maximum Buffer Size';
export const EVALUATION_MODE = 'Evaluation Mode';
export const LINE_MODE = 'Line-by-Line Evaluation Mode';

const PREPEND = 'Prepend';
const APPEND = 'Append';
const SURROUND = 'Surround';
const REGEX = 'Regex Replace';
const LITERAL = 'Literal Replace';
const ALWAYS = 'Always Replace';
const SUBSTITUTE = 'Substitute Variables';
const LINE_BY_LINE = 'Line-by-Line';
const ENTIRE_TEXT = 'Entire text';
const ALL = 'All';
const FIRST_LINE = 'First-Line';
const LAST_LINE = 'Last-Line';
const EXCEPT_FIRST_LINE = 'Except-First-Line';
const EXCEPT_LAST_LINE = 'Except-Last-Line';
const DEFAULT_REGEX = '(?s)(^.*$)';

/** Routed to failure as NiFi does: a line or file over the buffer, an expression that fails, a regex too deep for the engine. */
class RouteToFailure extends Error {}

type Executor = typeof PREPEND | typeof APPEND | typeof SURROUND | typeof REGEX | typeof LITERAL | typeof ALWAYS | typeof SUBSTITUTE;

interface Settings {
  readonly executor: Executor;
  readonly entireText: boolean;
  readonly lineMode: string;
  readonly charset: CharsetName;
  readonly maxBuffer: number;
}

/** NiFi's choice of executor, with its two shortcuts to Always Replace for a Regex Replace that matches everything. */
function executorFor(strategy: string, search: string, replacement: string, entireText: boolean): Executor {
  if (strategy !== REGEX) return strategy as Executor;
  if (search === '.*') return ALWAYS;
  if (search === DEFAULT_REGEX && entireText && replacement === '') return ALWAYS;
  return REGEX;
}

function settings(ctx: ProcessContext): Settings {
  return ctx.cache('replace-text', () => {
    const entireText = ctx.get(PROPS[EVALUATION_MODE]) === ENTIRE_TEXT;
    return {
      executor: executorFor(ctx.get(PROPS[STRATEGY]), configuredText(ctx, PROPS[SEARCH_VALUE]), configuredText(ctx, PROPS[REPLACEMENT_VALUE]), entireText),
      entireText,
      lineMode: ctx.get(PROPS[LINE_MODE]),
      charset: charsetOf(ctx.get(PROPS[CHARACTER_SET])) ?? 'UTF-8',
      maxBuffer: ctx.get(PROPS[MAX_BUFFER_SIZE]),
    };
  });
}

/** Which lines the strategy applies to; the others are written unchanged. */
function appliesTo(mode: string, index: number, count: number): boolean {
  switch (mode) {
    case FIRST_LINE:
      return index === 0;
    case LAST_LINE:
      return index === count - 1;
    case EXCEPT_FIRST_LINE:
      return index > 0;
    case EXCEPT_LAST_LINE:
      return index < count - 1;
    default:
      return true;
  }
}

/**
 * The longest line NiFi's line reader holds: its 8192-character buffer doubles (by at most 1 MB a step) while the
 * new size stays within Maximum Buffer Size, so a small buffer size still reads lines of 8192 characters.
 */
export function lineLimit(maxBuffer: number): number {
  let limit = 8192;
  for (let next = Math.min(limit * 2, limit + 1_048_576); next <= maxBuffer; next = Math.min(limit * 2, limit + 1_048_576)) limit = next;
  return limit;
}

/** The lines of the text; a line longer than the line buffer sends the FlowFile to failure. */
function checkedLines(text: string, s: Settings): string[] {
  const lines = splitLines(text);
  const limit = lineLimit(s.maxBuffer);
  const long = lines.findIndex((line) => line.length > limit);
  if (long >= 0) throw new RouteToFailure(`line ${long + 1} is longer than the line buffer (${limit} characters for ${MAX_BUFFER_SIZE} ${s.maxBuffer} bytes)`);
  return lines;
}

function eachLine(text: string, s: Settings, replace: (line: string) => string): string {
  const lines = checkedLines(text, s);
  return lines.map((line, i) => (appliesTo(s.lineMode, i, lines.length) ? replace(line) : line)).join('');
}

/** The value inserted before the line's first CR or LF (or at its end). */
function appendToLine(line: string, value: string): string {
  const cr = line.indexOf('\r');
  const lf = line.indexOf('\n');
  const at = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
  return at < 0 ? line + value : line.slice(0, at) + value + line.slice(at);
}

function trailingTerminator(line: string): string {
  let i = line.length;
  while (i > 0 && (line[i - 1] === '\r' || line[i - 1] === '\n')) i--;
  return line.slice(i);
}

/** Java's String.replace(CharSequence, CharSequence): every occurrence; an empty target goes between all characters. */
function replaceLiteral(text: string, search: string, replacement: string): string {
  if (search === '') return replacement + [...text].join(replacement) + (text ? replacement : '');
  return text.split(search).join(replacement);
}

function searchRegex(ctx: ProcessContext, flowFile: FlowFile): JavaRegex {
  const raw = configuredText(ctx, PROPS[SEARCH_VALUE]);
  // What expressions return is quoted: an attribute holding `H.*o` matches that text, not a pattern.
  const source = hasExpression(raw) ? evaluateDecorated(ctx, raw, flowFile, quoteJavaRegex) : raw;
  try {
    return compileUserRegex(source);
  } catch (e) {
    if (e instanceof UnsafeRegexError) throw new RouteToFailure(e.message);
    throw new RouteToFailure(`${SEARCH_VALUE}: ${(e as Error).message}`);
  }
}

/** Regex Replace over texts (the entire text, or the lines it applies to); null for a text where nothing matched. */
async function regexReplace(ctx: ProcessContext, flowFile: FlowFile, rx: JavaRegex, texts: string[]): Promise<(string | null)[]> {
  const raw = configuredText(ctx, PROPS[REPLACEMENT_VALUE]);
  if (!hasExpression(raw)) {
    const replacement = normalizeReplacement(escapeLiteralBackReferences(raw, rx.groupCount));
    return (await runUserRegex(ctx, rx, { operation: 'replaceAll', texts, replacement })).map((r) => r.replaced ?? null);
  }
  // The replacement is evaluated per match here, where Expression Language runs; the job only finds the matches.
  const found = await runUserRegex(ctx, rx, { operation: 'findAll', texts });
  return found.map(({ matches }, i) => {
    if (matches.length === 0) return null;
    const text = texts[i]!;
    let out = '';
    let last = 0;
    for (const m of matches) {
      const groups: Record<string, string> = {};
      for (let g = 0; g <= rx.groupCount; g++) groups[`$${g}`] = m.groups[g] ?? '';
      const replacement = normalizeReplacement(escapeLiteralBackReferences(evaluateDecorated(ctx, raw, flowFile, escapeBackReferenceValue, groups), rx.groupCount));
      out += text.slice(last, m.index) + expandJavaReplacement(replacement, m, rx);
      last = m.index + m.groups[0]!.length;
    }
    return out + text.slice(last);
  });
}

async function replace(ctx: ProcessContext, flowFile: FlowFile, s: Settings, text: string): Promise<string | null> {
  const value = (handle: PropertyHandle<string, boolean>) => ctx.get(handle, flowFile) ?? '';
  switch (s.executor) {
    case PREPEND: {
      const v = value(PROPS[REPLACEMENT_VALUE]);
      return s.entireText ? v + text : eachLine(text, s, (line) => v + line);
    }
    case APPEND:
    case SURROUND: {
      const before = s.executor === SURROUND ? value(PROPS[PREPEND_TEXT]) : '';
      const after = value(s.executor === SURROUND ? PROPS[APPEND_TEXT] : PROPS[REPLACEMENT_VALUE]);
      return s.entireText ? before + text + after : eachLine(text, s, (line) => before + appendToLine(line, after));
    }
    case ALWAYS: {
      const v = value(PROPS[REPLACEMENT_VALUE]);
      return s.entireText ? v : eachLine(text, s, (line) => v + trailingTerminator(line));
    }
    case LITERAL: {
      const search = value(PROPS[SEARCH_VALUE]);
      const v = value(PROPS[REPLACEMENT_VALUE]);
      return s.entireText ? replaceLiteral(text, search, v) : eachLine(text, s, (line) => (search === '' ? line : replaceLiteral(line, search, v)));
    }
    case SUBSTITUTE:
      return s.entireText ? substituteVariables(text, flowFile.attributes) : eachLine(text, s, (line) => substituteVariables(line, flowFile.attributes));
    case REGEX: {
      const rx = searchRegex(ctx, flowFile);
      if (s.entireText) return (await regexReplace(ctx, flowFile, rx, [text]))[0]!;
      // One job for all the lines it applies to: each line is short, but together they are the whole text.
      const lines = checkedLines(text, s);
      const picked = lines.flatMap((_, i) => (appliesTo(s.lineMode, i, lines.length) ? [i] : []));
      const replaced = await regexReplace(ctx, flowFile, rx, picked.map((i) => lines[i]!));
      picked.forEach((i, k) => (lines[i] = replaced[k] ?? lines[i]!));
      return lines.join('');
    }
  }
}

const strategyValue = (value: string, description: string) => ({ value, displayName: value, description });

const PROPS = propertyHandles([
  {
    name: STRATEGY,
    displayName: 'Replacement Strategy',
    description: "The strategy for how and what to replace within the FlowFile's text content.",
    type: 'enum',
    required: true,
    default: REGEX,
    allowableValues: [
      strategyValue(PREPEND, 'Insert the Replacement Value at the beginning of the text or of each line.'),
      strategyValue(APPEND, 'Insert the Replacement Value at the end of the text or of each line (before its line ending).'),
      strategyValue(SURROUND, 'Insert Text to Prepend before and Text to Append after the text or each line.'),
      strategyValue(REGEX, 'Replace every match of the Search Value regular expression; $1, $2 refer to its capturing groups. A Search Value of .* replaces everything without evaluating it.'),
      strategyValue(LITERAL, 'Replace every occurrence of the Search Value text.'),
      strategyValue(ALWAYS, 'Replace the entire text or each entire line with the Replacement Value; the Search Value is ignored.'),
      strategyValue(SUBSTITUTE, 'Replace ${name} references in the content with FlowFile attributes; Search and Replacement Values are ignored.'),
    ],
  },
  {
    name: SEARCH_VALUE,
    displayName: 'Search Value',
    description: 'The text (Literal Replace) or Java regular expression (Regex Replace) to search for. Results of Expression Language are quoted, so an attribute value is matched literally.',
    type: 'string',
    editor: 'el',
    required: true,
    default: DEFAULT_REGEX,
    expressionScope: 'flowfile',
    dependsOn: [{ property: STRATEGY, values: [REGEX, LITERAL] }],
  },
  {
    name: REPLACEMENT_VALUE,
    displayName: 'Replacement Value',
    description: "The value to insert. With Regex Replace, $1, $2… refer to capturing groups (a reference to a group that does not exist stays literal), also usable in Expression Language as '$1'.",
    type: 'string',
    editor: 'el',
    required: true,
    default: '$1',
    expressionScope: 'flowfile',
    dependsOn: [{ property: STRATEGY, values: [REGEX, LITERAL, ALWAYS, PREPEND, APPEND] }],
  },
  {
    name: PREPEND_TEXT,
    displayName: 'Text to Prepend',
    description: 'The text to prepend to the start of the text, or each line (Surround).',
    type: 'string',
    editor: 'el',
    required: true,
    expressionScope: 'flowfile',
    dependsOn: [{ property: STRATEGY, values: [SURROUND] }],
  },
  {
    name: APPEND_TEXT,
    displayName: 'Text to Append',
    description: 'The text to append to the end of the text, or each line (Surround).',
    type: 'string',
    editor: 'el',
    required: true,
    expressionScope: 'flowfile',
    dependsOn: [{ property: STRATEGY, values: [SURROUND] }],
  },
  {
    name: CHARACTER_SET,
    displayName: 'Character Set',
    description: 'The Character Set in which the file is encoded (UTF-8, US-ASCII, ISO-8859-1, windows-1252, UTF-16, UTF-16BE, UTF-16LE).',
    type: 'string',
    required: true,
    default: 'UTF-8',
  },
  {
    name: MAX_BUFFER_SIZE,
    displayName: 'Maximum Buffer Size',
    description: 'The most data buffered per file (Entire text) or per line (Line-by-Line); a larger file or line goes to failure. Not applied to Append, Prepend and Always Replace on the entire text.',
    type: 'dataSize',
    required: true,
    default: '1 MB',
  },
  {
    name: EVALUATION_MODE,
    displayName: 'Evaluation Mode',
    description: 'Run the strategy against each line separately (Line-by-Line) or against the entire text.',
    type: 'enum',
    required: true,
    default: LINE_BY_LINE,
    allowableValues: [
      { value: LINE_BY_LINE, displayName: LINE_BY_LINE },
      { value: ENTIRE_TEXT, displayName: ENTIRE_TEXT },
    ],
  },
  {
    name: LINE_MODE,
    displayName: 'Line-by-Line Evaluation Mode',
    description: 'Which lines the strategy applies to in Line-by-Line mode; the others are written unchanged.',
    type: 'enum',
    default: ALL,
    allowableValues: [ALL, FIRST_LINE, LAST_LINE, EXCEPT_FIRST_LINE, EXCEPT_LAST_LINE].map((v) => ({ value: v, displayName: v })),
  },
]);

export const ReplaceText = defineProcessor({
  descriptor: {
    type: 'ReplaceText',
    version: 1,
    displayName: 'Replace Text',
    description:
      'Updates the content by evaluating a Java regular expression (or a literal) against it and replacing what matches, or by ' +
      'prepending, appending, surrounding, replacing it whole, or substituting ${attribute} references; per line or on the entire text.',
    category: 'transform',
    tags: ['Text', 'Regular Expression', 'Update', 'Change', 'Replace', 'Modify', 'Regex'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SUCCESS.name, description: 'FlowFiles processed, whether text was replaced or not.' },
      { ...REL_FAILURE, description: 'FlowFiles that could not be updated: larger than the buffer, an expression that failed, or a regular expression stopped at its time limit.' },
    ],
    inputRequirement: 'required',
  },

  migrateProperties(config) {
    config.renameProperty('Regular Expression', SEARCH_VALUE);
  },

  validate(config: PropertyValues): ValidationResult[] {
    const out: ValidationResult[] = [];
    const charset = checkCharset(config[CHARACTER_SET]!);
    if (charset) out.push({ property: CHARACTER_SET, message: `${CHARACTER_SET}: ${charset}`, code: 'invalid' });
    const strategy = config[STRATEGY]!;
    const search = config[SEARCH_VALUE]!;
    if (strategy === LITERAL && search === '') out.push({ property: SEARCH_VALUE, message: `${SEARCH_VALUE} cannot be empty for ${LITERAL}`, code: 'invalid' });
    if (strategy === REGEX && !hasExpression(search)) {
      const problem = checkUserRegex(search);
      if (problem) out.push({ property: SEARCH_VALUE, message: `${SEARCH_VALUE}: ${problem}`, code: 'invalid' });
    }
    return out;
  },

  async onTrigger(ctx, session) {
    const flowFile = session.get();
    if (!flowFile) return;
    const s = settings(ctx);
    const buffersAll = s.executor === REGEX || s.executor === LITERAL || s.executor === SUBSTITUTE;
    if (s.entireText && buffersAll && flowFile.size > s.maxBuffer) {
      ctx.log.warn(`Transferred ${flowFile.uuid} to 'failure' because it was larger than the buffer size (${s.maxBuffer} bytes)`);
      session.transfer(flowFile, REL_FAILURE);
      return;
    }
    let result: string | null;
    try {
      result = await replace(ctx, flowFile, s, decodeText(await session.read(flowFile), s.charset));
    } catch (e) {
      // Deep recursion in the regex engine surfaces as a RangeError, as Java's StackOverflowError does.
      // A regex job stopped at its deadline fails this FlowFile alone; a busy engine is tried again later.
      const expected = e instanceof RouteToFailure || e instanceof ExpressionError || e instanceof RangeError || e instanceof UnsafeRegexError;
      if (!expected && !(e instanceof RegexJobError && e.code === 'deadline')) throw e;
      ctx.log.warn(`Transferred ${flowFile.uuid} to 'failure': ${e.message}`);
      session.transfer(flowFile, REL_FAILURE);
      return;
    }
    session.transfer(result === null ? flowFile : session.write(flowFile, encodeText(result, s.charset)), REL_SUCCESS);
  },
});
