import { describe, expect, it } from 'vitest';
import { jythonHarness } from './jython.testing.js';

/** ProcessContext, dynamic properties, the state manager, controller services and the log, as Jython scripts use them. */
const lines = (...l: string[]) => l.join('\n') + '\n';
const info = (o: { logs: { level: string; message: string }[] }) => o.logs.filter((l) => l.level === 'info').map((l) => l.message);

describe('Jython facade: context, properties, state, services and log', () => {
  const h = jythonHarness();

  it('binds dynamic properties as PropertyValue variables: getValue, Expression Language, typed accessors, parameters', async () => {
    const o = await h.run(
      lines(
        'from java.util.concurrent import TimeUnit',
        'from org.apache.nifi.processor import DataUnit',
        'ff = session.get()',
        'log.info(target.getValue())',
        'log.info(target.evaluateAttributeExpressions(ff).getValue())',
        "log.info(target.evaluateAttributeExpressions({'filename': 'override.json'}).getValue())",
        'log.info(str([batchSize.asInteger(), batchSize.asLong(), enabled.asBoolean(), ratio.asDouble(), wait.asTimePeriod(TimeUnit.SECONDS), size.asDataSize(DataUnit.KB)]))',
        'log.info(str([region.getValue(), missing.isSet() if "missing" in dir() else "unbound", context.getProperty("nope").getValue(), target.isExpressionLanguagePresent()]))',
        'session.transfer(ff, REL_SUCCESS)',
      ),
      {
        properties: { target: '${filename:toUpper()}', batchSize: '25', enabled: 'TRUE', ratio: '0.75', wait: '2 mins', size: '3 MB', region: '#{region}' },
        parameters: { region: 'eu-west' },
        inputs: [{ attributes: { filename: 'stock.json' } }],
      },
    );
    expect(info(o)).toEqual(['${filename:toUpper()}', 'STOCK.JSON', 'OVERRIDE.JSON', '[25, 25, True, 0.75, 120, 3072.0]', "['eu-west', 'unbound', None, True]"]);
  });

  it('context.getProperty, getProperties, newPropertyValue, relationships, name and yield', async () => {
    const o = await h.run(
      lines(
        'from org.apache.nifi.components import PropertyDescriptor',
        'ff = session.get()',
        "log.info(context.getProperty('greeting').getValue() + ' ' + context.getProperty(PropertyDescriptor('greeting')).getValue())",
        "log.info(context.getProperty('Script Engine').getValue())",
        'log.info(str(sorted(p.getName() for p in context.getProperties().keySet() if p.isDynamic())))',
        "log.info(context.newPropertyValue('${filename}-x').evaluateAttributeExpressions(ff).getValue())",
        'log.info(str([context.hasConnection(REL_SUCCESS), context.isAutoTerminated(REL_FAILURE), context.getAvailableRelationships().size(), context.getName(), context.hasIncomingConnection()]))',
        "getattr(context, 'yield')()",
        'session.transfer(ff, REL_SUCCESS)',
      ),
      { properties: { greeting: 'merhaba', other: 'x' }, inputs: [{ attributes: { filename: 'f.json' } }] },
    );
    expect(info(o)).toEqual(['merhaba merhaba', 'python', "['greeting', 'other']", 'f.json-x', '[True, False, 2, \'Execute Script\', True]']);
    expect(o.runner.yields).toBe(1);
  });

  it('keeps state across runs with getState / setState / replace / clear in both scopes', async () => {
    const script = lines(
      'from org.apache.nifi.components.state import Scope',
      'ff = session.get()',
      'sm = context.getStateManager()',
      'local = sm.getState(Scope.LOCAL)',
      "n = int(local.get('n') or 0) + 1",
      'if local.getVersion() == -1:',
      "    sm.setState({'n': str(n)}, Scope.LOCAL)",
      'else:',
      "    ok = sm.replace(local, {'n': str(n)}, Scope.LOCAL)",
      "    stale = sm.replace(local, {'n': '999'}, Scope.LOCAL)",
      "    log.info('replace {} then {}', [ok, stale])",
      "sm.setState({'last': ff.getAttribute('filename')}, Scope.CLUSTER)",
      "if ff.getAttribute('filename') == 'c':",
      '    sm.clear(Scope.LOCAL)',
      "log.info('{} {}', [n, sm.getState(Scope.CLUSTER).toMap()])",
      'session.transfer(ff, REL_SUCCESS)',
    );
    const o = await h.run(script, { inputs: ['a', 'b', 'c'].map((filename) => ({ attributes: { filename } })), runs: 3 });
    expect(info(o)).toEqual(['1 {last=a}', 'replace true then false', '2 {last=b}', 'replace true then false', '3 {last=c}']);
    expect(await o.runner.services.state.get('local')).toEqual({});
    expect(await o.runner.services.state.get('cluster')).toEqual({ last: 'c' });
    const bad = await h.run(lines('ff = session.get()', "context.stateManager.getState('GLOBAL')"), { inputs: [{}] });
    expect(bad.error).toContain("IllegalArgumentException: scope must be Scope.LOCAL or Scope.CLUSTER, not 'GLOBAL'");
  });

  it('fails controller-service lookups with a message naming the service asked for', async () => {
    const byId = await h.run(lines('ff = session.get()', "context.controllerServiceLookup.getControllerService('9f1c-erp-cache')"), { inputs: [{}] });
    expect(byId.error).toContain("ProcessException: the script asked for controller service '9f1c-erp-cache', which does not exist: Sluice has no controller services");
    const byProperty = await h.run(lines('ff = session.get()', 'reader = recordReader.asControllerService()'), { properties: { recordReader: 'json-reader-1' }, inputs: [{}] });
    expect(byProperty.error).toContain("property 'recordReader' names controller service 'json-reader-1', which does not exist");
    const name = await h.run(
      lines('ff = session.get()', "log.info(str([context.controllerServiceLookup.getControllerServiceName('x'), context.controllerServiceLookup.isControllerServiceEnabled('x')]))", 'session.transfer(ff, REL_SUCCESS)'),
      { inputs: [{}] },
    );
    expect(info(name)).toEqual(['[None, False]']);
  });

  it('logs at every level with SLF4J placeholders, argument arrays and a trailing exception', async () => {
    const o = await h.run(
      lines(
        'from org.apache.nifi.logging import LogLevel',
        'ff = session.get()',
        "log.info('Found these things: {} {} {}', ['Hello', 1, True])",
        "log.warn('one {}', 'arg')",
        "log.debug('debugging')",
        "log.trace('tracing {}', [2])",
        'try:',
        "    int('x')",
        'except Exception as e:',
        "    log.error('Could not parse {}', [ff.getAttribute('filename')], e)",
        "log.log(LogLevel.WARN, 'via log()')",
        "log.info(str([log.isDebugEnabled(), log.isTraceEnabled()]))",
        'session.transfer(ff, REL_SUCCESS)',
      ),
      { inputs: [{ attributes: { filename: 'rows.csv' } }] },
    );
    expect(o.logs).toEqual([
      { level: 'info', message: 'Found these things: Hello 1 true' },
      { level: 'warn', message: 'one arg' },
      { level: 'debug', message: 'debugging' },
      { level: 'debug', message: 'tracing 2' },
      { level: 'error', message: "Could not parse rows.csv: ValueError: invalid literal for int() with base 10: 'x'" },
      { level: 'warn', message: 'via log()' },
      { level: 'info', message: '[True, True]' },
    ]);
  });

  it('names JVM-only libraries when a script imports them', async () => {
    const cases: [string, string][] = [
      ['from java.sql import DriverManager', 'java.sql is not available: it is a JVM library'],
      ['from org.apache.nifi.serialization import RecordReaderFactory', 'record readers and writers are JVM controller services'],
      ['from org.apache.nifi.distributed.cache.client import DistributedMapCacheClient', 'Sluice has no controller services'],
      ['from java.util import Calendar', 'java.util.Calendar is not available'],
      ['import java.nio.file.Files', 'scripts have no file system'],
      ['import urllib2', 'urllib2 is not available: scripts have no network of their own'],
      ['from groovy.json import JsonSlurper', 'groovy.json is not available'],
    ];
    for (const [line, message] of cases) {
      const o = await h.run(lines('ff = session.get()', line, 'session.transfer(ff, REL_SUCCESS)'), { inputs: [{}] });
      expect(o.error, line).toContain(message);
      expect(o.error, line).toContain('File "<script>", line 2');
    }
  });
});
