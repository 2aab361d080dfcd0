/**
 * Python facade: NiFi's ProcessSession. FlowFiles the script takes after the first come from the processor
 * through host calls, their content on demand; commit() and rollback() work on what was done since the last commit.
 */
export const PY_FACADE_SESSION = String.raw`
class _FlowFileOutputStream(OutputStream):
    """What session.write(flowFile) without a callback returns: the content is what has been written to it."""

    def __init__(self, flowFile):
        OutputStream.__init__(self)
        flowFile._writer = self
        flowFile._content = b''
        flowFile._written = True


def _attribute_text(value):
    # NiFi ignores null values; anything else is stored as the script would print it.
    return _text(value) if isinstance(value, (bytes, bytearray)) else str(value)


def _many(value):
    return isinstance(value, (list, tuple, set, frozenset))


class _Session(_Bean):
    def __init__(self, inputs, host, uuid_factory):
        self._queue = list(inputs)
        self._host = host
        self._uuid = uuid_factory
        self._records = []
        self._committed = []
        self._taken = {}
        self._snapshots = {}
        self._returned = set()
        self._penalize_returned = False
        self._created = 0
        self._counters = {}
        self._pending_counters = {}
        self._reporter = ProvenanceReporter(self)

    # ---- FlowFiles in and out ----

    def _take(self, ff):
        self._taken[ff._index] = ff
        self._returned.discard(ff._index)
        if ff._index not in self._snapshots:
            self._snapshots[ff._index] = (dict(ff._attributes), ff._content, ff._size, ff._lineage, ff._entry, ff._penalized)
        self._records.append(ff)
        return ff

    def _from_info(self, info):
        return FlowFile(self, 'i%d' % info['index'], info['index'], dict(info['attributes']), info['size'],
                        info['lineageStartDate'], info['entryDate'], info.get('penalized', False))

    def _load(self, index):
        if index is None:
            raise FlowFileAccessException('this FlowFile has no content yet')
        _, data = self._host.call_bytes('content', index=index)
        return data

    def _own(self, ff):
        if not isinstance(ff, FlowFile):
            raise TypeError('expected a FlowFile, got %r' % (ff,))
        if ff._session is not self or ff._gone is not None:
            why = '' if ff._gone is None else ' (it was %s)' % ff._gone
            raise FlowFileHandlingException('%r is not known in this session%s' % (ff, why))
        if ff._removed:
            raise FlowFileHandlingException('%r was already removed' % (ff,))
        return ff

    def get(self, arg=None):
        if arg is None:
            if self._queue:
                return self._take(self._queue.pop(0))
            infos = self._host.call('session.get', max=1) if self._host.present else []
            return self._take(self._from_info(infos[0])) if infos else None
        if isinstance(arg, int):
            out = ArrayList()
            while self._queue and len(out) < arg:
                out.append(self._take(self._queue.pop(0)))
            if len(out) < arg and self._host.present:
                for info in self._host.call('session.get', max=arg - len(out)):
                    out.append(self._take(self._from_info(info)))
            return out
        return self._get_filtered(getattr(arg, 'filter', arg))

    def _get_filtered(self, fn):
        accepted = ArrayList()
        for ff in list(self._queue):
            answer = _filter_answer(fn(ff))
            if answer.accept:
                self._queue.remove(ff)
                accepted.append(self._take(ff))
            if answer.terminate:
                return accepted
        if not self._host.present:
            return accepted
        wanted = []
        for info in self._host.call('session.peek', limit=10000):
            view = FlowFile(self, None, None, dict(info['attributes']), info['size'], info['lineageStartDate'], info['entryDate'])
            answer = _filter_answer(fn(view))
            if answer.accept:
                wanted.append(info['attributes']['uuid'])
            if answer.terminate:
                break
        if wanted:
            for info in self._host.call('session.take', uuids=wanted):
                accepted.append(self._take(self._from_info(info)))
        return accepted

    def getQueueSize(self):
        count = len(self._queue)
        size = sum(ff.getSize() for ff in self._queue)
        if self._host.present:
            remote = self._host.call('session.queueSize')
            count += remote['count']
            size += remote['bytes']
        return QueueSize(count, size)

    def _new(self, attributes, lineage, origin, parents):
        key = 'c%d' % self._created
        self._created += 1
        ff = FlowFile(self, key, None, attributes, 0, lineage, System.currentTimeMillis(), content=b'')
        ff._origin = origin
        ff._parents = [p._key for p in parents]
        ff._parent_handles = list(parents)
        self._records.append(ff)
        return ff

    def create(self, parent=None):
        parents = [] if parent is None else list(parent) if _many(parent) else [parent]
        for p in parents:
            self._own(p)
        if not parents:
            return self._new({'path': './'}, System.currentTimeMillis(), 'create', parents)
        first = parents[0]._attributes
        attributes = {k: v for k, v in first.items() if k != 'uuid' and all(p._attributes.get(k) == v for p in parents[1:])}
        return self._new(attributes, min(p._lineage for p in parents), 'create', parents)

    def clone(self, ff, offset=None, size=None):
        self._own(ff)
        child = self._new({k: v for k, v in ff._attributes.items() if k != 'uuid'}, ff._lineage, 'clone', [ff])
        if offset is not None:
            data = ff._bytes()
            child._set_content(data[offset:offset + (len(data) - offset if size is None else size)])
        elif ff._written:
            child._set_content(ff._bytes())
        else:
            # Same content as the source's original: the processor's clone shares it.
            child._content = ff._content
            child._content_index = ff._content_index
            child._size = ff._size
        return child

    def _ensure_uuid(self, ff):
        if 'uuid' in ff._attributes:
            return
        for p in getattr(ff, '_parent_handles', []):
            self._ensure_uuid(p)
        if self._host.present and ff._index is None:
            value = self._host.call('create', key=ff._key, parents=ff._parents, origin=ff._origin)
            ff._materialized = True
        else:
            value = self._uuid()
        ff._attributes['uuid'] = value
        if ff._origin == 'create' and not ff._parents:
            ff._attributes.setdefault('filename', value)

    # ---- attributes ----

    def putAttribute(self, ff, key, value):
        self._own(ff)
        if key != 'uuid' and value is not None:
            ff._attributes[_attribute_text(key)] = _attribute_text(value)
        return ff

    def putAllAttributes(self, ff, attributes):
        self._own(ff)
        for key, value in dict(attributes).items():
            if key != 'uuid' and value is not None:
                ff._attributes[_attribute_text(key)] = _attribute_text(value)
        return ff

    def removeAttribute(self, ff, key):
        self._own(ff)
        if key != 'uuid':
            ff._attributes.pop(key, None)
        return ff

    def removeAllAttributes(self, ff, keys):
        self._own(ff)
        if isinstance(keys, (str, Pattern)) or hasattr(keys, 'fullmatch'):
            regex = keys._re if isinstance(keys, Pattern) else _re.compile(keys) if isinstance(keys, str) else keys
            keys = [k for k in ff._attributes if regex.fullmatch(k)]
        for key in list(keys):
            if key != 'uuid':
                ff._attributes.pop(key, None)
        return ff

    # ---- content ----

    def read(self, ff, *args):
        self._own(ff)
        stream = InputStream(ff._bytes())
        if not args or isinstance(args[-1], bool):
            return stream
        _callback(args[-1], 'InputStreamCallback')(stream)
        return None

    def write(self, ff, callback=None):
        self._own(ff)
        if callback is None:
            return _FlowFileOutputStream(ff)
        fn = _callback(callback, 'StreamCallback or OutputStreamCallback')
        out = OutputStream()
        if _callback_arity(callback) >= 2:
            fn(InputStream(ff._bytes()), out)
        else:
            fn(out)
        ff._set_content(out._value())
        return ff

    def append(self, ff, callback):
        self._own(ff)
        out = OutputStream()
        out.write(ff._bytes())
        _callback(callback, 'OutputStreamCallback')(out)
        ff._set_content(out._value())
        return ff

    def importFrom(self, source, *args):
        ff = self._own(args[-1])
        if not hasattr(source, 'read'):
            raise JvmOnlyError('session.importFrom(path, ...) reads a file on the NiFi host; scripts have no file system. '
                               'Import from an InputStream instead')
        data = source._take(-1) if isinstance(source, InputStream) else _to_bytes(source.read(-1))
        ff._set_content(data)
        return ff

    def exportTo(self, ff, destination, *args):
        self._own(ff)
        if not hasattr(destination, 'write'):
            raise JvmOnlyError('session.exportTo(flowFile, path) writes a file on the NiFi host; scripts have no file system. '
                               'Export to an OutputStream instead')
        destination.write(ff._bytes())

    def merge(self, sources, destination, header=None, footer=None, demarcator=None):
        self._own(destination)
        parts = [self._own(s)._bytes() for s in sources]
        glue = _to_bytes(demarcator) if demarcator is not None else b''
        data = (_to_bytes(header) if header is not None else b'') + glue.join(parts) + (_to_bytes(footer) if footer is not None else b'')
        destination._set_content(data)
        return destination

    # ---- routing ----

    def transfer(self, ff, relationship=None):
        if _many(ff):
            for one in list(ff):
                self.transfer(one, relationship)
            return
        self._own(ff)
        if relationship is None:
            raise FlowFileHandlingException('transfer(flowFile) without a relationship puts the FlowFile back on its queue '
                                            'in NiFi, which ExecuteScript here does not support: transfer to REL_SUCCESS or '
                                            'REL_FAILURE, or call session.rollback()')
        ff._relationship = relationship.getName() if isinstance(relationship, Relationship) else _java_str(relationship)

    def remove(self, ff):
        if _many(ff):
            for one in list(ff):
                self.remove(one)
            return
        self._own(ff)
        ff._removed = True
        ff._relationship = None

    def penalize(self, ff):
        self._own(ff)._penalized = True
        return ff

    def adjustCounter(self, name, delta, immediate=False):
        target = self._counters if immediate else self._pending_counters
        target[_java_str(name)] = target.get(_java_str(name), 0) + int(delta)

    def getProvenanceReporter(self):
        return self._reporter

    # ---- commit / rollback ----

    def commit(self):
        pending = [ff for ff in self._records if not ff._removed and ff._relationship is None]
        if pending:
            raise FlowFileHandlingException('%r transfer relationship not specified' % (pending[0],))
        for ff in self._records:
            ff._gone = 'committed'
        self._committed.extend(self._records)
        self._records = []
        for name, delta in self._pending_counters.items():
            self._counters[name] = self._counters.get(name, 0) + delta
        self._pending_counters = {}

    def commitAsync(self, onSuccess=None, onFailure=None):
        try:
            self.commit()
        except Exception as e:
            if onFailure is not None:
                getattr(onFailure, 'accept', onFailure)(e)
            raise
        if onSuccess is not None:
            getattr(onSuccess, 'run', onSuccess)()

    def rollback(self, penalize=False):
        back = []
        for ff in self._records:
            ff._gone = 'rolled back'
            if ff._index is not None:
                del self._taken[ff._index]
                self._returned.add(ff._index)
                attributes, content, size, lineage, entry, penalized = self._snapshots[ff._index]
                fresh = FlowFile(self, ff._key, ff._index, dict(attributes), size, lineage, entry, penalized, content)
                back.append(fresh)
        self._records = []
        self._pending_counters = {}
        if penalize:
            # Penalized FlowFiles are not handed out again until the penalty expires.
            self._penalize_returned = True
        else:
            self._queue = back + self._queue

    # ---- what the processor applies ----

    def _outputs(self, failed):
        done = list(self._committed) if failed else self._committed + self._records
        outputs, contents = [], []
        parents = set(k for ff in done for k in ff._parents)
        for ff in done:
            if ff._index is None and ff._removed and not ff._materialized and ff._key not in parents:
                continue
            outputs.append({'key': ff._key, 'source': ff._index, 'attributes': ff._attributes,
                            'relationship': None if ff._removed else ff._relationship, 'written': ff._written,
                            'origin': ff._origin, 'parents': ff._parents, 'penalized': ff._penalized,
                            'provenance': ff._events})
            contents.append(ff._bytes() if ff._written else None)
        return outputs, contents


_export('org.apache.nifi.processor', Relationship=Relationship, FlowFileFilter=FlowFileFilter)
_export('org.apache.nifi.processor.FlowFileFilter', FlowFileFilterResult=FlowFileFilterResult)
_export('org.apache.nifi.processor.exception', ProcessException=ProcessException,
        FlowFileHandlingException=FlowFileHandlingException, FlowFileAccessException=FlowFileAccessException)
_export('org.apache.nifi.flowfile', FlowFile=FlowFile)
`;
