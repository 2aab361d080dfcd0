/**
 * Python source run once per interpreter: the NiFi/Jython facade (`session`, `REL_*`, `log`, the Java modules the
 * Integrator's scripts import) and the per-run entry point. Its last expression is the entry function the worker calls.
 * Kept as a string so the same code runs from TS sources under Vitest and from `dist/` after tsc.
 */
export const PYTHON_SHIM = String.raw`
import builtins as _builtins
import json as _json
import re as _re
import sys as _sys
import traceback as _traceback
import types as _types


def _module(dotted):
    parts = dotted.split('.')
    for i in range(1, len(parts) + 1):
        name = '.'.join(parts[:i])
        if name not in _sys.modules:
            mod = _types.ModuleType(name)
            mod.__path__ = []
            _sys.modules[name] = mod
            if i > 1:
                setattr(_sys.modules['.'.join(parts[:i - 1])], parts[i - 1], mod)
    return _sys.modules[dotted]


def _to_bytes(data, charset=None):
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, str):
        return data.encode(charset or 'utf-8')
    if isinstance(data, int):
        return bytes([data & 0xFF])
    # Jython scripts pass Java byte[]-like lists of signed ints.
    return bytes((b & 0xFF) for b in data)


class StandardCharsets(object):
    UTF_8 = 'utf-8'
    US_ASCII = 'ascii'
    ISO_8859_1 = 'latin-1'
    UTF_16 = 'utf-16'
    UTF_16BE = 'utf-16-be'
    UTF_16LE = 'utf-16-le'


class _Charset(object):
    @staticmethod
    def forName(name):
        return str(name)

    @staticmethod
    def defaultCharset():
        return 'utf-8'


class InputStream(object):
    """A Java-like InputStream over the FlowFile's bytes."""

    def __init__(self, data):
        self._data = data
        self._pos = 0

    def read(self, *args):
        if not args:
            if self._pos >= len(self._data):
                return -1
            self._pos += 1
            return self._data[self._pos - 1]
        if isinstance(args[0], int):
            return self._take(args[0])
        buf = args[0]
        off = args[1] if len(args) > 1 else 0
        length = args[2] if len(args) > 2 else len(buf) - off
        chunk = self._take(length)
        if not chunk:
            return -1
        buf[off:off + len(chunk)] = chunk
        return len(chunk)

    def _take(self, n):
        end = len(self._data) if n is None or n < 0 else min(len(self._data), self._pos + n)
        chunk = self._data[self._pos:end]
        self._pos = end
        return chunk

    def readAllBytes(self):
        return self._take(-1)

    def available(self):
        return len(self._data) - self._pos

    def skip(self, n):
        return len(self._take(n))

    def close(self):
        pass


class OutputStream(object):
    def __init__(self):
        self._parts = []

    def write(self, data, off=None, length=None):
        chunk = _to_bytes(data)
        if off is not None:
            chunk = chunk[off:off + (len(chunk) - off if length is None else length)]
        self._parts.append(chunk)

    def flush(self):
        pass

    def close(self):
        pass

    def _value(self):
        return b''.join(self._parts)


class IOUtils(object):
    @staticmethod
    def toString(stream, charset=None):
        data = stream.readAllBytes() if isinstance(stream, InputStream) else _to_bytes(stream)
        return data.decode(charset or 'utf-8')

    @staticmethod
    def toByteArray(stream):
        return bytearray(stream.readAllBytes())

    @staticmethod
    def readLines(stream, charset=None):
        return IOUtils.toString(stream, charset).splitlines()

    @staticmethod
    def write(data, output, charset=None):
        output.write(_to_bytes(data, charset))

    @staticmethod
    def copy(input, output):
        data = input.readAllBytes()
        output.write(data)
        return len(data)


class StreamCallback(object):
    def process(self, inputStream, outputStream):
        raise NotImplementedError('StreamCallback.process')


class InputStreamCallback(object):
    def process(self, inputStream):
        raise NotImplementedError('InputStreamCallback.process')


class OutputStreamCallback(object):
    def process(self, outputStream):
        raise NotImplementedError('OutputStreamCallback.process')


_module('java.nio.charset').StandardCharsets = StandardCharsets
_module('java.nio.charset').Charset = _Charset
_module('org.apache.commons.io').IOUtils = IOUtils
_pio = _module('org.apache.nifi.processor.io')
_pio.StreamCallback = StreamCallback
_pio.InputStreamCallback = InputStreamCallback
_pio.OutputStreamCallback = OutputStreamCallback


class Relationship(object):
    def __init__(self, name):
        self.name = name

    def getName(self):
        return self.name

    def __repr__(self):
        return 'Relationship[%s]' % self.name


REL_SUCCESS = Relationship('success')
REL_FAILURE = Relationship('failure')
_module('org.apache.nifi.processor').Relationship = Relationship


class FlowFile(object):
    """One FlowFile handle. Unlike NiFi, every session call updates the handle in place and returns it,
    so scripts that ignore the returned value (as the Integrator's base script does) still work."""

    def __init__(self, source, attributes, content):
        self._source = source
        self._attributes = attributes
        self._content = content
        self._written = False
        self._relationship = None
        self._removed = False

    def getAttribute(self, key):
        return self._attributes.get(key)

    def getAttributes(self):
        return dict(self._attributes)

    def getSize(self):
        return len(self._content)

    def getId(self):
        return id(self)

    def getUuid(self):
        return self._attributes.get('uuid')

    def __repr__(self):
        return 'FlowFile[uuid=%s, size=%d]' % (self._attributes.get('uuid'), len(self._content))


class ScriptSessionError(Exception):
    pass


def _callback_arity(cb):
    fn = getattr(cb, 'process', cb)
    if isinstance(cb, StreamCallback):
        return 2
    if isinstance(cb, (InputStreamCallback, OutputStreamCallback)):
        return 1
    try:
        # Parameters with defaults (lambda out, i=i: ...) are not stream arguments.
        code = fn.__code__
        return code.co_argcount - len(fn.__defaults__ or ()) - (1 if hasattr(fn, '__self__') else 0)
    except AttributeError:
        return 2


class _Session(object):
    def __init__(self, inputs, uuid_factory):
        self._queue = list(inputs)
        self._taken = []
        self._created = []
        self._uuid = uuid_factory

    def _own(self, ff):
        if not isinstance(ff, FlowFile):
            raise ScriptSessionError('expected a FlowFile, got %r' % (ff,))
        if ff._removed:
            raise ScriptSessionError('%r was already removed' % (ff,))
        return ff

    def get(self, maxResults=None):
        if maxResults is not None:
            out = []
            while self._queue and len(out) < maxResults:
                out.append(self.get())
            return out
        if not self._queue:
            return None
        ff = self._queue.pop(0)
        self._taken.append(ff)
        return ff

    def getQueueSize(self):
        return len(self._queue)

    def create(self, parent=None):
        attributes = {}
        if parent is not None:
            attributes = dict(self._own(parent)._attributes)
        attributes['uuid'] = self._uuid()
        ff = FlowFile(None, attributes, b'')
        ff._written = True
        self._created.append(ff)
        return ff

    def clone(self, ff):
        child = self.create(ff)
        child._content = ff._content
        return child

    def putAttribute(self, ff, key, value):
        self._own(ff)
        if key != 'uuid':
            ff._attributes[str(key)] = str(value)
        return ff

    def putAllAttributes(self, ff, attributes):
        self._own(ff)
        for key, value in dict(attributes).items():
            if key != 'uuid':
                ff._attributes[str(key)] = str(value)
        return ff

    def removeAttribute(self, ff, key):
        self._own(ff)
        if key != 'uuid':
            ff._attributes.pop(key, None)
        return ff

    def removeAllAttributes(self, ff, keys):
        self._own(ff)
        if isinstance(keys, str):
            pattern = _re.compile(keys)
            keys = [k for k in ff._attributes if pattern.fullmatch(k)]
        for key in list(keys):
            if key != 'uuid':
                ff._attributes.pop(key, None)
        return ff

    def read(self, ff, callback):
        self._own(ff)
        stream = InputStream(ff._content)
        getattr(callback, 'process', callback)(stream)

    def write(self, ff, callback):
        self._own(ff)
        out = OutputStream()
        fn = getattr(callback, 'process', callback)
        if _callback_arity(callback) >= 2:
            fn(InputStream(ff._content), out)
        else:
            fn(out)
        ff._content = out._value()
        ff._written = True
        return ff

    def transfer(self, ff, relationship=None):
        self._own(ff)
        if relationship is None:
            raise ScriptSessionError('transfer needs a relationship (REL_SUCCESS or REL_FAILURE)')
        ff._relationship = relationship.getName() if isinstance(relationship, Relationship) else str(relationship)

    def remove(self, ff):
        self._own(ff)
        ff._removed = True
        ff._relationship = None

    def penalize(self, ff):
        return self._own(ff)

    def adjustCounter(self, name, delta, immediate=False):
        pass

    def commit(self):
        # The processor commits the real session once the script returns.
        pass

    def rollback(self, penalize=False):
        for ff in self._taken:
            ff._relationship = None
        self._queue = self._taken + self._queue
        self._taken = []
        self._created = []


class _Log(object):
    def __init__(self, sink):
        self._sink = sink

    def _emit(self, level, message, args):
        text = str(message)
        if args:
            values = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
            for value in values:
                if isinstance(value, BaseException):
                    continue
                if '{}' not in text:
                    break
                text = text.replace('{}', str(value), 1)
        self._sink.append({'level': level, 'message': text})

    def trace(self, message, *args):
        self._emit('debug', message, args)

    def debug(self, message, *args):
        self._emit('debug', message, args)

    def info(self, message, *args):
        self._emit('info', message, args)

    def warn(self, message, *args):
        self._emit('warn', message, args)

    def error(self, message, *args):
        self._emit('error', message, args)

    def isDebugEnabled(self):
        return True

    def isInfoEnabled(self):
        return True


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


# Python 2 names Jython-era scripts use; each is an exact Python 3 equivalent.
_COMPAT = {'unicode': str, 'basestring': str, 'long': int, 'xrange': range, 'unichr': chr}

_code_cache = {}


def _compile(script):
    code = _code_cache.get(script)
    if code is None:
        code = compile(script, '<script>', 'exec', dont_inherit=True)
        if len(_code_cache) >= 16:
            _code_cache.clear()
        _code_cache[script] = code
    return code


def _user_frames(tb):
    # Drop the frame of this runner so tracebacks start at the user's script.
    return tb.tb_next if tb is not None and tb.tb_next is not None else tb


_counter = [0]


def _make_uuid_factory(seed):
    def factory():
        _counter[0] += 1
        return '%s-%012x' % (seed, _counter[0])
    return factory


def _run(script, meta_json, contents, allow_http, http_host):
    meta = _json.loads(meta_json)
    inputs = []
    for index, attributes in enumerate(meta['attributes']):
        inputs.append(FlowFile(index, dict(attributes), contents[index].to_bytes()))
    logs = []
    session = _Session(inputs, _make_uuid_factory(meta['uuidSeed']))
    scope = dict(_COMPAT)
    scope.update({'__name__': '__main__', '__builtins__': _builtins, 'session': session,
                  'REL_SUCCESS': REL_SUCCESS, 'REL_FAILURE': REL_FAILURE, 'log': _Log(logs)})
    if allow_http:
        scope['http'] = _Http(http_host)
    error = None
    saved = (_sys.stdout, _sys.stderr)
    _sys.stdout = _LogWriter(logs, 'info')
    _sys.stderr = _LogWriter(logs, 'warn')
    try:
        exec(_compile(script), scope)
    except SystemExit as e:
        if e.code not in (None, 0):
            error = {'kind': 'exception', 'message': 'SystemExit: %s' % (e.code,),
                     'traceback': ''.join(_traceback.format_exception(type(e), e, _user_frames(e.__traceback__)))}
    except BaseException as e:
        text = ''.join(_traceback.format_exception(type(e), e, _user_frames(e.__traceback__)))
        error = {'kind': 'exception', 'message': ''.join(_traceback.format_exception_only(type(e), e)).strip(), 'traceback': text}
    finally:
        _sys.stdout.flush()
        _sys.stderr.flush()
        _sys.stdout, _sys.stderr = saved
        scope.clear()
    if error is None:
        pending = [ff for ff in session._taken + session._created if ff._relationship is None and not ff._removed]
        if pending:
            error = {'kind': 'session', 'message': '%d FlowFile(s) were neither transferred nor removed: %s' % (len(pending), ', '.join(repr(ff) for ff in pending))}
    outputs = []
    out_contents = []
    if error is None:
        for ff in session._taken + session._created:
            if ff._removed and ff._source is None:
                continue
            outputs.append({'source': ff._source, 'attributes': ff._attributes, 'relationship': None if ff._removed else ff._relationship,
                            'written': ff._written})
            out_contents.append(ff._content if ff._written else None)
    result = {'outputs': outputs, 'taken': [] if error else [ff._source for ff in session._taken], 'logs': logs, 'error': error}
    return (_json.dumps(result), out_contents)


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


_seal()
_run
`;
