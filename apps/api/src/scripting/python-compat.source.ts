/**
 * Python facade: running Jython 2.7 scripts on Python 3. Builtins and dict methods cannot be patched on
 * CPython, so each script is rewritten once (and cached): Python 2 statements by tokens (line numbers stay), then
 * Python 2 semantics through the syntax tree (dict.iteritems, has_key,
 * integer division, str() of bytes, keys() as lists). Python 2 names are script globals, never builtins.
 */
export const PY_COMPAT = String.raw`
import ast as _ast
import io as _io
import tokenize as _tokenize
import importlib as _importlib
import importlib.util as _importlib_util

_BACKTICK = chr(96)


def _expand_leading_tabs(src):
    # Python 2 read a tab as the next multiple of 8 columns; Python 3 refuses tabs mixed with spaces.
    out = []
    for line in src.splitlines(True):
        body = line.lstrip(' \t')
        lead = line[:len(line) - len(body)]
        out.append((lead.expandtabs(8) if '\t' in lead else lead) + body)
    return ''.join(out)


_EXCEPTION_NAME = _re.compile(r'[A-Z]\w*(Error|Exception|Exit|Interrupt|Warning)|StopIteration|GeneratorExit')


def _py2_rewrite(src, tabs=False):
    """Python 2 statements as Python 3, token by token, each on its own line: print, exec, except E, e:,
    raise E, msg, <>, backticks, 0777 and 10L. Runs on every script: 'print >>f, x' and 'except E, e:' also
    parse as Python 3 (3.14 reads the latter as a tuple of exceptions), with another meaning."""
    if tabs:
        src = _expand_leading_tabs(src)
    tokens = [t for t in _tokenize.generate_tokens(_io.StringIO(src).readline)]
    lines = src.splitlines(True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    offset = lambda pos: starts[pos[0] - 1] + pos[1]
    edits = []
    N = _tokenize
    significant = lambda t: t.type not in (N.NL, N.COMMENT)

    def statement_end(i):
        depth = 0
        last = i
        while i < len(tokens):
            t = tokens[i]
            if t.type == N.OP and t.string in '([{':
                depth += 1
            elif t.type == N.OP and t.string in ')]}':
                depth -= 1
            elif depth == 0 and (t.type in (N.NEWLINE, N.ENDMARKER) or (t.type == N.OP and t.string == ';')):
                return last
            if significant(t):
                last = i
            i += 1
        return last

    def top_level_comma(i, end):
        depth = 0
        for j in range(i, end + 1):
            t = tokens[j]
            if t.type == N.OP and t.string in '([{':
                depth += 1
            elif t.type == N.OP and t.string in ')]}':
                depth -= 1
            elif depth == 0 and t.type == N.OP and t.string == ',':
                return j
        return None

    at_start = True
    depth = 0
    backtick_open = False
    for i, t in enumerate(tokens):
        if t.type == N.OP and t.string in '([{':
            depth += 1
        elif t.type == N.OP and t.string in ')]}':
            depth -= 1
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if at_start and t.type == N.NAME and t.string in ('print', 'exec') and nxt is not None and not (
                nxt.type == N.OP and nxt.string in ('(', '=', '.', ',', ')', '[')):
            end = statement_end(i + 1)
            if t.string == 'print' and (nxt.type in (N.NEWLINE, N.ENDMARKER, N.COMMENT) or (nxt.type == N.OP and nxt.string == ';')):
                edits.append((offset(t.end), offset(t.end), '()'))
            else:
                first = i + 1
                tail = ')'
                if t.string == 'print' and nxt.type == N.OP and nxt.string == '>>':
                    comma = top_level_comma(i + 2, end)
                    target_end = tokens[comma - 1].end if comma is not None else tokens[end].end
                    target = src[offset(tokens[i + 2].start):offset(target_end)]
                    if comma is None or comma == end:
                        edits.append((offset(t.end), offset(tokens[end].end), '(file=' + target + ')'))
                        continue
                    tail = ', file=' + target + ')'
                    first = comma + 1
                if t.string == 'print' and tokens[end].type == N.OP and tokens[end].string == ',':
                    edits.append((offset(tokens[end].start), offset(tokens[end].end), ''))
                    tail = ", end=' ')" if tail == ')' else tail[:-1] + ", end=' ')"
                if t.string == 'exec':
                    in_at = next((j for j in range(first, end + 1) if tokens[j].type == N.NAME and tokens[j].string == 'in'), None)
                    if in_at is not None:
                        edits.append((offset(tokens[in_at].start), offset(tokens[in_at].end), ','))
                edits.append((offset(t.end), offset(tokens[first].start) if first <= end else offset(t.end), '('))
                edits.append((offset(tokens[end].end), offset(tokens[end].end), tail))
        elif at_start and t.type == N.NAME and t.string in ('except', 'raise'):
            end = statement_end(i + 1)
            if t.string == 'except':
                colon = next((j for j in range(end, i, -1) if tokens[j].type == N.OP and tokens[j].string == ':'), end)
                comma = top_level_comma(i + 1, colon)
                name = tokens[comma + 1] if comma is not None else None
                # 'except E, name:' binds name in Python 2; 'except E, OtherError:' is Python 3.14's tuple.
                if (name is not None and comma + 2 == colon and name.type == N.NAME
                        and not _EXCEPTION_NAME.fullmatch(name.string) and top_level_comma(comma + 1, colon) is None):
                    edits.append((offset(tokens[comma].start), offset(tokens[comma].end), ' as'))
            else:
                comma = top_level_comma(i + 1, end)
                if comma is not None:
                    second = top_level_comma(comma + 1, end)
                    stop = tokens[second - 1].end if second is not None else tokens[end].end
                    edits.append((offset(tokens[comma].start), offset(tokens[comma].end), '('))
                    edits.append((offset(stop), offset(tokens[end].end) if second is not None else offset(stop), ')'))
        if t.type == N.OP and t.string == '<>':
            edits.append((offset(t.start), offset(t.end), '!='))
        elif t.type == N.OP and t.string == _BACKTICK:
            edits.append((offset(t.start), offset(t.end), ')' if backtick_open else 'repr('))
            backtick_open = not backtick_open
        elif t.type == N.NUMBER:
            if nxt is not None and nxt.type == N.NAME and nxt.string in ('L', 'l') and nxt.start == t.end:
                edits.append((offset(nxt.start), offset(nxt.end), ''))
            if _re.fullmatch(r'0\d+', t.string):
                edits.append((offset(t.start), offset(t.end), '0o' + t.string[1:]))
        if t.type in (N.NEWLINE, N.INDENT, N.DEDENT) or (t.type == N.OP and t.string == ';' and depth == 0):
            at_start = True
        elif t.type == N.OP and t.string == ':' and depth == 0:
            at_start = True
        elif significant(t):
            at_start = False
    for start, stop, text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        src = src[:start] + text + src[stop:]
    return src


_INT_TYPES = (int,)


def _jy_div(a, b):
    if isinstance(a, int) and isinstance(b, int):
        return a // b
    return a / b


def _jy_iter(obj, name):
    method = getattr(obj, name, None)
    if method is not None:
        return method()
    return iter(list(getattr(obj, {'iteritems': 'items', 'itervalues': 'values', 'iterkeys': 'keys'}[name])()))


def _jy_has_key(obj, key):
    method = getattr(obj, 'has_key', None)
    return method(key) if method is not None else key in obj


def _jy_listview(obj, name):
    result = getattr(obj, name)()
    return list(result) if isinstance(obj, dict) else result


def _jy_decode(obj, *args, **kwargs):
    if isinstance(obj, str):
        encoding = (args[0] if args else kwargs.get('encoding', '')).lower().replace('-', '_')
        if encoding in ('hex', 'base64', 'base_64'):
            return _JBytes(_codecs.decode(obj.encode('latin-1'), 'hex' if encoding == 'hex' else 'base64'))
        # Python 2's str.decode on text: the text is already decoded.
        return obj
    return obj.decode(*args, **kwargs)


def _jy_encode(obj, *args, **kwargs):
    if isinstance(obj, str):
        encoding = (args[0] if args else kwargs.get('encoding', 'utf-8')).lower().replace('-', '_')
        if encoding in ('hex', 'base64', 'base_64'):
            return _text(_codecs.encode(obj.encode('utf-8'), 'hex' if encoding == 'hex' else 'base64'))
        return _JBytes(obj.encode(*args, **kwargs))
    if isinstance(obj, (bytes, bytearray)):
        return _JBytes(bytes(obj))
    return obj.encode(*args, **kwargs)


def _jy_str(*args):
    if len(args) == 1 and isinstance(args[0], (bytes, bytearray, memoryview)):
        return _text(args[0])
    return str(*args)


def _jy_bytes(*args):
    if len(args) == 1 and isinstance(args[0], str):
        return _JBytes(args[0].encode('utf-8'))
    if len(args) == 1 and isinstance(args[0], int) and not isinstance(args[0], bool):
        return _JBytes(str(args[0]).encode('ascii'))
    return bytes(*args)


def _jy_bytearray(*args):
    if len(args) == 1 and isinstance(args[0], str):
        return bytearray(args[0].encode('utf-8'))
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        return bytearray((b & 0xFF) for b in args[0])
    return bytearray(*args)


def _jy_texts(values):
    if isinstance(values, tuple):
        return tuple(_text(v) if isinstance(v, (bytes, bytearray)) else v for v in values)
    if isinstance(values, (bytes, bytearray)):
        return _text(values)
    return values


def _jy_percent(fmt, values):
    return fmt % _jy_texts(values)


def _jy_strformat(fmt, *args, **kwargs):
    return fmt.format(*_jy_texts(args), **dict((k, _jy_texts(v)) for k, v in kwargs.items()))


def _jy_map(fn, *iterables):
    if fn is None:
        return list(zip(*iterables)) if len(iterables) > 1 else list(iterables[0])
    return list(_builtins.map(fn, *iterables))


def _jy_filter(fn, iterable):
    kept = [x for x in iterable if (fn(x) if fn is not None else x)]
    if isinstance(iterable, str):
        return ''.join(kept)
    return tuple(kept) if isinstance(iterable, tuple) else kept


def _jy_zip(*iterables):
    return list(_builtins.zip(*iterables))


class _TextMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, str)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, str)

    def __getattr__(cls, name):
        return getattr(str, name)


class unicode(metaclass=_TextMeta):
    def __new__(cls, value='', encoding=None, errors='strict'):
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value).decode(encoding or 'utf-8', errors)
        return _java_str(value) if not isinstance(value, str) else str(value)


class _AnyStrMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, (str, bytes, bytearray))

    def __subclasscheck__(cls, sub):
        return issubclass(sub, (str, bytes, bytearray))


class basestring(metaclass=_AnyStrMeta):
    def __new__(cls, *args):
        raise TypeError('The basestring type cannot be instantiated')


def _jy_cmp(a, b):
    return (a > b) - (a < b)


JYTHON_GLOBALS = {
    'unicode': unicode, 'basestring': basestring, 'long': int, 'xrange': range, 'unichr': chr,
    'reduce': _functools.reduce, 'cmp': _jy_cmp, 'intern': _sys.intern, 'map': _jy_map, 'filter': _jy_filter,
    'zip': _jy_zip, 'apply': lambda fn, args=(), kwargs=None: fn(*args, **(kwargs or {})),
    '_jy_div': _jy_div, '_jy_iter': _jy_iter, '_jy_has_key': _jy_has_key, '_jy_listview': _jy_listview,
    '_jy_decode': _jy_decode, '_jy_encode': _jy_encode, '_jy_str': _jy_str, '_jy_bytes': _jy_bytes,
    '_jy_bytearray': _jy_bytearray, '_jy_percent': _jy_percent, '_jy_strformat': _jy_strformat,
    '_jy_cmp_key': _functools.cmp_to_key,
}


class _Jythonize(_ast.NodeTransformer):
    """Python 2 semantics where Python 3 parses the same text differently."""

    def __init__(self, true_division):
        self._true_division = true_division

    @staticmethod
    def _call(name, args, keywords=None, like=None):
        node = _ast.Call(func=_ast.Name(id=name, ctx=_ast.Load()), args=args, keywords=keywords or [])
        return _ast.copy_location(node, like) if like is not None else node

    def visit_Call(self, node):
        self.generic_visit(node)
        for kw in node.keywords:
            if kw.arg == 'cmp' and ((isinstance(node.func, _ast.Name) and node.func.id == 'sorted') or
                                    (isinstance(node.func, _ast.Attribute) and node.func.attr == 'sort')):
                kw.arg = 'key'
                kw.value = self._call('_jy_cmp_key', [kw.value], like=kw.value)
        f = node.func
        if isinstance(f, _ast.Attribute):
            plain = not node.keywords and not any(isinstance(a, _ast.Starred) for a in node.args)
            if f.attr in ('iteritems', 'itervalues', 'iterkeys') and not node.args and plain:
                return self._call('_jy_iter', [f.value, _ast.Constant(f.attr)], like=node)
            if f.attr == 'has_key' and len(node.args) == 1 and plain:
                return self._call('_jy_has_key', [f.value, node.args[0]], like=node)
            if f.attr in ('keys', 'values', 'items') and not node.args and plain:
                return self._call('_jy_listview', [f.value, _ast.Constant(f.attr)], like=node)
            if f.attr in ('decode', 'encode'):
                return self._call('_jy_' + f.attr, [f.value] + node.args, node.keywords, like=node)
            if f.attr == 'format' and isinstance(f.value, _ast.Constant) and isinstance(f.value.value, str):
                return self._call('_jy_strformat', [f.value] + node.args, node.keywords, like=node)
        elif isinstance(f, _ast.Name) and f.id in ('str', 'bytes', 'bytearray') and not node.keywords:
            return self._call('_jy_' + f.id, node.args, like=node)
        return node

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, _ast.Div) and not self._true_division:
            return self._call('_jy_div', [node.left, node.right], like=node)
        if isinstance(node.op, _ast.Mod) and isinstance(node.left, _ast.Constant) and isinstance(node.left.value, str):
            return self._call('_jy_percent', [node.left, node.right], like=node)
        return node

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        if isinstance(node.op, _ast.Div) and not self._true_division and isinstance(node.target, (_ast.Name, _ast.Attribute, _ast.Subscript)):
            load = _ast.parse(_ast.unparse(node.target), mode='eval').body
            value = self._call('_jy_div', [load, node.value], like=node)
            return _ast.copy_location(_ast.Assign(targets=[node.target], value=value), node)
        return node


def _true_division(tree):
    return any(isinstance(n, _ast.ImportFrom) and n.module == '__future__' and any(a.name == 'division' for a in n.names)
               for n in tree.body)


def _parse_rewritten(script, tabs):
    try:
        source = _py2_rewrite(script, tabs)
    except (SyntaxError, _tokenize.TokenError):
        return None
    try:
        return _ast.parse(source, '<script>')
    except SyntaxError:
        return None


def _jython_compile(script, filename='<script>'):
    tree = _parse_rewritten(script, False) or _parse_rewritten(script, True)
    if tree is None:
        # Report the script's own error, with its own line numbers.
        tree = _ast.parse(script, filename)
    tree = _Jythonize(_true_division(tree)).visit(tree)
    _ast.fix_missing_locations(tree)
    return compile(tree, filename, 'exec', dont_inherit=True)


def _jy_exec(code, globals=None, locals=None):
    # exec of Python 2 text, as Jython runs it; without namespaces, in the caller's.
    if globals is None:
        frame = _sys._getframe(1)
        globals, locals = frame.f_globals, frame.f_locals if locals is None else locals
    if isinstance(code, (str, bytes)):
        code = _jython_compile(_text(code), '<string>')
    return _builtins.exec(code, globals, locals)
`;
