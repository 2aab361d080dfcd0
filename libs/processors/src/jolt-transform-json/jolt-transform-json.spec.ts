import { readFileSync } from 'node:fs';
import { TestRunner } from '@sluice/flow-testing';
import { parseJson, stringifyJson, toPlainJson } from '@sluice/jolt';
import { describe, expect, it } from 'vitest';
import { TransformCache } from './jolt-transform-config.js';
import { JoltTransformJSON } from './jolt-transform-json.processor.js';

const seedSpec = JSON.stringify([
  {
    operation: 'shift',
    spec: { '*': { sku: '[&1].product_sku', stock: '[&1].stock', stock_list: '[&1].stock_list', unit_type: '[&1].unit_type', updated_date: '[&1].updated_date' } },
  },
]);

function runner(config: Record<string, string>): TestRunner {
  const r = new TestRunner(JoltTransformJSON);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  return r;
}

async function runOne(config: Record<string, string>, content: string, attributes: Record<string, string> = {}) {
  const r = runner(config);
  r.enqueue(content, attributes);
  await r.run();
  return r;
}

describe('JoltTransformJSON', () => {
  it('maps the seed ERP rows to the Omnitron stock payload, reporting unused spec paths when asked', async () => {
    const r = await runOne({ 'Jolt Specification': seedSpec, 'Report Unused Paths': 'true' }, JSON.stringify([
      { sku: '12345', stock: 123, stock_list: '1', unit_type: 'qty' },
      { sku: '12346', stock: 0, stock_list: '1', unit_type: 'qty' },
    ]));
    const [out] = r.flowFilesFor('success');
    out!.assertContentEquals('[{"product_sku":"12345","stock":123,"stock_list":"1","unit_type":"qty"},{"product_sku":"12346","stock":0,"stock_list":"1","unit_type":"qty"}]');
    out!.assertAttributeEquals('mime.type', 'application/json');
    // updated_date is in the spec but not in the rows.
    out!.assertAttributeEquals('jolt.warnings', '1');
    expect(r.logs('warn')[0]?.message).toMatch(/1 path\(s\) unused: .*updated_date/);
  });

  it('skips the unused-path report by default, with the same output', async () => {
    const r = await runOne({ 'Jolt Specification': seedSpec }, '[{"sku": "1", "stock": 2, "extra": "x"}]');
    const [out] = r.flowFilesFor('success');
    out!.assertContentEquals('[{"product_sku":"1","stock":2}]');
    out!.assertAttributeNotExists('jolt.warnings');
  });

  it('passes the custom context to modify steps and keeps Java double text', async () => {
    const r = await runOne({
      'Jolt Specification': JSON.stringify([{ operation: 'modify-overwrite-beta', spec: { list: '^list', ratio: '=divide(@(1,a),2)', d: '=doubleSubtract(@(1,b),@(1,c))' } }]),
      'Custom Context': '{"list": "34"}',
    }, '{"a": 8, "b": 10.0, "c": 2.5}');
    r.flowFilesFor('success')[0]!.assertContentEquals('{"a":8,"b":10.0,"c":2.5,"list":"34","ratio":4.0,"d":7.5}');
  });

  it("passes Jolt's own modifier mathTests (OVERWRITR), where 10.0 must stay a double", async () => {
    const fixture = parseJson(readFileSync(new URL('../../../jolt/conformance/modifier/functions/mathTests.json', import.meta.url), 'utf8'), { javaDoubles: true }) as Record<string, unknown>;
    // Written back as text with Java's doubles (10.0), as a user would paste it.
    const text = (v: unknown) => stringifyJson(v);
    const r = await runOne({ 'Jolt Transform': 'jolt-transform-modify-overwrite', 'Jolt Specification': text(fixture['spec']), 'Custom Context': text(fixture['context']) }, text(fixture['input']));
    const out = r.flowFilesFor('success')[0]!;
    expect(toPlainJson(parseJson(out.contentText()))).toEqual(toPlainJson(fixture['OVERWRITR']));
    // aDouble - bDouble keeps the double type only when 10.0 is read as one.
    expect(out.contentText()).toContain('"aDouble":10.0');
  });

  it('keeps Java key order for integer-like keys through to the written text (image sequences)', async () => {
    const r = await runOne({ 'Jolt Specification': '[{"operation": "shift", "spec": {"images": {"*": {"url": "images.@(1,order)"}}}}]' },
      '{"images": [{"order": "3", "url": "c.jpg"}, {"order": "1", "url": "a.jpg"}, {"order": "2", "url": "b.jpg"}]}');
    r.flowFilesFor('success')[0]!.assertContentEquals('{"images":{"3":"c.jpg","1":"a.jpg","2":"b.jpg"}}');
  });

  it('routes content that is not JSON to failure with the position', async () => {
    const r = await runOne({ 'Jolt Specification': seedSpec }, '[{"sku": 1,}]');
    expect(r.flowFilesFor('failure')[0]!.getAttribute('jolt.error')).toMatch(/content is not JSON: Invalid JSON at line 1, column 12/);
  });

  it('applies the empty output policy when the chain yields null', async () => {
    const spec = JSON.stringify([{ operation: 'shift', spec: { missing: 'x' } }]);
    const fail = await runOne({ 'Jolt Specification': spec, 'Empty Output Policy': 'route to failure' }, '{"a": 1}');
    expect(fail.flowFilesFor('failure')[0]!.getAttribute('jolt.error')).toMatch(/no output/);
    const pass = await runOne({ 'Jolt Specification': spec, 'Empty Output Policy': 'pass through' }, '{"a": 1}');
    pass.flowFilesFor('success')[0]!.assertContentEquals('{"a": 1}');
    const nifi = await runOne({ 'Jolt Specification': spec }, '{"a": 1}');
    nifi.flowFilesFor('success')[0]!.assertContentEquals('null');
  });

  it('routes transform errors to failure', async () => {
    const r = await runOne({ 'Jolt Specification': JSON.stringify([{ operation: 'shift', spec: { a: 'out.&5' } }]) }, '{"a": 1}');
    expect(r.flowFilesFor('failure')[0]!.getAttribute('jolt.error')).toMatch(/transform failed: .*levels up/);
  });

  it('fails documents holding a string longer than Max String Length', async () => {
    const r = await runOne({ 'Jolt Specification': '[{"operation": "shift", "spec": {"*": "&"}}]', 'Max String Length': '10 B' }, '{"a": "short", "b": "far more than ten"}');
    expect(r.flowFilesFor('failure')[0]!.getAttribute('jolt.error')).toMatch(/longer than Max String Length \(10 characters\)/);
    const ok = await runOne({ 'Jolt Specification': '[{"operation": "shift", "spec": {"*": "&"}}]', 'Max String Length': '10 B' }, '{"a": "short", "b": "tiny"}');
    ok.assertAllTransferred('success', 1);
  });

  it('compiles a specification given as Expression Language once per distinct text', async () => {
    const r = runner({ 'Jolt Specification': '[{"operation": "shift", "spec": {"a": "${target}"}}]', 'Transform Cache Size': '2' });
    for (const target of ['x', 'y', 'x', 'z']) r.enqueue('{"a": 1}', { target });
    await r.run(4);
    expect(r.flowFilesFor('success').map((f) => f.contentText())).toEqual(['{"x":1}', '{"y":1}', '{"x":1}', '{"z":1}']);
  });

  it('reports a bad spec in validation with its path inside the chain', () => {
    const bad = runner({ 'Jolt Specification': JSON.stringify([{ operation: 'shift', spec: { a: 5 } }]) }).validate();
    expect(bad).toEqual([expect.objectContaining({ property: 'Jolt Specification', code: 'invalid', message: expect.stringContaining('[0].spec.a') })]);
    expect(runner({ 'Jolt Specification': seedSpec, 'Custom Context': '{' }).validate()).toEqual([expect.objectContaining({ property: 'Custom Context' })]);
    expect(runner({ 'Jolt Specification': seedSpec, 'Transform Cache Size': '0' }).validate()).toEqual([expect.objectContaining({ property: 'Transform Cache Size' })]);
    expect(runner({ 'Jolt Specification': seedSpec, 'JSON Source': 'ATTRIBUTE' }).validate()).toEqual([expect.objectContaining({ property: 'JSON Source Attribute', code: 'required' })]);
    runner({ 'Jolt Specification': seedSpec }).assertValid();
  });
});

describe('JoltTransformJSON split patterns', () => {
  const modify = (spec: Record<string, unknown>) => ({ 'Jolt Transform': 'jolt-transform-modify-overwrite', 'Jolt Specification': JSON.stringify(spec) });

  it('splits on Java patterns, \\Q..\\E quoting included', async () => {
    const r = await runOne(modify({ parts: "=split('[,;]\\s*', @(1,text))", dots: "=split('\\Q.\\E', @(1,version))" }), '{"text": "a, b;c", "version": "1.2.3"}');
    expect(JSON.parse(r.flowFilesFor('success')[0]!.contentText())).toMatchObject({ parts: ['a', 'b', 'c'], dots: ['1', '2', '3'] });
  });

  it('refuses a spec that splits on a pattern able to backtrack exponentially that the linear engine cannot run, naming it', () => {
    const bad = runner(modify({ words: "=split('(\\w+\\s?)*\\1$', @(1,text))" })).validate();
    expect(bad).toEqual([expect.objectContaining({ property: 'Jolt Specification', code: 'invalid', message: expect.stringContaining("regular expression '(\\w+\\s?)*\\1$' is refused") })]);
    expect(bad[0]!.message).toContain('exponential time, and it uses a back reference');
    expect(runner(modify({ words: "=split('(\\s|,)+', @(1,text))" })).validate()).toEqual([]);
  });

  it('splits on a hazardous pattern on the linear engine, and gives no value for one it cannot run looked up in the input', async () => {
    const stuck = `${'a'.repeat(5000)}!`;
    const r = await runOne(
      modify({ words: '=split(@(1,pattern), @(1,text))', bad: '=split(@(1,backref), @(1,text))', safe: '=split(@(1,comma), @(1,text))' }),
      JSON.stringify({ pattern: '(\\s|,)+', backref: '(a|a)+\\1', comma: ',', text: `${stuck}, x ,y` }),
    );
    const out = JSON.parse(r.flowFilesFor('success')[0]!.contentText()) as Record<string, unknown>;
    expect(out['words']).toEqual([stuck, 'x', 'y']);
    expect(out['bad']).toBeUndefined();
    expect(out['safe']).toEqual([stuck, ' x ', 'y']);
  });
});

describe('TransformCache', () => {
  it('keeps the most recently used entries up to its size', () => {
    const cache = new TransformCache<string>(2);
    const built: string[] = [];
    const get = (k: string) => cache.get(k, () => { built.push(k); return k.toUpperCase(); });
    expect([get('a'), get('b'), get('a'), get('c'), get('a'), get('b')]).toEqual(['A', 'B', 'A', 'C', 'A', 'B']);
    // b was the least recently used when c came, so it was built again.
    expect(built).toEqual(['a', 'b', 'c', 'b']);
  });
});
