/**
 * Python facade: time zones (a small built-in table: the interpreter has no tz database), java.util.Date
 * and java.text.SimpleDateFormat. Times are in UTC unless a format is given a zone.
 */
export const PY_FACADE_TEXT = String.raw`
import datetime as _dt
import decimal as _decimal
import urllib.parse as _urlparse

_UTC = _dt.timezone.utc


class TimeZone(object):
    def __init__(self, zone_id):
        self._id = str(zone_id)
        self._tz = _zone(self._id)

    @staticmethod
    def getTimeZone(zone_id):
        return TimeZone(zone_id)

    @staticmethod
    def getDefault():
        return TimeZone('UTC')

    def getID(self):
        return self._id

    def getRawOffset(self):
        return int(_dt.datetime.now(self._tz).utcoffset().total_seconds() * 1000)


class _RuleZone(_dt.tzinfo):
    """A zone from its standard offset and daylight-saving rule ('EU' or 'US'): the interpreter has no tz database."""

    def __init__(self, name, minutes, rule):
        self._name = name
        self._std = _dt.timedelta(minutes=minutes)
        self._rule = rule

    def _dst_utc(self, year):
        def nth_sunday(month, n):
            first = _dt.datetime(year, month, 1)
            day = first + _dt.timedelta(days=(6 - first.weekday()) % 7)
            return day + _dt.timedelta(weeks=n - 1)

        def last_sunday(month):
            end = _dt.datetime(year, month + 1, 1) - _dt.timedelta(days=1)
            return end - _dt.timedelta(days=(end.weekday() + 1) % 7)

        if self._rule == 'EU':
            return last_sunday(3) + _dt.timedelta(hours=1), last_sunday(10) + _dt.timedelta(hours=1)
        start = nth_sunday(3, 2) + _dt.timedelta(hours=2) - self._std
        return start, nth_sunday(11, 1) + _dt.timedelta(hours=1) - self._std

    def _in_dst(self, utc):
        if self._rule is None:
            return False
        start, end = self._dst_utc(utc.year)
        return start <= utc.replace(tzinfo=None) < end

    def utcoffset(self, d):
        if d is None:
            return self._std
        return self._std + self.dst(d)

    def dst(self, d):
        if d is None or self._rule is None:
            return _dt.timedelta(0)
        return _dt.timedelta(hours=1) if self._in_dst(d.replace(tzinfo=None) - self._std) else _dt.timedelta(0)

    def fromutc(self, d):
        utc = d.replace(tzinfo=None)
        return (utc + self._std + (_dt.timedelta(hours=1) if self._in_dst(utc) else _dt.timedelta(0))).replace(tzinfo=self)

    def tzname(self, d):
        return self._name

    def __repr__(self):
        return self._name


_ZONES = {}
for _names, _minutes, _rule in (
        ('Europe/London Europe/Dublin Europe/Lisbon WET', 0, 'EU'),
        ('Europe/Berlin Europe/Paris Europe/Amsterdam Europe/Madrid Europe/Rome Europe/Vienna Europe/Brussels '
         'Europe/Warsaw Europe/Prague Europe/Stockholm Europe/Oslo Europe/Copenhagen Europe/Zurich Europe/Budapest '
         'Europe/Belgrade Europe/Zagreb Europe/Ljubljana Europe/Luxembourg CET', 60, 'EU'),
        ('Europe/Athens Europe/Helsinki Europe/Kiev Europe/Kyiv Europe/Bucharest Europe/Sofia Europe/Riga '
         'Europe/Tallinn Europe/Vilnius EET', 120, 'EU'),
        ('Europe/Istanbul Asia/Istanbul Turkey Europe/Moscow Europe/Minsk Asia/Riyadh Asia/Qatar Asia/Baghdad', 180, None),
        ('Asia/Dubai Asia/Baku Asia/Tbilisi Asia/Yerevan', 240, None), ('Asia/Karachi Asia/Tashkent', 300, None),
        ('Asia/Kolkata Asia/Calcutta', 330, None), ('Asia/Dhaka Asia/Almaty', 360, None), ('Asia/Bangkok Asia/Jakarta', 420, None),
        ('Asia/Shanghai Asia/Hong_Kong Asia/Singapore Asia/Taipei', 480, None), ('Asia/Tokyo Asia/Seoul', 540, None),
        ('America/Sao_Paulo America/Argentina/Buenos_Aires', -180, None), ('America/New_York America/Toronto US/Eastern', -300, 'US'),
        ('America/Chicago US/Central', -360, 'US'), ('America/Denver US/Mountain', -420, 'US'), ('America/Phoenix', -420, None),
        ('America/Los_Angeles US/Pacific', -480, 'US')):
    for _zone_name in _names.split():
        _ZONES[_zone_name] = _RuleZone(_zone_name, _minutes, _rule)


def _zone(zone_id):
    if zone_id in ('UTC', 'GMT', 'Z', 'Etc/UTC', 'Etc/GMT'):
        return _UTC
    m = _re.fullmatch(r'(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?', zone_id)
    if m:
        delta = _dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return _dt.timezone(delta if m.group(1) == '+' else -delta)
    if zone_id in _ZONES:
        return _ZONES[zone_id]
    # Java falls back to GMT for a zone id it does not know.
    return _UTC


class Date(object):
    """java.util.Date: epoch milliseconds."""

    def __init__(self, millis=None):
        self._millis = int(_time.time() * 1000) if millis is None else int(millis)

    def getTime(self):
        return self._millis

    def setTime(self, millis):
        self._millis = int(millis)

    def before(self, other):
        return self._millis < other._millis

    def after(self, other):
        return self._millis > other._millis

    def compareTo(self, other):
        return (self._millis > other._millis) - (self._millis < other._millis)

    def equals(self, other):
        return isinstance(other, Date) and other._millis == self._millis

    __eq__ = equals

    def __hash__(self):
        return hash(self._millis)

    def toInstant(self):
        return self

    def _datetime(self, tz=_UTC):
        return _dt.datetime.fromtimestamp(self._millis / 1000.0, tz)

    def toString(self):
        return SimpleDateFormat('EEE MMM dd HH:mm:ss zzz yyyy').format(self)

    __str__ = toString


_DATE_FIELDS = {
    'y': lambda d, n: ('%04d' % d.year)[-2:] if n == 2 else '%0*d' % (n, d.year),
    'M': lambda d, n: d.strftime('%B') if n >= 4 else d.strftime('%b') if n == 3 else '%0*d' % (n, d.month),
    'd': lambda d, n: '%0*d' % (n, d.day),
    'H': lambda d, n: '%0*d' % (n, d.hour),
    'h': lambda d, n: '%0*d' % (n, (d.hour % 12) or 12),
    'k': lambda d, n: '%0*d' % (n, d.hour or 24),
    'K': lambda d, n: '%0*d' % (n, d.hour % 12),
    'm': lambda d, n: '%0*d' % (n, d.minute),
    's': lambda d, n: '%0*d' % (n, d.second),
    'S': lambda d, n: '%0*d' % (n, d.microsecond // 1000),
    'E': lambda d, n: d.strftime('%A') if n >= 4 else d.strftime('%a'),
    'a': lambda d, n: 'AM' if d.hour < 12 else 'PM',
    'D': lambda d, n: '%0*d' % (n, d.timetuple().tm_yday),
    'u': lambda d, n: str(d.isoweekday()),
    'z': lambda d, n: d.tzname() or 'UTC',
    'Z': lambda d, n: _offset(d, False),
    'X': lambda d, n: 'Z' if not d.utcoffset() else _offset(d, n >= 3)[:3 if n == 1 else None],
}


def _offset(d, colon):
    seconds = int(d.utcoffset().total_seconds()) if d.utcoffset() is not None else 0
    sign = '-' if seconds < 0 else '+'
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return '%s%02d%s%02d' % (sign, hours, ':' if colon else '', minutes)


def _date_tokens(pattern):
    tokens, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "'":
            end = pattern.find("'", i + 1)
            end = len(pattern) if end < 0 else end
            tokens.append(('lit', "'" if end == i + 1 else pattern[i + 1:end]))
            i = end + 1
        elif ch.isalpha():
            j = i
            while j < len(pattern) and pattern[j] == ch:
                j += 1
            tokens.append(('field', ch, j - i))
            i = j
        else:
            tokens.append(('lit', ch))
            i += 1
    return tokens


_PARSE_RE = {'y': r'(?P<y>\d{1,4})', 'M': r'(?P<M>\d{1,2}|[A-Za-z]+)', 'd': r'(?P<d>\d{1,2})', 'H': r'(?P<H>\d{1,2})',
             'h': r'(?P<h>\d{1,2})', 'm': r'(?P<m>\d{1,2})', 's': r'(?P<s>\d{1,2})', 'S': r'(?P<S>\d{1,3})',
             'a': r'(?P<a>AM|PM|am|pm)', 'E': r'[A-Za-z]+', 'Z': r'(?P<Z>[+-]\d{4})', 'X': r'(?P<X>Z|[+-]\d{2}(?::?\d{2})?)',
             'z': r'(?P<z>[A-Za-z]+|[+-]\d{2}:?\d{2})'}


class SimpleDateFormat(object):
    """java.text.SimpleDateFormat for the usual pattern letters (y M d H h m s S E a Z X z D u); UTC unless told."""

    def __init__(self, pattern='yyyy-MM-dd HH:mm:ss', *locale):
        self._pattern = str(pattern)
        self._tokens = _date_tokens(self._pattern)
        self._tz = _UTC
        self._lenient = True

    def setTimeZone(self, zone):
        self._tz = zone._tz if isinstance(zone, TimeZone) else _zone(str(zone))

    def getTimeZone(self):
        return TimeZone('UTC') if self._tz is _UTC else TimeZone(str(self._tz))

    def setLenient(self, lenient):
        self._lenient = bool(lenient)

    def toPattern(self):
        return self._pattern

    def format(self, value):
        millis = value.getTime() if isinstance(value, Date) else int(value)
        d = _dt.datetime.fromtimestamp(millis / 1000.0, self._tz)
        out = []
        for token in self._tokens:
            if token[0] == 'lit':
                out.append(token[1])
            else:
                fmt = _DATE_FIELDS.get(token[1])
                if fmt is None:
                    raise IllegalArgumentException("Illegal pattern character '%s'" % token[1])
                out.append(fmt(d, token[2]))
        return ''.join(out)

    def parse(self, text):
        regex = ''.join(_re.escape(t[1]) if t[0] == 'lit' else _PARSE_RE.get(t[1], r'\S+') for t in self._tokens)
        m = _re.match(regex, str(text).strip())
        if m is None:
            raise _ParseException('Unparseable date: "%s"' % (text,))
        g = m.groupdict()
        month = g.get('M') or '1'
        if not month.isdigit():
            month = _dt.datetime.strptime(month[:3].title(), '%b').month
        hour = int(g.get('H') or g.get('h') or 0)
        if g.get('a') and g['a'].upper() == 'PM' and hour < 12:
            hour += 12
        elif g.get('a') and g['a'].upper() == 'AM' and hour == 12:
            hour = 0
        tz = self._tz
        zone = g.get('Z') or g.get('X') or g.get('z')
        if zone:
            tz = _zone(zone.replace('Z', 'UTC') if zone == 'Z' else zone)
        year = int(g.get('y') or 1970)
        if g.get('y') and len(g['y']) <= 2:
            year += 2000 if year < 50 else 1900
        d = _dt.datetime(year, int(month), int(g.get('d') or 1), hour, int(g.get('m') or 0), int(g.get('s') or 0),
                         int((g.get('S') or '0').ljust(3, '0')) * 1000, tz)
        return Date(int(d.timestamp() * 1000))


class _ParseException(Exception):
    def getMessage(self):
        return str(self)
`;
