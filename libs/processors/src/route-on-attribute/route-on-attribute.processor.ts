import { compileExpression } from '@sluice/expression';
import { handleList, propertyHandles, defineProcessor, type FlowFile, type PropertyValues, type ValidationResult } from '@sluice/flow-api';

export const ROUTING_STRATEGY = 'Routing Strategy';
export const ROUTE_ATTRIBUTE = 'RouteOnAttribute.Route';

// NiFi's persisted values, including its historical 'match' wording; the display names say 'matched'.
export const ROUTE_TO_PROPERTY_NAME = 'Route to Property name';
export const ROUTE_ALL_MATCH = "Route to 'match' if all match";
export const ROUTE_ANY_MATCHES = "Route to 'match' if any matches";

const REL_MATCHED = 'matched';
const REL_UNMATCHED = 'unmatched';

/** NiFi's `asBoolean()`: only "true" (any case, trimmed) is true. */
const isTrue = (value: string) => value.trim().toLowerCase() === 'true';

/** Which relationships a FlowFile goes to, given which rules (in configuration order) evaluated to true. */
export function routeDestinations(strategy: string, rules: readonly string[], matched: ReadonlySet<string>): string[] {
  switch (strategy) {
    case ROUTE_ALL_MATCH:
      return [matched.size === rules.length ? REL_MATCHED : REL_UNMATCHED];
    case ROUTE_ANY_MATCHES:
      return [matched.size > 0 ? REL_MATCHED : REL_UNMATCHED];
    default: {
      const out = rules.filter((r) => matched.has(r));
      return out.length > 0 ? out : [REL_UNMATCHED];
    }
  }
}

/** Checks one routing rule: it must be Expression Language (a literal is always the same answer) that compiles. */
export function checkRule(name: string, text: string): ValidationResult | null {
  const invalid = (message: string, line?: number, column?: number): ValidationResult => ({ property: name, message, line, column, code: 'invalid' });
  if (text.trim() === '') return invalid(`routing rule '${name}' is empty; enter an expression returning true or false, e.g. \${status:equals('ok')}`);
  let compiled;
  try {
    compiled = compileExpression(text);
  } catch (e) {
    const err = e as { message: string; line?: number; column?: number };
    return invalid(`routing rule '${name}': ${err.message}`, err.line, err.column);
  }
  if (compiled.isLiteral) {
    return invalid(`routing rule '${name}' must be an expression returning true or false, e.g. \${status:equals('ok')}, not the literal text '${text}'`);
  }
  const trimmed = text.trim();
  if (!trimmed.startsWith('${') || !trimmed.endsWith('}')) {
    return invalid(`routing rule '${name}' must be a single \${...} expression returning true or false; text around it makes the result text`);
  }
  // NiFi checks the type the expression returns, without evaluating it.
  if (compiled.resultType !== 'Boolean' && compiled.resultType !== 'Any') {
    return invalid(`routing rule '${name}' must return true or false (a Boolean), but the expression returns a ${compiled.resultType}; compare it, e.g. \${x:equals('y')}`);
  }
  return null;
}

const PROPS = propertyHandles([
  {
    name: ROUTING_STRATEGY,
    displayName: 'Routing Strategy',
    description: 'How the rules decide where a FlowFile goes.',
    type: 'enum',
    required: true,
    default: ROUTE_TO_PROPERTY_NAME,
    allowableValues: [
      {
        value: ROUTE_TO_PROPERTY_NAME,
        displayName: 'Route to Property name',
        description: 'A copy of the FlowFile goes to each relationship whose rule evaluates to true.',
      },
      {
        value: ROUTE_ALL_MATCH,
        displayName: "Route to 'matched' if all match",
        description: "The FlowFile goes to 'matched' when every rule evaluates to true.",
      },
      {
        value: ROUTE_ANY_MATCHES,
        displayName: "Route to 'matched' if any matches",
        description: "The FlowFile goes to 'matched' when at least one rule evaluates to true.",
      },
    ],
  },
]);

export const RouteOnAttribute = defineProcessor({
  descriptor: {
    type: 'RouteOnAttribute',
    version: 1,
    displayName: 'Route On Attribute',
    description:
      'Routes FlowFiles by Expression Language rules over their attributes. Each user-added property is a rule (an expression ' +
      "returning true or false); by default each rule is a relationship of the same name, and a copy goes to every rule that matches.",
    category: 'routing',
    tags: ['attributes', 'routing', 'Attribute Expression Language', 'regexp', 'regex', 'filter', 'find'],
    properties: handleList(PROPS),
    relationships: [
      {
        name: REL_MATCHED,
        description: "FlowFiles whose rules match, as the Routing Strategy requires.",
        when: { property: ROUTING_STRATEGY, values: [ROUTE_ALL_MATCH, ROUTE_ANY_MATCHES] },
      },
      { name: REL_UNMATCHED, description: 'FlowFiles that match no rule (or not all of them).' },
    ],
    dynamicProperties: {
      description: 'The property name is a relationship (or a rule name); the value is an expression returning true or false.',
      expressionScope: 'flowfile',
    },
    dynamicRelationships: {
      description: 'FlowFiles whose rule of the same name evaluates to true.',
      when: { property: ROUTING_STRATEGY, values: [ROUTE_TO_PROPERTY_NAME] },
    },
    inputRequirement: 'required',
    defaultRunDuration: '25 ms',
    writesAttributes: [{ name: ROUTE_ATTRIBUTE, description: 'The relationship the FlowFile was routed to.' }],
  },

  validate(config: PropertyValues): ValidationResult[] {
    // As in NiFi, no rule at all is valid (everything is unmatched), and a rule may be named after a fixed relationship.
    const results: ValidationResult[] = [];
    const rules = Object.keys(config).filter((k) => k !== ROUTING_STRATEGY && config[k] !== undefined);
    for (const name of rules) {
      const problem = checkRule(name, config[name]!);
      if (problem) results.push(problem);
    }
    return results;
  },

  onTrigger(ctx, session) {
    let flowFile: FlowFile | null = session.get();
    if (!flowFile) return;
    const rules = ctx.dynamicProperties();
    const names = Object.keys(rules);
    const matched = new Set<string>();
    for (const name of names) {
      let value: string;
      try {
        value = ctx.evaluateExpression(rules[name]!, flowFile);
      } catch (e) {
        throw new Error(`routing rule '${name}' could not be evaluated: ${(e as Error).message}`, { cause: e });
      }
      if (isTrue(value)) matched.add(name);
    }
    const strategy = ctx.get(PROPS[ROUTING_STRATEGY]);
    const destinations = routeDestinations(strategy, names, matched);
    // Clones first, from the untouched original, then the original to the first destination (NiFi's order).
    for (const rel of destinations.slice(1)) {
      const copy = session.putAttribute(session.clone(flowFile), ROUTE_ATTRIBUTE, rel);
      session.transfer(copy, rel);
    }
    flowFile = session.putAttribute(flowFile, ROUTE_ATTRIBUTE, destinations[0]!);
    session.transfer(flowFile, destinations[0]!);
  },
});
