/**
 * Python facade: java.io readers and writers, Commons IO's IOUtils, Jython's StringUtil and NiFi's stream
 * callback interfaces.
 */
export const PY_FACADE_READERS = String.raw`
class Reader(object):
    """Base of the java.io readers: decoded text read on demand."""

    def _source(self):
        raise NotImplementedError

    def _all(self):
        if getattr(self, '_buf', None) is None:
            self._buf = self._source()
            self._at = 0
        return self._buf

    def read(self, *args):
        text = self._all()
        if not args:
            if self._at >= len(text):
                return -1
            self._at += 1
            return ord(text[self._at - 1])
        buf = args[0]
        off = args[1] if len(args) > 1 else 0
        length = args[2] if len(args) > 2 else len(buf) - off
        chunk = text[self._at:self._at + length]
        if not chunk:
            return -1
        self._at += len(chunk)
        buf[off:off + len(chunk)] = list(chunk)
        return len(chunk)

    def readLine(self):
        text = self._all()
        if self._at >= len(text):
            return None
        m = _re.compile(r'\r\n|\r|\n').search(text, self._at)
        if m is None:
            line, self._at = text[self._at:], len(text)
        else:
            line, self._at = text[self._at:m.start()], m.end()
        return line

    def lines(self):
        return _JavaStream(iter(self.readLine, None))

    def ready(self):
        return self._at < len(self._all()) if getattr(self, '_buf', None) is not None else True

    def skip(self, n):
        self._all()
        step = min(n, len(self._buf) - self._at)
        self._at += step
        return step

    def _rest(self):
        text = self._all()
        rest, self._at = text[self._at:], len(text)
        return rest

    def close(self):
        pass

    def __iter__(self):
        return iter(self.readLine, None)


class InputStreamReader(Reader):
    def __init__(self, stream, charset=None):
        self._stream = stream
        self._charset = str(charset) if charset else 'UTF-8'

    def _source(self):
        return _text(self._stream.read(-1), self._charset)

    def getEncoding(self):
        return self._charset


class StringReader(Reader):
    def __init__(self, text):
        self._text_value = str(text)

    def _source(self):
        return self._text_value


class BufferedReader(Reader):
    def __init__(self, reader, size=None):
        self._inner = reader

    def _source(self):
        return self._inner._rest() if isinstance(self._inner, Reader) else _text(self._inner.read(-1))


class _JavaStream(object):
    """Just enough of java.util.stream.Stream for reader.lines() loops."""

    def __init__(self, it):
        self._it = it

    def __iter__(self):
        return self._it

    def iterator(self):
        return _JavaIterator(self._it)

    def forEach(self, fn):
        for x in self._it:
            fn(x)

    def count(self):
        return sum(1 for _ in self._it)

    def toList(self):
        return _java_list(self._it)


class _JavaIterator(object):
    _END = object()

    def __init__(self, it):
        self._it = iter(it)
        self._next = self._END

    def hasNext(self):
        if self._next is self._END:
            self._next = next(self._it, self._END)
        return self._next is not self._END

    def next(self):
        if not self.hasNext():
            raise _sys.modules['java.util'].NoSuchElementException('no more elements')
        value, self._next = self._next, self._END
        return value

    def __iter__(self):
        return self

    def __next__(self):
        if not self.hasNext():
            raise StopIteration
        return self.next()


class Writer(object):
    """Base of the java.io writers: text is encoded and passed on as it is written."""

    def _emit(self, text):
        raise NotImplementedError

    def write(self, data, off=None, length=None):
        if isinstance(data, int) and not isinstance(data, bool):
            text = chr(data)
        elif isinstance(data, (list, tuple)):
            text = ''.join(data)
        else:
            text = _java_str(data)
        if off is not None:
            text = text[off:off + (len(text) - off if length is None else length)]
        self._emit(text)

    def append(self, text):
        self.write(_java_str(text))
        return self

    def newLine(self):
        self._emit('\n')

    def flush(self):
        pass

    def close(self):
        self.flush()

    # PrintWriter / PrintStream
    def print_(self, value=''):
        self._emit(_java_str(value))

    def println(self, value=''):
        self._emit(_java_str(value) + '\n')

    def printf(self, fmt, *args):
        self._emit(_java_format(fmt, args))
        return self

    format = printf


setattr(Writer, 'print', Writer.print_)


class OutputStreamWriter(Writer):
    def __init__(self, stream, charset=None):
        self._stream = stream
        self._charset = str(charset) if charset else 'UTF-8'

    def _emit(self, text):
        self._stream.write(text.encode(self._charset))

    def getEncoding(self):
        return self._charset


class StringWriter(Writer):
    def __init__(self, size=None):
        self._chunks = []

    def _emit(self, text):
        self._chunks.append(text)

    def toString(self):
        return ''.join(self._chunks)

    __str__ = toString

    def getBuffer(self):
        return self.toString()


class BufferedWriter(Writer):
    def __init__(self, target, size=None):
        self._target = target

    def _emit(self, text):
        if isinstance(self._target, Writer):
            self._target._emit(text)
        else:
            self._target.write(text.encode('utf-8'))


class PrintWriter(BufferedWriter):
    def __init__(self, target, *args):
        BufferedWriter.__init__(self, target)


PrintStream = PrintWriter


def _java_format(fmt, args):
    """String.format for the common conversions (%s %d %f %x %n %%); Java's %b prints true/false."""
    text = str(fmt).replace('%n', '\n')
    values = tuple(_java_str(a) if isinstance(a, bool) else a for a in args)
    text = _re.sub(r'%(-?\d*)b', r'%\1s', text)
    return text % values if values else text % ()


class IOUtils(object):
    @staticmethod
    def toString(source, charset=None):
        if isinstance(source, Reader):
            return source._rest()
        if isinstance(source, InputStream):
            return _text(source._take(-1), charset or 'UTF-8')
        if hasattr(source, 'read') and not isinstance(source, (bytes, bytearray)):
            return _text(source.read(-1), charset or 'UTF-8')
        return _text(_to_bytes(source), charset or 'UTF-8')

    @staticmethod
    def toByteArray(source, *args):
        if isinstance(source, Reader):
            return bytearray(source._rest().encode(str(args[0]) if args else 'utf-8'))
        if isinstance(source, InputStream):
            return bytearray(source._take(args[0] if args and isinstance(args[0], int) else -1))
        if isinstance(source, str):
            return bytearray(source.encode(str(args[0]) if args else 'utf-8'))
        return bytearray(_to_bytes(source.read(-1)))

    @staticmethod
    def readLines(source, charset=None):
        return _java_list(IOUtils.toString(source, charset).splitlines())

    @staticmethod
    def lineIterator(source, charset=None):
        return _JavaIterator(IOUtils.toString(source, charset).splitlines())

    @staticmethod
    def write(data, output, charset=None):
        if isinstance(output, Writer):
            output.write(_text(data) if isinstance(data, (bytes, bytearray)) else _java_str(data))
        else:
            output.write(_to_bytes(data, charset))

    @staticmethod
    def writeLines(lines, separator, output, charset=None):
        for line in lines:
            IOUtils.write(_java_str(line) + (separator if separator is not None else '\n'), output, charset)

    @staticmethod
    def copy(source, output, *args):
        if isinstance(source, Reader):
            text = source._rest()
            IOUtils.write(text, output)
            return len(text)
        data = source._take(-1) if isinstance(source, InputStream) else _to_bytes(source.read(-1))
        if isinstance(output, Writer):
            output.write(_text(data, args[0] if args and isinstance(args[0], str) else None))
        else:
            output.write(data)
        return len(data)

    copyLarge = copy

    @staticmethod
    def toInputStream(text, charset=None):
        return ByteArrayInputStream(_to_bytes(text, charset))

    @staticmethod
    def closeQuietly(*closeables):
        for c in closeables:
            try:
                c.close()
            except Exception:
                pass


class StringUtil(object):
    """org.python.core.util.StringUtil. Jython maps bytes to chars 1:1 and Python 2 then treats them as UTF-8;
    decoding UTF-8 here gives scripts the same text in the end."""

    @staticmethod
    def fromBytes(data, start=0, length=None):
        raw = _to_bytes(data)
        return _text(raw[start:] if length is None else raw[start:start + length])

    @staticmethod
    def toBytes(text):
        return bytearray(_to_bytes(text))


class StreamCallback(object):
    def process(self, inputStream, outputStream):
        raise NotImplementedError('StreamCallback.process')


class InputStreamCallback(object):
    def process(self, inputStream):
        raise NotImplementedError('InputStreamCallback.process')


class OutputStreamCallback(object):
    def process(self, outputStream):
        raise NotImplementedError('OutputStreamCallback.process')


class IOException(OSError):
    pass


class FileNotFoundException(IOException):
    pass


class UncheckedIOException(RuntimeError):
    pass


class File(object):
    def __init__(self, *parts):
        self._path = '/'.join(str(p) for p in parts)

    def __getattr__(self, name):
        raise JvmOnlyError(_jvm_message('java.io.File'))


_export('java.nio.charset', StandardCharsets=StandardCharsets, Charset=Charset)
_export('java.io', InputStream=InputStream, OutputStream=OutputStream, ByteArrayInputStream=ByteArrayInputStream,
        ByteArrayOutputStream=ByteArrayOutputStream, InputStreamReader=InputStreamReader, BufferedReader=BufferedReader,
        StringReader=StringReader, Reader=Reader, Writer=Writer, OutputStreamWriter=OutputStreamWriter,
        BufferedWriter=BufferedWriter, StringWriter=StringWriter, PrintWriter=PrintWriter, PrintStream=PrintStream,
        IOException=IOException, FileNotFoundException=FileNotFoundException, UncheckedIOException=UncheckedIOException,
        File=File)
_export('org.apache.commons.io', IOUtils=IOUtils)
_export('org.python.core.util', StringUtil=StringUtil)
_export('org.apache.nifi.processor.io', StreamCallback=StreamCallback, InputStreamCallback=InputStreamCallback,
        OutputStreamCallback=OutputStreamCallback)
`;
