/**
 * Python facade, part 2: the java.lang / java.util / java.util.concurrent / java.util.regex names Jython scripts
 * commonly touch, as plain Python objects (lists, dicts and str subclasses with the Java methods added).
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


class RuntimeException(Exception):
    def getMessage(self):
        return str(self.args[0]) if self.args else None

    def getLocalizedMessage(self):
        return self.getMessage()

    def printStackTrace(self, *args):
        _traceback.print_exception(type(self), self, self.__traceback__)

    def toString(self):
        name = _JAVA_EXCEPTION_NAMES.get(type(self), type(self).__name__)
        return name if not self.args else '%s: %s' % (name, self.args[0])


class IllegalArgumentException(RuntimeException, ValueError):
    pass


class NumberFormatException(IllegalArgumentException):
    pass


class IllegalStateException(RuntimeException):
    pass


class NullPointerException(RuntimeException):
    pass


class UnsupportedOperationException(RuntimeException):
    pass


class IndexOutOfBoundsException(RuntimeException, IndexError):
    pass


class ArithmeticException(RuntimeException, ArithmeticError):
    pass


class ClassCastException(RuntimeException, TypeError):
    pass


class InterruptedException(Exception):
    pass


class NoSuchElementException(RuntimeException, LookupError):
    pass


_JAVA_EXCEPTION_NAMES = {}


def _parse_int(text, radix=10, low=-(1 << 31), high=(1 << 31) - 1):
    s = _java_str(text) if text is not None else None
    try:
        if s is None or s != s.strip() or s == '':
            raise ValueError(s)
        value = int(s, radix)
    except ValueError:
        raise NumberFormatException('For input string: "%s"' % (s,) if s is not None else 'Cannot parse null string: null')
    if not low <= value <= high:
        raise NumberFormatException('For input string: "%s"' % (s,))
    return value


class Integer(int):
    MAX_VALUE = (1 << 31) - 1
    MIN_VALUE = -(1 << 31)

    @staticmethod
    def parseInt(text, radix=10):
        return _parse_int(text, radix)

    @staticmethod
    def valueOf(value, radix=10):
        return value if isinstance(value, int) else _parse_int(value, radix)

    @staticmethod
    def toString(value, radix=10):
        return _int_to_str(value, radix)

    @staticmethod
    def toHexString(value):
        return '%x' % (value & 0xFFFFFFFF)

    @staticmethod
    def toBinaryString(value):
        return bin(value & 0xFFFFFFFF)[2:]

    @staticmethod
    def compare(a, b):
        return (a > b) - (a < b)

    @staticmethod
    def sum(a, b):
        return a + b

    max = staticmethod(lambda a, b: a if a >= b else b)
    min = staticmethod(lambda a, b: a if a <= b else b)


def _int_to_str(value, radix=10):
    if radix == 10:
        return str(int(value))
    digits = '0123456789abcdefghijklmnopqrstuvwxyz'
    n, out = abs(int(value)), ''
    while True:
        n, r = divmod(n, radix)
        out = digits[r] + out
        if n == 0:
            break
    return ('-' if value < 0 else '') + out


class Long(Integer):
    MAX_VALUE = (1 << 63) - 1
    MIN_VALUE = -(1 << 63)

    @staticmethod
    def parseLong(text, radix=10):
        return _parse_int(text, radix, Long.MIN_VALUE, Long.MAX_VALUE)

    @staticmethod
    def valueOf(value, radix=10):
        return value if isinstance(value, int) else Long.parseLong(value, radix)

    @staticmethod
    def toHexString(value):
        return '%x' % (value & 0xFFFFFFFFFFFFFFFF)


class Double(float):
    MAX_VALUE = 1.7976931348623157e308
    MIN_VALUE = 5e-324

    @staticmethod
    def parseDouble(text):
        try:
            return float(_java_str(text).strip())
        except ValueError:
            raise NumberFormatException('For input string: "%s"' % (text,))

    valueOf = parseDouble

    @staticmethod
    def isNaN(value):
        return value != value

    @staticmethod
    def toString(value):
        return repr(float(value))

    @staticmethod
    def compare(a, b):
        return (a > b) - (a < b)


Float = Double


class Boolean(object):
    TRUE = True
    FALSE = False

    @staticmethod
    def parseBoolean(text):
        return text is not None and _java_str(text).lower() == 'true'

    @staticmethod
    def valueOf(value):
        return value if isinstance(value, bool) else Boolean.parseBoolean(value)

    @staticmethod
    def toString(value):
        return _java_str(bool(value))


class Math(object):
    PI = 3.141592653589793
    E = 2.718281828459045

    @staticmethod
    def round(x):
        import math
        return int(math.floor(x + 0.5))

    abs = staticmethod(abs)
    max = staticmethod(lambda a, b: a if a >= b else b)
    min = staticmethod(lambda a, b: a if a <= b else b)

    @staticmethod
    def floor(x):
        import math
        return float(math.floor(x))

    @staticmethod
    def ceil(x):
        import math
        return float(math.ceil(x))

    @staticmethod
    def pow(a, b):
        return float(a) ** b

    @staticmethod
    def sqrt(x):
        return float(x) ** 0.5

    @staticmethod
    def random():
        import random
        return random.random()

    @staticmethod
    def log(x):
        import math
        return math.log(x)

    @staticmethod
    def log10(x):
        import math
        return math.log10(x)

    @staticmethod
    def exp(x):
        import math
        return math.exp(x)

    @staticmethod
    def signum(x):
        return float((x > 0) - (x < 0))


class Thread(object):
    @staticmethod
    def sleep(millis, nanos=0):
        _time.sleep(max(0, millis) / 1000.0)

    @staticmethod
    def currentThread():
        return Thread()

    def getName(self):
        return 'script'

    def interrupt(self):
        pass


class StringBuilder(object):
    def __init__(self, initial=''):
        self._parts = [] if isinstance(initial, int) else [_java_str(initial)]

    def append(self, value, *rest):
        self._parts.append(_java_str(value) if not rest else _java_str(value)[rest[0]:rest[1]])
        return self

    def toString(self):
        if len(self._parts) > 1:
            self._parts = [''.join(self._parts)]
        return self._parts[0] if self._parts else ''

    __str__ = toString

    def length(self):
        return len(self.toString())

    __len__ = length

    def insert(self, index, value):
        s = self.toString()
        self._parts = [s[:index] + _java_str(value) + s[index:]]
        return self

    def reverse(self):
        self._parts = [self.toString()[::-1]]
        return self

    def setLength(self, n):
        s = self.toString()
        self._parts = [s[:n] + '\x00' * max(0, n - len(s))]

    def charAt(self, i):
        return self.toString()[i]

    def deleteCharAt(self, i):
        s = self.toString()
        self._parts = [s[:i] + s[i + 1:]]
        return self


StringBuffer = StringBuilder


class Character(object):
    isDigit = staticmethod(lambda c: str(c).isdigit())
    isLetter = staticmethod(lambda c: str(c).isalpha())
    isLetterOrDigit = staticmethod(lambda c: str(c).isalnum())
    isWhitespace = staticmethod(lambda c: str(c).isspace())
    isUpperCase = staticmethod(lambda c: str(c).isupper())
    isLowerCase = staticmethod(lambda c: str(c).islower())
    toUpperCase = staticmethod(lambda c: str(c).upper())
    toLowerCase = staticmethod(lambda c: str(c).lower())


class Class(object):
    @staticmethod
    def forName(name, *args):
        raise JvmOnlyError(_jvm_message(str(name)))


class Object(object):
    def toString(self):
        return str(self)

    def equals(self, other):
        return self == other

    def hashCode(self):
        return hash(self)


# ---- java.util ----

class ArrayList(list):
    """java.util.ArrayList (and what NiFi hands out as List): a Python list with the Java methods."""

    def __init__(self, items=None):
        list.__init__(self, [] if items is None or isinstance(items, int) else items)

    def add(self, *args):
        if len(args) == 2:
            self.insert(args[0], args[1])
            return None
        self.append(args[0])
        return True

    def addAll(self, *args):
        if len(args) == 2:
            self[args[0]:args[0]] = list(args[1])
        else:
            self.extend(args[0])
        return True

    def get(self, index):
        if not 0 <= index < len(self):
            raise IndexOutOfBoundsException('Index %d out of bounds for length %d' % (index, len(self)))
        return self[index]

    def set(self, index, value):
        old = self.get(index)
        self[index] = value
        return old

    def size(self):
        return len(self)

    def isEmpty(self):
        return len(self) == 0

    def contains(self, value):
        return value in self

    def indexOf(self, value):
        return self.index(value) if value in self else -1

    def remove(self, item):
        # Java's remove(int) removes by index; remove(Object) by value.
        if isinstance(item, int) and not isinstance(item, bool):
            return self.pop(item)
        if item in self:
            list.remove(self, item)
            return True
        return False

    def removeAll(self, items):
        items = list(items)
        before = len(self)
        self[:] = [x for x in self if x not in items]
        return len(self) != before

    def subList(self, start, end):
        return ArrayList(self[start:end])

    def toArray(self, *args):
        return list(self)

    def iterator(self):
        return _JavaIterator(list(self))

    def stream(self):
        return _JavaStream(iter(list(self)))

    def forEach(self, fn):
        for x in list(self):
            fn(x)


LinkedList = ArrayList
Vector = ArrayList
List = ArrayList
Collection = ArrayList


def _java_list(items):
    return ArrayList(items)


class _Entry(object):
    def __init__(self, owner, key):
        self._owner = owner
        self._key = key

    def getKey(self):
        return self._key

    def getValue(self):
        return self._owner[self._key]

    def setValue(self, value):
        old = self._owner[self._key]
        self._owner[self._key] = value
        return old

    key = property(getKey)
    value = property(getValue)

    def __iter__(self):
        return iter((self._key, self.getValue()))

    def __repr__(self):
        return '%s=%s' % (self._key, self.getValue())


class HashMap(dict):
    """java.util.HashMap / LinkedHashMap / Map: a dict with the Java methods (and Python 2's iteritems)."""

    def __init__(self, *args, **kwargs):
        if args and isinstance(args[0], int):
            args = args[1:]
        dict.__init__(self, *args, **kwargs)

    def put(self, key, value):
        old = dict.get(self, key)
        self[key] = value
        return old

    def putAll(self, other):
        self.update(other)

    def putIfAbsent(self, key, value):
        if key not in self:
            self[key] = value
            return None
        return self[key]

    def getOrDefault(self, key, default):
        return dict.get(self, key, default)

    def containsKey(self, key):
        return key in self

    def containsValue(self, value):
        return value in self.values()

    def remove(self, key):
        return self.pop(key, None)

    def size(self):
        return len(self)

    def isEmpty(self):
        return len(self) == 0

    def keySet(self):
        return _KeySet(self)

    def entrySet(self):
        return ArrayList(_Entry(self, k) for k in list(self.keys()))

    def forEach(self, fn):
        for k in list(self.keys()):
            fn(k, self[k])

    def iteritems(self):
        return iter(list(self.items()))

    def iterkeys(self):
        return iter(list(self.keys()))

    def itervalues(self):
        return iter(list(self.values()))

    def has_key(self, key):
        return key in self

    def toString(self):
        return '{' + ', '.join('%s=%s' % (k, v) for k, v in self.items()) + '}'


class _KeySet(object):
    """A live, ordered view of a map's keys, like Java's keySet() (iterable, sized, and with contains())."""

    def __init__(self, owner):
        self._owner = owner

    def __iter__(self):
        return iter(list(self._owner.keys()))

    def __len__(self):
        return len(self._owner)

    def __contains__(self, key):
        return key in self._owner

    def contains(self, key):
        return key in self._owner

    def size(self):
        return len(self._owner)

    def isEmpty(self):
        return len(self._owner) == 0

    def iterator(self):
        return _JavaIterator(list(self._owner.keys()))

    def toArray(self, *args):
        return list(self._owner.keys())

    def __repr__(self):
        return repr(list(self._owner.keys()))


LinkedHashMap = HashMap
Map = HashMap
Hashtable = HashMap
ConcurrentHashMap = HashMap


class TreeMap(HashMap):
    def keys(self):
        return sorted(dict.keys(self))

    def __iter__(self):
        return iter(self.keys())

    def items(self):
        return [(k, self[k]) for k in self.keys()]

    def values(self):
        return [self[k] for k in self.keys()]

    def firstKey(self):
        return self.keys()[0]

    def lastKey(self):
        return self.keys()[-1]


class HashSet(set):
    def __init__(self, items=None):
        set.__init__(self, [] if items is None or isinstance(items, int) else items)

    def add(self, item):
        if item in self:
            return False
        set.add(self, item)
        return True

    def addAll(self, items):
        before = len(self)
        self.update(items)
        return len(self) != before

    def contains(self, item):
        return item in self

    def remove(self, item):
        if item in self:
            set.remove(self, item)
            return True
        return False

    def size(self):
        return len(self)

    def isEmpty(self):
        return len(self) == 0

    def iterator(self):
        return _JavaIterator(list(self))

    def toArray(self, *args):
        return list(self)


LinkedHashSet = HashSet
TreeSet = HashSet
Set = HashSet


class Collections(object):
    emptyList = staticmethod(lambda: ArrayList())
    emptyMap = staticmethod(lambda: HashMap())
    emptySet = staticmethod(lambda: HashSet())
    singletonList = staticmethod(lambda x: ArrayList([x]))
    singletonMap = staticmethod(lambda k, v: HashMap({k: v}))
    unmodifiableList = staticmethod(lambda x: x)
    unmodifiableMap = staticmethod(lambda x: x)
    unmodifiableSet = staticmethod(lambda x: x)

    @staticmethod
    def sort(items, comparator=None):
        if comparator is None:
            items.sort()
        else:
            compare = getattr(comparator, 'compare', comparator)
            items.sort(key=_functools.cmp_to_key(compare))

    @staticmethod
    def reverse(items):
        items.reverse()

    @staticmethod
    def max(items):
        return max(items)

    @staticmethod
    def min(items):
        return min(items)


class Arrays(object):
    @staticmethod
    def asList(*items):
        if len(items) == 1 and isinstance(items[0], (list, tuple)):
            items = items[0]
        return ArrayList(items)

    @staticmethod
    def toString(items):
        return '[' + ', '.join(_java_str(x) for x in items) + ']'

    @staticmethod
    def sort(items):
        items.sort()

    @staticmethod
    def copyOfRange(items, start, end):
        return items[start:end]


class UUID(object):
    def __init__(self, value):
        self._value = value if isinstance(value, _uuid_mod.UUID) else _uuid_mod.UUID(str(value))

    @staticmethod
    def randomUUID():
        return UUID(_uuid_mod.uuid4())

    @staticmethod
    def fromString(text):
        return UUID(_uuid_mod.UUID(str(text)))

    @staticmethod
    def nameUUIDFromBytes(data):
        digest = bytearray(_hashlib.md5(_to_bytes(data)).digest())
        digest[6] = (digest[6] & 0x0F) | 0x30
        digest[8] = (digest[8] & 0x3F) | 0x80
        return UUID(_uuid_mod.UUID(bytes=bytes(digest)))

    def toString(self):
        return str(self._value)

    __str__ = toString

    def __repr__(self):
        return str(self._value)

    def __eq__(self, other):
        return isinstance(other, UUID) and other._value == self._value

    def __hash__(self):
        return hash(self._value)

    def version(self):
        return self._value.version


class Optional(object):
    def __init__(self, value):
        self._value = value

    @staticmethod
    def of(value):
        return Optional(value)

    @staticmethod
    def ofNullable(value):
        return Optional(value)

    @staticmethod
    def empty():
        return Optional(None)

    def isPresent(self):
        return self._value is not None

    def isEmpty(self):
        return self._value is None

    def get(self):
        if self._value is None:
            raise NoSuchElementException('No value present')
        return self._value

    def orElse(self, other):
        return self._value if self._value is not None else other


class Objects(object):
    equals = staticmethod(lambda a, b: a == b)
    isNull = staticmethod(lambda a: a is None)
    nonNull = staticmethod(lambda a: a is not None)
    toString = staticmethod(lambda a, default='null': default if a is None else _java_str(a))

    @staticmethod
    def requireNonNull(value, message=None):
        if value is None:
            raise NullPointerException(message)
        return value


class Locale(object):
    def __init__(self, language='', country=''):
        self._tag = language + ('_' + country if country else '')

    @staticmethod
    def getDefault():
        return Locale.US

    def toString(self):
        return self._tag

    __str__ = toString


Locale.US = Locale('en', 'US')
Locale.ENGLISH = Locale('en')
Locale.ROOT = Locale()
Locale.UK = Locale('en', 'GB')


class Random(object):
    def __init__(self, seed=None):
        import random
        self._r = random.Random(seed)

    def nextInt(self, bound=None):
        return self._r.randrange(bound) if bound is not None else self._r.randint(-(1 << 31), (1 << 31) - 1)

    def nextDouble(self):
        return self._r.random()

    def nextBoolean(self):
        return self._r.random() < 0.5

    def nextLong(self):
        return self._r.randint(-(1 << 63), (1 << 63) - 1)


class _Encoder(object):
    def __init__(self, kind):
        self._kind = kind

    def encodeToString(self, data):
        import base64
        fn = base64.urlsafe_b64encode if self._kind == 'url' else base64.b64encode
        return fn(_to_bytes(data)).decode('ascii')

    def encode(self, data):
        return bytearray(self.encodeToString(data).encode('ascii'))

    def withoutPadding(self):
        return _UnpaddedEncoder(self._kind)


class _UnpaddedEncoder(_Encoder):
    def encodeToString(self, data):
        return _Encoder.encodeToString(self, data).rstrip('=')


class _Decoder(object):
    def __init__(self, kind):
        self._kind = kind

    def decode(self, data):
        import base64
        text = _text(data) if not isinstance(data, str) else data
        text += '=' * (-len(text) % 4)
        fn = base64.urlsafe_b64decode if self._kind == 'url' else base64.b64decode
        return bytearray(fn(text))


class Base64(object):
    getEncoder = staticmethod(lambda: _Encoder('basic'))
    getDecoder = staticmethod(lambda: _Decoder('basic'))
    getUrlEncoder = staticmethod(lambda: _Encoder('url'))
    getUrlDecoder = staticmethod(lambda: _Decoder('url'))
    getMimeEncoder = staticmethod(lambda: _Encoder('basic'))
    getMimeDecoder = staticmethod(lambda: _Decoder('basic'))


class TimeUnit(object):
    def __init__(self, name, nanos):
        self._name = name
        self._nanos = nanos

    def name(self):
        return self._name

    def __repr__(self):
        return self._name

    def convert(self, amount, unit):
        return int(amount * unit._nanos // self._nanos)

    def toNanos(self, amount):
        return int(amount * self._nanos)

    def toMicros(self, amount):
        return int(amount * self._nanos // 1000)

    def toMillis(self, amount):
        return int(amount * self._nanos // 1000000)

    def toSeconds(self, amount):
        return int(amount * self._nanos // 1000000000)

    def toMinutes(self, amount):
        return int(amount * self._nanos // 60000000000)

    def toHours(self, amount):
        return int(amount * self._nanos // 3600000000000)

    def toDays(self, amount):
        return int(amount * self._nanos // 86400000000000)

    def sleep(self, amount):
        _time.sleep(amount * self._nanos / 1e9)


for _unit_name, _unit_nanos in (('NANOSECONDS', 1), ('MICROSECONDS', 1000), ('MILLISECONDS', 1000000), ('SECONDS', 1000000000),
                                ('MINUTES', 60000000000), ('HOURS', 3600000000000), ('DAYS', 86400000000000)):
    setattr(TimeUnit, _unit_name, TimeUnit(_unit_name, _unit_nanos))


class AtomicInteger(object):
    def __init__(self, value=0):
        self._v = value

    def get(self):
        return self._v

    def set(self, value):
        self._v = value

    def incrementAndGet(self):
        self._v += 1
        return self._v

    def getAndIncrement(self):
        self._v += 1
        return self._v - 1

    def decrementAndGet(self):
        self._v -= 1
        return self._v

    def addAndGet(self, delta):
        self._v += delta
        return self._v

    def getAndAdd(self, delta):
        self._v += delta
        return self._v - delta

    def intValue(self):
        return self._v


AtomicLong = AtomicInteger


class _Matcher(object):
    def __init__(self, pattern, text):
        self._pattern = pattern
        self._text = str(text)
        self._m = None
        self._pos = 0

    def matches(self):
        self._m = self._pattern._re.fullmatch(self._text)
        return self._m is not None

    def lookingAt(self):
        self._m = self._pattern._re.match(self._text)
        return self._m is not None

    def find(self, start=None):
        if start is not None:
            self._pos = start
        self._m = self._pattern._re.search(self._text, self._pos)
        if self._m is None:
            return False
        self._pos = self._m.end() if self._m.end() > self._m.start() else self._m.end() + 1
        return True

    def group(self, index=0):
        if self._m is None:
            raise IllegalStateException('No match found')
        return self._m.group(index)

    def groupCount(self):
        return self._pattern._re.groups

    def start(self, index=0):
        return self._m.start(index)

    def end(self, index=0):
        return self._m.end(index)

    def replaceAll(self, replacement):
        return self._pattern._re.sub(_java_replacement(replacement), self._text)


class Pattern(object):
    CASE_INSENSITIVE = 2
    MULTILINE = 8
    DOTALL = 32

    def __init__(self, regex, flags=0):
        py_flags = (_re.IGNORECASE if flags & 2 else 0) | (_re.MULTILINE if flags & 8 else 0) | (_re.DOTALL if flags & 32 else 0)
        self._source = str(regex)
        self._re = _re.compile(self._source, py_flags)

    @staticmethod
    def compile(regex, flags=0):
        return Pattern(regex, flags)

    @staticmethod
    def matches(regex, text):
        return _re.fullmatch(str(regex), str(text)) is not None

    @staticmethod
    def quote(text):
        return _re.escape(str(text))

    def matcher(self, text):
        return _Matcher(self, text)

    def pattern(self):
        return self._source

    def split(self, text):
        return list(self._re.split(str(text)))

    toString = pattern


for _cls in (RuntimeException, IllegalArgumentException, NumberFormatException, IllegalStateException, NullPointerException,
             UnsupportedOperationException, IndexOutOfBoundsException, ArithmeticException, ClassCastException,
             InterruptedException, NoSuchElementException):
    _JAVA_EXCEPTION_NAMES[_cls] = ('java.util.' if _cls is NoSuchElementException else 'java.lang.') + _cls.__name__

_export('java.lang', String=String, System=System, Integer=Integer, Long=Long, Short=Integer, Byte=Integer, Double=Double,
        Float=Float, Boolean=Boolean, Math=Math, Thread=Thread, StringBuilder=StringBuilder, StringBuffer=StringBuffer,
        Character=Character, Class=Class, Object=Object, Exception=Exception, Throwable=Exception, Error=Exception,
        RuntimeException=RuntimeException, IllegalArgumentException=IllegalArgumentException,
        NumberFormatException=NumberFormatException, IllegalStateException=IllegalStateException,
        NullPointerException=NullPointerException, UnsupportedOperationException=UnsupportedOperationException,
        IndexOutOfBoundsException=IndexOutOfBoundsException, ArithmeticException=ArithmeticException,
        ClassCastException=ClassCastException, InterruptedException=InterruptedException)
_export('java.util', ArrayList=ArrayList, LinkedList=LinkedList, Vector=Vector, List=List, Collection=Collection,
        HashMap=HashMap, LinkedHashMap=LinkedHashMap, TreeMap=TreeMap, Map=Map, Hashtable=Hashtable, HashSet=HashSet,
        LinkedHashSet=LinkedHashSet, TreeSet=TreeSet, Set=Set, Collections=Collections, Arrays=Arrays, UUID=UUID,
        Optional=Optional, Objects=Objects, Locale=Locale, Random=Random, Base64=Base64,
        NoSuchElementException=NoSuchElementException)
_export('java.util.concurrent', TimeUnit=TimeUnit, ConcurrentHashMap=ConcurrentHashMap)
_export('java.util.concurrent.atomic', AtomicInteger=AtomicInteger, AtomicLong=AtomicLong)
_export('java.util.regex', Pattern=Pattern)
`;
