/**
 * Python facade: NiFi's exceptions, Relationship, FlowFileFilter, FlowFile, QueueSize and ProvenanceReporter.
 */
export const PY_FACADE_FLOWFILE = String.raw`
class ProcessException(RuntimeException):
    pass


class FlowFileHandlingException(ProcessException):
    pass


class FlowFileAccessException(ProcessException):
    pass


class Relationship(_Bean):
    def __init__(self, name, description=''):
        self._name = str(name)
        self._description = description

    def getName(self):
        return self._name

    def getDescription(self):
        return self._description

    def isAutoTerminated(self):
        return False

    def __eq__(self, other):
        return isinstance(other, Relationship) and other._name == self._name

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return self._name

    toString = __repr__

    class Builder(object):
        def __init__(self):
            self._name, self._description = None, ''

        def name(self, name):
            self._name = name
            return self

        def description(self, text):
            self._description = text
            return self

        def autoTerminateDefault(self, value):
            return self

        def build(self):
            return Relationship(self._name, self._description)


REL_SUCCESS = Relationship('success', 'FlowFiles that were successfully processed')
REL_FAILURE = Relationship('failure', 'FlowFiles that failed to be processed')


class _FilterResult(object):
    def __init__(self, name):
        self._name = name
        self.accept = name.startswith('ACCEPT')
        self.terminate = name.endswith('TERMINATE')

    def name(self):
        return self._name

    def __repr__(self):
        return self._name


class FlowFileFilterResult(object):
    ACCEPT_AND_CONTINUE = _FilterResult('ACCEPT_AND_CONTINUE')
    ACCEPT_AND_TERMINATE = _FilterResult('ACCEPT_AND_TERMINATE')
    REJECT_AND_CONTINUE = _FilterResult('REJECT_AND_CONTINUE')
    REJECT_AND_TERMINATE = _FilterResult('REJECT_AND_TERMINATE')


class FlowFileFilter(object):
    FlowFileFilterResult = FlowFileFilterResult

    def filter(self, flowFile):
        raise NotImplementedError('FlowFileFilter.filter')


def _filter_answer(answer):
    if isinstance(answer, _FilterResult):
        return answer
    if isinstance(answer, bool):
        return FlowFileFilterResult.ACCEPT_AND_CONTINUE if answer else FlowFileFilterResult.REJECT_AND_CONTINUE
    raise TypeError('a FlowFileFilter must return a FlowFileFilterResult, not %r' % (answer,))


class FlowFile(_Bean):
    """One FlowFile. Unlike NiFi's immutable versions, session calls update this handle in place and return it,
    so scripts that ignore the returned value still behave as they did in NiFi."""

    def __init__(self, session, key, index, attributes, size, lineage, entry, penalized=False, content=None):
        self._session = session
        self._key = key
        self._index = index
        self._content_index = index
        self._attributes = attributes
        self._size = size
        self._content = content
        self._writer = None
        self._written = False
        self._lineage = lineage
        self._entry = entry
        self._penalized = penalized
        self._relationship = None
        self._removed = False
        self._gone = None
        self._origin = None
        self._parents = []
        self._events = []
        self._materialized = False

    def _bytes(self):
        if self._writer is not None:
            self._content = self._writer._value()
        if self._content is None:
            self._content = self._session._load(self._content_index)
        return self._content

    def _set_content(self, data):
        self._writer = None
        self._content = data
        self._written = True

    def getAttribute(self, key):
        if key in ('uuid', 'filename') and 'uuid' not in self._attributes:
            self._session._ensure_uuid(self)
        return self._attributes.get(key)

    def getAttributes(self):
        if 'uuid' not in self._attributes:
            self._session._ensure_uuid(self)
        return HashMap(self._attributes)

    def getSize(self):
        if self._writer is not None or self._content is not None:
            return len(self._bytes())
        return self._size

    def getId(self):
        # NiFi's repository id; here a number unique within the run.
        return (self._index + 1) if self._index is not None else 1000000 + int(self._key[1:])

    def getLineageStartDate(self):
        return self._lineage

    def getLineageStartIndex(self):
        return 0

    def getEntryDate(self):
        return self._entry

    getLastQueueDate = getEntryDate

    def getQueueDateIndex(self):
        return 0

    def isPenalized(self):
        return self._penalized

    def getPenaltyExpirationMillis(self):
        return 0

    def getUuid(self):
        return self.getAttribute('uuid')

    def __repr__(self):
        return 'FlowFile[uuid=%s,size=%d]' % (self._attributes.get('uuid', '(new)'), self.getSize())

    toString = __repr__


class QueueSize(_Bean):
    def __init__(self, count, size):
        self._count = count
        self._size = size

    def getObjectCount(self):
        return self._count

    def getByteCount(self):
        return self._size


class ProvenanceReporter(_Bean):
    """RECEIVE, SEND and FETCH are recorded on the FlowFile; the rest the session records by itself, as in NiFi."""

    def __init__(self, session):
        self._session = session

    def _record(self, kind, flowFile, uri, rest):
        self._session._own(flowFile)
        texts = [r for r in rest if isinstance(r, str)]
        flowFile._events.append({'type': kind, 'uri': _java_str(uri), 'details': texts[-1] if texts else None})

    def receive(self, flowFile, uri, *rest):
        self._record('RECEIVE', flowFile, uri, rest)

    def send(self, flowFile, uri, *rest):
        self._record('SEND', flowFile, uri, rest)

    def fetch(self, flowFile, uri, *rest):
        self._record('FETCH', flowFile, uri, rest)

    def _noop(self, *args, **kwargs):
        pass

    route = modifyContent = modifyAttributes = create = clone = fork = join = drop = expire = _noop
    invokeRemoteProcess = associate = upload = receiveFailure = _noop


def _callback(cb, kind):
    fn = getattr(cb, 'process', cb)
    if not callable(fn):
        raise TypeError('expected a %s (an object with process(...), or a function), got %r' % (kind, cb))
    return fn


def _callback_arity(cb):
    if isinstance(cb, StreamCallback):
        return 2
    if isinstance(cb, (InputStreamCallback, OutputStreamCallback)):
        return 1
    fn = getattr(cb, 'process', cb)
    try:
        code = fn.__code__
    except AttributeError:
        return 2
    if code.co_flags & 0x04:
        return 2
    # Parameters with defaults (lambda out, i=i: ...) are not stream arguments.
    return code.co_argcount - len(fn.__defaults__ or ()) - (1 if hasattr(fn, '__self__') else 0)
`;
