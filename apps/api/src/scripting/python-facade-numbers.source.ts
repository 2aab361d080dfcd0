/**
 * Python facade: java.lang's exceptions, boxed numbers, Boolean, Math and Thread.
 */
export const PY_FACADE_NUMBERS = String.raw`
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
`;
