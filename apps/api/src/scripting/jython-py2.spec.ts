import { describe, expect, it } from 'vitest';
import { jythonHarness } from './jython.testing.js';

/** Python 2 as Jython 2.7 accepts it, and Python 3 scripts, both running unchanged. */
const lines = (...l: string[]) => l.join('\n') + '\n';

describe('Jython facade: Python 2 idioms', () => {
  const h = jythonHarness();
  const run = async (script: string) => {
    const o = await h.run(lines('ff = session.get()', script, 'session.transfer(ff, REL_SUCCESS)'), { inputs: [{ content: '{"a": 1}' }] });
    expect(o.error).toBeUndefined();
    return o.logs.map((l) => (l.level === 'info' ? l.message : `${l.level}: ${l.message}`));
  };

  it('print statements, exec, except E, e, raise E, msg, <>, backticks, octal and long literals', async () => {
    expect(
      await run(
        lines(
          'import sys',
          'print "plain", 1',
          'print "no newline",',
          'print',
          'print >>sys.stderr, "to stderr"',
          'if 1 <> 2: print `3`',
          'exec "x = 0777 + 10L"',
          'print x',
          'try:',
          '    raise ValueError, "bad row"',
          'except ValueError, e:',
          '    print "caught", e',
          'try:',
          "    {}['k']",
          'except (KeyError, IndexError), err:',
          '    print "lookup", repr(err)',
        ),
      ),
    ).toEqual(['plain 1', 'no newline ', 'warn: to stderr', '3', '521', 'caught bad row', "lookup KeyError('k')"]);
  });

  it('dict.iteritems / itervalues / iterkeys / has_key, and keys() / items() / values() as lists', async () => {
    expect(
      await run(
        lines(
          "d = {'b': 2, 'a': 1}",
          "print sorted([k + str(v) for k, v in d.iteritems()]), sorted(d.itervalues()), sorted(d.iterkeys())",
          "print d.has_key('a'), d.has_key('z'), ff.getAttributes().has_key('uuid')",
          'keys = d.keys()',
          'keys.sort()',
          'print keys, d.items()[0][0] in d, len(d.values())',
          'for k, v in ff.getAttributes().iteritems():',
          "    if k == 'path': print k, v",
        ),
      ),
    ).toEqual(["['a1', 'b2'] [1, 2] ['a', 'b']", 'True False True', "['a', 'b'] True 2", 'path ./']);
  });

  it('unicode, basestring, long, xrange, unichr, map / filter / zip lists, reduce, cmp and sorted(cmp=)', async () => {
    expect(
      await run(
        lines(
          "u = unicode('ş')",
          "print isinstance(u, unicode), isinstance('x', basestring), isinstance(b'x', basestring), isinstance(3, long), long('7') + 1",
          "print unicode(bytearray('ç'.encode('utf-8')), 'utf-8'), unichr(351), list(xrange(3))",
          'print map(lambda x: x * 2, [1, 2])[1], filter(None, [0, 1, 2]), filter(lambda c: c != "-", "a-b"), zip([1, 2], "ab")[0]',
          'print reduce(lambda a, b: a + b, [1, 2, 3]), cmp(1, 2), sorted([3, 1, 2], cmp=lambda a, b: cmp(b, a))',
          "print unicode.upper('abc'), map(unicode.strip, [' x '])",
        ),
      ),
    ).toEqual(['True True True True 8', "ç ş [0, 1, 2]", "4 [1, 2] ab (1, 'a')", '6 -1 [3, 2, 1]', "ABC ['x']"]);
  });

  it('integer division as in Python 2, unless the script imports division from __future__', async () => {
    expect(await run(lines('n = 7', 'n /= 2', 'print 7 / 2, -7 / 2, 7 / 2.0, 7 // 2, n, 2 ** 3 / 3'))).toEqual(['3 -4 3.5 3 3 2']);
    const future = await h.run(lines('from __future__ import division', 'ff = session.get()', 'print 7 / 2', 'session.transfer(ff, REL_SUCCESS)'), { inputs: [{}] });
    expect(future.logs).toEqual([{ level: 'info', message: '3.5' }]);
  });

  it('text and bytes mix as in Python 2: encode, decode, str() and % of bytes', async () => {
    expect(
      await run(
        lines(
          "b = 'Çay'.encode('utf-8')",
          "print b + ' var', 'hot ' + b, str(b), '%s!' % b, '{}?'.format(b), b == 'Çay'",
          "print 'already text'.decode('utf-8'), len(bytearray('ğ')), bytes('ab') + 'c'",
          "print 'hi'.encode('hex'), '6869'.decode('hex') == 'hi', 'aGk='.decode('base64') == 'hi'",
        ),
      ),
    ).toEqual(['Çay var hot Çay Çay Çay! Çay? True', 'already text 2 abc', '6869 True True']);
  });

  it('Python 2 standard-library names: string, StringIO, cStringIO, urllib, urlparse, base64 and hashlib on text', async () => {
    expect(
      await run(
        lines(
          'import string, base64, hashlib, hmac, urllib, urlparse',
          'from StringIO import StringIO',
          'import cStringIO',
          "print string.join(['a', 'b'], '-'), string.upper('x'), string.letters[:3], string.atoi('12')",
          "buf = StringIO()",
          "buf.write('one ')",
          "buf.write(bytearray('two'.encode('utf-8')))",
          "print buf.getvalue(), cStringIO.StringIO('in').read()",
          "print urllib.urlencode({'q': 'a b'}), urllib.quote('a/b c'), urlparse.urlparse('http://h/p?x=1').query",
          "print base64.b64encode('user:pw'), base64.b64decode('dXNlcjpwdw==') == 'user:pw', hashlib.md5('x').hexdigest()[:8]",
          "print hmac.new('key', 'msg', hashlib.sha256).hexdigest()[:8]",
        ),
      ),
    ).toEqual(['a-b X abc 12', 'one two in', 'q=a+b a/b%20c x=1', 'dXNlcjpwdw== True 9dd4e461', '2d93cbc1']);
  });

  it('tabs mixed with spaces as Python 2 read them, and sys without an import (NiFi preloads it)', async () => {
    const o = await h.run('ff = session.get()\nif ff:\n        x = 1\n\tif x:\n\t        print "tabbed", sys.version_info[0] >= 3\n        session.transfer(ff, REL_SUCCESS)\n', { inputs: [{}] });
    expect(o.logs).toEqual([{ level: 'info', message: 'tabbed True' }]);
  });

  it('still runs Python 3 scripts, and reports syntax errors with their own line', async () => {
    expect(
      await run(
        lines(
          'def total(*rows: int) -> int:',
          '    return sum(rows)',
          "print(f'{total(1, 2)} items', end='!\\n')",
          'try:',
          "    raise KeyError('k')",
          'except KeyError as e:',
          "    print('as', type(e).__name__)",
          "print(7 / 2 if False else 'ok', {k: v for k, v in {'a': 1}.items()})",
        ),
      ),
    ).toEqual(['3 items!', 'as KeyError', "ok {'a': 1}"]);
    const broken = await h.run('ff = session.get()\nx = (1,\nif x:\n    pass\n', { inputs: [{}] });
    expect(broken.error).toContain('File "<script>", line 2');
    expect(broken.error).toContain('SyntaxError');
  });
});
