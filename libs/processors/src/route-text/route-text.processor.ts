import { compileExpression, type JavaRegex } from '@sluice/expression';
import { handleList, propertyHandles, defineProcessor, REL_ORIGINAL, type FlowFile, type PropertyValues, type ValidationResult } from '@sluice/flow-api';
import { charsetOf, checkCharset, decodeText, encodeText } from '../text-shared/charset.util.js';
import { hasExpression, splitLines } from '../text-shared/text-lines.util.js';
import { checkUserRegex, compileUserRegex, runUserRegex } from '../text-shared/user-regex.util.js';

export const ROUTE_STRATEGY = 'Routing Strategy';
export const MATCH_STRATEGY = 'Matching Strategy';
export const CHARACTER_SET = 'Character Set';
export const TRIM = 'Ignore Leading/Trailing Whitespace';
export const IGNORE_CASE = 'Ignore Case';
export const GROUPING_REGEX = 'Grouping Regular Expression';
export const ROUTE_ATTRIBUTE = 'RouteText.Route';
export const GROUP_ATTRIBUTE = 'RouteText.Group';

const ALL_MATCH = "Route to 'matched' if line matches all conditions";
const ANY_MATCH = "Route to 'matched' if lines matches any condition";
const BY_NAME = 'Route to each matching Property Name';
const STARTS_WITH = 'Starts With';
const ENDS_WITH = 'Ends With';
const CONTAINS = 'Contains';
const EQUALS = 'Equals';
const MATCHES_REGEX = 'Matches Regular Expression';
const CONTAINS_REGEX = 'Contains Regular Expression';
const SATISFIES = 'Satisfies Expression';
const STATIC = new Set([ROUTE_STRATEGY, MATCH_STRATEGY, CHARACTER_SET, TRIM, IGNORE_CASE, GROUPING_REGEX]);
const isRegex = (s: string) => s === MATCHES_REGEX || s === CONTAINS_REGEX;
const isTrue = (v: string) => v.trim().toLowerCase() === 'true';

/** Text with no complete `${...}` (an unclosed one included) is not an expression. */
function isLiteralText(value: string): boolean {
  try {
    return compileExpression(value).isLiteral;
  } catch {
    return false;
  }
}

/**
 * The text a line is matched on: trimmed, or (NiFi's way) cut at its first CR or LF — but only when that is not the
 * first character, so an empty line keeps its terminator and `^$` does not match it unless whitespace is ignored.
 */
function matchText(line: string, trim: boolean): string {
  if (trim) return line.trim();
  const cr = line.indexOf('\r');
  const lf = line.indexOf('\n');
  if (cr > 0 && lf > 0) return line.slice(0, Math.min(cr, lf));
  if (cr > 0) return line.slice(0, cr);
  if (lf > 0) return line.slice(0, lf);
  return line;
}

function lineMatches(line: string, value: string, strategy: string, ignoreCase: boolean): boolean {
  const l = ignoreCase ? line.toLowerCase() : line;
  const v = ignoreCase ? value.toLowerCase() : value;
  switch (strategy) {
    case STARTS_WITH:
      return l.startsWith(v);
    case ENDS_WITH:
      return l.endsWith(v);
    case CONTAINS:
      return l.includes(v);
    default:
      return l === v;
  }
}

const PROPS = propertyHandles([
  {
    name: ROUTE_STRATEGY,
    displayName: 'Routing Strategy',
    description: 'Which relationship a line goes to when evaluated against the conditions.',
    type: 'enum',
    required: true,
    default: BY_NAME,
    allowableValues: [
      { value: BY_NAME, displayName: BY_NAME, description: "Lines go to each relationship whose condition is true." },
      { value: ALL_MATCH, displayName: ALL_MATCH, description: "A line goes to 'matched' when every condition is true." },
      { value: ANY_MATCH, displayName: ANY_MATCH, description: "A line goes to 'matched' when at least one condition is true." },
    ],
  },
  {
    name: MATCH_STRATEGY,
    displayName: 'Matching Strategy',
    description: 'How each line is compared with the conditions.',
    type: 'enum',
    required: true,
    allowableValues: [
      { value: SATISFIES, displayName: SATISFIES, description: "The condition is Expression Language returning true; it sees the attributes plus 'line' (the line with its ending) and 'lineNo' (from 1)." },
      { value: STARTS_WITH, displayName: STARTS_WITH, description: 'The line starts with the value.' },
      { value: ENDS_WITH, displayName: ENDS_WITH, description: 'The line ends with the value.' },
      { value: CONTAINS, displayName: CONTAINS, description: 'The line contains the value.' },
      { value: EQUALS, displayName: EQUALS, description: 'The line equals the value.' },
      { value: MATCHES_REGEX, displayName: MATCHES_REGEX, description: 'The whole line matches the Java regular expression.' },
      { value: CONTAINS_REGEX, displayName: CONTAINS_REGEX, description: 'Part of the line matches the Java regular expression.' },
    ],
  },
  {
    name: CHARACTER_SET,
    displayName: 'Character Set',
    description: 'The Character Set of the text (UTF-8, US-ASCII, ISO-8859-1, windows-1252, UTF-16, UTF-16BE, UTF-16LE).',
    type: 'string',
    required: true,
    default: 'UTF-8',
  },
  {
    name: TRIM,
    displayName: 'Ignore Leading/Trailing Whitespace',
    description: 'Trim whitespace off each line before evaluating it.',
    type: 'boolean',
    required: true,
    default: 'true',
  },
  {
    name: IGNORE_CASE,
    displayName: 'Ignore Case',
    description: 'Compare regardless of case (also for regular expressions); ignored for Satisfies Expression.',
    type: 'enum',
    required: true,
    default: 'false',
    allowableValues: [{ value: 'true', displayName: 'true' }, { value: 'false', displayName: 'false' }],
  },
  {
    name: GROUPING_REGEX,
    displayName: 'Grouping Regular Expression',
    description: 'A Java regular expression with at least one capturing group; lines whose groups (joined) are equal share a FlowFile. Lines it does not match form one group.',
    type: 'string',
  },
]);

export const RouteText = defineProcessor({
  descriptor: {
    type: 'RouteText',
    version: 1,
    displayName: 'Route Text',
    description:
      'Routes the lines of the content, each by user-added conditions (Starts With, Contains, a regular expression, an Expression ' +
      'Language test of line and lineNo…), into new FlowFiles per relationship and per group; the original goes to original.',
    category: 'routing',
    tags: ['attributes', 'routing', 'text', 'regexp', 'regex', 'Regular Expression', 'Expression Language', 'csv', 'filter', 'logs', 'delimited', 'find', 'string', 'search', 'detect'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_ORIGINAL.name, description: 'The original FlowFile, once its lines are routed.' },
      { name: 'unmatched', description: 'Lines that do not satisfy the conditions (written only when the relationship is connected).' },
      { name: 'matched', description: 'Lines that satisfy the conditions as the Routing Strategy requires.', when: { property: ROUTE_STRATEGY, values: [ALL_MATCH, ANY_MATCH] } },
    ],
    dynamicProperties: {
      description: 'The name is a relationship (Route to each matching Property Name); the value the condition, with Expression Language over the attributes.',
      expressionScope: 'flowfile',
    },
    dynamicRelationships: { description: 'Lines that satisfy the condition of the same name.', when: { property: ROUTE_STRATEGY, values: [BY_NAME] } },
    inputRequirement: 'required',
    writesAttributes: [
      { name: ROUTE_ATTRIBUTE, description: 'The relationship the FlowFile was routed to (original for the original).' },
      { name: GROUP_ATTRIBUTE, description: "The group's captured values joined by ', ' (empty without a Grouping Regular Expression)." },
    ],
  },

  validate(config: PropertyValues): ValidationResult[] {
    const out: ValidationResult[] = [];
    const charset = checkCharset(config[CHARACTER_SET]!);
    if (charset) out.push({ property: CHARACTER_SET, message: `${CHARACTER_SET}: ${charset}`, code: 'invalid' });
    const grouping = config[GROUPING_REGEX];
    if (grouping !== undefined && grouping !== '') {
      const problem = checkUserRegex(grouping, 1);
      if (problem) out.push({ property: GROUPING_REGEX, message: `${GROUPING_REGEX}: ${problem}`, code: 'invalid' });
    }
    const strategy = config[MATCH_STRATEGY] ?? '';
    const conditions = Object.keys(config).filter((k) => !STATIC.has(k) && config[k] !== undefined);
    if (conditions.length === 0) out.push({ property: null, message: 'In order to route text there must be dynamic properties to match against', code: 'required' });
    for (const name of conditions) {
      const value = config[name]!;
      if (value === '') out.push({ property: name, message: `${name} cannot be empty`, code: 'invalid' });
      else if (isRegex(strategy) && !hasExpression(value)) {
        const problem = checkUserRegex(value);
        if (problem) out.push({ property: name, message: `${name}: ${problem}`, code: 'invalid' });
      } else if (strategy === SATISFIES && isLiteralText(value)) {
        out.push({ property: name, message: `${name}: must be an expression returning true or false, such as \${line:startsWith('#')}`, code: 'invalid' });
      }
    }
    return out;
  },

  async onTrigger(ctx, session) {
    const original = session.get();
    if (!original) return;
    const routing = ctx.get(PROPS[ROUTE_STRATEGY]);
    const strategy = ctx.get(PROPS[MATCH_STRATEGY]);
    const trim = ctx.get(PROPS[TRIM]);
    const ignoreCase = ctx.get(PROPS[IGNORE_CASE]) === 'true';
    const charset = charsetOf(ctx.get(PROPS[CHARACTER_SET])) ?? 'UTF-8';
    const groupingText = ctx.get(PROPS[GROUPING_REGEX]);
    const grouping = groupingText ? ctx.cache('route-text:grouping', () => compileUserRegex(groupingText)) : null;
    const conditions = Object.entries(ctx.dynamicProperties()).map(([name, raw]) => {
      if (strategy === SATISFIES) return { name, value: raw };
      const value = ctx.evaluateExpression(raw, original);
      return { name, value: isRegex(strategy) ? compileUserRegex(ignoreCase ? `(?i)${value}` : value) : value };
    });

    const text = decodeText(await session.read(original), charset);
    const lines = splitLines(text);
    const matchTexts = lines.map((line) => matchText(line, trim));
    // One job per pattern over all the lines: each line is short, but together they are the whole text.
    const run = (rx: JavaRegex, operation: 'find' | 'matches') => runUserRegex(ctx, rx, { operation, texts: matchTexts });
    const groupMatches = grouping ? (await run(grouping, 'matches')).map((r) => r.matches[0] ?? null) : null;
    const regexHits = new Map<string, boolean[]>();
    for (const { name, value } of conditions) {
      if (typeof value !== 'string') regexHits.set(name, (await run(value, strategy === MATCHES_REGEX ? 'matches' : 'find')).map((r) => r.matches.length > 0));
    }

    // relationship -> group key -> lines
    const out = new Map<string, Map<string, { values: string[]; text: string }>>();
    const append = (rel: string, i: number, line: string) => {
      let groups = out.get(rel);
      if (!groups) out.set(rel, (groups = new Map()));
      const m = groupMatches?.[i];
      const values = m ? m.groups.slice(1).map((v) => v ?? 'null') : [];
      const key = JSON.stringify(values);
      const g = groups.get(key);
      if (g) g.text += line;
      else groups.set(key, { values, text: line });
    };
    lines.forEach((line, i) => {
      const matched = matchTexts[i]!;
      const extra = { line, lineNo: String(i + 1) };
      let hits = 0;
      for (const { name, value } of conditions) {
        const ok = strategy === SATISFIES
          ? isTrue(ctx.evaluateExpression(value as string, original, extra))
          : (regexHits.get(name)?.[i] ?? lineMatches(matched, value as string, strategy, ignoreCase));
        if (ok) hits++;
        if (ok && routing === BY_NAME) {
          append(name, i, line);
          continue;
        }
        if (ok && routing === ANY_MATCH) break;
        if (!ok && routing === ALL_MATCH) break;
      }
      let rel: string | null;
      if (routing === BY_NAME && hits > 0) rel = null;
      else if (routing === ANY_MATCH && hits > 0) rel = 'matched';
      else if (routing === ALL_MATCH && hits === conditions.length) rel = 'matched';
      else rel = 'unmatched';
      // NiFi writes nothing for a relationship nobody receives.
      if (rel !== null && ctx.isConnected(rel)) append(rel, i, line);
    });

    for (const [rel, groups] of out) {
      for (const { values, text } of groups.values()) {
        let ff: FlowFile = session.write(session.create(original), encodeText(text, charset));
        ff = session.putAllAttributes(ff, { [ROUTE_ATTRIBUTE]: rel, [GROUP_ATTRIBUTE]: values.join(', ') });
        session.transfer(ff, rel);
      }
    }
    session.transfer(session.putAttribute(original, ROUTE_ATTRIBUTE, REL_ORIGINAL.name), REL_ORIGINAL);
  },
});
