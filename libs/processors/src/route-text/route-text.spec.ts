import { type InProcessRegexEngine, TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { RouteText } from './route-text.processor.js';

async function route(config: Record<string, string>, content: string | Uint8Array, terminate: string[] = []) {
  const r = new TestRunner(RouteText);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  for (const rel of terminate) r.setAutoTerminated(rel);
  r.assertValid();
  r.enqueue(content);
  await r.run();
  return r;
}
const texts = (r: TestRunner, rel: string) => r.flowFilesFor(rel).map((f) => f.contentText());

describe('RouteText relationships and properties', () => {
  it('original carries RouteText.Route=original; routed files carry their relationship', async () => {
    const r = await route({ 'Matching Strategy': 'Starts With', h: '#' }, '# x\ny\n');
    r.flowFilesFor('original')[0]!.assertAttributeEquals('RouteText.Route', 'original');
    r.flowFilesFor('h')[0]!.assertAttributeEquals('RouteText.Route', 'h');
    r.flowFilesFor('unmatched')[0]!.assertAttributeEquals('RouteText.Route', 'unmatched');
  });

  it('writes no unmatched file when unmatched is auto-terminated (NiFi skips the work)', async () => {
    const r = await route({ 'Matching Strategy': 'Starts With', h: '#' }, '# x\ny\n', ['unmatched']);
    expect(texts(r, 'unmatched')).toEqual([]);
    expect(texts(r, 'h')).toEqual(['# x\n']);
  });

  it("Ignore Leading/Trailing Whitespace off: an empty line keeps its ending, so ^$ matches it only when trimming", async () => {
    const trimmed = await route({ 'Matching Strategy': 'Matches Regular Expression', empty: '^$' }, 'a\n\nb\n');
    expect(texts(trimmed, 'empty')).toEqual(['\n']);
    const raw = await route({ 'Matching Strategy': 'Matches Regular Expression', 'Ignore Leading/Trailing Whitespace': 'false', empty: '^$' }, 'a\n\nb\n');
    expect(texts(raw, 'empty')).toEqual([]);
    const spaced = await route({ 'Matching Strategy': 'Ends With', 'Ignore Leading/Trailing Whitespace': 'false', e: 'x ' }, 'x \nx\n');
    expect(texts(spaced, 'e')).toEqual(['x \n']);
  });

  it('conditions use Expression Language over the attributes', async () => {
    const r = new TestRunner(RouteText).setProperty('Matching Strategy', 'Starts With').setProperty('mine', '${prefix}');
    r.enqueue('A1\nB2\nA3\n', { prefix: 'A' });
    await r.run();
    expect(r.flowFilesFor('mine').map((f) => f.contentText())).toEqual(['A1\nA3\n']);
  });

  it('Character Set decodes lines and encodes what it writes', async () => {
    const r = await route({ 'Character Set': 'ISO-8859-1', 'Matching Strategy': 'Contains', e: '\u00e9' }, new Uint8Array([0xe9, 0x0a, 0x61]));
    expect([...r.flowFilesFor('e')[0]!.content]).toEqual([0xe9, 0x0a]);
  });

  it('refuses an exponential regular expression, a Grouping Regular Expression without a group, and a literal for Satisfies Expression', () => {
    const v = (config: Record<string, string>) => {
      const r = new TestRunner(RouteText);
      for (const [k, val] of Object.entries(config)) r.setProperty(k, val);
      return r.validate().map((i) => i.property);
    };
    expect(v({ 'Matching Strategy': 'Contains Regular Expression', a: '(a*)*b\\1' })).toEqual(['a']);
    expect(v({ 'Matching Strategy': 'Contains Regular Expression', a: '(a*)*b' })).toEqual([]);
    expect(v({ 'Matching Strategy': 'Contains', a: 'x', 'Grouping Regular Expression': '.*' })).toEqual(['Grouping Regular Expression']);
    expect(v({ 'Matching Strategy': 'Satisfies Expression', a: 'true' })).toEqual(['a']);
  });

  it('routes lines on a pattern that could backtrack exponentially, on the linear engine', async () => {
    const stuck = 'a'.repeat(5000) + '!';
    const r = await route({ 'Matching Strategy': 'Matches Regular Expression', words: '(\\w+\\s?)+', bang: '(a|a)+!' }, `hello big world\n${stuck}\nx y!\n`);
    expect(texts(r, 'words')).toEqual(['hello big world\n']);
    expect(texts(r, 'bang')).toEqual([`${stuck}\n`]);
    const grouped = await route(
      { 'Matching Strategy': 'Contains Regular Expression', 'Routing Strategy': 'Route to \'matched\' if lines matches any condition', any: '(a|ab)*c', 'Grouping Regular Expression': '(\\w+\\s?)+:.*' },
      'k1 x: abc\nk1 x: c\nk2: ac\n',
    );
    expect(grouped.flowFilesFor('matched').map((f) => [f.getAttribute('RouteText.Group'), f.contentText()])).toEqual([
      ['x', 'k1 x: abc\nk1 x: c\n'],
      ['k2', 'k2: ac\n'],
    ]);
  });
});

describe('RouteText with a pattern on the linear-time engine', () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}\n`).join('');
  const runner = (services = {}) => {
    const r = new TestRunner(RouteText, { services });
    r.setProperty('Matching Strategy', 'Matches Regular Expression');
    r.setProperty('word', '(\\w+\\s?)+');
    r.setProperty('Grouping Regular Expression', '(a|a)+(\\d*)(\\d)');
    return r;
  };

  it("routes lines beyond the limit through the host's regex engine, as within it", async () => {
    for (const n of [3000, 4000]) {
      const r = runner();
      r.enqueue(lines(n));
      await r.run();
      expect(r.flowFilesFor('word').map((f) => f.contentText())).toEqual([lines(n)]);
      expect((r.services.regex as InProcessRegexEngine).jobs.length).toBe(n === 3000 ? 0 : 2);
    }
    const r = runner();
    const grouped = `${'a'.repeat(40_000)}1\naa12\nb\n`;
    r.enqueue(grouped);
    await r.run();
    expect(r.flowFilesFor('word').map((f) => [f.getAttribute('RouteText.Group'), f.contentText()])).toEqual([
      ['a, , 1', `${'a'.repeat(40_000)}1\n`],
      ['a, 1, 2', 'aa12\n'],
      ['', 'b\n'],
    ]);
  });

  it('keeps a longer text queued with an error naming the limit where the host has no regex engine', async () => {
    const r = runner({ regex: undefined });
    r.enqueue(lines(4000));
    await expect(r.run()).rejects.toThrow(/runs on the linear-time engine, which takes at most 32768 characters of input \(this one has \d+\)/);
    expect(r.queueSize()).toBe(1);
  });
});
