import { validateProcessor } from '@sluice/flow-api';
import { checkExpression } from '@sluice/expression';
import { describe, expect, it } from 'vitest';
import { TestRunner } from '@sluice/flow-testing';
import { selectArray, SplitJson } from './split-json.processor.js';

describe('SplitJson', () => {
  it('splits a top-level array into one FlowFile per row with fragment attributes, and keeps the original', async () => {
    const h = new TestRunner(SplitJson).setProperties({ 'JsonPath Expression': '$.*' });
    h.enqueue([{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }, 'plain', 7, null], { filename: 'page-1.json', erp: 'x' });
    await h.run(h.queueSize());
    const splits = h.flowFilesFor('split');
    expect(splits.map((s) => s.contentText())).toEqual(['{"sku":"A","qty":1}', '{"sku":"B","qty":2}', 'plain', '7', '']);
    const [original] = h.flowFilesFor('original');
    const id = original!.attributes['fragment.identifier'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(original!.attributes['fragment.count']).toBe('5');
    splits.forEach((s, i) => {
      expect(s.attributes).toMatchObject({ erp: 'x', 'fragment.identifier': id, 'fragment.index': String(i), 'fragment.count': '5', 'segment.original.filename': 'page-1.json' });
    });
  });

  it('selects nested arrays, values of an object and filtered rows', async () => {
    const doc = { results: [{ sku: 'A', qty: 0 }, { sku: 'B', qty: 3 }], count: 2 };
    expect(selectArray(doc, '$.results')).toEqual(doc.results);
    expect(selectArray(doc, '$.results[?(@.qty > 0)].sku')).toEqual(['B']);
    expect(selectArray(doc, '$..sku')).toEqual(['A', 'B']);
    expect(selectArray({ a: 1, b: 2 }, '$.*')).toEqual([1, 2]);
    const h = new TestRunner(SplitJson).setProperties({ 'JsonPath Expression': '$.results', 'Null Value Representation': "the string 'null'" });
    h.enqueue({ results: [null, { sku: 'C' }] });
    await h.run(h.queueSize());
    expect(h.flowFilesFor('split').map((s) => s.contentText())).toEqual(['null', '{"sku":"C"}']);
  });

  it('routes content that is not JSON, or has no array at the path, to failure with the reason', async () => {
    const h = new TestRunner(SplitJson).setProperties({ 'JsonPath Expression': '$.results' });
    h.enqueue('{"results": [1,');
    h.enqueue({ results: 'not a list' });
    h.enqueue({ other: [] });
    await h.run(h.queueSize());
    const failed = h.flowFilesFor('failure').map((f) => f.attributes['split.error']);
    expect(failed[0]).toContain('content is not valid JSON');
    expect(failed[1]).toBe("JsonPath '$.results' selected string, not an array");
    expect(failed[2]).toBe("JsonPath '$.results' matched nothing in the content");
    expect(h.flowFilesFor('split')).toHaveLength(0);
    expect(h.logs().filter((l) => l.level === 'error')).toHaveLength(3);
  });

  it('gives an empty array no splits and fragment.count 0 on the original', async () => {
    const h = new TestRunner(SplitJson).setProperties({ 'JsonPath Expression': '$' });
    h.enqueue([]);
    await h.run(h.queueSize());
    expect(h.flowFilesFor('split')).toHaveLength(0);
    expect(h.flowFilesFor('original')[0]!.attributes['fragment.count']).toBe('0');
  });

  it('validates the path when the flow is saved', () => {
    expect(validateProcessor(SplitJson, { 'JsonPath Expression': '$.*' }, { checkExpression })).toEqual([]);
    expect(validateProcessor(SplitJson, { 'JsonPath Expression': 'results' }, { checkExpression })[0]?.message).toContain("must start with '$'");
    expect(validateProcessor(SplitJson, { 'JsonPath Expression': '$.a[0' }, { checkExpression })[0]?.message).toContain('never closed');
    expect(validateProcessor(SplitJson, {}, { checkExpression })[0]).toMatchObject({ property: 'JsonPath Expression', code: 'required' });
  });
});
