/**
 * Python facade: java.text.DecimalFormat, java.math and the parsing side of java.net.
 */
export const PY_FACADE_MATH = String.raw`
class DecimalFormat(object):
    """java.text.DecimalFormat for plain patterns such as '#,##0.00' and '0.###' (HALF_EVEN, as Java rounds)."""

    def __init__(self, pattern='#,##0.###', *symbols):
        self._pattern = str(pattern)
        integer, _, fraction = self._pattern.partition('.')
        self._grouping = ',' in integer
        self._min_int = integer.count('0')
        self._min_frac = fraction.count('0')
        self._max_frac = fraction.count('0') + fraction.count('#')

    def format(self, value):
        q = _decimal.Decimal(str(value)).quantize(_decimal.Decimal(1).scaleb(-self._max_frac), rounding=_decimal.ROUND_HALF_EVEN)
        text = ('{:,f}' if self._grouping else '{:f}').format(q)
        whole, _, frac = text.partition('.')
        frac = frac.rstrip('0').ljust(self._min_frac, '0')
        sign = '-' if whole.startswith('-') else ''
        whole = whole.lstrip('-')
        if whole in ('0', '') and self._min_int == 0:
            whole = ''
        return sign + whole + ('.' + frac if frac else '')


class RoundingMode(object):
    UP = _decimal.ROUND_UP
    DOWN = _decimal.ROUND_DOWN
    CEILING = _decimal.ROUND_CEILING
    FLOOR = _decimal.ROUND_FLOOR
    HALF_UP = _decimal.ROUND_HALF_UP
    HALF_DOWN = _decimal.ROUND_HALF_DOWN
    HALF_EVEN = _decimal.ROUND_HALF_EVEN


class BigDecimal(object):
    """java.math.BigDecimal over Python's Decimal."""

    def __init__(self, value):
        self._d = value._d if isinstance(value, BigDecimal) else _decimal.Decimal(str(value).strip() if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value))

    @staticmethod
    def valueOf(value, scale=None):
        d = BigDecimal(value)
        return d if scale is None else BigDecimal(d._d.scaleb(-scale))

    def _wrap(self, d):
        out = BigDecimal(0)
        out._d = d
        return out

    def add(self, other):
        return self._wrap(self._d + BigDecimal(other)._d)

    def subtract(self, other):
        return self._wrap(self._d - BigDecimal(other)._d)

    def multiply(self, other):
        return self._wrap(self._d * BigDecimal(other)._d)

    def divide(self, other, *args):
        result = self._d / BigDecimal(other)._d
        if args and isinstance(args[0], int) and not isinstance(args[0], bool):
            rounding = args[1] if len(args) > 1 else _decimal.ROUND_HALF_UP
            return self._wrap(result.quantize(_decimal.Decimal(1).scaleb(-args[0]), rounding=rounding))
        return self._wrap(result)

    def setScale(self, scale, rounding=None):
        exact = _decimal.Decimal(1).scaleb(-scale)
        if rounding is None:
            # Java's default is RoundingMode.UNNECESSARY.
            value = self._d.quantize(exact, rounding=_decimal.ROUND_DOWN)
            if value != self._d:
                raise ArithmeticException('Rounding necessary')
            return self._wrap(value)
        return self._wrap(self._d.quantize(exact, rounding=rounding))

    def negate(self):
        return self._wrap(-self._d)

    def abs(self):
        return self._wrap(abs(self._d))

    def compareTo(self, other):
        o = BigDecimal(other)._d
        return (self._d > o) - (self._d < o)

    def signum(self):
        return (self._d > 0) - (self._d < 0)

    def scale(self):
        return -self._d.as_tuple().exponent

    def doubleValue(self):
        return float(self._d)

    floatValue = doubleValue

    def intValue(self):
        return int(self._d)

    longValue = intValue

    def toPlainString(self):
        return '{:f}'.format(self._d)

    def stripTrailingZeros(self):
        return self._wrap(self._d.normalize())

    def toString(self):
        return str(self._d)

    __str__ = toString

    def __repr__(self):
        return str(self._d)

    def __eq__(self, other):
        return isinstance(other, BigDecimal) and other._d == self._d and other.scale() == self.scale()

    def __hash__(self):
        return hash(self._d)

    def __float__(self):
        return float(self._d)


BigDecimal.ZERO = BigDecimal(0)
BigDecimal.ONE = BigDecimal(1)
BigDecimal.TEN = BigDecimal(10)
BigDecimal.ROUND_HALF_UP = RoundingMode.HALF_UP
BigDecimal.ROUND_HALF_EVEN = RoundingMode.HALF_EVEN
BigDecimal.ROUND_DOWN = RoundingMode.DOWN
BigDecimal.ROUND_UP = RoundingMode.UP


class BigInteger(int):
    @staticmethod
    def valueOf(value):
        return BigInteger(value)

    def add(self, other):
        return BigInteger(int(self) + int(other))

    def subtract(self, other):
        return BigInteger(int(self) - int(other))

    def multiply(self, other):
        return BigInteger(int(self) * int(other))

    def toString(self, radix=10):
        return _int_to_str(int(self), radix)

    def longValue(self):
        return int(self)

    intValue = longValue


class URLEncoder(object):
    @staticmethod
    def encode(text, charset='UTF-8'):
        # Java leaves only letters, digits and . - * _ as they are.
        return _urlparse.quote_plus(_java_str(text), safe='*', encoding=str(charset)).replace('~', '%7E')


class URLDecoder(object):
    @staticmethod
    def decode(text, charset='UTF-8'):
        return _urlparse.unquote_plus(_java_str(text), encoding=str(charset))


class URI(object):
    """java.net.URI / URL for taking addresses apart; opening connections is not available (no network)."""

    def __init__(self, text):
        self._text = str(text)
        self._p = _urlparse.urlsplit(self._text)

    @staticmethod
    def create(text):
        return URI(text)

    def getScheme(self):
        return self._p.scheme or None

    getProtocol = getScheme

    def getHost(self):
        return self._p.hostname

    def getPort(self):
        return self._p.port if self._p.port is not None else -1

    def getPath(self):
        return self._p.path

    def getQuery(self):
        return self._p.query or None

    def getFragment(self):
        return self._p.fragment or None

    getRef = getFragment

    def getAuthority(self):
        return self._p.netloc or None

    def toString(self):
        return self._text

    __str__ = toString

    def toURL(self):
        return self

    def toURI(self):
        return self

    def openConnection(self, *args):
        raise JvmOnlyError('java.net.URL.openConnection is not available: scripts have no network of their own; '
                           "turn on the processor's Allow HTTP and call http.get / http.post")

    openStream = openConnection


_export('java.util', Date=Date, TimeZone=TimeZone)
_export('java.text', SimpleDateFormat=SimpleDateFormat, DecimalFormat=DecimalFormat, ParseException=_ParseException)
_export('java.math', BigDecimal=BigDecimal, BigInteger=BigInteger, RoundingMode=RoundingMode)
_export('java.net', URLEncoder=URLEncoder, URLDecoder=URLDecoder, URI=URI, URL=URI)
`;
