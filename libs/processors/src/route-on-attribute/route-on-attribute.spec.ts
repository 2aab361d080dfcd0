import { relationshipsFor, validateProcessor } from '@sluice/flow-api';
import { checkExpression } from '@sluice/expression';
import { TestRunner } from '@sluice/flow-testing';
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

  it('explains literal rules, text around the expression, non-Boolean results and syntax errors; no rule at all is valid, as in NiFi', () => {
    expect(validateProcessor(RouteOnAttribute, {}, { checkExpression })).toEqual([]);
    expect(checkRule('r', '${a:length()}')?.message).toContain('returns a Whole Number');
    expect(checkRule('r', 'true')?.message).toContain("not the literal text 'true'");
    expect(checkRule('r', 'x ${a:isEmpty()}')?.message).toContain('single ${...} expression');
    const syntax = checkRule('r', '${a:equal("x")}');
    expect(syntax?.message).toContain("routing rule 'r'");
    expect(syntax?.message).toContain("did you mean 'equals'");
    expect(syntax?.column).toBeGreaterThan(0);
    expect(validateProcessor(RouteOnAttribute, { ok: "${status:equals('ok')}" }, { checkExpression })).toEqual([]);
  });
});

describe('RouteOnAttribute onTrigger', () => {
  const rules = { big: '${size:gt(10)}', red: "${color:equals('red')}" };

  it('sends a copy to every matching rule and writes RouteOnAttribute.Route', async () => {
    const h = new TestRunner(RouteOnAttribute).setProperties(rules);
    h.enqueue('both', { size: '20', color: 'red' });
    h.enqueue('none', { size: '2', color: 'blue' });
    h.enqueue('big', { size: '11', color: 'blue' });
    await h.run(h.queueSize());
    expect(h.flowFilesFor('big').map((f) => [f.contentText(), f.attributes['RouteOnAttribute.Route']])).toEqual([
      ['both', 'big'],
      ['big', 'big'],
    ]);
    expect(h.flowFilesFor('red').map((f) => [f.contentText(), f.attributes['RouteOnAttribute.Route']])).toEqual([['both', 'red']]);
    expect(h.flowFilesFor('unmatched').map((f) => [f.contentText(), f.attributes['RouteOnAttribute.Route']])).toEqual([['none', 'unmatched']]);
    // The copy is a new FlowFile with the original's content and lineage.
    const copy = h.flowFilesFor('red')[0]!.flowFile;
    expect(copy.uuid).not.toBe(h.flowFilesFor('big')[0]!.flowFile.uuid);
  });

  it("routes to 'matched' when all rules match, or any", async () => {
    const all = new TestRunner(RouteOnAttribute).setProperties({ [ROUTING_STRATEGY]: ROUTE_ALL_MATCH, ...rules });
    all.enqueue('both', { size: '20', color: 'red' });
    all.enqueue('one', { size: '20', color: 'blue' });
    await all.run(all.queueSize());
    expect(all.flowFilesFor('matched').map((f) => f.contentText())).toEqual(['both']);
    expect(all.flowFilesFor('unmatched').map((f) => f.contentText())).toEqual(['one']);
    expect(all.flowFilesFor('matched')[0]!.attributes['RouteOnAttribute.Route']).toBe('matched');

    const any = new TestRunner(RouteOnAttribute).setProperties({ [ROUTING_STRATEGY]: ROUTE_ANY_MATCHES, ...rules });
    any.enqueue('one', { size: '20', color: 'blue' });
    any.enqueue('none', { size: '1', color: 'blue' });
    await any.run(any.queueSize());
    expect(any.flowFilesFor('matched').map((f) => f.contentText())).toEqual(['one']);
    expect(any.flowFilesFor('unmatched').map((f) => f.contentText())).toEqual(['none']);
  });

  it("routes the seed's missing-attribute checks with NiFi's true test", async () => {
    const h = new TestRunner(RouteOnAttribute).setProperties({ first: '${http.query.string:isEmpty()}', text: '${flag}' });
    h.enqueue('a', { flag: ' TRUE ' });
    await h.run(h.queueSize());
    expect(h.transferredRelationships()).toEqual(['first', 'text']);
  });

  it('throws, naming the rule, when a rule cannot be evaluated', async () => {
    const h = new TestRunner(RouteOnAttribute).setProperties({ old: "${date:toDate('yyyy-MM-dd'):toNumber():lt(0)}" });
    h.enqueue('', { date: 'soon' });
    await expect(h.run()).rejects.toThrow(/routing rule 'old' could not be evaluated/);
  });
});
