import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptRequest } from '@sluice/flow-api';
import { ScriptPool } from './script-pool.js';

const seed = (name: string) => readFileSync(new URL(`./fixtures/${name}.py`, import.meta.url), 'utf8');
const STOCK_SEED = seed('stock-flow-seed');
const IMAGE_SEED = seed('image-flow-seed');

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const stockRows = [
  { sku: '12345', stock: '123', stock_list: '1', unit_type: 'qty', updated_date: '2024-01-01T10:00:00Z' },
  { sku: '12346', stock: '0', stock_list: '1', unit_type: 'qty', updated_date: '2024-01-01T10:00:00Z' },
  { sku: '12347', stock: '9', stock_list: '1', unit_type: 'qty', updated_date: '2024-01-01T10:00:00Z' },
];

/** The seed with its transform step replaced, as an integrator would edit it in the Script card. */
function withTransform(script: string, body: string): string {
  const marker = '       # Transform content\n       return output_obj';
  expect(script).toContain(marker);
  return script.replace(marker, body);
}

const STOCK_TO_INT = [
  '       for row in output_obj:',
  "           row['stock'] = int(row['stock'])",
  '       return output_obj',
].join('\n');

function python(script: string, inputs: ScriptRequest['inputs'], extra: Partial<ScriptRequest> = {}): ScriptRequest {
  return { language: 'python', script, inputs, timeoutMs: 10_000, memoryLimitMb: 256, ...extra };
}

describe('ScriptPool: Python', () => {
  let pool: ScriptPool;
  const secret = `secret-${Math.random()}`;

  beforeAll(async () => {
    process.env['SLUICE_SCRIPT_SPEC_SECRET'] = secret;
    pool = new ScriptPool({ pythonWorkers: 1 });
    await pool.warmUp();
  });
  afterAll(async () => {
    delete process.env['SLUICE_SCRIPT_SPEC_SECRET'];
    await pool.close();
  });

  it('runs the Stock Flow base script unchanged and passes the content through', async () => {
    const attributes = { 'token.omnitron': 'o-token', 'token.erp': 'e-token', filename: 'stock.json' };
    const result = await pool.run(python(STOCK_SEED, [{ attributes, content: encode(JSON.stringify(stockRows)) }]));
    expect(result.error).toBeUndefined();
    expect(result.taken).toEqual([0]);
    expect(result.outputs).toHaveLength(1);
    const [out] = result.outputs;
    expect(out!.source).toBe(0);
    expect(out!.relationship).toBe('success');
    expect(out!.attributes).toEqual(attributes);
    expect(JSON.parse(decode(out!.content))).toEqual(stockRows);
    // json.dumps(indent=4), as the script writes it
    expect(decode(out!.content)).toContain('\n    {\n        "sku": "12345"');
  });

  it('runs the Image Flow base script unchanged, reading tokens through the allVar attribute', async () => {
    const images = [{ sku: 'test_template', images: ['https://test.project.com.tr/test_template-1.jpg'] }];
    const attributes = { allVar: JSON.stringify({ 'token.omnitron': 'o', 'token.erp': 'e' }) };
    const result = await pool.run(python(IMAGE_SEED, [{ attributes, content: encode(JSON.stringify(images)) }]));
    expect(result.error).toBeUndefined();
    expect(result.outputs[0]!.relationship).toBe('success');
    expect(JSON.parse(decode(result.outputs[0]!.content))).toEqual(images);
  });

  it('applies a transform written into the seed (stock to int)', async () => {
    const script = withTransform(STOCK_SEED, STOCK_TO_INT);
    const result = await pool.run(python(script, [{ attributes: {}, content: encode(JSON.stringify(stockRows)) }]));
    expect(result.outputs[0]!.relationship).toBe('success');
    expect(JSON.parse(decode(result.outputs[0]!.content))).toEqual(stockRows.map((r) => ({ ...r, stock: Number(r.stock) })));
  });

  it('routes to failure with the traceback when the transform raises, with the line number of the script', async () => {
    const script = withTransform(STOCK_SEED, STOCK_TO_INT);
    const intLine = script.split('\n').findIndex((l) => l.includes("int(row['stock'])")) + 1;
    const input = encode(JSON.stringify([{ sku: '1', stock: 'abc' }]));
    const result = await pool.run(python(script, [{ attributes: { a: '1' }, content: input }]));
    expect(result.error).toBeUndefined();
    const [out] = result.outputs;
    expect(out!.relationship).toBe('failure');
    expect(out!.content).toEqual(input);
    const traceback = out!.attributes['log.error.script_error']!;
    expect(traceback).toContain(`File "<script>", line ${intLine}, in transform`);
    expect(traceback.trim().split('\n').at(-1)).toBe("ValueError: invalid literal for int() with base 10: 'abc'");
  });

  it('reports an uncaught exception with a traceback on the user script lines', async () => {
    const script = 'flowFile = session.get()\n\ndef boom():\n    raise RuntimeError("bad row")\n\nboom()\n';
    const result = await pool.run(python(script, [{ attributes: {}, content: encode('x') }]));
    expect(result.error?.kind).toBe('exception');
    expect(result.error?.message).toBe('RuntimeError: bad row');
    expect(result.error?.traceback).toContain('File "<script>", line 6, in <module>');
    expect(result.error?.traceback).toContain('File "<script>", line 4, in boom');
    expect(result.error?.traceback).not.toContain('<sluice>');
    expect(result.outputs).toEqual([]);
  });

  it('reports a syntax error with its line', async () => {
    const result = await pool.run(python('x = 1\nif x\n    pass\n', []));
    expect(result.error?.kind).toBe('exception');
    expect(result.error?.traceback).toContain('File "<script>", line 2');
    expect(result.error?.message).toContain('SyntaxError');
  });

  it('offers the NiFi session API: read, OutputStreamCallback, create with parent, attributes, remove, logs', async () => {
    const script = [
      'from org.apache.nifi.processor.io import InputStreamCallback, OutputStreamCallback',
      'from org.apache.commons.io import IOUtils',
      'from java.nio.charset import StandardCharsets',
      'class Reader(InputStreamCallback):',
      '    def __init__(self):',
      '        self.text = None',
      '    def process(self, inputStream):',
      '        self.text = IOUtils.toString(inputStream, StandardCharsets.UTF_8)',
      'class Writer(OutputStreamCallback):',
      '    def __init__(self, text):',
      '        self.text = text',
      '    def process(self, outputStream):',
      '        outputStream.write(self.text.upper().encode("utf-8"))',
      'first = session.get()',
      'second = session.get()',
      'assert session.get() is None',
      'reader = Reader()',
      'session.read(first, reader)',
      'child = session.create(first)',
      'child = session.write(child, Writer(reader.text))',
      'child = session.putAllAttributes(child, {"kind": "child", "n": 2})',
      'child = session.removeAttribute(child, "drop")',
      'log.info("sizes {} {}", first.getSize(), child.getSize())',
      'log.warn("attrs {}", str(sorted(child.getAttributes().keys())))',
      'print("printed")',
      'session.transfer(child, REL_SUCCESS)',
      'session.transfer(first, REL_FAILURE)',
      'session.remove(second)',
      'session.commit()',
    ].join('\n');
    const result = await pool.run(
      python(script, [
        { attributes: { drop: 'x', keep: 'y' }, content: encode('héllo') },
        { attributes: {}, content: encode('gone') },
      ]),
    );
    expect(result.error).toBeUndefined();
    expect(result.taken).toEqual([0, 1]);
    const byRel = Object.fromEntries(result.outputs.map((o) => [`${o.source}:${o.relationship}`, o]));
    expect(decode(byRel['0:failure']!.content)).toBe('héllo');
    expect(byRel['1:null']).toBeDefined();
    const child = byRel['null:success']!;
    expect(decode(child.content)).toBe('HÉLLO');
    expect(child.attributes['keep']).toBe('y');
    expect(child.attributes['kind']).toBe('child');
    expect(child.attributes['n']).toBe('2');
    expect(child.attributes).not.toHaveProperty('drop');
    expect(result.logs).toEqual([
      { level: 'info', message: 'sizes 6 6' },
      { level: 'warn', message: "attrs ['keep', 'kind', 'n', 'uuid']" },
      { level: 'info', message: 'printed' },
    ]);
  });

  it('accepts plain functions as callbacks and Jython-era names', async () => {
    const script = [
      'ff = session.get()',
      'ff = session.write(ff, lambda i, o: o.write(unicode(long(IOUtils.toString(i)) * 2)))',
      'session.transfer(ff, REL_SUCCESS)',
    ].join('\n');
    const result = await pool.run(python(`from org.apache.commons.io import IOUtils\n${script}`, [{ attributes: {}, content: encode('21') }]));
    expect(result.error).toBeUndefined();
    expect(decode(result.outputs[0]!.content)).toBe('42');
  });

  it('fails the run when a FlowFile is neither transferred nor removed', async () => {
    const result = await pool.run(python('ff = session.get()\nsession.putAttribute(ff, "a", "b")\n', [{ attributes: {}, content: encode('') }]));
    expect(result.error?.kind).toBe('session');
    expect(result.error?.message).toContain('neither transferred nor removed');
  });

  it('cannot read host files, the environment or reach JavaScript', async () => {
    const attempts = {
      file: "open('/etc/passwd').read()",
      js: 'import js',
      pyodide: 'import pyodide',
      ffi: 'from pyodide.ffi import to_js',
      core: 'import _pyodide_core',
    };
    for (const [name, code] of Object.entries(attempts)) {
      const result = await pool.run(python(code, []));
      expect(result.error?.kind, name).toBe('exception');
    }
    const env = await pool.run(python('import os\nprint(repr(dict(os.environ)))', []));
    expect(env.error).toBeUndefined();
    expect(env.logs.map((l) => l.message).join('\n')).not.toContain(secret);
    expect(env.logs.map((l) => l.message).join('\n')).not.toContain('SLUICE_SCRIPT_SPEC_SECRET');
  });

  it('stops an infinite loop at the timeout, even when the script swallows the interrupt, and serves the next request', async () => {
    const result = await pool.run(python('while True:\n    try:\n        while True: pass\n    except:\n        pass\n', [], { timeoutMs: 1500 }));
    expect(result.error?.kind).toBe('timeout');
    expect(result.error?.message).toContain('1500 ms');
    const next = await pool.run(python('session.transfer(session.get(), REL_SUCCESS)', [{ attributes: {}, content: encode('ok') }]));
    expect(next.error).toBeUndefined();
    expect(next.outputs[0]!.relationship).toBe('success');
  });

  it('stops a memory bomb at the memory limit and serves the next request', async () => {
    const result = await pool.run(python('rows = []\nwhile True:\n    rows.append(bytearray(1000000))\n', [], { memoryLimitMb: 64, timeoutMs: 20_000 }));
    expect(result.error?.kind).toBe('memory');
    expect(result.error?.message).toContain('64 MB');
    const next = await pool.run(python('session.transfer(session.get(), REL_SUCCESS)', [{ attributes: {}, content: encode('ok') }]));
    expect(next.error).toBeUndefined();
  });
});
