import { PY_COMPAT } from './python-compat.source.js';
import { PY_FACADE_COLLECTIONS } from './python-facade-collections.source.js';
import { PY_FACADE_CONTEXT } from './python-facade-context.source.js';
import { PY_FACADE_FLOWFILE } from './python-facade-flowfile.source.js';
import { PY_FACADE_IO } from './python-facade-io.source.js';
import { PY_FACADE_JAVA } from './python-facade-java.source.js';
import { PY_FACADE_LOG } from './python-facade-log.source.js';
import { PY_FACADE_MATH } from './python-facade-math.source.js';
import { PY_FACADE_NUMBERS } from './python-facade-numbers.source.js';
import { PY_FACADE_READERS } from './python-facade-readers.source.js';
import { PY_FACADE_SESSION } from './python-facade-session.source.js';
import { PY_FACADE_TEXT } from './python-facade-text.source.js';
import { PY_FACADE_UTIL } from './python-facade-util.source.js';

/**
 * The last part of the Python source run once per interpreter: the HTTP helper, print() capture, the Python 2
 * standard-library names, the import hook for JVM names, and the per-run entry point `_run`. Kept as strings so the
 * same code runs from TS sources under Vitest and from `dist/` after tsc.
 */
const PY_RUN = String.raw`
class _LogWriter(object):
    """Stands in for sys.stdout / sys.stderr during a run so print() output lands in the run's logs, in order."""

    def __init__(self, sink, level):
        self._sink = sink
        self._level = level
        self._buffer = ''

    def write(self, text):
        self._buffer += str(text)
        while '\n' in self._buffer:
            line, self._buffer = self._buffer.split('\n', 1)
            self._sink.append({'level': self._level, 'message': line})
        return len(text)

    def flush(self):
        if self._buffer:
            self._sink.append({'level': self._level, 'message': self._buffer})
            self._buffer = ''

    def isatty(self):
        return False


class _HttpResponse(object):
    def __init__(self, status, headers, body):
        self.status = status
        self.status_code = status
        self.headers = headers
        self.content = body

    @property
    def text(self):
        return self.content.decode('utf-8', 'replace')

    def json(self):
        return _json.loads(self.content.decode('utf-8'))


class _Http(object):
    def __init__(self, host):
        self._host = host

    def request(self, method, url, headers=None, body=None, json=None, timeout=None):
        headers = dict(headers or {})
        if json is not None:
            body = _json.dumps(json)
            headers.setdefault('Content-Type', 'application/json')
        payload = _json.dumps({'method': str(method).upper(), 'url': str(url), 'headers': headers,
                               'body': None if body is None else (body if isinstance(body, str) else _to_bytes(body).decode('latin-1')),
                               'binary': body is not None and not isinstance(body, str),
                               'timeoutMs': None if timeout is None else int(timeout * 1000)})
        reply = _json.loads(self._host(payload))
        if 'error' in reply:
            raise IOError(reply['error'])
        return _HttpResponse(reply['status'], reply['headers'], reply['body'].encode('latin-1'))

    def get(self, url, **kwargs):
        return self.request('GET', url, **kwargs)

    def post(self, url, **kwargs):
        return self.request('POST', url, **kwargs)

    def put(self, url, **kwargs):
        return self.request('PUT', url, **kwargs)

    def delete(self, url, **kwargs):
        return self.request('DELETE', url, **kwargs)


def _patch_py2_stdlib():
    """Python 2 spellings in the standard library that Jython scripts use; module attributes, not builtins."""
    import string, base64, hashlib, hmac, urllib, urllib.parse
    for name, fn in (('join', lambda words, sep=' ': sep.join(words)), ('split', lambda s, sep=None, n=-1: s.split(sep, n)),
                     ('replace', lambda s, old, new, n=-1: s.replace(old, new, n)), ('strip', lambda s, c=None: s.strip(c)),
                     ('lower', lambda s: s.lower()), ('upper', lambda s: s.upper()), ('find', lambda s, sub, *a: s.find(sub, *a)),
                     ('zfill', lambda s, w: s.zfill(w)), ('capitalize', lambda s: s.capitalize()),
                     ('atoi', lambda s, base=10: int(s, base)), ('atof', float), ('maketrans', str.maketrans)):
        setattr(string, name, fn)
    string.letters, string.lowercase, string.uppercase = string.ascii_letters, string.ascii_lowercase, string.ascii_uppercase
    string.joinfields, string.splitfields = string.join, string.split

    def text_in(fn):
        @_functools.wraps(fn)
        def wrapper(data, *args, **kwargs):
            result = fn(_to_bytes(data) if isinstance(data, str) else data, *args, **kwargs)
            return _JBytes(result) if isinstance(result, bytes) else result
        return wrapper

    for name in ('b64encode', 'b64decode', 'standard_b64encode', 'standard_b64decode', 'urlsafe_b64encode',
                 'urlsafe_b64decode', 'b32encode', 'b16encode', 'encodebytes', 'decodebytes'):
        setattr(base64, name, text_in(getattr(base64, name)))
    base64.encodestring, base64.decodestring = base64.encodebytes, base64.decodebytes

    class _Hash(object):
        def __init__(self, inner):
            self._inner = inner
            self.name, self.digest_size, self.block_size = inner.name, inner.digest_size, inner.block_size

        def update(self, data):
            self._inner.update(_to_bytes(data))

        def digest(self):
            return _JBytes(self._inner.digest())

        def hexdigest(self):
            return self._inner.hexdigest()

        def copy(self):
            return _Hash(self._inner.copy())

    def hashing(fn):
        def make(data=b'', *args, **kwargs):
            return _Hash(fn(_to_bytes(data), *args, **kwargs))
        return make

    for name in ('md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'):
        setattr(hashlib, name, hashing(getattr(hashlib, name)))
    real_new = hashlib.new
    hashlib.new = lambda name, data=b'', **kw: _Hash(real_new(name, _to_bytes(data), **kw))
    real_hmac = hmac.new
    hmac.new = lambda key, msg=None, digestmod='md5': real_hmac(_to_bytes(key), None if msg is None else _to_bytes(msg), digestmod)
    for name in ('urlencode', 'quote', 'quote_plus', 'unquote', 'unquote_plus'):
        setattr(urllib, name, getattr(urllib.parse, name))

    def urlopen(*args, **kwargs):
        raise IOError("urllib.urlopen: scripts have no network of their own; turn on the processor's Allow HTTP and call http.get / http.post")
    urllib.urlopen = urlopen


class _TextIO(_io.StringIO):
    """Python 2's StringIO.StringIO: takes bytes or text."""

    def __init__(self, initial=''):
        _io.StringIO.__init__(self, _text(initial) if isinstance(initial, (bytes, bytearray)) else initial)

    def write(self, data):
        return _io.StringIO.write(self, _text(data) if isinstance(data, (bytes, bytearray)) else data)


_PY2_MODULES = {'urlparse': 'urllib.parse', 'Queue': 'queue', 'ConfigParser': 'configparser', 'HTMLParser': 'html.parser',
                'cPickle': 'pickle', '__builtin__': 'builtins', 'htmlentitydefs': 'html.entities', 'StringIO': None, 'cStringIO': None}
_NO_NETWORK = ('urllib2', 'httplib', 'requests', 'socket', 'ftplib', 'smtplib', 'telnetlib')
_JVM_ROOTS = ('java', 'javax', 'org', 'com', 'sun', 'jdk', 'groovy', 'scala', 'kotlin')
for _root in _JVM_ROOTS:
    # As packages, so that 'import groovy.json' reaches the import hook with its full name.
    _module(_root)


class _Py2Loader(object):
    def create_module(self, spec):
        return None

    def exec_module(self, module):
        target = _PY2_MODULES[module.__name__]
        if target is None:
            module.StringIO = _TextIO
        else:
            # What the import statement returns is whatever sys.modules holds once exec_module is done.
            _sys.modules[module.__name__] = _importlib.import_module(target)


class _ScriptImports(object):
    """Last on sys.meta_path: Python 2 module names, and a clear error for JVM packages and for network clients."""

    def find_spec(self, name, path=None, target=None):
        if name in _PY2_MODULES:
            return _importlib_util.spec_from_loader(name, _Py2Loader())
        if name.split('.')[0] in _JVM_ROOTS:
            raise JvmOnlyError(_jvm_message(name))
        if name.split('.')[0] in _NO_NETWORK:
            raise ImportError("%s is not available: scripts have no network of their own; turn on the processor's "
                              "Allow HTTP and call http.get / http.post" % name)
        return None

    def find_module(self, name, path=None):
        return None


_code_cache = {}


def _compile(script):
    code = _code_cache.get(script)
    if code is None:
        code = _jython_compile(script)
        if len(_code_cache) >= 16:
            _code_cache.clear()
        _code_cache[script] = code
    return code


def _user_frames(tb):
    # Drop the frame of this runner so tracebacks start at the user's script.
    return tb.tb_next if tb is not None and tb.tb_next is not None else tb


def _placeholder_uuid():
    # Only runs without a processor (no host calls) see these; the processor gives created FlowFiles real uuids.
    return str(_uuid_mod.uuid4())


def _script_frames(te):
    # The facade's own frames say nothing to the script's author; the last line still names the error.
    te.stack = _traceback.StackSummary.from_list([f for f in te.stack if f.filename != '<sluice>'])
    for chained in (te.__cause__, te.__context__):
        if chained is not None:
            _script_frames(chained)
    return te


def _error(e, kind='exception'):
    te = _script_frames(_traceback.TracebackException(type(e), e, _user_frames(e.__traceback__)))
    return {'kind': kind, 'message': ''.join(te.format_exception_only()).strip(), 'traceback': ''.join(te.format())}


def _run(script, meta_json, contents, allow_http, http_host, host_call=None):
    meta = _json.loads(meta_json)
    host = _HostLink(host_call if meta.get('context') else None)
    session = _Session([], host, _placeholder_uuid)
    now = System.currentTimeMillis()
    dates = meta.get('inputs') or []
    for index, attributes in enumerate(meta['attributes']):
        data = contents[index].to_bytes()
        d = dates[index] if index < len(dates) else {}
        session._queue.append(FlowFile(session, 'i%d' % index, index, dict(attributes), len(data),
                                       d.get('lineageStartDate') or now, d.get('entryDate') or now, False, data))
    logs = []
    context = ProcessContext(meta.get('context'), host)
    scope = dict(JYTHON_GLOBALS, exec=_jy_exec)
    scope.update({'__name__': '__main__', '__builtins__': _builtins, 'sys': _sys, 'session': session, 'context': context,
                  'REL_SUCCESS': REL_SUCCESS, 'REL_FAILURE': REL_FAILURE, 'log': _Log(logs)})
    if allow_http:
        scope['http'] = _Http(http_host)
    # NiFi binds each dynamic property as a variable holding its PropertyValue, after the standard names.
    scope.update(context._dynamic())
    error = None
    saved = (_sys.stdout, _sys.stderr)
    _sys.stdout = _LogWriter(logs, 'info')
    _sys.stderr = _LogWriter(logs, 'warn')
    try:
        exec(_compile(script), scope)
    except SystemExit as e:
        if e.code not in (None, 0):
            error = _error(e)
            error['message'] = 'SystemExit: %s' % (e.code,)
    except BaseException as e:
        error = _error(e)
    finally:
        _sys.stdout.flush()
        _sys.stderr.flush()
        _sys.stdout, _sys.stderr = saved
        scope.clear()
    if error is None:
        pending = [ff for ff in session._records if ff._relationship is None and not ff._removed]
        if pending:
            error = {'kind': 'session', 'message': '%d FlowFile(s) were neither transferred nor removed: %s' % (len(pending), ', '.join(repr(ff) for ff in pending))}
    try:
        if error is None:
            session.commit()
        outputs, out_contents = session._outputs(error is not None)
    except BaseException as e:
        error, outputs, out_contents = _error(e), [], []
    result = {'outputs': outputs, 'taken': sorted(session._taken), 'returned': sorted(session._returned),
              'penalizeReturned': session._penalize_returned, 'counters': session._counters, 'yielded': context._yielded,
              'logs': logs, 'error': error}
    return (_json.dumps(result), out_contents)


def _check(script):
    # The same compile a run does (Python 2 forms rewritten), reporting the script's own line and column.
    try:
        _jython_compile(script)
    except SyntaxError as e:
        return _json.dumps({'line': e.lineno, 'column': e.offset, 'message': '%s: %s' % (type(e).__name__, e.msg)})
    except (ValueError, RecursionError, MemoryError) as e:
        return _json.dumps({'line': None, 'column': None, 'message': '%s: %s' % (type(e).__name__, e)})
    return 'null'


def _seal():
    # User code gets no route back to JavaScript: drop the bridge modules and refuse to import them again.
    blocked = ('js', 'pyodide_js', 'pyodide', '_pyodide', '_pyodide_core', 'micropip', 'pyodide_http', 'ctypes', '_ctypes')

    class _Blocker(object):
        def find_spec(self, name, path=None, target=None):
            if name.split('.')[0] in blocked:
                raise ImportError("module '%s' is not available to scripts" % name)
            return None

    for name in list(_sys.modules):
        if name.split('.')[0] in blocked:
            del _sys.modules[name]
    _sys.meta_path.insert(0, _Blocker())
    _sys.meta_path.append(_ScriptImports())


_patch_py2_stdlib()
`;

/** Python source run once per interpreter: it defines the facade and `_run`; the worker then calls `_seal()` and takes `_run`. */
export const PYTHON_SHIM = [
  PY_FACADE_IO, PY_FACADE_READERS, PY_FACADE_JAVA, PY_FACADE_NUMBERS, PY_FACADE_COLLECTIONS, PY_FACADE_UTIL, PY_FACADE_TEXT,
  PY_FACADE_MATH, PY_FACADE_FLOWFILE, PY_FACADE_SESSION, PY_FACADE_CONTEXT, PY_FACADE_LOG, PY_COMPAT, PY_RUN,
].join('\n');
