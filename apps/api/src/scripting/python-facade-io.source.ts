/**
 * Python facade: the module registry, Jython's bean-style attribute access, bytes and text helpers,
 * charsets and Java-like input and output streams over bytes.
 * Kept as a string (see python-shim.source.ts); no backticks or dollar-brace pairs in here.
 */
export const PY_FACADE_IO = String.raw`
import builtins as _builtins
import codecs as _codecs
import json as _json
import re as _re
import sys as _sys
import time as _time
import traceback as _traceback
import types as _types


def _module(dotted):
    parts = dotted.split('.')
    for i in range(1, len(parts) + 1):
        name = '.'.join(parts[:i])
        if name not in _sys.modules:
            mod = _types.ModuleType(name)
            mod.__path__ = []
            mod.__getattr__ = _missing_member(name)
            _sys.modules[name] = mod
            if i > 1:
                setattr(_sys.modules['.'.join(parts[:i - 1])], parts[i - 1], mod)
    return _sys.modules[dotted]


class JvmOnlyError(ImportError):
    """A Java or NiFi name the Python runtime does not provide. An ImportError so that 'from x import Y' reports it as is."""


def _missing_member(module_name):
    def __getattr__(name):
        if name.startswith('__'):
            raise AttributeError(name)
        raise JvmOnlyError(_jvm_message(module_name + '.' + name))
    return __getattr__


def _export(dotted, **members):
    # Classes are also registered as modules so that 'import java.util.UUID as UUID' works as in Jython.
    mod = _module(dotted)
    for name, value in members.items():
        setattr(mod, name, value)
        if isinstance(value, type):
            _sys.modules[dotted + '.' + name] = value
    return mod


class _Bean(object):
    """Jython lets scripts read Java getters as attributes: flowFile.size, context.stateManager, stateMap.version."""

    def __getattr__(self, name):
        if not name.startswith('_'):
            cap = name[:1].upper() + name[1:]
            for prefix in ('get', 'is'):
                getter = getattr(type(self), prefix + cap, None)
                if getter is not None:
                    return getter(self)
        raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))


def _text(data, charset=None):
    """Bytes as text the way Jython scripts expect it: UTF-8 (or the given charset), never a b'...' repr."""
    if isinstance(data, str):
        return data
    raw = bytes(data)
    if charset:
        return raw.decode(str(charset))
    try:
        return raw.decode('utf-8')
    except UnicodeDecodeError:
        return raw.decode('latin-1')


class _JBytes(bytes):
    """What str.encode() gives scripts: bytes, but mixing with text as Python 2 str did (text wins)."""

    def __add__(self, other):
        if isinstance(other, str):
            return _text(self) + other
        return _JBytes(bytes.__add__(self, bytes(other)))

    def __radd__(self, other):
        if isinstance(other, str):
            return other + _text(self)
        return _JBytes(bytes(other) + bytes(self))

    def __eq__(self, other):
        if isinstance(other, str):
            return _text(self) == other
        return bytes.__eq__(self, other)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = bytes.__hash__

    def __str__(self):
        return _text(self)

    def __format__(self, spec):
        return format(_text(self), spec)


def _to_bytes(data, charset=None):
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, str):
        return data.encode(str(charset) if charset else 'utf-8')
    if isinstance(data, bool):
        return bytes([int(data)])
    if isinstance(data, int):
        return bytes([data & 0xFF])
    if data is None:
        raise TypeError('cannot write None to a stream (Java would throw NullPointerException)')
    # Java byte[]-like sequences of signed ints.
    return bytes((b & 0xFF) for b in data)


def _java_str(value):
    """String.valueOf: null, true/false, and toString() where the object has one."""
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (bytes, bytearray)):
        return _text(value)
    if isinstance(value, str):
        return value
    to_string = getattr(value, 'toString', None)
    if callable(to_string) and not isinstance(value, type):
        return str(to_string())
    return str(value)


class Charset(str):
    """java.nio.charset.Charset: a str holding the Java name, which Python's codecs accept as they are."""

    def name(self):
        return str.__str__(self)

    def displayName(self, *locale):
        return str.__str__(self)

    def toString(self):
        return str.__str__(self)

    def aliases(self):
        return set()

    @staticmethod
    def forName(name):
        _codecs.lookup(str(name))
        return Charset(str(name).upper())

    @staticmethod
    def defaultCharset():
        return StandardCharsets.UTF_8

    @staticmethod
    def isSupported(name):
        try:
            _codecs.lookup(str(name))
            return True
        except LookupError:
            return False


class StandardCharsets(object):
    UTF_8 = Charset('UTF-8')
    US_ASCII = Charset('US-ASCII')
    ISO_8859_1 = Charset('ISO-8859-1')
    UTF_16 = Charset('UTF-16')
    UTF_16BE = Charset('UTF-16BE')
    UTF_16LE = Charset('UTF-16LE')


class InputStream(object):
    """A Java InputStream over bytes (read() gives one byte as an int, -1 at the end). Also readable by io and csv."""

    def __init__(self, data=b''):
        self._data = bytes(data)
        self._pos = 0
        self._mark = 0
        self.closed = False

    def read(self, *args):
        if not args:
            if self._pos >= len(self._data):
                return -1
            self._pos += 1
            return self._data[self._pos - 1]
        if args[0] is None or isinstance(args[0], int):
            return self._take(args[0])
        buf = args[0]
        off = args[1] if len(args) > 1 else 0
        length = args[2] if len(args) > 2 else len(buf) - off
        chunk = self._take(length)
        if not chunk and length > 0:
            return -1
        buf[off:off + len(chunk)] = chunk
        return len(chunk)

    def _take(self, n):
        end = len(self._data) if n is None or n < 0 else min(len(self._data), self._pos + n)
        chunk = self._data[self._pos:end]
        self._pos = end
        return chunk

    def readAllBytes(self):
        return bytearray(self._take(-1))

    def readNBytes(self, *args):
        if len(args) == 1:
            return bytearray(self._take(args[0]))
        return self.read(*args)

    def available(self):
        return len(self._data) - self._pos

    def skip(self, n):
        return len(self._take(n))

    def transferTo(self, out):
        data = self._take(-1)
        out.write(data)
        return len(data)

    def markSupported(self):
        return True

    def mark(self, limit=0):
        self._mark = self._pos

    def reset(self):
        self._pos = self._mark

    def close(self):
        self.closed = True

    # Python's io / csv / codecs readers use these.
    def readable(self):
        return True

    def writable(self):
        return False

    def seekable(self):
        return False

    def read1(self, n=-1):
        return self._take(n)

    def readinto(self, buf):
        chunk = self._take(len(buf))
        buf[:len(chunk)] = chunk
        return len(chunk)

    def readline(self, limit=-1):
        end = self._data.find(b'\n', self._pos)
        end = len(self._data) if end < 0 else end + 1
        if limit is not None and limit >= 0:
            end = min(end, self._pos + limit)
        return self._take(end - self._pos)

    def flush(self):
        pass


class ByteArrayInputStream(InputStream):
    def __init__(self, data, offset=0, length=None):
        data = _to_bytes(data)
        InputStream.__init__(self, data[offset:] if length is None else data[offset:offset + length])


class OutputStream(object):
    def __init__(self):
        self._parts = []
        self.closed = False

    def write(self, data, off=None, length=None):
        chunk = _to_bytes(data)
        if off is not None:
            chunk = chunk[off:off + (len(chunk) - off if length is None else length)]
        self._parts.append(chunk)
        return len(chunk)

    def flush(self):
        pass

    def close(self):
        self.closed = True

    def writable(self):
        return True

    def readable(self):
        return False

    def seekable(self):
        return False

    def _value(self):
        if len(self._parts) > 1:
            self._parts = [b''.join(self._parts)]
        return self._parts[0] if self._parts else b''


class ByteArrayOutputStream(OutputStream):
    def __init__(self, size=None):
        OutputStream.__init__(self)

    def toByteArray(self):
        return bytearray(self._value())

    def toString(self, charset=None):
        return _text(self._value(), charset or 'utf-8')

    def __str__(self):
        return self.toString()

    def size(self):
        return len(self._value())

    def reset(self):
        self._parts = []

    def writeTo(self, out):
        out.write(self._value())
`;
