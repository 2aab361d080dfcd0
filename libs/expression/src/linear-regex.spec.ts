import { describe, expect, it } from 'vitest';
import { compileExpression } from './index.js';
import { compileJavaRegex, javaSplit, translateReplacement } from './java-regex.js';
import { translateJavaRegex } from './java-regex-syntax.js';
import { EXPRESSION_LIMITS } from './limits.js';
import { checkLinearInput, linearJavaRegex, LinearRegExp, RegexInputLimitError } from './linear-regex.js';
import { UnsafeRegexError } from './regex-safety.js';

/** Java's Matcher.find loop: every match with its groups (null for a group that took no part), as Java prints them. */
function javaFinds(pattern: string, text: string): (string | null)[][] {
  const rx = compileJavaRegex(pattern);
  return [...text.matchAll(rx.global)].map((m) => [...m].map((g) => g ?? null));
}

const adversarial = 'a'.repeat(5000) + '!';
const words = 'hello world '.repeat(500) + '!';

describe('hazardous patterns on the linear-time engine', () => {
  it('compiles them to the linear engine, and keeps everyday patterns on the backtracking one', () => {
    for (const p of ['(\\w+\\s?)+$', '(a|ab)*c', '(a+)+', '(?i)(A|a)+', '(.|\\s)*']) {
      const rx = compileJavaRegex(p);
      expect(rx.re, p).toBeInstanceOf(LinearRegExp);
      expect(rx.global, p).toBeInstanceOf(LinearRegExp);
      expect(rx.full, p).toBeInstanceOf(LinearRegExp);
      expect(rx.fastRe, p).toBeNull();
    }
    expect(compileJavaRegex('(\\w+\\s)+').re).not.toBeInstanceOf(LinearRegExp);
  });

  it('finds what Java finds, with the groups Java reports', () => {
    expect(javaFinds('(\\w+\\s?)+$', 'hello big world')).toEqual([['hello big world', 'world']]);
    expect(javaFinds('(a|ab)*c', 'xababc abc c')).toEqual([
      ['ababc', 'ab'],
      ['abc', 'ab'],
      ['c', null],
    ]);
    expect(javaFinds('(a+)+b', 'aaab ab b')).toEqual([
      ['aaab', 'aaa'],
      ['ab', 'a'],
    ]);
    expect(javaFinds('(a+|(b))+$', 'aa')).toEqual([['aa', 'aa', null]]);
    // Java keeps a group's capture from an earlier turn of the loop (JavaScript would clear it)
    expect(javaFinds('(?:(a)|a|b)+$', 'ab')).toEqual([['ab', 'a']]);
    // possessive quantifiers and atomic groups at the end of the pattern: nothing after them could take back a character
    expect(javaFinds('(a++)+', 'aaa b a')).toEqual([
      ['aaa', 'aaa'],
      ['a', 'a'],
    ]);
    expect(javaFinds('(?>a|ab)+', 'abab')).toEqual([['a'], ['a']]);
    // lazy quantifiers keep their priority
    expect(javaFinds('(a|ab)+?', 'abab')).toEqual([
      ['a', 'a'],
      ['a', 'a'],
    ]);
  });

  it("matches Java's $ before a final line terminator, and (?m) at every line", () => {
    expect(javaFinds('(a+)+$', 'aaa\n')).toEqual([['aaa', 'aaa']]);
    expect(javaFinds('(a+)+$', 'aaa\r\n')).toEqual([['aaa', 'aaa']]);
    expect(javaFinds('(a+)+$', 'aaa\nb')).toEqual([]);
    expect(javaFinds('(a+)+\\Z', 'aa\u2028')).toEqual([['aa', 'aa']]);
    expect(javaFinds('(a+)+\\z', 'aa\n')).toEqual([]);
    // \s? may take the final terminator itself: then $ holds at the very end
    expect(javaFinds('(\\w+\\s?)+$', 'ab cd\n')).toEqual([['ab cd\n', 'cd\n']]);
    expect(javaFinds('(?m)^(\\w+ ?)+$', 'ab cd\nef\u0085gh')).toEqual([
      ['ab cd', 'cd'],
      ['ef', 'ef'],
      ['gh', 'gh'],
    ]);
    expect(javaFinds('(x$|(a+)+)', 'aax\n')).toEqual([
      ['aa', 'aa', 'aa'],
      ['x', 'x', null],
    ]);
    // . does not match a line terminator unless (?s)
    expect(compileJavaRegex('^(.|\\s)*$').full.test('a\nb')).toBe(true);
    expect(compileJavaRegex('^(.*a)+$').full.test('a\na')).toBe(false);
    expect(compileJavaRegex('(?s)^(.*a)+$').full.test('a\na')).toBe(true);
  });

  it('answers Java matches(), find() and its flags', () => {
    const rx = compileJavaRegex('(\\w+\\s?)+');
    expect(rx.full.test('hello world')).toBe(true);
    expect(rx.full.test('hello world!')).toBe(false);
    expect(rx.re.test('!!')).toBe(false);
    expect(rx.re.exec('!! ab')).toMatchObject({ 0: 'ab', 1: 'ab', index: 3, input: '!! ab' });
    expect(javaFinds('(?i)(A|a)+', 'xAaAy')).toEqual([['AaA', 'A']]);
    expect(javaFinds('(?i)(straße|STRASSE)+', 'STRASSE Straße')).toEqual([
      ['STRASSE', 'STRASSE'],
      ['Straße', 'Straße'],
    ]);
    expect(javaFinds('(?x) ( a | a b ) * c  # commented', 'abc')).toEqual([['abc', 'ab']]);
    expect(javaFinds('(?<=x)(a|a)+', 'xaa ya')).toEqual([['aa', 'a']]);
    expect(javaFinds('(\\p{L}|\u00e9)+', '1 caf\u00e9!')).toEqual([['caf\u00e9', '\u00e9']]);
    // characters outside the BMP are one character, and an anchor never holds between their halves
    expect(javaFinds('(\\x{1F600}|\\uD83D\\uDE01)+', 'x\u{1F600}\u{1F601}y')).toEqual([['\u{1F600}\u{1F601}', '\u{1F601}']]);
    expect([...'\u{1F600}'.matchAll(compileJavaRegex('(?m)(a|a)*$').global)].map((m) => m.index)).toEqual([2]);
  });

  it('names groups as RegExp.exec does', () => {
    const rx = compileJavaRegex('(?<word>\\w+\\s?)+(?<bang>!)?$');
    const m = rx.re.exec('say hi');
    expect(m?.groups).toEqual({ word: 'hi', bang: undefined });
    expect(m?.[2]).toBeUndefined();
    expect(rx.groupNames).toEqual(['word', 'bang']);
  });

  it("finishes at once on the inputs that make the backtracking engine run for ever, with Java's answers", () => {
    expect(compileJavaRegex('(a|a)+$').full.test(adversarial)).toBe(false);
    expect(compileJavaRegex('(a|a)+$').re.test(adversarial)).toBe(false);
    expect(compileJavaRegex('(\\w+\\s?)+$').re.test(adversarial)).toBe(false);
    expect(compileJavaRegex('^(\\w+\\s?)*$').full.test(words)).toBe(false);
    expect(adversarial.replace(compileJavaRegex('(a+)+b').global, 'x')).toBe(adversarial);
    expect(javaSplit(words, '(\\w+\\s?)+$')).toEqual([words]);
    expect(adversarial.replace(compileJavaRegex('(a|aa)+').global, 'x')).toBe('x!');
  });

  it('serves String.prototype replace, match, matchAll, search and split', () => {
    const rx = compileJavaRegex('(?<w>a|ab)*c');
    expect('xababcx abc'.replace(rx.global, '[$1|$<w>]')).toBe('x[ab|ab]x [ab|ab]');
    expect('xababcx'.replace(rx.re, (m, g: string, at: number) => `${m}:${g}@${at}`)).toBe('xababc:ab@1x');
    expect('xababcx abc'.match(rx.global)).toEqual(['ababc', 'abc']);
    expect('  abc'.search(rx.re)).toBe(2);
    expect([...'cc'.matchAll(rx.global)].map((m) => m.index)).toEqual([0, 1]);
    const sep = compileJavaRegex('(?:\\s|\\t)+');
    expect('a \t b\tc'.split(sep.re)).toEqual(['a', 'b', 'c']);
    // an empty match moves on by one character, as with RegExp
    expect('ab'.replace(compileJavaRegex('(a|a)*').global, '-')).toBe('--b-');
    const g = rx.global;
    g.lastIndex = 3;
    expect(g.exec('ababc abc')).toMatchObject({ 0: 'c', index: 4 });
    expect(g.lastIndex).toBe(5);
    expect(g.exec('ababc abc')).toMatchObject({ 0: 'abc', index: 6 });
    expect(g.lastIndex).toBe(9);
    expect(g.exec('ababc abc')).toBeNull();
    expect(g.lastIndex).toBe(0);
  });

  it("splits like Java's String.split", () => {
    expect(javaSplit('a \t b\tc  ', '(\\s|\\t)+')).toEqual(['a', 'b', 'c']);
    expect(javaSplit('ab', '(a|a)*')).toEqual(['', '', 'b']);
  });

  it('runs hazardous patterns in Expression Language with Java replacement rules', () => {
    const evaluate = (expression: string, attributes: Record<string, string> = {}): string | null =>
      compileExpression(expression).evaluate({ attributes });
    expect(evaluate("${literal('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'):matches('(a|a)+$')}")).toBe('false');
    expect(evaluate("${literal('aaaa'):matches('(a|a)+$')}")).toBe('true');
    expect(evaluate("${x:find('(a+)+b')}", { x: 'caab' })).toBe('true');
    expect(evaluate("${x:replaceAll('(\\w+\\s?)+', '<$1>')}", { x: 'a1 b2 c3!' })).toBe('<c3>!');
    expect(evaluate("${x:replaceAll('(a|ab)*c', '[$1]')}", { x: 'xababcx' })).toBe('x[ab]x');
    const named = compileJavaRegex('(?<w>a|ab)*c');
    expect('xababcx c'.replace(named.global, translateReplacement('[${w}]', named))).toBe('x[ab]x []');
    expect(evaluate("${x:replaceFirst('(.|\\s)*', 'y')}", { x: 'a\nb' })).toBe('y');
    expect(evaluate("${x:replaceByPattern('(a|ab)*c:y')}", { x: 'abc' })).toBe('y');
    expect(evaluate('${text:matches(${p})}', { text: adversarial, p: '(a|a)+$' })).toBe('false');
    expect(evaluate("${anyMatchingAttribute('(a+)+'):isEmpty()}", { aaa: 'v' })).toBe('false');
  });
});

describe('the linear engine beside the backtracking one', () => {
  /** Everyday patterns (which run on the backtracking engine) over inputs with every kind of line terminator. */
  const PATTERNS = [
    '^\\d{4}-\\d{2}-\\d{2}$', '(\\d{1,2})/(\\d{1,2})/(\\d{4})', '^\\d{2}\\.\\d{2}\\.\\d{4}( \\d{2}:\\d{2}(:\\d{2})?)?$',
    '(?i)^sku[-_ ]?\\d+$', '^[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+$', '^https?://[^/\\s]+(/[^\\s]*)?$', '^\\s+|\\s+$', '[,;]\\s*',
    '(?s)(^.*$)', '(?m)^\\s*#.*$', '\\$\\{([^}]+)\\}', '([^&=]+)=([^&]*)', '(\\r\\n|\\n|\\r)', '\\R+', '(\\w+\\s)+',
    '(\\d{1,3})(,\\d{3})*(\\.\\d+)?', '(foo|bar)+', '(.|\\n)*', '\\Q(a+)+\\E', '[(a+)+]', '\\h+\\v?', '\\p{Lu}\\p{Ll}+',
    '\\p{IsGreek}+', '\\p{javaMirrored}', '[\\p{Alpha}&]+', '\\x{1F600}|\\uD83D\\uDE01', '(?m)$', '(?m)^', '\\Z', '^$', '\\A\\w',
    '\\w\\z', '(?i)[k-m]+', '(?i)\u01c5', '\\0101\\cA\\e\\t', '[^abc\\]]+', '[a\\-z]', '[\\t-\\r]+', '(?<y>\\d{4})-(?<m>\\d\\d)',
    '(?:ab|a)(?:c|bcd)', 'a{2,}?b', 'x*?', '\\bw\\B', '(?<=\\d)x', '(?<!a)b',
  ];
  const INPUTS = [
    '', 'a', '2024-01-31', '1/2/2024 12/31/1999', 'SKU-42 sku_7\n', 'x@y.com', 'http://a.b/c d', '  pad  ', 'a, b;c',
    'line1\nline2\r\n', '# c\n  # d\nx', '${a} ${b}', 'a=1&b=&c', '\r\n\n\r', 'foo bar foobar', 'KkK\u212a',
    '\u01c4\u01c5\u01c6', '(a+)+ a+', '\u0391\u03b8\u03ae\u03bd\u03b1 ok', 'A\x01\x1b\t', ']a-z[',
    'abcd abc', 'aab', 'word wordy', 'a\u2028b\u0085c\u2029', '\t\r\n ', '1,234,567.89', '1x ax bx', 'ab b cb',
  ];

  it('answers find, matches, replaceAll and the find loop as the backtracking engine does', () => {
    for (const p of PATTERNS) {
      const t = translateJavaRegex(p);
      const backtracking = { re: new RegExp(t.source, t.flags), global: new RegExp(t.source, t.flags + 'g'), full: compileJavaRegex(p).full };
      const linear = linearJavaRegex(p, t);
      for (const s of INPUTS) {
        const answers = (rx: typeof backtracking) => [
          rx.re.exec(s),
          rx.full.test(s),
          s.replace(rx.global, '<$&>'),
          [...s.matchAll(rx.global)].map((m) => [m.index, ...m]),
        ];
        expect(answers(linear), `${p} on ${JSON.stringify(s)}`).toEqual(answers(backtracking));
      }
    }
  });
});

describe('hazardous patterns the linear engine cannot run', () => {
  const refusal = (p: string): string => {
    try {
      compileJavaRegex(p);
    } catch (e) {
      expect(e).toBeInstanceOf(UnsafeRegexError);
      return (e as Error).message;
    }
    throw new Error(`'${p}' compiled`);
  };

  it('refuses them naming the construct and the hazard', () => {
    expect(refusal('(a|a)+\\1')).toBe(
      "regular expression '(a|a)+\\1' is refused: '(a|a)' is repeated and two of its alternatives can begin with the same character (like (a|a)+ or (a|ab)*), so a failing match can take exponential time, and it uses a back reference (\\1), which the linear-time engine cannot run; rewrite it so that each repeated part can match a given text in only one way",
    );
    expect(refusal('(?<x>a)(\\w+\\s?)+\\k<x>')).toContain('a back reference (\\k<x>)');
    expect(refusal('(\\w+\\s?)+(?=!)')).toContain('a lookahead ((?=…))');
    expect(refusal('(\\w+\\s?)+(?!x)')).toContain('a lookahead ((?!…))');
    expect(refusal('(a+)+$\\n')).toContain("'$' (or \\Z) followed by more of the pattern");
    expect(refusal('((a+)+$)+')).toContain("'$' (or \\Z) followed by more of the pattern");
    expect(refusal('(?<=(x))(a|a)+')).toContain('a capturing group inside a lookbehind');
    expect(refusal('(a|a){1001}')).toContain('a repetition count over 1000 ({1001})');
    expect(refusal('(a++)+b')).toContain("uses 'a++', possessive or atomic, with more of the pattern after it");
    expect(refusal('(?>a|ab)+c')).toContain("uses '(?>a|ab)+', possessive or atomic, with more of the pattern after it");
  });

  it('keeps refusing the same pattern from its cache', () => {
    expect(refusal('(\\1a|b)+')).toContain('a back reference (\\1)');
    expect(refusal('(\\1a|b)+')).toContain('a back reference (\\1)');
  });

  it('still runs back references and lookaround in patterns that cannot backtrack exponentially', () => {
    expect(javaFinds('(\\w)\\1', 'abbc')).toEqual([['bb', 'b']]);
    expect(javaFinds('\\w+(?=!)', 'hi! yo')).toEqual([['hi']]);
  });
});

describe('the input a pattern on the linear engine is run over', () => {
  const limit = EXPRESSION_LIMITS.maxLinearRegexInput;
  const over = 'a'.repeat(limit) + '!';

  it('runs every operation on inputs up to the limit, with the answers it gives on short ones', () => {
    const rx = compileJavaRegex('(a|a)+$');
    const atLimit = 'a'.repeat(limit - 1) + '!';
    expect(rx.re.test(atLimit)).toBe(false);
    expect(rx.full.test('a'.repeat(limit))).toBe(true);
    expect('b' + 'a'.repeat(limit - 1)).toHaveLength(limit);
    expect(('b' + 'a'.repeat(limit - 1)).replace(rx.global, 'x')).toBe('bx');
  });

  it('refuses a longer input in every operation, naming the pattern, the limit and the length', () => {
    const rx = compileJavaRegex('(a|a)+$');
    const expected = `regular expression '(a|a)+$' could backtrack exponentially, so it runs on the linear-time engine, which takes at most ${limit} characters of input (this one has ${limit + 1}); rewrite it so that each repeated part can match a given text in only one way, or split the content into smaller pieces first`;
    for (const run of [() => rx.re.test(over), () => rx.re.exec(over), () => rx.full.test(over), () => over.replace(rx.global, 'x'), () => [...over.matchAll(rx.global)], () => javaSplit(over, '(a|a)+$')]) {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RegexInputLimitError);
      expect(error).toBeInstanceOf(UnsafeRegexError);
      expect((error as Error).message).toBe(expected);
    }
  });

  it('bounds the whole of an input run piece by piece, and leaves other patterns unbounded', () => {
    const rx = compileJavaRegex('(\\w+\\s?)+');
    expect(() => checkLinearInput(rx.re, limit)).not.toThrow();
    expect(() => checkLinearInput(rx.re, limit + 1)).toThrow(RegexInputLimitError);
    const plain = compileJavaRegex('(\\w+\\s)+');
    expect(() => checkLinearInput(plain.re, 10 * limit)).not.toThrow();
    expect(plain.full.test('word '.repeat(limit))).toBe(true);
  });

  it('fails an evaluation of Expression Language with the same message', () => {
    const matches = compileExpression("${a:matches('(a|a)+$')}");
    expect(matches.evaluate({ attributes: { a: 'a'.repeat(100) } })).toBe('true');
    expect(() => matches.evaluate({ attributes: { a: over } })).toThrow(/runs on the linear-time engine, which takes at most 32768 characters of input \(this one has 32769\)/);
  });
});
