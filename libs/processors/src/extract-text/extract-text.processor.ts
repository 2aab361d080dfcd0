import { handleList, propertyHandles, defineProcessor, type PropertyDescriptor, type PropertyValues, type ValidationResult } from '@sluice/flow-api';
import { namedGroup, type JavaRegex } from '@sluice/expression';
import { charsetOf, checkCharset, decodeText } from '../text-shared/charset.util.js';
import { checkUserRegex, compileUserRegex, quoteJavaRegex, runUserRegex } from '../text-shared/user-regex.util.js';

export const CHARACTER_SET = 'Character Set';
export const MAX_BUFFER_SIZE = 'Maximum Buffer Size';
export const MAX_CAPTURE_LENGTH = 'Maximum Capture Group Length';
export const CANON_EQ = 'Enable Canonical Equivalence';
export const CASE_INSENSITIVE = 'Enable Case-insensitive Matching';
export const COMMENTS = 'Permit Whitespace and Comments in Pattern';
export const DOTALL = 'Enable DOTALL Mode';
export const LITERAL = 'Enable Literal Parsing of the Pattern';
export const MULTILINE = 'Enable Multiline Mode';
export const UNICODE_CASE = 'Enable Unicode-aware Case Folding';
export const UNICODE_CLASS = 'Enable Unicode Predefined Character Classes';
export const UNIX_LINES = 'Enable Unix Lines Mode';
export const INCLUDE_GROUP_ZERO = 'Include Capture Group 0';
export const REPEATING = 'Enable Repeating Capture Group';
export const NAMED_GROUPS = 'Enable Named Groups';

/** Flags JavaScript's engine cannot honour: refused rather than ignored. */
const UNSUPPORTED_FLAGS: Record<string, string> = {
  [CANON_EQ]: 'canonical equivalence has no JavaScript equivalent',
  [UNICODE_CLASS]: 'Unicode predefined character classes (\\w, \\d, \\s over Unicode) are not available; use \\p{L}, \\p{Nd} and \\p{White_Space}',
  [UNIX_LINES]: "Unix lines mode is not available; match '\\n' explicitly",
};
const MAX_GROUPS = 40;

const flag = (name: string, displayName: string, description: string, def = 'false'): PropertyDescriptor => ({
  name, displayName, description, type: 'enum', required: true, default: def,
  allowableValues: [{ value: 'true', displayName: 'true' }, { value: 'false', displayName: 'false' }],
});

const PROPS = propertyHandles([
  { name: CHARACTER_SET, displayName: 'Character Set', description: 'The Character Set in which the file is encoded (UTF-8, US-ASCII, ISO-8859-1, windows-1252, UTF-16, UTF-16BE, UTF-16LE).', type: 'string', required: true, default: 'UTF-8' },
  { name: MAX_BUFFER_SIZE, displayName: 'Maximum Buffer Size', description: 'How much of each FlowFile is read to apply the regular expressions; text beyond it is not evaluated.', type: 'dataSize', required: true, default: '1 MB' },
  { name: MAX_CAPTURE_LENGTH, displayName: 'Maximum Capture Group Length', description: 'The most characters a capture group value may have; longer values are truncated.', type: 'integer', default: '1024', validators: [{ kind: 'range', min: 1 }] },
  flag(CANON_EQ, 'Enable Canonical Equivalence', 'Two characters match only when their full canonical decompositions match. Not supported: true is refused.'),
  flag(CASE_INSENSITIVE, 'Enable Case-insensitive Matching', 'Match regardless of case; also (?i).'),
  flag(COMMENTS, 'Permit Whitespace and Comments in Pattern', 'Whitespace and #-comments in the pattern are ignored; also (?x).'),
  flag(DOTALL, 'Enable DOTALL Mode', "'.' also matches line terminators; also (?s)."),
  flag(LITERAL, 'Enable Literal Parsing of the Pattern', 'Metacharacters and escapes in the pattern have no special meaning.'),
  flag(MULTILINE, 'Enable Multiline Mode', "'^' and '$' match at line terminators, not only at the ends of the input; also (?m)."),
  flag(UNICODE_CASE, 'Enable Unicode-aware Case Folding', 'With case-insensitive matching, fold case the Unicode way; also (?u). Sluice always folds Unicode case.'),
  flag(UNICODE_CLASS, 'Enable Unicode Predefined Character Classes', 'Unicode Technical Standard #18 classes; also (?U). Not supported: true is refused.'),
  flag(UNIX_LINES, 'Enable Unix Lines Mode', "Only '\\n' is a line terminator for '.', '^' and '$'; also (?d). Not supported: true is refused."),
  flag(INCLUDE_GROUP_ZERO, 'Include Capture Group 0', 'Write capture group 0 (the whole match) as <name>.0.', 'true'),
  flag(REPEATING, 'Enable Repeating Capture Group', 'Extract every match, not only the first.'),
  { ...flag(NAMED_GROUPS, 'Enable Named Groups', 'Use the names of named groups in attribute names (<name>.<group>); every group must then be named.'), required: false },
]);
const STATIC = new Set(handleList(PROPS).map((p) => p.name));

/** The pattern as NiFi compiles it: Pattern flags become an inline prefix, literal parsing quotes it. */
function patternSource(pattern: string, on: (name: string) => boolean): string {
  const flags = (on(CASE_INSENSITIVE) ? 'i' : '') + (on(COMMENTS) && !on(LITERAL) ? 'x' : '') + (on(DOTALL) ? 's' : '') + (on(MULTILINE) ? 'm' : '');
  const body = on(LITERAL) ? quoteJavaRegex(pattern) : pattern;
  return flags ? `(?${flags})${body}` : body;
}

const namedGroups = (pattern: string): string[] => [...pattern.matchAll(/\(\?<([A-Za-z][A-Za-z0-9]*)>/g)].map((m) => m[1]!);

interface Compiled {
  readonly name: string;
  readonly rx: JavaRegex;
  readonly names: readonly string[];
}

export const ExtractText = defineProcessor({
  descriptor: {
    type: 'ExtractText',
    version: 1,
    displayName: 'Extract Text',
    description:
      'Evaluates Java regular expressions (one per user-added property) against the content and writes the capture groups to ' +
      'attributes: <name> holds group 1, <name>.0 the whole match, <name>.N group N (with repeating groups, later matches continue the numbering).',
    category: 'transform',
    tags: ['evaluate', 'extract', 'Text', 'Regular Expression', 'regex'],
    properties: handleList(PROPS),
    relationships: [
      { name: 'matched', description: 'At least one regular expression matched; the FlowFile carries the captured attributes.' },
      { name: 'unmatched', description: 'No regular expression matched; no attribute was added.' },
    ],
    dynamicProperties: {
      description: 'The name is the attribute prefix; the value a Java regular expression with capturing groups (at most 40).',
      expressionScope: 'none',
    },
    inputRequirement: 'required',
    writesAttributes: [
      { name: '<name>', description: 'Group 1 of the first match (with named groups: group 0, when Include Capture Group 0 is on).' },
      { name: '<name>.<n>', description: 'Group n; <name>.0 is the whole match. With repeating groups the numbers continue over later matches.' },
      { name: '<name>.<group>', description: 'A named group, with Enable Named Groups (<name>.<group>.<k> for the k-th later match).' },
    ],
  },

  migrateProperties(config) {
    for (const old of ['extract-text-enable-repeating-capture-group', 'Enable repeating capture group']) config.renameProperty(old, REPEATING);
    for (const old of ['extract-text-enable-named-groups', 'Enable named group support']) config.renameProperty(old, NAMED_GROUPS);
  },

  validate(config: PropertyValues): ValidationResult[] {
    const out: ValidationResult[] = [];
    const on = (name: string) => (config[name] ?? handleList(PROPS).find((p) => p.name === name)?.default) === 'true';
    const charset = checkCharset(config[CHARACTER_SET]!);
    if (charset) out.push({ property: CHARACTER_SET, message: `${CHARACTER_SET}: ${charset}`, code: 'invalid' });
    for (const [name, why] of Object.entries(UNSUPPORTED_FLAGS)) {
      if (on(name)) out.push({ property: name, message: `${name} is not supported: ${why}; set it to false`, code: 'invalid' });
    }
    const minGroups = on(INCLUDE_GROUP_ZERO) ? 0 : 1;
    for (const name of Object.keys(config).filter((k) => !STATIC.has(k) && config[k] !== undefined)) {
      const pattern = config[name]!;
      const problem = checkUserRegex(patternSource(pattern, on), minGroups, MAX_GROUPS);
      if (problem) {
        out.push({ property: name, message: `${name}: ${problem}`, code: 'invalid' });
        continue;
      }
      if (on(NAMED_GROUPS) && compileUserRegex(patternSource(pattern, on)).groupCount !== namedGroups(pattern).length) {
        out.push({ property: name, message: `${name}: Named group count does not match total group count`, code: 'invalid' });
      }
    }
    return out;
  },

  async onTrigger(ctx, session) {
    let flowFile = session.get();
    if (!flowFile) return;
    const s = ctx.cache('extract-text', () => {
      const on = (name: string) => ctx.get(PROPS[name]) === 'true';
      const patterns: Compiled[] = Object.entries(ctx.dynamicProperties()).map(([name, pattern]) => ({
        name, rx: compileUserRegex(patternSource(pattern, on)), names: namedGroups(pattern),
      }));
      return {
        patterns,
        charset: charsetOf(ctx.get(PROPS[CHARACTER_SET])) ?? 'UTF-8',
        maxBuffer: ctx.get(PROPS[MAX_BUFFER_SIZE]),
        maxLength: ctx.get(PROPS[MAX_CAPTURE_LENGTH]),
        startGroup: on(INCLUDE_GROUP_ZERO) ? 0 : 1,
        repeating: on(REPEATING),
        useNames: on(NAMED_GROUPS),
      };
    });
    const bytes = await session.read(flowFile);
    // Only the buffer is evaluated, as NiFi reads at most Maximum Buffer Size bytes.
    const text = decodeText(bytes.length > s.maxBuffer ? bytes.subarray(0, s.maxBuffer) : bytes, s.charset);
    const cut = (v: string) => (v.length > s.maxLength ? v.slice(0, s.maxLength) : v);
    const results: Record<string, string> = {};
    for (const { name, rx, names } of s.patterns) {
      let j = 0;
      const [found] = await runUserRegex(ctx, rx, { operation: 'findAll', texts: [text], ...(s.repeating ? {} : { maxMatches: 1 }) });
      for (const m of found!.matches) {
        if (s.useNames && rx.groupCount === names.length) {
          for (const group of names) {
            const value = namedGroup(rx, m, group);
            if (value) results[`${name}.${group}${j > 0 ? `.${j}` : ''}`] = cut(value);
          }
          if (s.startGroup === 0 && j === 0) results[name] = m.groups[0]!;
          j++;
        } else {
          for (let i = j === 0 ? s.startGroup : 1; i <= rx.groupCount; i++) {
            const value = m.groups[i];
            if (!value) continue;
            results[`${name}.${i + j}`] = cut(value);
            if (i === 1 && j === 0) results[name] = cut(value);
          }
          j += rx.groupCount;
        }
      }
    }
    if (Object.keys(results).length === 0) {
      session.transfer(flowFile, 'unmatched');
      return;
    }
    flowFile = session.putAllAttributes(flowFile, results);
    session.transfer(flowFile, 'matched');
  },
});
