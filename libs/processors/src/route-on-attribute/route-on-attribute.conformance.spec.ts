/**
 * RouteOnAttribute against NiFi 2.x's documented behaviour and the cases of NiFi's TestRouteOnAttribute (restated
 * here), through the real session and context.
 */
import { TestRunner } from '@sluice/flow-testing';
import { relationshipsFor } from '@sluice/flow-api';
import { beforeEach, describe, expect, it } from 'vitest';
import { RouteOnAttribute } from './route-on-attribute.processor.js';

const ALL = "Route to 'match' if all match";
const ANY = "Route to 'match' if any matches";

let runner: TestRunner;
beforeEach(() => {
  runner = new TestRunner(RouteOnAttribute);
});

/** NiFi's four FlowFiles for the all/any cases: a=b,b=a / a=b,b=b / a=a,b=b / none. */
function enqueueFour(): void {
  runner.enqueue('', { a: 'b', b: 'a' });
  runner.enqueue('', { a: 'b', b: 'b' });
  runner.enqueue('', { a: 'a', b: 'b' });
  runner.enqueue('');
}

describe('RouteOnAttribute (NiFi TestRouteOnAttribute cases)', () => {
  it('refuses a rule that does not compile, or does not return a Boolean', () => {
    runner.setProperty('RouteA', "${a:equals('b')");
    runner.assertNotValid();
    runner.setProperty('RouteA', '${a:length()');
    runner.assertNotValid();
    runner.setProperty('RouteA', '${a:length()}');
    expect(runner.validate()[0]!.message).toContain('returns a Whole Number');
  });

  it('routes to the relationship named after the matching rule, and writes RouteOnAttribute.Route', async () => {
    runner.setProperty('RouteA', "${a:equals('b')}");
    runner.enqueue('', { a: 'b' });
    await runner.run();
    runner.assertAllTransferred('RouteA', 1);
    const [ff] = runner.flowFilesFor('RouteA');
    ff!.assertAttributeEquals('a', 'b');
    ff!.assertAttributeEquals('RouteOnAttribute.Route', 'RouteA');
  });

  it("routes to 'matched' only when all rules match", async () => {
    runner.setProperty('Routing Strategy', ALL).setProperty('RouteA', "${a:equals('b')}").setProperty('RouteB', "${b:equals('a')}");
    enqueueFour();
    await runner.run(4);
    const match = runner.flowFilesFor('matched');
    const noMatch = runner.flowFilesFor('unmatched');
    expect(match).toHaveLength(1);
    expect(noMatch).toHaveLength(3);
    for (const ff of noMatch) ff.assertAttributeEquals('RouteOnAttribute.Route', 'unmatched');
    expect(match[0]!.attributes).toMatchObject({ a: 'b', b: 'a', 'RouteOnAttribute.Route': 'matched' });
  });

  it("routes to 'matched' when any rule matches", async () => {
    runner.setProperty('Routing Strategy', ANY).setProperty('RouteA', "${a:equals('b')}").setProperty('RouteB', "${b:equals('a')}");
    enqueueFour();
    await runner.run(4);
    const match = runner.flowFilesFor('matched');
    expect(match).toHaveLength(2);
    expect(runner.flowFilesFor('unmatched')).toHaveLength(2);
    expect(match.map((f) => f.getAttribute('a'))).toEqual(['b', 'b']);
    expect(match.map((f) => f.getAttribute('b')).sort()).toEqual(['a', 'b']);
  });
});

describe('RouteOnAttribute (NiFi documented behaviour)', () => {
  it("keeps NiFi's persisted strategy values, its 'match' wording included, and its relationship names", () => {
    const strategy = RouteOnAttribute.descriptor.properties.find((p) => p.name === 'Routing Strategy')!;
    expect(strategy.allowableValues!.map((v) => [v.value, v.displayName])).toEqual([
      ['Route to Property name', 'Route to Property name'],
      [ALL, "Route to 'matched' if all match"],
      [ANY, "Route to 'matched' if any matches"],
    ]);
    const names = (config: Record<string, string>) => relationshipsFor(RouteOnAttribute.descriptor, config).map((r) => r.name).sort();
    expect(names({ RouteA: '${a:isEmpty()}', RouteB: '${b:isEmpty()}' })).toEqual(['RouteA', 'RouteB', 'unmatched']);
    expect(names({ 'Routing Strategy': ALL, RouteA: '${a:isEmpty()}' })).toEqual(['matched', 'unmatched']);
    expect(names({ 'Routing Strategy': ANY })).toEqual(['matched', 'unmatched']);
  });

  it('sends a clone to every other matching rule', async () => {
    runner.setProperty('big', '${size:gt(10)}').setProperty('red', "${color:equals('red')}");
    runner.enqueue('both', { size: '20', color: 'red' });
    await runner.run();
    const [big] = runner.flowFilesFor('big');
    const [red] = runner.flowFilesFor('red');
    big!.assertAttributeEquals('RouteOnAttribute.Route', 'big');
    red!.assertAttributeEquals('RouteOnAttribute.Route', 'red');
    red!.assertContentEquals('both');
    expect(big!.uuid).not.toBe(red!.uuid);
  });

  it('is valid without rules, sending everything to unmatched (and all-match then matches)', async () => {
    runner.assertValid();
    runner.enqueue('x');
    await runner.run();
    runner.assertAllTransferred('unmatched', 1);
  });

  it('refuses a literal rule and text around the expression', () => {
    runner.setProperty('r', 'true');
    expect(runner.validate()[0]!.message).toContain("not the literal text 'true'");
    runner.setProperty('r', ' x ${a:isEmpty()}');
    expect(runner.validate()[0]!.message).toContain('single ${...} expression');
  });

  it('checks a rule given by a parameter once substituted', () => {
    runner.setProperty('r', '#{rule}');
    expect(runner.validate()[0]).toMatchObject({ code: 'required' });
    runner.setParameter('rule', '${a:length()}');
    expect(runner.validate()[0]!.message).toContain('returns a Whole Number');
    runner.setParameter('rule', "${a:equals('b')}");
    runner.assertValid();
  });

  it('rolls back, naming the rule, when a rule cannot be evaluated', async () => {
    runner.setProperty('old', "${date:toDate('yyyy-MM-dd'):toNumber():lt(0)}");
    runner.enqueue('', { date: 'soon' });
    await expect(runner.run()).rejects.toThrow(/routing rule 'old' could not be evaluated/);
    runner.assertQueueNotEmpty();
  });
});
