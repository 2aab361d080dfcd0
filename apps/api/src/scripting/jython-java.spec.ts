import { describe, expect, it } from 'vitest';
import { jythonHarness } from './jython.testing.js';

/** The java.* names, Commons IO and Jython's StringUtil as scripts use them; each script logs what it computed. */
const lines = (...l: string[]) => l.join('\n') + '\n';

describe('Jython facade: Java classes', () => {
  const h = jythonHarness();
  const logged = async (script: string, content = '') => {
    const o = await h.run(lines('ff = session.get()', script, 'session.transfer(ff, REL_SUCCESS)'), { inputs: [{ content }] });
    expect(o.error).toBeUndefined();
    return o.logs.filter((l) => l.level === 'info').map((l) => l.message);
  };

  it('java.io streams, readers and writers over FlowFile content', async () => {
    const out = await logged(
      lines(
        'from java.io import BufferedReader, InputStreamReader, ByteArrayOutputStream, OutputStreamWriter, PrintWriter, StringWriter, ByteArrayInputStream',
        'stream = session.read(ff)',
        'first = stream.read()',
        'buf = bytearray(3)',
        'n = stream.read(buf, 0, 3)',
        "reader = BufferedReader(InputStreamReader(stream, 'UTF-8'))",
        'rest = []',
        'line = reader.readLine()',
        'while line is not None:',
        '    rest.append(line)',
        '    line = reader.readLine()',
        "log.info(str([first, n, bytes(buf).decode('utf-8'), rest]))",
        'baos = ByteArrayOutputStream()',
        "w = OutputStreamWriter(baos, 'UTF-8')",
        "w.write('ğüş')",
        'w.flush()',
        'pw = PrintWriter(baos)',
        "pw.println(' ok')",
        "pw.printf('%s=%d%n', 'n', 3)",
        "sw = StringWriter()",
        "sw.write('sw')",
        "log.info(baos.toString('UTF-8') + '|' + str(baos.size()) + '|' + sw.toString())",
        "log.info(BufferedReader(InputStreamReader(ByteArrayInputStream(bytearray('a\\nb'.encode('utf-8'))))).readLine())",
      ),
      '>abc\nline 2\nline 3',
    );
    expect(out).toEqual(["[62, 3, 'abc', ['', 'line 2', 'line 3']]", 'ğüş ok\nn=3\n|14|sw', 'a']);
  });

  it('IOUtils and StringUtil round-trip UTF-8 text', async () => {
    const out = await logged(
      lines(
        'from org.apache.commons.io import IOUtils',
        'from org.python.core.util import StringUtil',
        'from java.nio.charset import StandardCharsets, Charset',
        'from java.io import ByteArrayOutputStream',
        'data = IOUtils.toByteArray(session.read(ff))',
        'text = StringUtil.fromBytes(data)',
        "lines = IOUtils.readLines(session.read(ff), 'UTF-8')",
        'sink = ByteArrayOutputStream()',
        'IOUtils.write(text.upper(), sink, StandardCharsets.UTF_8)',
        'copied = ByteArrayOutputStream()',
        'IOUtils.copy(IOUtils.toInputStream(text, StandardCharsets.UTF_8), copied)',
        "log.info(str([len(data), text, lines.size(), sink.toString('UTF-8'), len(StringUtil.toBytes(text)), copied.toString()]))",
        "log.info(StandardCharsets.UTF_8.name() + ' ' + Charset.forName('iso-8859-1').name() + ' ' + 'ş'.encode(StandardCharsets.UTF_8).decode('utf-8'))",
      ),
      'İğne\nşiş',
    );
    expect(out).toEqual(["[12, 'İğne\\nşiş', 2, 'İĞNE\\nŞIŞ', 12, 'İğne\\nşiş']", 'UTF-8 ISO-8859-1 ş']);
  });

  it('java.lang: String, System, numbers, Math, StringBuilder and exceptions', async () => {
    const out = await logged(
      lines(
        'from java.lang import String, System, Integer, Long, Double, Boolean, Math, StringBuilder, Thread, NumberFormatException',
        "s = String(bytearray('stok'.encode('utf-8')), 'UTF-8')",
        "log.info(str([s.length(), s.toUpperCase(), s.equals('stok'), String.valueOf(12), String.format('%s-%05d', 'SKU', 42), String.join(',', ['a', 'b']), s.replaceAll('(o)', '[$1]')]))",
        "log.info(str([Integer.parseInt('42') + 1, Long.parseLong('9000000000'), Double.parseDouble('1.5'), Boolean.parseBoolean('TRUE'), Math.round(2.5), Math.max(3, 7), Integer.MAX_VALUE]))",
        'try:',
        "    Integer.parseInt('12a')",
        'except NumberFormatException, e:',
        "    log.info('NFE ' + e.getMessage())",
        "sb = StringBuilder('x').append(1).append(True)",
        'Thread.sleep(1)',
        'log.info(sb.toString() + str(System.currentTimeMillis() > 0) + System.lineSeparator().strip())',
      ),
    );
    expect(out).toEqual(["[4, 'STOK', True, '12', 'SKU-00042', 'a,b', 'st[o]k']", '[43, 9000000000, 1.5, True, 3, 7, 2147483647]', 'NFE For input string: "12a"', 'x1trueTrue']);
  });

  it('java.util collections, UUID, Base64, Collections and Arrays behave as Java does', async () => {
    const out = await logged(
      lines(
        'from java.util import ArrayList, HashMap, LinkedHashMap, HashSet, UUID, Base64, Collections, Arrays',
        'items = ArrayList()',
        "items.add('b'); items.add('a'); items.add(0, 'c')",
        'Collections.sort(items)',
        'm = LinkedHashMap()',
        "old = m.put('k', '1')",
        "again = m.put('k', '2')",
        "m.put('j', '3')",
        "entries = ['%s=%s' % (e.getKey(), e.getValue()) for e in m.entrySet()]",
        's = HashSet()',
        "log.info(str([list(items), items.get(0), items.size(), items.contains('a'), old, again, entries, list(m.keySet()), m.containsKey('j'), s.add('x'), s.add('x'), Arrays.asList(1, 2).size()]))",
        "log.info(str(UUID.nameUUIDFromBytes(bytearray('hello'.encode('utf-8')))) + ' ' + str(len(str(UUID.randomUUID()))))",
        "log.info(Base64.getEncoder().encodeToString(bytearray('ürün'.encode('utf-8'))) + ' ' + bytes(Base64.getDecoder().decode('w7xyw7xu')).decode('utf-8'))",
        "log.info(m.toString())",
      ),
    );
    expect(out).toEqual([
      "[['a', 'b', 'c'], 'a', 3, True, None, '1', ['k=2', 'j=3'], ['k', 'j'], True, True, False, 2]",
      '5d41402a-bc4b-3a76-b971-9d911017c592 36',
      `${Buffer.from('ürün').toString('base64')} ürün`,
      '{k=2, j=3}',
    ]);
  });

  it('dates, numbers and URLs: SimpleDateFormat, Date, DecimalFormat, BigDecimal, URLEncoder, URI, Pattern, TimeUnit', async () => {
    const out = await logged(
      lines(
        'from java.text import SimpleDateFormat, DecimalFormat',
        'from java.util import Date, TimeZone',
        'from java.math import BigDecimal, RoundingMode',
        'from java.net import URLEncoder, URLDecoder, URI',
        'from java.util.regex import Pattern',
        'from java.util.concurrent import TimeUnit',
        "iso = SimpleDateFormat(\"yyyy-MM-dd'T'HH:mm:ss.SSSZ\")",
        'd = Date(1700000000123)',
        'text = iso.format(d)',
        "ist = SimpleDateFormat('dd.MM.yyyy HH:mm')",
        "ist.setTimeZone(TimeZone.getTimeZone('Europe/Istanbul'))",
        "log.info(str([text, iso.parse(text).getTime(), ist.format(d), SimpleDateFormat('EEE, d MMM yyyy').format(d), SimpleDateFormat('yyyyMMdd').parse('20240131').getTime()]))",
        "zoned = SimpleDateFormat('HH:mm XXX')",
        'summer = Date(1720000000000)',
        'shown = []',
        "for zone in ['Europe/Berlin', 'America/New_York', 'Europe/London']:",
        '    zoned.setTimeZone(TimeZone.getTimeZone(zone))',
        '    shown.append(zoned.format(summer) + " / " + zoned.format(d))',
        'log.info(str(shown))',
        "log.info(str([DecimalFormat('#,##0.00').format(1234567.891), DecimalFormat('0.###').format(2.5), BigDecimal('19.999').setScale(2, RoundingMode.HALF_UP).toString(), BigDecimal('10').divide(BigDecimal('4')).toPlainString(), BigDecimal('1.10').add(BigDecimal('2')).toString()]))",
        "u = URI('https://erp.example.com:8443/api/stock?page=2')",
        "log.info(str([URLEncoder.encode('a b&c=ç*~', 'UTF-8'), URLDecoder.decode('a+b%26c', 'UTF-8'), u.getHost(), u.getPort(), u.getPath(), u.getQuery()]))",
        "m = Pattern.compile('SKU-(\\\\d+)').matcher('x SKU-12 SKU-7')",
        'found = []',
        'while m.find():',
        '    found.append(m.group(1))',
        "log.info(str([found, Pattern.matches('[a-z]+', 'abc'), TimeUnit.MINUTES.toMillis(2), TimeUnit.MILLISECONDS.convert(3, TimeUnit.SECONDS)]))",
      ),
    );
    expect(out).toEqual([
      "['2023-11-14T22:13:20.123+0000', 1700000000123, '15.11.2023 01:13', 'Tue, 14 Nov 2023', 1706659200000]",
      "['11:46 +02:00 / 23:13 +01:00', '05:46 -04:00 / 17:13 -05:00', '10:46 +01:00 / 22:13 Z']",
      "['1,234,567.89', '2.5', '20.00', '2.5', '3.10']",
      "['a+b%26c%3D%C3%A7*%7E', 'a b&c', 'erp.example.com', 8443, '/api/stock', 'page=2']",
      "[['12', '7'], True, 120000, 3000]",
    ]);
  });
});
