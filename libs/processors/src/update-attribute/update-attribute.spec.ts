import { validateProcessor } from '@sluice/flow-api';
import { checkExpression } from '@sluice/expression';
import { describe, expect, it } from 'vitest';
import { TestRunner } from '@sluice/flow-testing';
import { compileDeleteRegex, DELETE_ATTRIBUTES, planAttributeUpdate, UpdateAttribute } from './update-attribute.processor.js';

describe('UpdateAttribute plan', () => {
  it('deletes existing attributes matching the whole regex, even when a property sets them, and keeps uuid', () => {
    const plan = planAttributeUpdate(
      { uuid: 'u1', 'temp.a': '1', 'temp.b': '2', keep: 'x', 'my.temp.c': '3' },
      { 'temp.a': 'new', 'temp.new': 'added', keep: 'y' },
      compileDeleteRegex('temp\\..*|uuid'),
    );
    expect(plan.remove.sort()).toEqual(['temp.a', 'temp.b']);
    // temp.new did not exist, so it is added although it matches.
    expect(plan.put).toEqual({ 'temp.new': 'added', keep: 'y' });
  });

  it('never sets uuid', () => {
    expect(planAttributeUpdate({ uuid: 'u1' }, { uuid: 'x', a: '1' }, null)).toEqual({ put: { a: '1' }, remove: [] });
  });

  it('reports a bad deletion regex with the property name', () => {
    expect(() => compileDeleteRegex('temp(')).toThrow(/Delete Attributes Expression: 'temp\(' is not a valid regular expression/);
  });

  it('reads the deletion regex as Java does, runs an exponential one on the linear engine and refuses one it cannot run', () => {
    expect(compileDeleteRegex('\\Qtemp.\\E.*').test('temp.a')).toBe(true);
    expect(compileDeleteRegex('\\Qtemp.\\E.*').test('tempxa')).toBe(false);
    expect(compileDeleteRegex('(temp\\w*)+').test('temp1temp2')).toBe(true);
    expect(compileDeleteRegex('(temp\\w*)+').test('temp.1')).toBe(false);
    expect(() => compileDeleteRegex('(temp\\w*)+\\1')).toThrow("Delete Attributes Expression: regular expression '(temp\\w*)+\\1' is refused");
  });
});

describe('UpdateAttribute configuration', () => {
  it('accepts EL values and flags blank names, bad regexes and EL syntax errors', () => {
    expect(validateProcessor(UpdateAttribute, { filename: '${sku}.json', [DELETE_ATTRIBUTES]: 'tmp.*' }, { checkExpression })).toEqual([]);
    const bad = validateProcessor(UpdateAttribute, { ' ': 'x', [DELETE_ATTRIBUTES]: '[a' }, { checkExpression });
    expect(bad.map((r) => r.property).sort()).toEqual([' ', DELETE_ATTRIBUTES]);
    const syntax = validateProcessor(UpdateAttribute, { out: '${sku:toUpperr()}' }, { checkExpression });
    expect(syntax[0]).toMatchObject({ property: 'out', code: 'invalid' });
    expect(syntax[0]?.message).toContain("did you mean 'toUpper'");
  });
});

describe('UpdateAttribute onTrigger', () => {
  it('sets every attribute from the incoming values and deletes matching ones', async () => {
    const h = new TestRunner(UpdateAttribute, { parameters: { region: 'TR' } }).setProperties({
      filename: '${sku:toLower()}.json',
      sku: '${sku:toUpper()}',
      previous: '${sku}',
      region: '#{region}',
      [DELETE_ATTRIBUTES]: '${drop}',
    });
    h.enqueue('body', { sku: 'Ab1', drop: 'tmp\\..*', 'tmp.a': '1', 'tmp.b': '2' });
    await h.run(h.queueSize());
    const [out] = h.flowFilesFor('success');
    expect(out?.contentText()).toBe('body');
    // previous reads the incoming sku, not the value the sku property sets.
    expect(out?.attributes).toEqual({ uuid: out?.flowFile.uuid, path: './', sku: 'AB1', previous: 'Ab1', filename: 'ab1.json', region: 'TR', drop: 'tmp\\..*' });
  });

  it('throws, naming the attribute, when a value cannot be evaluated, leaving the FlowFile queued', async () => {
    const h = new TestRunner(UpdateAttribute).setProperties({ when: "${date:toDate('yyyy-MM-dd')}" });
    h.enqueue('', { date: 'not a date' });
    await expect(h.run()).rejects.toThrow(/Unable to evaluate new value for attribute 'when'/);
    expect(h.queueSize()).toBe(1);
  });
});
