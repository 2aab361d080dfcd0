import { validateProcessor } from '@sluice/flow-api';
import { checkExpression } from '@sluice/expression';
import { describe, expect, it } from 'vitest';
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
});

describe('UpdateAttribute configuration', () => {
  it('accepts EL values and flags blank names, uuid, bad regexes and EL syntax errors', () => {
    expect(validateProcessor(UpdateAttribute, { filename: '${sku}.json', [DELETE_ATTRIBUTES]: 'tmp.*' }, { checkExpression })).toEqual([]);
    const bad = validateProcessor(UpdateAttribute, { uuid: 'x', [DELETE_ATTRIBUTES]: '[a' }, { checkExpression });
    expect(bad.map((r) => r.property).sort()).toEqual([DELETE_ATTRIBUTES, 'uuid']);
    expect(bad.find((r) => r.property === 'uuid')?.message).toContain('cannot be changed');
    const syntax = validateProcessor(UpdateAttribute, { out: '${sku:toUpperr()}' }, { checkExpression });
    expect(syntax[0]).toMatchObject({ property: 'out', code: 'invalid' });
    expect(syntax[0]?.message).toContain("did you mean 'toUpper'");
  });

  it('has a JSON-serializable descriptor', () => {
    expect(JSON.parse(JSON.stringify(UpdateAttribute.descriptor))).toEqual(UpdateAttribute.descriptor);
  });
});
