import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionError } from './index.js';
import { compileJavaRegex } from './java-regex.js';
import { LinearRegExp } from './linear-regex.js';
import { regexHazard, UnsafeRegexError } from './regex-safety.js';

/** Patterns known to backtrack exponentially (the classic ReDoS corpus, in Java syntax). */
const UNSAFE = [
  '(a+)+',
  '^(a+)+$',
  '(a*)*',
  '(a+)*b',
  '((ab)*)+',
  '(a|a)+',
  '(a|a)+$',
  '(a|ab)*',
  '(a|aa)+',
  '(a|a?)+',
  '(.|\\s)*',
  '(\\s|\\t)+',
  '(\\w|\\d)+',
  '(\\w+\\s?)*',
  '^(\\w+\\s?)*$',
  '(\\d+)*',
  '([a-zA-Z]+)*',
  '(x+x+)+y',
  '(a+b?)+',
  '(a*b*)*',
  '(a+|b)+',
  '(\\w\\d*)+',
  '(\\d*\\w)+',
  '(,?\\d+)+$',
  '(?:\\S+\\s*)+$',
  '(.*a){12}',
  '(a|a){30}',
  '((a|a){5}){5}',
  '(\\d{1,3})+',
  '(a++)+',
  '(?>a+)+',
  '(\\Qab\\E|a)+',
  '(?i)(A|a)+',
  '([\\u0430-\\u044f]|\\u0436)+',
  '(\\p{L}|\u00e9)+',
  '(?x) ( a + ) + # spaced out',
  '^(([a-z])+.)+[A-Z]([a-z])+$',
  '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$',
  "^[a-zA-Z]+(([\\'\\,\\.\\- ][a-zA-Z ])?[a-zA-Z]*)*$",
  '^(\\d+|\\d+\\.\\d+)+$',
  '(?s)(.*\\n?)*x',
  '(\\1a|b)+',
];

/** Everyday patterns of integrations: dates, SKUs, e-mails, URLs, numbers, separators. */
const SAFE = [
  '^\\d{4}-\\d{2}-\\d{2}$',
  '(\\d{1,2})/(\\d{1,2})/(\\d{4})',
  '^\\d{2}\\.\\d{2}\\.\\d{4}( \\d{2}:\\d{2}(:\\d{2})?)?$',
  '^(19|20)\\d\\d-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$',
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?$',
  '^[A-Z]{2,4}-\\d{3,8}$',
  'SKU-\\d+',
  '^[A-Z0-9]+(-[A-Z0-9]+)*$',
  '^[A-Za-z0-9_-]{1,64}$',
  '(?i)^sku[-_ ]?\\d+$',
  '^[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+$',
  '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$',
  '^([a-zA-Z0-9_\\-\\.]+)@([a-zA-Z0-9_\\-\\.]+)\\.([a-zA-Z]{2,5})$',
  '^https?://[^/\\s]+(/[^\\s]*)?$',
  '^(https?|ftp)://([a-z0-9-]+\\.)+[a-z]{2,}(/\\S*)?$',
  '^((25[0-5]|2[0-4]\\d|[01]?\\d\\d?)\\.){3}(25[0-5]|2[0-4]\\d|[01]?\\d\\d?)$',
  '^\\+?\\d{1,3}[- ]?\\(?\\d{3}\\)?[- ]?\\d{3}[- ]?\\d{4}$',
  ',(?=(?:[^"]*"[^"]*")*[^"]*$)',
  '^\\s+|\\s+$',
  '[,;]\\s*',
  '(?s)(^.*$)',
  '(?m)^\\s*#.*$',
  '\\$\\{([^}]+)\\}',
  '([^&=]+)=([^&]*)',
  '(?:[^,]*,){3}',
  '(\\r\\n|\\n|\\r)',
  '\\R+',
  '(\\w+\\s)+',
  '(\\d{1,3})(,\\d{3})*(\\.\\d+)?',
  '^-?\\d+(\\.\\d+)?$',
  '[A-Z][a-z]+( [A-Z][a-z]+)*',
  '^\\d+(,\\d+)*$',
  '(a|b)*',
  '(foo|bar)+',
  '(.|\\n)*',
  '(\\d+\\.)+\\d+',
  '(?:\\d{3}-){2}\\d{4}',
  '(a|a){3}',
  '\\Q(a+)+\\E',
  '[(a+)+]',
];

describe('regexHazard', () => {
  for (const p of UNSAFE) {
    it(`finds ${p} hazardous, so it runs on the linear-time engine or, with a back reference, is refused`, () => {
      expect(regexHazard(p, p.startsWith('(?i)'))).toMatch(/exponential time/);
      if (p.includes('\\1')) expect(() => compileJavaRegex(p)).toThrow(UnsafeRegexError);
      else expect(compileJavaRegex(p).re).toBeInstanceOf(LinearRegExp);
    });
  }
  for (const p of SAFE) {
    it(`accepts ${p}`, () => {
      expect(regexHazard(p)).toBeNull();
      expect(compileJavaRegex(p).re).not.toBeInstanceOf(LinearRegExp);
    });
  }

  it('names the part to rewrite, the construct the linear engine lacks and the pattern', () => {
    expect(() => compileJavaRegex('^x(\\w+\\s?)*\\1$')).toThrow(
      "regular expression '^x(\\w+\\s?)*\\1$' is refused: '(\\w+\\s?)*' repeats a part whose own repetition can take the same characters",
    );
    expect(() => compileJavaRegex('(a|a)+(?=b)')).toThrow("'(a|a)' is repeated and two of its alternatives can begin with the same character");
  });

  it('translates \\R as Java does, without giving back the \\n of a \\r\\n (so repeating it cannot backtrack)', () => {
    expect(compileJavaRegex('\\R\\n').re.test('\r\n')).toBe(false);
    expect(compileJavaRegex('^\\R$').full.test('\r\n')).toBe(true);
    expect(compileJavaRegex('a\\Rb').re.test('a\rb')).toBe(true);
    expect(compileJavaRegex('\\R+').full.test('\r\n\n\r\u2028')).toBe(true);
  });
});

describe('regular expressions in Expression Language', () => {
  const evaluate = (expression: string, attributes: Record<string, string> = {}) => compileExpression(expression).evaluate({ attributes });
  const failure = (f: () => unknown): ExpressionError => {
    try {
      f();
    } catch (e) {
      if (e instanceof ExpressionError) return e;
      throw e;
    }
    throw new Error('no error');
  };

  it('refuses a literal hazardous pattern the linear engine cannot run when the expression is compiled', () => {
    for (const expression of [
      "${literal('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'):matches('(a|a)+\\\\1$')}",
      "${x:find('(a+)+(?=b)')}",
      "${x:replaceAll('(\\\\w+\\\\s?)*(?!x)$', '')}",
      "${x:replaceFirst('(.|\\\\s)*\\\\1', '')}",
      "${x:replaceByPattern('(a|ab)*(?=c):y')}",
      "${anyMatchingAttribute('(a+)+\\\\1'):isEmpty()}",
    ]) {
      const e = failure(() => compileExpression(expression));
      expect(e.phase, expression).toBe('compile');
      expect(e.message, expression).toMatch(/regular expression '.+' is refused: .+exponential time, and it uses a (back reference|lookahead)/);
    }
  });

  it('fails the evaluation of such a pattern built from attributes, and runs the same pattern without the back reference', () => {
    const attributes = { text: 'a'.repeat(30) + '!', bad: '(a|a)+\\1$', good: '(a|a)+$', list: 'x,y' };
    for (const expression of [
      '${text:matches(${bad})}',
      '${text:find(${bad})}',
      "${text:replaceAll(${bad}, '')}",
      "${text:replaceFirst(${bad}, '')}",
      "${text:replaceByPattern(${bad:append(':z')})}",
      '${anyMatchingAttribute(${bad}):isEmpty()}',
      '${anyDelineatedValue(${list}, ${bad}):isEmpty()}',
    ]) {
      const e = failure(() => evaluate(expression, attributes));
      expect(e.phase, expression).toBe('evaluate');
      expect(e.message, expression).toContain("regular expression '(a|a)+\\1$' is refused");
    }
    expect(evaluate('${text:find(${good})}', attributes)).toBe('false');
    expect(evaluate("${text:replaceAll(${good}, 'b')}", { ...attributes, text: 'caa' })).toBe('cb');
  });
});
