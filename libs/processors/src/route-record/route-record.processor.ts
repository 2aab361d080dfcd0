import type { CompiledRecordExpression } from '@sluice/expression';
import {
  handleList, propertyHandles,
  CoreAttributes,
  defineProcessor,
  REL_FAILURE,
  REL_ORIGINAL,
  type FlowFile,
  type PropertyValues,
  type ValidationResult,
} from '@sluice/flow-api';
import { compileRule, parseRecords, RecordContentError, RecordRuleError, ruleMatches } from '../record-shared/json-records.util.js';

export const ROUTING_STRATEGY = 'Routing Strategy';
export const INCLUDE_ZERO_RECORDS = 'Include Zero Record FlowFiles';
export const EVERY_MATCH = 'every-match';
export const FIRST_MATCH = 'first-match';
export const ROUTE_ATTRIBUTE = 'RouteRecord.Route';

const REL_UNMATCHED = 'unmatched';
const STATIC_PROPERTIES = new Set([ROUTING_STRATEGY, INCLUDE_ZERO_RECORDS]);
const RESERVED = new Set([REL_UNMATCHED, REL_ORIGINAL.name, REL_FAILURE.name]);

type Rules = readonly { readonly name: string; readonly rule: CompiledRecordExpression }[];

function ruleEntries(config: Readonly<Record<string, string | undefined>>): [string, string][] {
  return Object.entries(config).filter((e): e is [string, string] => !STATIC_PROPERTIES.has(e[0]) && e[1] !== undefined);
}

function compileRules(config: Readonly<Record<string, string | undefined>>): Rules {
  return ruleEntries(config).map(([name, text]) => ({ name, rule: compileRule(`rule '${name}'`, text) }));
}

/**
 * Splits rows by rule, in configuration order. With `firstOnly` a row goes to the first rule it matches;
 * otherwise to every rule it matches. Rows matching none go to `unmatched`.
 */
export function partitionRecords(
  rows: readonly unknown[],
  rules: Rules,
  firstOnly: boolean,
  attributes: Readonly<Record<string, string>>,
): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const { name } of rules) out.set(name, []);
  out.set(REL_UNMATCHED, []);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    let any = false;
    for (const { name, rule } of rules) {
      if (!ruleMatches(rule, `rule '${name}'`, row, i, attributes)) continue;
      out.get(name)!.push(row);
      any = true;
      if (firstOnly) break;
    }
    if (!any) out.get(REL_UNMATCHED)!.push(row);
  }
  return out;
}

const PROPS = propertyHandles([
  {
    name: ROUTING_STRATEGY,
    displayName: 'Routing Strategy',
    description: 'Whether a record that matches several rules goes to each of them or only to the first (in property order).',
    type: 'enum',
    required: true,
    default: EVERY_MATCH,
    allowableValues: [
      { value: EVERY_MATCH, displayName: 'Route to every matching rule', description: 'A record goes to each relationship whose rule it matches.' },
      { value: FIRST_MATCH, displayName: 'Route to the first matching rule', description: 'A record goes only to the first rule it matches, in property order.' },
    ],
  },
  {
    name: INCLUDE_ZERO_RECORDS,
    displayName: 'Include Zero Record FlowFiles',
    description: 'Whether a relationship receives a FlowFile with an empty array when no record went to it.',
    type: 'boolean',
    required: true,
    default: 'false',
  },
]);

export const RouteRecord = defineProcessor({
  descriptor: {
    type: 'RouteRecord',
    version: 1,
    displayName: 'Route Record',
    description:
      'Splits a JSON array of records by rules: each user-added property is a relationship whose value is a record expression ' +
      '(row.stock > 0, row.sku|startsWith("A")). Each relationship receives one FlowFile with the records its rule matched; ' +
      "records that match no rule go to 'unmatched'.",
    category: 'routing',
    tags: ['record', 'routing', 'partition', 'split', 'json', 'jexl'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_UNMATCHED, description: 'Records that match no rule, as one JSON array.' },
      { name: REL_ORIGINAL.name, description: 'The incoming FlowFile, once it was split.', autoTerminateDefault: true },
      { ...REL_FAILURE, description: 'Content that is not JSON records, or a rule that failed; record.error says why.' },
    ],
    dynamicProperties: {
      description: 'The property name is a relationship; the value is a record expression over row returning true or false.',
      expressionScope: 'none',
    },
    dynamicRelationships: { description: 'The records whose rule of the same name is true, as one JSON array.' },
    inputRequirement: 'required',
    writesAttributes: [
      { name: 'record.count', description: 'Records in the FlowFile.' },
      { name: ROUTE_ATTRIBUTE, description: 'The relationship the records were routed to.' },
      { name: 'record.error', error: true, description: 'Why the FlowFile went to failure.' },
      { name: CoreAttributes.MIME_TYPE, description: 'application/json.' },
    ],
  },

  validate(config: PropertyValues): ValidationResult[] {
    const results: ValidationResult[] = [];
    const entries = ruleEntries(config);
    if (entries.length === 0) {
      results.push({ property: null, message: 'add at least one rule: a property named after its relationship whose value is a record expression such as row.stock > 0', code: 'required' });
    }
    for (const [name, text] of entries) {
      if (RESERVED.has(name)) {
        results.push({ property: name, message: `'${name}' is a built-in relationship of RouteRecord; choose another rule name`, code: 'invalid' });
        continue;
      }
      try {
        compileRule(`rule '${name}'`, text);
      } catch (e) {
        results.push({ property: name, message: (e as Error).message, code: 'invalid' });
      }
    }
    return results;
  },

  async onTrigger(ctx, session) {
    const original: FlowFile | null = session.get();
    if (!original) return;
    const firstOnly = ctx.get(PROPS[ROUTING_STRATEGY]) === FIRST_MATCH;
    const includeEmpty = ctx.get(PROPS[INCLUDE_ZERO_RECORDS]);
    const dynamic = ctx.dynamicProperties();
    let partitions: Map<string, unknown[]>;
    try {
      const rules = ctx.cache(`rules:${JSON.stringify(dynamic)}`, () => compileRules(dynamic));
      const { rows } = parseRecords(await session.readText(original));
      partitions = partitionRecords(rows, rules, firstOnly, original.attributes);
    } catch (e) {
      if (!(e instanceof RecordContentError || e instanceof RecordRuleError)) throw e;
      session.transfer(session.putAttribute(original, 'record.error', e.message), REL_FAILURE);
      return;
    }
    for (const [relationship, rows] of partitions) {
      if (rows.length === 0 && !includeEmpty) continue;
      let child = session.write(session.create(original), JSON.stringify(rows));
      child = session.putAllAttributes(child, {
        'record.count': String(rows.length),
        [ROUTE_ATTRIBUTE]: relationship,
        [CoreAttributes.MIME_TYPE]: 'application/json',
      });
      session.transfer(child, relationship);
    }
    session.transfer(original, REL_ORIGINAL);
  },
});
