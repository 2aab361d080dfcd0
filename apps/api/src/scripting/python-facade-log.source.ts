/**
 * Python facade: ComponentLog, CoreAttributes, ExecuteScript's static relationships, and the error for JVM-only
 * names; the NiFi module exports.
 */
export const PY_FACADE_LOG = String.raw`
class _LogLevelValue(_ScopeValue):
    pass


class LogLevel(object):
    pass


for _name in ('TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'NONE'):
    setattr(LogLevel, _name, _LogLevelValue(_name))


class _Log(_Bean):
    """ComponentLog: '{}' placeholders as in SLF4J; a trailing exception is appended as NiFi does."""

    _LEVELS = {'TRACE': 'debug', 'DEBUG': 'debug', 'INFO': 'info', 'WARN': 'warn', 'ERROR': 'error', 'FATAL': 'error'}

    def __init__(self, sink):
        self._sink = sink

    def _emit(self, level, message, args):
        text = _java_str(message)
        values = list(args)
        error = values.pop() if values and isinstance(values[-1], BaseException) else None
        # (message, Object[] args) and (message, Object[] args, Throwable), as NiFi's ComponentLog takes them.
        if len(values) == 1 and isinstance(values[0], (list, tuple)):
            values = list(values[0])
        for value in values:
            if '{}' not in text:
                break
            text = text.replace('{}', _java_str(value), 1)
        if error is not None:
            text += ': ' + (error.toString() if hasattr(error, 'toString') else '%s: %s' % (type(error).__name__, error))
        self._sink.append({'level': level, 'message': text})

    def trace(self, message, *args):
        self._emit('debug', message, args)

    def debug(self, message, *args):
        self._emit('debug', message, args)

    def info(self, message, *args):
        self._emit('info', message, args)

    def warn(self, message, *args):
        self._emit('warn', message, args)

    def error(self, message, *args):
        self._emit('error', message, args)

    def log(self, level, message, *args):
        name = level.name() if isinstance(level, _ScopeValue) else str(level).upper()
        if name != 'NONE':
            self._emit(self._LEVELS.get(name, 'info'), message, args)

    def _enabled(self, *args):
        return True

    isTraceEnabled = isDebugEnabled = isInfoEnabled = isWarnEnabled = isErrorEnabled = _enabled


class _CoreAttribute(object):
    def __init__(self, name, key):
        self._name = name
        self._key = key

    def key(self):
        return self._key

    def name(self):
        return self._name

    def __repr__(self):
        return self._key


class CoreAttributes(object):
    pass


for _name, _key in (('FILENAME', 'filename'), ('PATH', 'path'), ('ABSOLUTE_PATH', 'absolute.path'), ('MIME_TYPE', 'mime.type'),
                    ('UUID', 'uuid'), ('PRIORITY', 'priority'), ('DISCARD_REASON', 'discard.reason'),
                    ('ALTERNATE_IDENTIFIER', 'alternate.identifier')):
    setattr(CoreAttributes, _name, _CoreAttribute(_name, _key))


class ExecuteScript(object):
    REL_SUCCESS = REL_SUCCESS
    REL_FAILURE = REL_FAILURE


class ScriptingComponentUtils(object):
    REL_SUCCESS = REL_SUCCESS
    REL_FAILURE = REL_FAILURE
    SCRIPT_FILE = PropertyDescriptor('Script File')
    SCRIPT_BODY = PropertyDescriptor('Script Body')
    MODULES = PropertyDescriptor('Module Directory')


_JVM_HINTS = (
    (('java.sql', 'javax.sql', 'org.apache.nifi.dbcp'), 'databases are reached through JDBC on the JVM; scripts have no database access'),
    (('org.apache.nifi.serialization', 'org.apache.nifi.record', 'org.apache.nifi.schema'),
     'record readers and writers are JVM controller services: read and write JSON with the json module, CSV with csv'),
    (('org.apache.nifi.distributed', 'org.apache.nifi.lookup', 'org.apache.nifi.ssl', 'org.apache.nifi.controller'),
     'Sluice has no controller services; keep values between runs with context.stateManager'),
    (('java.nio.file', 'java.io.File', 'org.apache.commons.io.FileUtils'), 'scripts have no file system'),
    (('java.net', 'org.apache.http', 'okhttp3', 'javax.net'),
     "scripts have no network of their own: turn on the processor's Allow HTTP and call http.get / http.post"),
    (('java.time',), "use Python's datetime module, or java.util.Date / java.text.SimpleDateFormat"),
)


def _jvm_message(name):
    hint = None
    for prefixes, text in _JVM_HINTS:
        if any(name == p or name.startswith(p + '.') for p in prefixes):
            hint = text
            break
    known = sorted(n for n, m in _sys.modules.items() if isinstance(m, _types.ModuleType) and n.split('.')[0] in ('java', 'org')
                   and any(not k.startswith('_') and isinstance(v, type) for k, v in vars(m).items()))
    return ("%s is not available: it is a JVM library, and ExecuteScript's Python runs on CPython (Pyodide) without a JVM"
            "%s. Java and NiFi modules scripts can import: %s" % (name, '; ' + hint if hint else '', ', '.join(known)))


_export('org.apache.nifi.components.state', Scope=Scope, StateMap=StateMap, StateManager=StateManager)
_export('org.apache.nifi.components', PropertyValue=PropertyValue, PropertyDescriptor=PropertyDescriptor)
_export('org.apache.nifi.controller', ControllerService=ControllerService, ControllerServiceLookup=ControllerServiceLookup)
_export('org.apache.nifi.processor', DataUnit=DataUnit, ProcessContext=ProcessContext, ProcessSession=_Session)
_export('org.apache.nifi.logging', LogLevel=LogLevel, ComponentLog=_Log)
_export('org.apache.nifi.flowfile.attributes', CoreAttributes=CoreAttributes)
_export('org.apache.nifi.processors.script', ExecuteScript=ExecuteScript)
_export('org.apache.nifi.script', ScriptingComponentUtils=ScriptingComponentUtils)
`;
