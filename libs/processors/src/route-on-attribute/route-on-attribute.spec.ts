import { relationshipsFor, validateProcessor } from '@sluice/flow-api';
import { checkExpression } from '@sluice/expression';
import { describe, expect, it } from 'vitest';
import {
  checkRule,
  ROUTE_ALL_MATCH,
  ROUTE_ANY_MATCHES,
  ROUTE_TO_PROPERTY_NAME,
  RouteOnAttribute,
  routeDestinations,
  ROUTING_STRATEGY,
} from './route-on-attribute.processor.js';

describe('RouteOnAttribute destinations', () => {
  const rules = ['big', 'red', 'new'];
  it('routes to every matching rule by property name, or unmatched', () => {
    expect(routeDestinations(ROUTE_TO_PROPERTY_NAME, rules, new Set(['new', 'big']))).toEqual(['big', 'new']);
    expect(routeDestinations(ROUTE_TO_PROPERTY_NAME, rules, new Set())).toEqual(['unmatched']);
  });
  it("routes to 'matched' when all or any match", () => {
    expect(routeDestinations(ROUTE_ALL_MATCH, rules, new Set(rules))).toEqual(['matched']);
    expect(routeDestinations(ROUTE_ALL_MATCH, rules, new Set(['big']))).toEqual(['unmatched']);
    expect(routeDestinations(ROUTE_ANY_MATCHES, rules, new Set(['red']))).toEqual(['matched']);
    expect(routeDestinations(ROUTE_ANY_MATCHES, rules, new Set())).toEqual(['unmatched']);
  });
});

describe('RouteOnAttribute configuration', () => {
  it("keeps NiFi's persisted strategy values", () => {
    const strategy = RouteOnAttribute.descriptor.properties.find((p) => p.name === ROUTING_STRATEGY)!;
    expect(strategy.allowableValues!.map((v) => v.value)).toEqual(['Route to Property name', "Route to 'match' if all match", "Route to 'match' if any matches"]);
    expect(strategy.default).toBe('Route to Property name');
  });

  it('derives relationships from the strategy and the rules', () => {
    expect(relationshipsFor(RouteOnAttribute.descriptor, { big: '${size:gt(10)}', red: "${color:equals('red')}" }).map((r) => r.name).sort()).toEqual([
      'big',
      'red',
      'unmatched',
    ]);
    expect(relationshipsFor(RouteOnAttribute.descriptor, { [ROUTING_STRATEGY]: ROUTE_ANY_MATCHES, big: '${size:gt(10)}' }).map((r) => r.name).sort()).toEqual([
      'matched',
      'unmatched',
    ]);
  });

  it('explains missing rules, literal rules, text around the expression, syntax errors and reserved names', () => {
    expect(validateProcessor(RouteOnAttribute, {}, { checkExpression })[0]?.message).toContain('add at least one routing rule');
    expect(checkRule('r', 'true')?.message).toContain("not the literal text 'true'");
    expect(checkRule('r', 'x ${a:isEmpty()}')?.message).toContain('single ${...} expression');
    const syntax = checkRule('r', '${a:equal("x")}');
    expect(syntax?.message).toContain("routing rule 'r'");
    expect(syntax?.message).toContain("did you mean 'equals'");
    expect(syntax?.column).toBeGreaterThan(0);
    expect(validateProcessor(RouteOnAttribute, { unmatched: '${a:isEmpty()}' }, { checkExpression })[0]?.message).toContain('choose another rule name');
    expect(validateProcessor(RouteOnAttribute, { ok: "${status:equals('ok')}" }, { checkExpression })).toEqual([]);
  });

  it('has a JSON-serializable descriptor', () => {
    expect(JSON.parse(JSON.stringify(RouteOnAttribute.descriptor))).toEqual(RouteOnAttribute.descriptor);
  });
});
