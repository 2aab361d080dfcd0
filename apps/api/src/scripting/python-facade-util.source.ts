/**
 * Python facade: UUID, Locale, Random, Base64, TimeUnit, atomics and java.util.regex, and the java.lang /
 * java.util exports.
 */
export const PY_FACADE_UTIL = String.raw`
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
