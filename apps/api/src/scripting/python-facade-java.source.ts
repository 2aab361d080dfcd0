/**
 * Python facade: java.lang's String, System, StringBuilder and friends, as Python objects (str subclasses
 * with the Java methods added).
 */
export const PY_FACADE_JAVA = String.raw`
import uuid as _uuid_mod
import hashlib as _hashlib
import functools as _functools


class _StaticOrBound(object):
    """A name that is a Java static method on the class and Python's str method on instances (format, join)."""

    def __init__(self, static, bound):
        self._static = static
        self._bound = bound

    def __get__(self, obj, cls=None):
        return self._static if obj is None else self._bound.__get__(obj, cls)


class String(str):
    """java.lang.String: a Python str with the Java methods scripts call on it."""

    def __new__(cls, value='', *args):
        if isinstance(value, (bytes, bytearray, memoryview, list)):
            raw = _to_bytes(value)
            charset = None
            if len(args) == 1:
                charset = args[0]
            elif len(args) >= 2:
                raw = raw[args[0]:args[0] + args[1]]
                charset = args[2] if len(args) > 2 else None
            return str.__new__(cls, _text(raw, charset or 'UTF-8'))
        return str.__new__(cls, _java_str(value))

    def getBytes(self, charset=None):
        return bytearray(str(self).encode(str(charset) if charset else 'utf-8'))

    def length(self):
        return len(self)

    def isEmpty(self):
        return len(self) == 0

    def isBlank(self):
        return self.strip() == ''

    def equals(self, other):
        return other is not None and str(self) == str(other)

    def equalsIgnoreCase(self, other):
        return other is not None and str(self).lower() == str(other).lower()

    def trim(self):
        return String(str(self).strip())

    def contains(self, part):
        return str(part) in self

    def startsWith(self, prefix):
        return self.startswith(prefix)

    def endsWith(self, suffix):
        return self.endswith(suffix)

    def indexOf(self, part, start=0):
        return self.find(str(part) if not isinstance(part, int) else chr(part), start)

    def lastIndexOf(self, part):
        return self.rfind(str(part))

    def charAt(self, i):
        return self[i]

    def substring(self, begin, end=None):
        return String(self[begin:end])

    def toUpperCase(self, *locale):
        return String(self.upper())

    def toLowerCase(self, *locale):
        return String(self.lower())

    def replaceAll(self, regex, replacement):
        return String(_re.sub(regex, _java_replacement(replacement), self))

    def replaceFirst(self, regex, replacement):
        return String(_re.sub(regex, _java_replacement(replacement), self, count=1))

    def matches(self, regex):
        return _re.fullmatch(regex, self) is not None

    def compareTo(self, other):
        return (str(self) > str(other)) - (str(self) < str(other))

    def concat(self, other):
        return String(str(self) + str(other))

    def toCharArray(self):
        return list(self)

    def toString(self):
        return str(self)

    def hashCode(self):
        h = 0
        for ch in str(self):
            h = (31 * h + ord(ch)) & 0xFFFFFFFF
        return h - (1 << 32) if h & 0x80000000 else h

    @staticmethod
    def valueOf(value):
        return String(_java_str(value))

    format = _StaticOrBound(lambda fmt, *args: String(_java_format(fmt, args)), str.format)
    join = _StaticOrBound(lambda sep, *items: String(str(sep).join(_java_str(x) for x in (items[0] if len(items) == 1 and not isinstance(items[0], str) else items))), str.join)


def _java_replacement(replacement):
    # Java writes group references as $1; Python as \1.
    return _re.sub(r'\$(\d+)', r'\\\1', str(replacement).replace('\\', '\\\\'))


class _PrintTarget(object):
    def __init__(self, stream_name):
        self._name = stream_name

    def _write(self, text):
        getattr(_sys, self._name).write(text)

    def println(self, value=''):
        self._write(_java_str(value) + '\n')

    def print_(self, value=''):
        self._write(_java_str(value))

    def printf(self, fmt, *args):
        self._write(_java_format(fmt, args))

    def flush(self):
        getattr(_sys, self._name).flush()


setattr(_PrintTarget, 'print', _PrintTarget.print_)


class System(object):
    out = _PrintTarget('stdout')
    err = _PrintTarget('stderr')
    _PROPERTIES = {'line.separator': '\n', 'file.encoding': 'UTF-8', 'file.separator': '/', 'path.separator': ':',
                   'user.timezone': 'UTC', 'java.vendor': 'Sluice', 'os.name': 'Linux'}

    @staticmethod
    def currentTimeMillis():
        return int(_time.time() * 1000)

    @staticmethod
    def nanoTime():
        return _time.perf_counter_ns()

    @staticmethod
    def getProperty(name, default=None):
        return System._PROPERTIES.get(str(name), default)

    @staticmethod
    def getenv(name=None):
        # Scripts run with an empty environment.
        return HashMap() if name is None else None

    @staticmethod
    def lineSeparator():
        return '\n'

    @staticmethod
    def identityHashCode(obj):
        return id(obj) & 0x7FFFFFFF

    @staticmethod
    def arraycopy(src, src_pos, dest, dest_pos, length):
        dest[dest_pos:dest_pos + length] = src[src_pos:src_pos + length]

    @staticmethod
    def exit(code=0):
        raise RuntimeException('System.exit(%s) is not allowed in a script' % (code,))

    @staticmethod
    def gc():
        pass
`;
