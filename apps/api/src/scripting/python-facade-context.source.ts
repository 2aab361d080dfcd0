/**
 * Python facade: the host link that asks the processor, NiFi's ProcessContext, PropertyValue, StateManager
 * and the controller-service lookup (which has no services to find).
 */
export const PY_FACADE_CONTEXT = String.raw`
import zlib as _zlib


class _HostLink(object):
    """Synchronous calls back into the processor (see ScriptHostCall); None outside a processor run."""

    def __init__(self, fn):
        self._fn = fn

    @property
    def present(self):
        return self._fn is not None

    def _send(self, op, args):
        if self._fn is None:
            raise ProcessException('%s needs the processor, which this run does not have' % op)
        args['op'] = op
        reply = self._fn(_json.dumps(args))
        message = _json.loads(str(reply[0]))
        if 'error' in message:
            raise ProcessException(message['error'])
        data = reply[1]
        return message.get('value'), (data.to_bytes() if data is not None else b'')

    def call(self, op, **args):
        return self._send(op, args)[0]

    def call_bytes(self, op, **args):
        return self._send(op, args)


class _ScopeValue(object):
    def __init__(self, name):
        self._name = name

    def name(self):
        return self._name

    def __repr__(self):
        return self._name


class Scope(object):
    LOCAL = _ScopeValue('LOCAL')
    CLUSTER = _ScopeValue('CLUSTER')


def _scope(scope):
    name = scope.name() if isinstance(scope, _ScopeValue) else str(scope)
    if name.upper() not in ('LOCAL', 'CLUSTER'):
        raise IllegalArgumentException('scope must be Scope.LOCAL or Scope.CLUSTER, not %r' % (scope,))
    return name.lower()


def _string_map(values):
    if isinstance(values, StateMap):
        values = values._values
    return dict((_java_str(k), _java_str(v)) for k, v in dict(values).items())


class StateMap(_Bean):
    def __init__(self, values):
        self._values = dict(values)
        # NiFi numbers versions; here -1 when nothing is stored, else a number that changes with the content.
        self._version = -1 if not self._values else (_zlib.crc32(_json.dumps(sorted(self._values.items())).encode('utf-8')) & 0x7FFFFFFF) + 1

    def get(self, key):
        return self._values.get(key)

    def toMap(self):
        return HashMap(self._values)

    def getVersion(self):
        return self._version

    def getStateVersion(self):
        return Optional(None if self._version == -1 else str(self._version))


class StateManager(_Bean):
    def __init__(self, host):
        self._host = host

    def getState(self, scope):
        return StateMap(self._host.call('state.get', scope=_scope(scope)))

    def setState(self, values, scope):
        self._host.call('state.set', scope=_scope(scope), values=_string_map(values))

    def replace(self, old_state, new_values, scope):
        expected = old_state._values if isinstance(old_state, StateMap) else _string_map(old_state)
        return bool(self._host.call('state.replace', scope=_scope(scope), expected=expected, values=_string_map(new_values)))

    def clear(self, scope):
        self._host.call('state.clear', scope=_scope(scope))


_TIME_UNITS = {'ns': 1, 'nano': 1, 'nanos': 1, 'nanosecond': 1, 'nanoseconds': 1,
               'ms': 1e6, 'milli': 1e6, 'millis': 1e6, 'millisecond': 1e6, 'milliseconds': 1e6,
               's': 1e9, 'sec': 1e9, 'secs': 1e9, 'second': 1e9, 'seconds': 1e9,
               'm': 6e10, 'min': 6e10, 'mins': 6e10, 'minute': 6e10, 'minutes': 6e10,
               'h': 3.6e12, 'hr': 3.6e12, 'hrs': 3.6e12, 'hour': 3.6e12, 'hours': 3.6e12,
               'd': 8.64e13, 'day': 8.64e13, 'days': 8.64e13,
               'w': 6.048e14, 'wk': 6.048e14, 'wks': 6.048e14, 'week': 6.048e14, 'weeks': 6.048e14}


class _DataUnitValue(object):
    def __init__(self, name, size):
        self._name = name
        self._size = size

    def name(self):
        return self._name

    def convert(self, value, unit):
        return float(value) * unit._size / self._size

    def __repr__(self):
        return self._name


class DataUnit(object):
    pass


for _i, _unit in enumerate(('B', 'KB', 'MB', 'GB', 'TB', 'PB')):
    setattr(DataUnit, _unit, _DataUnitValue(_unit, 1024 ** _i))


class PropertyDescriptor(_Bean):
    def __init__(self, name, dynamic=False):
        self._name = name
        self._dynamic = dynamic

    def getName(self):
        return self._name

    getDisplayName = getName

    def isDynamic(self):
        return self._dynamic

    def isSensitive(self):
        return False

    def isRequired(self):
        return False

    def isExpressionLanguageSupported(self):
        return self._dynamic

    def __eq__(self, other):
        return isinstance(other, PropertyDescriptor) and other._name == self._name

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return self._name


class PropertyValue(_Bean):
    def __init__(self, host, name, value, expression):
        self._host = host
        self._name = name
        self._value = value
        self._expression = expression

    def getValue(self):
        return self._value

    def isSet(self):
        return self._value is not None

    def isExpressionLanguagePresent(self):
        return self._expression

    def evaluateAttributeExpressions(self, *args):
        if not self._expression:
            return PropertyValue(self._host, self._name, self._value, False)
        attributes = None
        for arg in args:
            if isinstance(arg, FlowFile):
                attributes = dict(arg.getAttributes(), **(attributes or {}))
            elif isinstance(arg, dict):
                attributes = dict(attributes or {}, **dict((_java_str(k), _java_str(v)) for k, v in arg.items()))
        if self._name is not None:
            value = self._host.call('evaluate', property=self._name, attributes=attributes)
        else:
            value = self._host.call('evaluate', text=self._value, attributes=attributes)
        return PropertyValue(self._host, self._name, value, False)

    def _number(self, parse):
        if self._value is None:
            return None
        text = self._value.strip()
        try:
            return parse(text)
        except ValueError:
            raise NumberFormatException('For input string: "%s"' % (text,))

    def asInteger(self):
        return self._number(lambda t: _parse_int(t))

    def asLong(self):
        return self._number(lambda t: _parse_int(t, 10, Long.MIN_VALUE, Long.MAX_VALUE))

    def asFloat(self):
        return self._number(float)

    asDouble = asFloat

    def asBoolean(self):
        return None if self._value is None else self._value.strip().lower() == 'true'

    def asTimePeriod(self, unit):
        if self._value is None:
            return None
        m = _re.fullmatch(r'\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*', self._value)
        if m is None or m.group(2).lower() not in _TIME_UNITS:
            raise IllegalArgumentException('Value [%s] is not a valid time period such as 30 sec' % (self._value,))
        return int(float(m.group(1)) * _TIME_UNITS[m.group(2).lower()] // unit._nanos)

    def asDataSize(self, unit):
        if self._value is None:
            return None
        m = _re.fullmatch(r'\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|PB)\s*', self._value, _re.IGNORECASE)
        if m is None:
            raise IllegalArgumentException('Value [%s] is not a valid data size such as 10 KB' % (self._value,))
        return unit.convert(float(m.group(1)), getattr(DataUnit, m.group(2).upper()))

    def asControllerService(self, *args):
        raise ProcessException(_no_service('property %r names controller service %r' % (self._name, self._value)))

    def asResource(self):
        raise JvmOnlyError('PropertyValue.asResource reads files on the NiFi host; scripts have no file system')

    asResources = asResource

    def toString(self):
        return self._value

    def __str__(self):
        return _java_str(self._value)

    def __repr__(self):
        return 'PropertyValue[%r]' % (self._value,)


def _no_service(what):
    return ('%s, which does not exist: Sluice has no controller services (connection pools, distributed caches, '
            'record readers and writers and lookup services are JVM services). Keep values between runs with '
            'context.stateManager, reach web services with the http helper (Allow HTTP)' % what)


class ControllerService(object):
    """Stands for org.apache.nifi.controller.ControllerService in getControllerServiceIdentifiers(...)."""


class ControllerServiceLookup(_Bean):
    def getControllerService(self, identifier):
        raise ProcessException(_no_service('the script asked for controller service %r' % (identifier,)))

    def getControllerServiceIdentifiers(self, service_type=ControllerService):
        name = getattr(service_type, '__name__', str(service_type))
        raise ProcessException(_no_service('the script asked for the identifiers of %s services' % (name,)))

    def getControllerServiceName(self, identifier):
        return None

    def isControllerServiceEnabled(self, service):
        return False

    isControllerServiceEnabling = isControllerServiceEnabled


class ProcessContext(_Bean):
    def __init__(self, meta, host):
        self._meta = meta or {'processorName': 'ExecuteScript', 'processorId': '', 'properties': {}, 'connected': [],
                              'hasIncomingConnection': True}
        self._host = host
        self._state = StateManager(host)
        self._lookup = ControllerServiceLookup()
        self._yielded = False
        self._values = {}

    def getProperty(self, prop):
        name = prop.getName() if isinstance(prop, PropertyDescriptor) else _java_str(prop)
        value = self._values.get(name)
        if value is None:
            info = self._meta['properties'].get(name)
            value = PropertyValue(self._host, name, info['value'] if info else None, bool(info and info['expression']))
            self._values[name] = value
        return value

    def getProperties(self):
        return HashMap((PropertyDescriptor(k, v['dynamic']), v['value']) for k, v in self._meta['properties'].items())

    def getAllProperties(self):
        return HashMap((k, v['value']) for k, v in self._meta['properties'].items())

    def _dynamic(self):
        return [(k, self.getProperty(k)) for k, v in self._meta['properties'].items() if v['dynamic']]

    def getName(self):
        return self._meta['processorName']

    def getIdentifier(self):
        return self._meta['processorId']

    def getStateManager(self):
        return self._state

    def getControllerServiceLookup(self):
        return self._lookup

    def getAvailableRelationships(self):
        return HashSet([REL_SUCCESS, REL_FAILURE])

    def hasIncomingConnection(self):
        return bool(self._meta['hasIncomingConnection'])

    hasNonLoopConnection = hasIncomingConnection

    def hasConnection(self, relationship):
        name = relationship.getName() if isinstance(relationship, Relationship) else str(relationship)
        return name in self._meta['connected']

    def isAutoTerminated(self, relationship):
        return not self.hasConnection(relationship)

    def getMaxConcurrentTasks(self):
        return 1

    def isExpressionLanguagePresent(self, prop):
        return self.getProperty(prop).isExpressionLanguagePresent()

    def newPropertyValue(self, raw):
        return PropertyValue(self._host, None, raw, raw is not None and '$' in raw)

    def getAnnotationData(self):
        return None

    def isConnectedToCluster(self):
        return False

    def encrypt(self, text):
        raise ProcessException('context.encrypt is not available to scripts')

    decrypt = encrypt

    def _yield(self):
        self._yielded = True


setattr(ProcessContext, 'yield', ProcessContext._yield)
`;
