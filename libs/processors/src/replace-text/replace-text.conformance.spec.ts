/**
 * ReplaceText against the cases of NiFi's TestReplaceText, restated here (its hello.txt is "Hello, World!"), through
 * the real session and context. NiFi's default Evaluation Mode is Line-by-Line, so are these unless they say otherwise.
 */
import { TestRunner } from '@sluice/flow-testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { ReplaceText } from './replace-text.processor.js';

const HELLO = 'Hello, World!';
let runner: TestRunner;
beforeEach(() => {
  runner = new TestRunner(ReplaceText);
});

function configure(config: Record<string, string>) {
  for (const [k, v] of Object.entries(config)) runner.setProperty(k, v);
}
async function out(config: Record<string, string>, content = HELLO, attributes: Record<string, string> = {}) {
  configure(config);
  runner.enqueue(content, attributes);
  await runner.run();
  runner.assertAllTransferred('success', 1);
  return runner.flowFilesFor('success')[0]!.contentText();
}
const ENTIRE = { 'Evaluation Mode': 'Entire text' };

describe('ReplaceText (NiFi TestReplaceText cases)', () => {
  it('literal replace with Expression Language in the search and the replacement, both modes', async () => {
    for (const mode of ['Entire text', 'Line-by-Line']) {
      runner = new TestRunner(ReplaceText);
      expect(await out({ 'Evaluation Mode': mode, 'Replacement Strategy': 'Literal Replace', 'Search Value': '${replaceKey}', 'Replacement Value': 'GoodBye' }, HELLO, { replaceKey: 'Hello' })).toBe('GoodBye, World!');
      runner = new TestRunner(ReplaceText);
      expect(await out({ 'Evaluation Mode': mode, 'Replacement Strategy': 'Literal Replace', 'Search Value': 'Hello', 'Replacement Value': '${replaceValue}' }, HELLO, { replaceValue: 'Good-bye' })).toBe('Good-bye, World!');
    }
  });

  it('leaves the content as it is with the default configuration', async () => {
    await runner.run();
    expect(await out({}, HELLO)).toBe(HELLO);
  });

  it('replaces iteratively with a capturing group passed through Expression Language', async () => {
    const config = { 'Search Value': '"([a-z]+?)":"(.*?)"', 'Replacement Value': '"${\'$1\':toUpper()}":"$2"' };
    const input = '{"name":"Smith","middle":"nifi","firstname":"John"}';
    expect(await out({ ...config, ...ENTIRE }, input)).toBe('{"NAME":"Smith","MIDDLE":"nifi","FIRSTNAME":"John"}');
    runner = new TestRunner(ReplaceText);
    expect(await out(config, input)).toBe('{"NAME":"Smith","MIDDLE":"nifi","FIRSTNAME":"John"}');
  });

  it('handles $ in the replacement: escaped, unescaped, invalid and too-large references', async () => {
    expect(await out({ 'Search Value': 'ell', 'Replacement Value': 'lle' })).toBe('Hlleo, World!');
    const cases: [string, string, string, string][] = [
      ['(?s:^.*$)', 'a\\$b', 'a$a,b,c,d', 'a\\$b'],
      ['(?s:^.*$)', 'a$b', 'a$a,b,c,d', 'a$b'],
      ['(ell)', '[$1]', HELLO, 'H[ell]o, World!'],
      ['(ell)', '$123', HELLO, 'Hell23o, World!'],
      ['ell', '$0123', HELLO, 'Hell123o, World!'],
      ['(ell)', '$1$2', HELLO, 'Hell$2o, World!'],
      ['(ell)', '$d', HELLO, 'H$do, World!'],
      ['(ell)', '\\$1', HELLO, 'H$1o, World!'],
      ['(ell)', '', HELLO, 'Ho, World!'],
      ['Z', 'Morning', HELLO, HELLO],
      ['l', 'R', HELLO, 'HeRRo, WorRd!'],
    ];
    for (const [search, replacement, input, expected] of cases) {
      runner = new TestRunner(ReplaceText);
      expect(await out({ 'Search Value': search, 'Replacement Value': replacement }, input), `${search} -> ${replacement}`).toBe(expected);
    }
  });

  it('quotes attribute values: in the search they match literally, in the replacement $1 stays text', async () => {
    expect(await out({ 'Search Value': '${replaceKey}', 'Replacement Value': 'GoodBye' }, HELLO, { replaceKey: 'H.*o' })).toBe(HELLO);
    runner = new TestRunner(ReplaceText);
    expect(await out({ 'Search Value': '(ell)', 'Replacement Value': '[${abc}]' }, HELLO, { abc: '$1' })).toBe('H[$1]o, World!');
    runner = new TestRunner(ReplaceText);
    expect(await out({ 'Search Value': '${replaceKey}', 'Replacement Value': '${replaceValue}' }, HELLO, { replaceKey: 'Hello', replaceValue: 'Good-bye' })).toBe('Good-bye, World!');
  });

  it('prepends and appends per line mode, keeping each line ending', async () => {
    const cases: [string, string, string, string, string][] = [
      ['Prepend', 'All', '_', 'hello\nthere\nmadam', '_hello\n_there\n_madam'],
      ['Prepend', 'First-Line', '_', 'hello\nthere\nmadam', '_hello\nthere\nmadam'],
      ['Prepend', 'Last-Line', '_', 'hello\nthere\nmadam', 'hello\nthere\n_madam'],
      ['Prepend', 'Except-First-Line', '_', 'hello\nthere\nmadam', 'hello\n_there\n_madam'],
      ['Prepend', 'Except-Last-Line', '_', 'hello\nthere\nmadam', '_hello\n_there\nmadam'],
      ['Append', 'All', '!', 'hello\rthere\rsir', 'hello!\rthere!\rsir!'],
      ['Append', 'First-Line', '!', 'hello\rthere\rsir', 'hello!\rthere\rsir'],
      ['Append', 'Except-First-Line', '!', 'hello\rthere\rsir', 'hello\rthere!\rsir!'],
      ['Append', 'Last-Line', '!', 'hello\rthere\rsir', 'hello\rthere\rsir!'],
      ['Append', 'Except-Last-Line', '!', 'hello\rthere\rsir', 'hello!\rthere!\rsir'],
      ['Append', 'All', '!', 'hello\nthere\nsir', 'hello!\nthere!\nsir!'],
      ['Append', 'All', '!', 'hello\r\nthere\r\nsir', 'hello!\r\nthere!\r\nsir!'],
      ['Append', 'First-Line', '!', 'hello\r\nthere\r\nsir', 'hello!\r\nthere\r\nsir'],
      ['Append', 'Last-Line', '!', 'hello\r\nthere\r\nsir', 'hello\r\nthere\r\nsir!'],
      ['Append', 'Except-First-Line', '!', 'hello\r\nthere\r\nsir', 'hello\r\nthere!\r\nsir!'],
      ['Append', 'Except-Last-Line', '!', 'hello\r\nthere\r\nsir', 'hello!\r\nthere!\r\nsir'],
    ];
    for (const [strategy, lines, value, input, expected] of cases) {
      runner = new TestRunner(ReplaceText);
      expect(await out({ 'Replacement Strategy': strategy, 'Line-by-Line Evaluation Mode': lines, 'Replacement Value': value }, input), `${strategy} ${lines}`).toBe(expected);
    }
    runner = new TestRunner(ReplaceText);
    expect(await out({ 'Replacement Strategy': 'Prepend', 'Replacement Value': 'TEST', ...ENTIRE })).toBe('TEST' + HELLO);
  });

  it('routes a file over the buffer, or a line over it, to failure; .* still replaces everything', async () => {
    configure({ 'Search Value': '[123]', 'Maximum Buffer Size': '1 b', 'Replacement Value': '${abc}', ...ENTIRE });
    runner.enqueue(HELLO, { abc: 'Good' });
    await runner.run();
    runner.assertAllTransferred('failure', 1);
    runner = new TestRunner(ReplaceText);
    configure({ 'Search Value': '[123]', 'Maximum Buffer Size': '5 kb', 'Replacement Value': '${abc}' });
    runner.enqueue('Licensed to the Apache Software Foundation. '.repeat(200), { abc: 'Good' });
    await runner.run();
    runner.assertAllTransferred('failure', 1);
    runner = new TestRunner(ReplaceText);
    expect(await out({ 'Search Value': '.*', 'Maximum Buffer Size': '1 b', 'Replacement Value': '${abc}' }, HELLO, { abc: 'Good' })).toBe('Good');
  });

  it('writes the whole content into a template, and replaces inside braces', async () => {
    expect(await out({ 'Search Value': '(?s)(^.*)', 'Replacement Value': 'attribute header\n\n${filename}\n\ndata header\n\n$1\n\nfooter', ...ENTIRE }, 'Hello\nWorld!', { filename: 'abc.txt' }))
      .toBe('attribute header\n\nabc.txt\n\ndata header\n\nHello\nWorld!\n\nfooter');
    runner = new TestRunner(ReplaceText);
    expect(await out({ 'Search Value': '.+', 'Replacement Value': '{ ${filename} }' }, 'Hello', { filename: 'abc.txt' })).toBe('{ abc.txt }');
  });

  it('replaces the whole text with the default search value, single and multi line', async () => {
    expect(await out({ 'Replacement Value': 'default-replacement-value' }, 'original-text')).toBe('default-replacement-value');
    runner = new TestRunner(ReplaceText);
    expect(await out({ 'Replacement Value': 'default-replacement-value', ...ENTIRE }, 'original-text-line-1\noriginal-text-line-2')).toBe('default-replacement-value');
  });

  it('transforms capturing groups with Expression Language per line, keeping \\r\\n', async () => {
    const csvIn = '2006,10-01-2004,10may2004\n2007,15-05-2006,10jun2005\r\n2009,8-8-2008,10aug2008';
    expect(await out({ 'Search Value': '(.*?),(.*?),(\\d+.*)', 'Replacement Value': "$1,$2,${ '$3':toDate('ddMMMyyyy'):format('yyyy/MM/dd') }" }, csvIn))
      .toBe('2006,10-01-2004,2004/05/10\n2007,15-05-2006,2005/06/10\r\n2009,8-8-2008,2008/08/10');
    runner = new TestRunner(ReplaceText);
    expect(await out({ 'Search Value': '(.*)/(.*?).jpg', 'Replacement Value': "$1/${ '$2':substring(0,1) }.png" }, '1,2,3,https://123.jpg,email@mydomain.com\n3,2,1,https://321.jpg,other.email@mydomain.com'))
      .toBe('1,2,3,https://1.png,email@mydomain.com\n3,2,1,https://3.png,other.email@mydomain.com');
  });

  it('always replaces, ignoring the search value', async () => {
    expect(await out({ 'Replacement Strategy': 'Always Replace', 'Search Value': 'i do not exist anywhere in the text', 'Replacement Value': '${filename}', ...ENTIRE }, 'Hello\nWorld!', { filename: 'abc.txt' })).toBe('abc.txt');
    runner = new TestRunner(ReplaceText);
    expect(await out({ 'Replacement Strategy': 'Always Replace', 'Replacement Value': '${filename}' }, 'Hello\nWorld!\r\ntoday!\n', { filename: 'abc.txt' })).toBe('abc.txt\nabc.txt\r\nabc.txt\n');
  });

  it("needs Java's group syntax: (?s:^.*$) has no group 1, (?s)(^.*$) does", async () => {
    expect(await out({ 'Search Value': '(?s:^.*$)', 'Replacement Value': "${'$1':toUpper()}", ...ENTIRE }, 'testing\n123')).toBe('');
    runner = new TestRunner(ReplaceText);
    expect(await out({ 'Search Value': '(?s)(^.*$)', 'Replacement Value': "${'$1':toUpper()}", ...ENTIRE }, 'testing\n123')).toBe('TESTING\n123');
    runner = new TestRunner(ReplaceText);
    configure({ 'Search Value': '(?s:^.*$)', 'Replacement Value': '$1', ...ENTIRE });
    runner.enqueue('testing\n123');
    await expect(runner.run()).rejects.toThrow(/No group 1/);
    runner.assertQueueNotEmpty();
  });

  it('validates the search value for the strategy that uses it', () => {
    configure({ 'Search Value': '(?<!\\),*', 'Replacement Value': 'hello', ...ENTIRE });
    runner.assertNotValid();
    runner.setProperty('Replacement Strategy', 'Literal Replace');
    runner.assertValid();
    runner.setProperty('Search Value', '');
    runner.assertNotValid();
    for (const strategy of ['Append', 'Prepend', 'Always Replace']) {
      runner.setProperty('Replacement Strategy', strategy);
      runner.assertValid();
    }
  });

  it('replaces a regex text literally with Literal Replace', async () => {
    expect(await out({ 'Search Value': '(?<!\\),*', 'Replacement Value': 'hello', 'Replacement Strategy': 'Literal Replace', ...ENTIRE }, '(?<!\\),*')).toBe('hello');
  });

  it('surrounds the entire text and each line', async () => {
    expect(await out({ 'Replacement Strategy': 'Surround', 'Text to Prepend': '<<', 'Text to Append': '>>', ...ENTIRE }, 'Hello\nWorld')).toBe('<<Hello\nWorld>>');
    runner = new TestRunner(ReplaceText);
    expect(await out({ 'Replacement Strategy': 'Surround', 'Text to Prepend': '<<', 'Text to Append': '>>' }, 'Hello\nWorld')).toBe('<<Hello>>\n<<World>>');
  });

  it('keeps $ in the captured text when the replacement upper-cases a group', async () => {
    const config = { 'Search Value': '(?s)(^.*$)', 'Replacement Value': "${'$1':toUpper()}", ...ENTIRE };
    for (const [input, expected] of [['wo$rd', 'WO$RD'], ['wo$1rd', 'WO$1RD'], ['wo$1r$2d', 'WO$1R$2D']]) {
      runner = new TestRunner(ReplaceText);
      expect(await out(config, input)).toBe(expected);
    }
  });

  it('substitutes variables in both modes, leaving missing, escaped and empty references', async () => {
    const attrs = { var1: 'foo', var2: 'bar' };
    const cases: [string, string, string, Record<string, string>][] = [
      ['Line1: ${var1}\nLine2: ${var2}', 'Line1: foo\nLine2: bar', 'Entire text', attrs],
      ['Line1: ${var1}\nLine2: ${var2}', 'Line1: foo\nLine2: bar', 'Line-by-Line', attrs],
      ['Line1: ${var1}\nLine2: ${var2}', 'Line1: ${var1}\nLine2: ${var2}', 'Entire text', {}],
      ['Line1: $${var1}\nLine2: $${var2}', 'Line1: ${var1}\nLine2: ${var2}', 'Entire text', attrs],
      ['Line1: ${}\nLine2: ${}', 'Line1: ${}\nLine2: ${}', 'Entire text', attrs],
    ];
    for (const [input, expected, mode, attributes] of cases) {
      runner = new TestRunner(ReplaceText);
      expect(await out({ 'Replacement Strategy': 'Substitute Variables', 'Evaluation Mode': mode }, input, attributes)).toBe(expected);
    }
  });

  it('routes an expression that fails to failure with the content unchanged', async () => {
    configure({ ...ENTIRE, 'Search Value': '.*', 'Replacement Value': '${date:toDate("yyyy/MM/dd")}' });
    runner.enqueue('hi', { date: '12' });
    await runner.run();
    runner.assertAllTransferred('failure', 1);
    runner.flowFilesFor('failure')[0]!.assertContentEquals('hi');
  });

  it('migrates Regular Expression to Search Value', () => {
    runner.setProperty('Regular Expression', 'x');
    expect(runner.migrateProperties().changes).toEqual(["renamed 'Regular Expression' to 'Search Value'"]);
  });
});
