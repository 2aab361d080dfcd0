import { handleList, propertyHandles, defineProcessor, type PropertyValues, type ValidationResult } from '@sluice/flow-api';
import { charsetOf, checkCharset, decodeText } from '../text-shared/charset.util.js';
import { evaluateDecorated, hasExpression } from '../text-shared/text-lines.util.js';
import { checkUserRegex, compileUserRegex, quoteJavaRegex, runUserRegex } from '../text-shared/user-regex.util.js';

export const MATCH_REQUIREMENT = 'Match Requirement';
export const CHARACTER_SET = 'Character Set';
export const BUFFER_SIZE = 'Content Buffer Size';
export const ROUTE_ATTRIBUTE = 'RouteOnContent.Route';
const MATCH_ALL = 'content must match exactly';
const MATCH_SUBSEQUENCE = 'content must contain match';
const UNMATCHED = 'unmatched';
const STATIC = new Set([MATCH_REQUIREMENT, CHARACTER_SET, BUFFER_SIZE]);

const PROPS = propertyHandles([
  {
    name: MATCH_REQUIREMENT,
    displayName: 'Match Requirement',
    description: 'Whether the (buffered) content must match a regular expression as a whole, or only contain a match.',
    type: 'enum',
    required: true,
    default: MATCH_ALL,
    allowableValues: [
      { value: MATCH_ALL, displayName: MATCH_ALL },
      { value: MATCH_SUBSEQUENCE, displayName: MATCH_SUBSEQUENCE },
    ],
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
    name: BUFFER_SIZE,
    displayName: 'Content Buffer Size',
    description: 'The most content read to apply the regular expressions; content beyond it is ignored.',
    type: 'dataSize',
    required: true,
    default: '1 MB',
  },
]);

export const RouteOnContent = defineProcessor({
  descriptor: {
    type: 'RouteOnContent',
    version: 1,
    displayName: 'Route On Content',
    description:
      'Routes FlowFiles by Java regular expressions (one per user-added property, named after its relationship) over their content: ' +
      'a copy goes to every relationship whose expression matches, otherwise to unmatched. Only the first Content Buffer Size ' +
      'bytes are read, so "content must match exactly" then means the buffered start of the content matches.',
    category: 'routing',
    tags: ['route', 'content', 'regex', 'regular expression', 'regexp', 'find', 'text', 'string', 'search', 'filter', 'detect'],
    properties: handleList(PROPS),
    relationships: [{ name: UNMATCHED, description: 'FlowFiles whose content matches none of the regular expressions.' }],
    dynamicProperties: {
      description: "The name is a relationship; the value a Java regular expression. Expression Language results are quoted: an attribute's value is matched literally.",
      expressionScope: 'flowfile',
    },
    dynamicRelationships: { description: 'FlowFiles whose content matches the regular expression of the same name.' },
    inputRequirement: 'required',
    writesAttributes: [{ name: ROUTE_ATTRIBUTE, description: 'The relationship the FlowFile (or its copy) was routed to.' }],
  },

  validate(config: PropertyValues): ValidationResult[] {
    const out: ValidationResult[] = [];
    const charset = checkCharset(config[CHARACTER_SET]!);
    if (charset) out.push({ property: CHARACTER_SET, message: `${CHARACTER_SET}: ${charset}`, code: 'invalid' });
    for (const name of Object.keys(config).filter((k) => !STATIC.has(k) && config[k] !== undefined)) {
      if (name === UNMATCHED) {
        out.push({ property: name, message: `'${UNMATCHED}' is the relationship for content that matches nothing; choose another name`, code: 'invalid' });
        continue;
      }
      if (hasExpression(config[name])) continue;
      const problem = checkUserRegex(config[name]!);
      if (problem) out.push({ property: name, message: `${name}: ${problem}`, code: 'invalid' });
    }
    return out;
  },

  async onTrigger(ctx, session) {
    let flowFile = session.get();
    if (!flowFile) return;
    const charset = charsetOf(ctx.get(PROPS[CHARACTER_SET])) ?? 'UTF-8';
    const limit = ctx.get(PROPS[BUFFER_SIZE]);
    const whole = ctx.get(PROPS[MATCH_REQUIREMENT]) === MATCH_ALL;
    const bytes = await session.read(flowFile);
    const text = decodeText(bytes.length > limit ? bytes.subarray(0, limit) : bytes, charset);
    const destinations: string[] = [];
    for (const [name, value] of Object.entries(ctx.dynamicProperties())) {
      // An unsafe or invalid pattern built by Expression Language throws: the FlowFile returns to its queue, as in NiFi.
      const rx = compileUserRegex(evaluateDecorated(ctx, value, flowFile, quoteJavaRegex));
      const [found] = await runUserRegex(ctx, rx, { operation: whole ? 'matches' : 'find', texts: [text] });
      if (found!.matches.length > 0) destinations.push(name);
    }
    if (destinations.length === 0) {
      session.transfer(session.putAttribute(flowFile, ROUTE_ATTRIBUTE, UNMATCHED), UNMATCHED);
      return;
    }
    for (const rel of destinations.slice(1)) session.transfer(session.putAttribute(session.clone(flowFile), ROUTE_ATTRIBUTE, rel), rel);
    flowFile = session.putAttribute(flowFile, ROUTE_ATTRIBUTE, destinations[0]!);
    session.transfer(flowFile, destinations[0]!);
  },
});
