import { type InProcessRegexEngine, TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { ReplaceText } from './replace-text.processor.js';

async function run(config: Record<string, string>, content: string | Uint8Array, attributes: Record<string, string> = {}) {
  const r = new TestRunner(ReplaceText);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  r.assertValid();
  r.enqueue(content, attributes);
  await r.run();
  return r;
}
const text = async (config: Record<string, string>, content: string, attributes: Record<string, string> = {}) => {
  const r = await run(config, content, attributes);
  r.assertAllTransferred('success', 1);
  return r.flowFilesFor('success')[0]!.contentText();
};

describe('ReplaceText relationships', () => {
  it('success: replaced or not', async () => {
    expect(await text({ 'Search Value': 'b', 'Replacement Value': 'x' }, 'abc')).toBe('axc');
    expect(await text({ 'Search Value': 'z', 'Replacement Value': 'x' }, 'abc')).toBe('abc');
  });

  it('failure: larger than the buffer, a line over the buffer, an expression that fails', async () => {
    (await run({ 'Evaluation Mode': 'Entire text', 'Search Value': 'a', 'Replacement Value': 'b', 'Maximum Buffer Size': '2 B' }, 'aaaa')).assertAllTransferred('failure', 1);
    (await run({ 'Search Value': 'a', 'Replacement Value': 'b', 'Maximum Buffer Size': '3 B' }, `aa\n${'a'.repeat(8193)}\n`)).assertAllTransferred('failure', 1);
    (await run({ 'Search Value': 'a', 'Replacement Value': 'b', 'Maximum Buffer Size': '3 B' }, `aa\n${'a'.repeat(8000)}\n`)).assertAllTransferred('success', 1);
    const bad = await run({ 'Evaluation Mode': 'Entire text', 'Search Value': '.*', 'Replacement Value': '${d:toDate("yyyy/MM/dd")}' }, 'hi', { d: '12' });
    bad.assertAllTransferred('failure', 1);
    bad.flowFilesFor('failure')[0]!.assertContentEquals('hi');
  });
});

describe('ReplaceText properties', () => {
  it('Replacement Strategy: each strategy, entire text', async () => {
    const entire = { 'Evaluation Mode': 'Entire text' };
    expect(await text({ ...entire, 'Replacement Strategy': 'Prepend', 'Replacement Value': '>' }, 'a\nb')).toBe('>a\nb');
    expect(await text({ ...entire, 'Replacement Strategy': 'Append', 'Replacement Value': '<' }, 'a\nb')).toBe('a\nb<');
    expect(await text({ ...entire, 'Replacement Strategy': 'Surround', 'Text to Prepend': '[', 'Text to Append': ']' }, 'a\nb')).toBe('[a\nb]');
    expect(await text({ ...entire, 'Replacement Strategy': 'Literal Replace', 'Search Value': '.', 'Replacement Value': ',' }, '1.5.2')).toBe('1,5,2');
    expect(await text({ ...entire, 'Replacement Strategy': 'Always Replace', 'Replacement Value': '${sku}' }, 'old', { sku: 'A1' })).toBe('A1');
    expect(await text({ ...entire, 'Replacement Strategy': 'Substitute Variables' }, 'sku=${sku} $${sku} ${none} ${none:-d}', { sku: 'A1' })).toBe('sku=A1 ${sku} ${none} d');
    expect(await text({ ...entire, 'Search Value': '(\\w+)@(\\w+)', 'Replacement Value': '$2 at $1' }, 'me@host')).toBe('host at me');
  });

  it('Replacement Strategy: each strategy, line by line (line endings kept)', async () => {
    expect(await text({ 'Replacement Strategy': 'Prepend', 'Replacement Value': '>' }, 'a\r\nb\n')).toBe('>a\r\n>b\n');
    expect(await text({ 'Replacement Strategy': 'Append', 'Replacement Value': '<' }, 'a\r\nb\rc')).toBe('a<\r\nb<\rc<');
    expect(await text({ 'Replacement Strategy': 'Surround', 'Text to Prepend': '[', 'Text to Append': ']' }, 'a\nb')).toBe('[a]\n[b]');
    expect(await text({ 'Replacement Strategy': 'Always Replace', 'Replacement Value': 'x' }, 'a\r\nb\n')).toBe('x\r\nx\n');
    expect(await text({ 'Replacement Strategy': 'Literal Replace', 'Search Value': 'a', 'Replacement Value': 'A' }, 'aa\nba')).toBe('AA\nbA');
    expect(await text({ 'Replacement Strategy': 'Substitute Variables' }, '${a}\n${b}', { a: '1', b: '2' })).toBe('1\n2');
  });

  it('Search Value: Expression Language results are quoted; Replacement Value sees groups as $0..$n attributes', async () => {
    expect(await text({ 'Search Value': '${key}', 'Replacement Value': 'X' }, 'a.c abc', { key: 'a.c' })).toBe('X abc');
    expect(await text({ 'Search Value': '(\\w+)=(\\d+)', 'Replacement Value': "$1=${'$2':plus(1)}" }, 'qty=4, n=9')).toBe('qty=5, n=10');
  });

  it('Character Set decodes and encodes the content', async () => {
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]);
    const r = await run({ 'Character Set': 'ISO-8859-1', 'Search Value': 'é', 'Replacement Value': 'è' }, latin1);
    expect([...r.flowFilesFor('success')[0]!.content]).toEqual([0x63, 0x61, 0x66, 0xe8]);
    expect(new TestRunner(ReplaceText).setProperty('Character Set', 'EBCDIC-XYZ').validate()).toEqual([
      expect.objectContaining({ property: 'Character Set', message: expect.stringContaining('not a supported character set') }),
    ]);
  });

  it('Maximum Buffer Size does not apply to Prepend/Append/Always Replace on the entire text', async () => {
    expect(await text({ 'Evaluation Mode': 'Entire text', 'Replacement Strategy': 'Append', 'Replacement Value': '!', 'Maximum Buffer Size': '1 B' }, 'hello')).toBe('hello!');
    expect(await text({ 'Search Value': '.*', 'Replacement Value': 'Good', 'Maximum Buffer Size': '1 B', 'Evaluation Mode': 'Entire text' }, 'hello')).toBe('Good');
  });

  it('Line-by-Line Evaluation Mode picks the lines', async () => {
    const base = { 'Replacement Strategy': 'Prepend', 'Replacement Value': '_' };
    const input = 'a\nb\nc';
    expect(await text({ ...base, 'Line-by-Line Evaluation Mode': 'First-Line' }, input)).toBe('_a\nb\nc');
    expect(await text({ ...base, 'Line-by-Line Evaluation Mode': 'Last-Line' }, input)).toBe('a\nb\n_c');
    expect(await text({ ...base, 'Line-by-Line Evaluation Mode': 'Except-First-Line' }, input)).toBe('a\n_b\n_c');
    expect(await text({ ...base, 'Line-by-Line Evaluation Mode': 'Except-Last-Line' }, input)).toBe('_a\n_b\nc');
  });

  it('refuses invalid and exponential regular expressions, and an empty literal', () => {
    const v = (config: Record<string, string>) => {
      const r = new TestRunner(ReplaceText);
      for (const [k, val] of Object.entries(config)) r.setProperty(k, val);
      return r.validate();
    };
    expect(v({ 'Search Value': '(?<!\\),*' })[0]!.property).toBe('Search Value');
    expect(v({ 'Search Value': '(\\w+\\s?)+$' })).toEqual([]);
    expect(v({ 'Search Value': '(\\w+\\s?)+\\1$' })[0]!.message).toMatch(/exponential time, and it uses a back reference/);
    expect(v({ 'Replacement Strategy': 'Literal Replace', 'Search Value': '' })[0]!.property).toBe('Search Value');
    expect(v({ 'Replacement Strategy': 'Append', 'Search Value': '' })).toEqual([]);
  });

  it('refuses at run time an exponential regex built by Expression Language that the linear engine cannot run', async () => {
    const r = await run({ 'Search Value': '(${x}+)+\\1', 'Replacement Value': 'y' }, 'aaa', { x: 'a' });
    r.assertAllTransferred('failure', 1);
    expect(r.logs('warn')[0]!.message).toMatch(/exponential time, and it uses a back reference/);
  });

  it("replaces with a pattern that could backtrack exponentially on the linear engine, as Java's replaceAll does", async () => {
    expect(await text({ 'Search Value': '(${x}+)+', 'Replacement Value': '<$1>' }, 'aaa b aa', { x: 'a' })).toBe('<aaa> b <aa>');
    const entire = { 'Evaluation Mode': 'Entire text', 'Search Value': '(\\w+\\s?)+$', 'Replacement Value': '[$1]' };
    expect(await text(entire, 'hello big world\n')).toBe('[world\n]');
    expect(await text(entire, 'a'.repeat(5000) + '!')).toBe('a'.repeat(5000) + '!');
    expect(await text({ 'Search Value': '(?<w>a|ab)*c', 'Replacement Value': '$1' }, 'ababc\nxc\n')).toBe('ab\nx\n');
    expect(await text({ 'Search Value': '(a|a)+$', 'Replacement Value': 'Z' }, 'baa\naa\n')).toBe('bZ\nZ\n');
  });

  it('renames the 1.x Regular Expression property to Search Value', () => {
    const r = new TestRunner(ReplaceText).setProperty('Regular Expression', 'a+');
    expect(r.migrateProperties().changes).toEqual(["renamed 'Regular Expression' to 'Search Value'"]);
  });
});

describe('ReplaceText with a pattern on the linear-time engine', () => {
  // (\w+\s?)+ could backtrack exponentially, so it runs on the linear engine, which takes at most 32768 characters.
  const config = { 'Search Value': '(\\w+\\s?)+', 'Replacement Value': '<$1>' };
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}\n`).join('');

  it('replaces as on any pattern within the limit, line by line and on the entire text', async () => {
    expect(await text(config, 'ab cd\nef!\n')).toBe('<cd\n><ef>!\n');
    expect(await text({ ...config, 'Evaluation Mode': 'Entire text' }, 'ab cd\nef!')).toBe('<ef>!');
    const within = lines(3000);
    expect(within.length).toBeLessThanOrEqual(32768);
    expect(await text(config, within)).toBe(within.replace(/line (\d+\n)/g, '<$1>'));
    expect(await text({ ...config, 'Evaluation Mode': 'Entire text' }, within)).toBe('<2999\n>');
  });

  it("replaces a longer text through the host's regex engine as Java would, line by line and on the entire text", async () => {
    const over = lines(4000);
    expect(over.length).toBeGreaterThan(32768);
    for (const [mode, expected] of [['Line-by-Line', over.replace(/line (\d+\n)/g, '<$1>')], ['Entire text', '<3999\n>']] as const) {
      const r = await run({ ...config, 'Evaluation Mode': mode }, over);
      r.assertAllTransferred('success', 1);
      expect(r.flowFilesFor('success')[0]!.contentText()).toBe(expected);
      expect((r.services.regex as InProcessRegexEngine).jobs.map((j) => [j.operation, j.texts.length])).toEqual([['replaceAll', mode === 'Line-by-Line' ? 4000 : 1]]);
    }
  });

  it('matches hazardous patterns over more than 32768 characters, with replacements per match', async () => {
    const entire = { 'Evaluation Mode': 'Entire text' };
    const as = 'a'.repeat(40_000);
    expect(await text({ ...entire, 'Search Value': '(a|a)+$', 'Replacement Value': 'Z' }, `b${as}`)).toBe('bZ');
    expect(await text({ ...entire, 'Search Value': '(x+x+)+y', 'Replacement Value': '[$1]' }, `${'x'.repeat(40_000)}y-xxy`)).toBe(`[${'x'.repeat(40_000)}]-[xx]`);
    expect(await text({ ...entire, 'Search Value': '(x+x+)+y', 'Replacement Value': 'Z' }, 'x'.repeat(40_000))).toBe('x'.repeat(40_000));
    const perMatch = { ...entire, 'Search Value': '(\\w+\\s?)+', 'Replacement Value': "${'$1':toUpper()}" };
    expect(await text(perMatch, 'ab1,'.repeat(10_000))).toBe('AB1,'.repeat(10_000));
  });

  it('sends a longer text to failure naming the limit where the host has no regex engine', async () => {
    const over = lines(4000);
    for (const mode of ['Line-by-Line', 'Entire text']) {
      const r = new TestRunner(ReplaceText, { services: { regex: undefined } });
      for (const [k, v] of Object.entries({ ...config, 'Evaluation Mode': mode })) r.setProperty(k, v);
      r.enqueue(over);
      await r.run();
      r.assertAllTransferred('failure', 1);
      r.flowFilesFor('failure')[0]!.assertContentEquals(over);
      expect(r.logs('warn').map((l) => l.message).join('\n')).toContain(`runs on the linear-time engine, which takes at most 32768 characters of input (this one has ${over.length})`);
    }
  });
});
