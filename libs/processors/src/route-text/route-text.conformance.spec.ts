/** RouteText against the cases of NiFi's TestRouteText, restated, through the real session and context. */
import { TestRunner } from '@sluice/flow-testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { RouteText } from './route-text.processor.js';

let runner: TestRunner;
beforeEach(() => {
  runner = new TestRunner(RouteText);
});

async function route(config: Record<string, string>, content: string | Uint8Array) {
  for (const [k, v] of Object.entries(config)) runner.setProperty(k, v);
  runner.assertValid();
  runner.enqueue(content);
  await runner.run();
  runner.assertTransferCount('original', 1);
}
const texts = (rel: string) => runner.flowFilesFor(rel).map((f) => f.contentText());
const byGroup = (rel: string) => Object.fromEntries(runner.flowFilesFor(rel).map((f) => [f.getAttribute('RouteText.Group'), f.contentText()]));

describe('RouteText (NiFi TestRouteText cases)', () => {
  it('has original, unmatched and one relationship per condition; needs a Matching Strategy and a condition', async () => {
    runner.setProperty('Matching Strategy', 'Starts With');
    runner.assertNotValid();
    runner.setProperty('simple', 'start');
    runner.assertValid();
    await route({}, new Uint8Array([0xff, 0xd8, 0xff, 0xe0]));
    runner.assertTransferCount('unmatched', 1);
    runner.flowFilesFor('original')[0]!.assertContentEquals(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]));
    expect(() => runner.flowFilesFor('matched')).toThrow(/no relationship 'matched'/);
    expect(new TestRunner(RouteText).setProperty('simple', 'x').validate()).toEqual([expect.objectContaining({ property: 'Matching Strategy', code: 'required' })]);
  });

  it('refuses an invalid regular expression', () => {
    runner.setProperty('Matching Strategy', 'Matches Regular Expression').setProperty('simple', '[');
    runner.assertNotValid();
  });

  it('routes by Starts With, with and without case, and Ends With', async () => {
    await route({ 'Matching Strategy': 'Starts With', simple: 'start' }, 'start middle end\nnot match');
    expect([texts('simple'), texts('unmatched')]).toEqual([['start middle end\n'], ['not match']]);
    runner = new TestRunner(RouteText);
    await route({ 'Matching Strategy': 'Starts With', 'Ignore Case': 'false', simple: 'start' }, 'STart middle end\nstart');
    expect([texts('simple'), texts('unmatched')]).toEqual([['start'], ['STart middle end\n']]);
    runner = new TestRunner(RouteText);
    await route({ 'Matching Strategy': 'Starts With', 'Ignore Case': 'true', simple: 'start' }, 'start middle end\nSTart');
    expect(texts('simple')).toEqual(['start middle end\nSTart']);
    runner = new TestRunner(RouteText);
    await route({ 'Matching Strategy': 'Ends With', simple: 'end' }, 'start middle end\nnot match');
    expect([texts('simple'), texts('unmatched')]).toEqual([['start middle end\n'], ['not match']]);
  });

  it('sends a line to every relationship it matches', async () => {
    await route({ 'Matching Strategy': 'Contains', t: 't', e: 'e', z: 'z' }, 'start middle end\nnot match');
    expect([texts('t'), texts('e'), texts('z'), texts('unmatched')]).toEqual([['start middle end\nnot match'], ['start middle end\n'], [], []]);
  });

  it('groups lines by the Grouping Regular Expression, within each relationship', async () => {
    await route({ 'Matching Strategy': 'Contains', 'Grouping Regular Expression': '(.*?),.*', o: 'o' }, '1,hello\n2,world\n1,good-bye');
    expect(byGroup('o')).toEqual({ 1: '1,hello\n1,good-bye', 2: '2,world\n' });
    runner = new TestRunner(RouteText);
    await route({ 'Matching Strategy': 'Contains', 'Grouping Regular Expression': '(.*?),(.*?),.*', o: 'o' }, '1,5,hello\n2,5,world\n1,8,good-bye\n1,5,overt');
    expect(byGroup('o')).toEqual({ '1, 5': '1,5,hello\n1,5,overt', '2, 5': '2,5,world\n', '1, 8': '1,8,good-bye\n' });
    runner = new TestRunner(RouteText);
    await route({ 'Matching Strategy': 'Contains', 'Grouping Regular Expression': '(.*?),.*', l: 'l' }, '1,hello\n2,world\n1,good-bye\n3,ciao');
    expect([byGroup('l'), byGroup('unmatched')]).toEqual([{ 1: '1,hello\n', 2: '2,world\n' }, { 1: '1,good-bye\n', 3: '3,ciao' }]);
  });

  it('matches Contains (with case), Equals and regular expressions by property name', async () => {
    const cases: [Record<string, string>, string, string[], string[]][] = [
      [{ 'Matching Strategy': 'Contains', simple: 'middle' }, 'start middle end\nnot match', ['start middle end\n'], ['not match']],
      [{ 'Matching Strategy': 'Contains', 'Ignore Case': 'true', simple: 'MIDdle' }, 'start middle end\nnot match', ['start middle end\n'], ['not match']],
      [{ 'Matching Strategy': 'Equals', simple: 'start middle end' }, 'start middle end\nnot match', ['start middle end\n'], ['not match']],
      [{ 'Matching Strategy': 'Matches Regular Expression', simple: '.*(mid).*' }, 'start middle end\nnot match', ['start middle end\n'], ['not match']],
      [{ 'Matching Strategy': 'Contains Regular Expression', simple: '(m.d)' }, 'start middle end\nnot match', ['start middle end\n'], ['not match']],
    ];
    for (const [config, input, simple, unmatched] of cases) {
      runner = new TestRunner(RouteText);
      await route(config, input);
      expect([texts('simple'), texts('unmatched')], JSON.stringify(config)).toEqual([simple, unmatched]);
    }
  });

  it("routes to 'matched' when any, or all, conditions hold", async () => {
    const any = "Route to 'matched' if lines matches any condition";
    const all = "Route to 'matched' if line matches all conditions";
    await route({ 'Routing Strategy': any, 'Matching Strategy': 'Starts With', simple: 'start', no: 'no match' }, 'start middle end\nnot match');
    expect([texts('matched'), texts('unmatched')]).toEqual([['start middle end\n'], ['not match']]);
    runner = new TestRunner(RouteText);
    await route({ 'Routing Strategy': all, 'Matching Strategy': 'Contains', a: 'start', b: 'end' }, 'start middle end\nstart only');
    expect([texts('matched'), texts('unmatched')]).toEqual([['start middle end\n'], ['start only']]);
    runner = new TestRunner(RouteText);
    await route({ 'Routing Strategy': all, 'Matching Strategy': 'Contains Regular Expression', a: 'st.rt', b: 'e.d$' }, 'start middle end\nstart only');
    expect(texts('matched')).toEqual(['start middle end\n']);
  });

  it('keeps \\r\\n and lone \\r line endings in the routed lines', async () => {
    await route({ 'Matching Strategy': 'Starts With', simple: 'start' }, 'start middle end\r\nnot match');
    expect([texts('simple'), texts('unmatched')]).toEqual([['start middle end\r\n'], ['not match']]);
    runner = new TestRunner(RouteText);
    await route({ 'Matching Strategy': 'Starts With', simple: 'start' }, 'start middle end\rnot match');
    expect([texts('simple'), texts('unmatched')]).toEqual([['start middle end\r'], ['not match']]);
  });

  it("evaluates Satisfies Expression with 'line' and 'lineNo'", async () => {
    runner.setProperty('Matching Strategy', 'Satisfies Expression').setProperty('empty', '${incomplete expression');
    runner.assertNotValid();
    await route({ empty: '${line:isEmpty()}', 'third-line': '${lineNo:equals(3)}', 'second-field-you': "${line:getDelimitedField(2):trim():equals('you')}" }, 'hello\n\ngood-bye, you\n    \t\t\n');
    expect([texts('empty'), texts('third-line'), texts('second-field-you'), texts('unmatched')]).toEqual([['\n    \t\t\n'], ['good-bye, you\n'], ['good-bye, you\n'], ['hello\n']]);
  });
});
