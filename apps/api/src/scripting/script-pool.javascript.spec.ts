import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptRequest } from '@sluice/flow-api';
import { ScriptPool } from './script-pool.js';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const rows = [
  { sku: '12345', stock: '123', stock_list: '1', unit_type: 'qty' },
  { sku: '12346', stock: '0', stock_list: '1', unit_type: 'qty' },
];

function js(script: string, inputs: ScriptRequest['inputs'], extra: Partial<ScriptRequest> = {}): ScriptRequest {
  return { language: 'javascript', script, inputs, timeoutMs: 10_000, memoryLimitMb: 128, ...extra };
}

describe('ScriptPool: JavaScript', () => {
  let pool: ScriptPool;
  beforeAll(() => {
    pool = new ScriptPool({ jsIsolates: 2 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('runs the session form with a StreamCallback object, as the Python seed does', async () => {
    const script = `
const flowFile = session.get();
if (flowFile !== null) {
  try {
    session.write(flowFile, {
      process(inputStream, outputStream) {
        const rows = JSON.parse(IOUtils.toString(inputStream, StandardCharsets.UTF_8));
        for (const row of rows) row.stock = parseInt(row.stock, 10);
        outputStream.write(JSON.stringify(rows, null, 4));
      },
    });
    session.transfer(flowFile, REL_SUCCESS);
  } catch (e) {
    session.putAttribute(flowFile, 'log.error.script_error', String(e.stack));
    session.transfer(flowFile, REL_FAILURE);
  }
  session.commit();
}`;
    const result = await pool.run(js(script, [{ attributes: { 'token.erp': 't' }, content: encode(JSON.stringify(rows)) }]));
    expect(result.error).toBeUndefined();
    expect(result.taken).toEqual([0]);
    const [out] = result.outputs;
    expect(out!.relationship).toBe('success');
    expect(out!.attributes).toEqual({ 'token.erp': 't' });
    expect(JSON.parse(decode(out!.content))).toEqual(rows.map((r) => ({ ...r, stock: Number(r.stock) })));
  });

  it('runs the transform form: parsed JSON in, JSON out, attribute changes kept, success', async () => {
    const script = `function transform(input, attributes) {
  attributes['row.count'] = input.length;
  delete attributes.drop;
  return input.map((row) => ({ ...row, stock: Number(row.stock) }));
}`;
    const result = await pool.run(js(script, [{ attributes: { drop: 'x', keep: 'y' }, content: encode(JSON.stringify(rows)) }]));
    expect(result.error).toBeUndefined();
    const [out] = result.outputs;
    expect(out!.relationship).toBe('success');
    expect(out!.attributes).toEqual({ keep: 'y', 'row.count': '2' });
    expect(JSON.parse(decode(out!.content))).toEqual(rows.map((r) => ({ ...r, stock: Number(r.stock) })));
  });

  it('passes text that is not JSON to transform and writes a returned string as is', async () => {
    const script = 'const transform = (input) => input.toUpperCase() + "é";';
    const result = await pool.run(js(script, [{ attributes: {}, content: encode('plain text') }]));
    expect(decode(result.outputs[0]!.content)).toBe('PLAIN TEXTé');
  });

  it('keeps binary content byte for byte and offers Java.type, callbacks as functions, create and remove', async () => {
    const script = `
const IOUtilsClass = Java.type('org.apache.commons.io.IOUtils');
const OutputStreamCallback = Java.type('org.apache.nifi.processor.io.OutputStreamCallback');
const [binary, gone] = session.get(2);
session.read(binary, (input) => log.info('size {}', input.bytes().length));
const child = session.create(binary);
session.write(child, new OutputStreamCallback((out) => out.write([0xff, 0x00, 0x80])));
session.putAttribute(child, 'kind', 'child');
session.transfer(child, 'success');
session.transfer(binary, REL_FAILURE);
session.remove(gone);
console.log('typeof', typeof IOUtilsClass.toString);`;
    const bytes = new Uint8Array([0xc3, 0x28, 0x00, 0xfe]);
    const result = await pool.run(js(script, [{ attributes: { a: '1' }, content: bytes }, { attributes: {}, content: encode('x') }]));
    expect(result.error).toBeUndefined();
    expect(result.taken).toEqual([0, 1]);
    const bySource = (s: number | null) => result.outputs.find((o) => o.source === s)!;
    expect(bySource(0).relationship).toBe('failure');
    expect(bySource(0).content).toEqual(bytes);
    expect(bySource(1).relationship).toBeNull();
    expect([...bySource(null).content]).toEqual([0xff, 0x00, 0x80]);
    expect(bySource(null).attributes).toMatchObject({ a: '1', kind: 'child' });
    expect(result.logs).toEqual([
      { level: 'info', message: 'size 4' },
      { level: 'info', message: 'typeof function' },
    ]);
  });

  it('reports an uncaught error with the script line, and keeps the logs written before it', async () => {
    const script = 'log.warn("before");\nfunction boom() {\n  throw new TypeError("bad row");\n}\nboom();\n';
    const result = await pool.run(js(script, [{ attributes: {}, content: encode('') }]));
    expect(result.error?.kind).toBe('exception');
    expect(result.error?.message).toBe('TypeError: bad row');
    expect(result.error?.traceback).toContain('<script>:3:9');
    expect(result.error?.traceback).not.toContain('isolated-vm');
    expect(result.logs).toEqual([{ level: 'warn', message: 'before' }]);
  });

  it('reports a syntax error with its position', async () => {
    const result = await pool.run(js('const x = (;\n', []));
    expect(result.error?.kind).toBe('exception');
    expect(result.error?.message).toContain('SyntaxError');
    expect(result.error?.message).toContain('<script>:1');
  });

  it('fails the run when a FlowFile is left untransferred', async () => {
    const result = await pool.run(js('session.get();', [{ attributes: {}, content: encode('') }]));
    expect(result.error?.kind).toBe('session');
  });

  it('has no Node globals: process, require, fetch, Buffer are absent', async () => {
    const script = `log.info([typeof process, typeof require, typeof fetch, typeof Buffer, typeof http].join(','));
session.transfer(session.get(), REL_SUCCESS);`;
    const result = await pool.run(js(script, [{ attributes: {}, content: encode('') }]));
    expect(result.logs[0]!.message).toBe('undefined,undefined,undefined,undefined,undefined');
    const env = await pool.run(js('process.env.HOME', []));
    expect(env.error?.message).toBe('ReferenceError: process is not defined');
  });

  it('stops an infinite loop at the timeout and serves the next request', async () => {
    const result = await pool.run(js('while (true) {}', [], { timeoutMs: 1500 }));
    expect(result.error?.kind).toBe('timeout');
    expect(result.error?.message).toContain('1500 ms');
    const next = await pool.run(js('const transform = (x) => x;', [{ attributes: {}, content: encode('{"a":1}') }]));
    expect(next.error).toBeUndefined();
    expect(JSON.parse(decode(next.outputs[0]!.content))).toEqual({ a: 1 });
  });

  it('runs a script with a timeout of 30 days to its end, not stopped by an overflowed timer', async () => {
    const script = 'const until = Date.now() + 50; while (Date.now() < until) {} session.transfer(session.get(), REL_SUCCESS);';
    const result = await pool.run(js(script, [{ attributes: {}, content: encode('x') }], { timeoutMs: 30 * 86_400_000 }));
    expect(result.error).toBeUndefined();
    expect(result.taken).toEqual([0]);
  });

  it('stops a memory bomb at the memory limit and serves the next request', async () => {
    const result = await pool.run(js('const keep = [];\nwhile (true) keep.push(new Array(1e6).fill(1.5));', [], { memoryLimitMb: 64 }));
    expect(result.error?.kind).toBe('memory');
    expect(result.error?.message).toContain('64 MB');
    const next = await pool.run(js('const transform = (x) => x;', [{ attributes: {}, content: encode('1') }], { memoryLimitMb: 64 }));
    expect(next.error).toBeUndefined();
  });
});
