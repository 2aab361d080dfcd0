import { describe, expect, it } from 'vitest';
import { defineProcessor, DescriptorError, errorAttributes, exposedProperty, failureRelationships, hasRole, relationshipsFor, type ProcessorDescriptor } from './processor.js';
import { REL_FAILURE } from './relationship.js';
import { parseDataSize, parseDuration } from './property.js';
import { validateConfig, validateProcessor } from './validation.js';

const descriptor: ProcessorDescriptor = {
  type: 'Sample',
  version: 1,
  displayName: 'Sample',
  description: 'test',
  category: 'utility',
  tags: [],
  inputRequirement: 'allowed',
  properties: [
    { name: 'Mode', displayName: 'Mode', description: '', type: 'enum', required: true, default: 'a', allowableValues: [{ value: 'a', displayName: 'A' }, { value: 'b', displayName: 'B' }] },
    { name: 'Count', displayName: 'Count', description: '', type: 'integer', validators: [{ kind: 'range', min: 1, max: 10 }] },
    { name: 'Only B', displayName: 'Only B', description: '', type: 'string', required: true, dependsOn: [{ property: 'Mode', values: ['b'] }] },
    { name: 'URL', displayName: 'URL', description: '', type: 'string', expressionScope: 'flowfile', validators: [{ kind: 'url' }] },
    { name: 'Headers', displayName: 'Headers', description: '', type: 'dict' },
    { name: 'Wait', displayName: 'Wait', description: '', type: 'duration' },
    { name: 'Zone', displayName: 'Zone', description: '', type: 'string', validators: [{ kind: 'timeZone' }] },
  ],
  relationships: [
    { name: 'success', description: '' },
    { name: 'special', description: '', when: { property: 'Mode', values: ['b'] } },
  ],
  dynamicRelationships: { description: 'rules', when: { property: 'Mode', values: ['a'] } },
  dynamicProperties: { description: 'rules', expressionScope: 'flowfile' },
};

describe('validateConfig', () => {
  it('accepts defaults and skips properties whose dependsOn is unmet', () => {
    expect(validateConfig(descriptor, {})).toEqual([]);
  });

  it('requires a dependent property once its condition holds', () => {
    expect(validateConfig(descriptor, { Mode: 'b' })).toEqual([{ property: 'Only B', message: 'Only B is required', code: 'required' }]);
  });

  it('names the property and the problem for each bad value', () => {
    const r = validateConfig(descriptor, { Mode: 'c', Count: '11', Headers: '[1]', Wait: 'soon', Zone: 'Mars/Base', URL: 'ftp://x' });
    const byProp = Object.fromEntries(r.map((x) => [x.property, x.message]));
    expect(byProp['Mode']).toContain("'c' is not one of a, b");
    expect(byProp['Count']).toContain('at most 10');
    expect(byProp['Headers']).toContain('JSON object');
    expect(byProp['Wait']).toContain("'soon' is not a duration");
    expect(byProp['Zone']).toContain('not a known time zone');
    expect(byProp['URL']).toContain('not an http(s) URL');
    expect(r.every((x) => x.code === 'invalid')).toBe(true);
  });

  it('checks expression syntax through the injected checker instead of the type', () => {
    const checkExpression = (t: string) => (t.includes('${bad') ? { message: 'boom', line: 1, column: 3 } : null);
    expect(validateConfig(descriptor, { URL: 'http://h/${ok}' }, { checkExpression })).toEqual([]);
    expect(validateConfig(descriptor, { URL: '${bad}', rule: '${bad' }, { checkExpression })).toEqual([
      { property: 'URL', message: 'URL: boom', line: 1, column: 3, code: 'invalid' },
      { property: 'rule', message: 'boom', line: 1, column: 3, code: 'invalid' },
    ]);
  });

  it('rejects unknown properties when the processor takes no dynamic ones', () => {
    const closed = { ...descriptor, dynamicProperties: undefined };
    expect(validateConfig(closed, { Nope: 'x' })[0]?.message).toBe("'Nope' is not a property of Sample, which takes no user-added properties");
  });

  it('checks typed values after parameter substitution, naming the parameter and its value', () => {
    const sized = { ...descriptor, properties: [...descriptor.properties, { name: 'Size', displayName: 'Size', description: '', type: 'dataSize' as const }] };
    expect(validateConfig(sized, { Size: '#{Size}', Count: '#{n}' }, { parameters: { Size: '10 KB', n: '3' } })).toEqual([]);
    const bad = validateConfig(sized, { Size: '#{Size}', Count: '#{n}' }, { parameters: { Size: '12 parsecs', n: '30' } });
    expect(bad.map((r) => r.message)).toEqual([
      "Count: '#{n}' = '30': must be at most 10",
      "Size: '#{Size}' = '12 parsecs' is not a data size such as '10 KB' or '1 GB'",
    ]);
    // Unknown values are not guessed at: without the flow's parameters nothing is refused.
    expect(validateConfig(sized, { Size: '#{Size}' })).toEqual([]);
    // An escaped reference is literal text, checked as such.
    expect(validateConfig(sized, { Size: '##{Size}' }, { parameters: {} })[0]?.message).toContain("'#{Size}' is not a data size");
  });

  it('counts a value that parameters make empty as unset', () => {
    const required = { ...descriptor, properties: [{ name: 'Key', displayName: 'Key', description: '', type: 'string' as const, required: true, validators: [{ kind: 'minLength' as const, min: 3 }] }] };
    expect(validateConfig(required, { Key: '#{key}' }, { parameters: { key: '' } })).toEqual([
      { property: 'Key', message: "Key is required: '#{key}' = '' is empty", code: 'required' },
    ]);
    expect(validateConfig(descriptor, { Count: '#{n}' }, { parameters: { n: '' } })).toEqual([]);
  });

  it('reports references to parameters the flow does not define, as a missing value', () => {
    expect(validateConfig(descriptor, { Count: '#{n}', rule: '${a}#{gone}' }, { parameters: {} })).toEqual([
      { property: 'Count', message: "Count: references parameter 'n', which the flow does not define", code: 'required' },
      { property: 'rule', message: "rule: references parameter 'gone', which the flow does not define", code: 'required' },
    ]);
  });

  it('leaves an expression in an Expression Language property to run time, also when a parameter holds it', () => {
    const checkExpression = () => null;
    expect(validateConfig(descriptor, { URL: '${base}/x' }, { checkExpression, parameters: {} })).toEqual([]);
    expect(validateConfig(descriptor, { URL: '#{base}' }, { checkExpression, parameters: { base: '${host}' } })).toEqual([]);
    expect(validateConfig(descriptor, { URL: '#{base}' }, { checkExpression, parameters: { base: 'ftp://x' } })[0]?.message).toBe(
      "URL: '#{base}' = 'ftp://x': 'ftp://x' is not an http(s) URL",
    );
  });

  it('gives cross-property checks the values after parameter substitution', () => {
    let seen: unknown;
    const def = defineProcessor({ descriptor, validate: (c) => ((seen = c), []), onTrigger: () => undefined });
    validateProcessor(def, { Count: '#{n}', rule: 'x ##{y}' }, { parameters: { n: '2' } });
    expect(seen).toEqual({ Mode: 'a', Count: '2', rule: 'x #{y}' });
  });

  it('gives cross-property checks the default of every property left unset, and the value of one that is set', () => {
    let seen: unknown;
    const def = defineProcessor({ descriptor, validate: (c) => ((seen = c), []), onTrigger: () => undefined });
    validateProcessor(def, { Mode: undefined, Count: '3' });
    expect(seen).toEqual({ Mode: 'a', Count: '3' });
    validateProcessor(def, { Mode: 'b', 'Only B': 'x' });
    expect(seen).toEqual({ Mode: 'b', 'Only B': 'x' });
  });

  it('runs cross-property validation only after single-property checks pass', () => {
    const def = defineProcessor({ descriptor, validate: () => [{ property: null, message: 'cross' }], onTrigger: () => undefined });
    expect(validateProcessor(def, { Count: '0' })[0]?.property).toBe('Count');
    expect(validateProcessor(def, {})).toEqual([{ property: null, message: 'cross' }]);
  });
});

describe('relationshipsFor', () => {
  it('adds dynamic relationships and conditional ones from the config', () => {
    expect(relationshipsFor(descriptor, { big: '${size:gt(10)}' }).map((r) => r.name)).toEqual(['success', 'big']);
    expect(relationshipsFor(descriptor, { Mode: 'b', big: 'x' }).map((r) => r.name)).toEqual(['success', 'special']);
  });
});

describe('defineProcessor', () => {
  it('rejects inconsistent descriptors', () => {
    expect(() => defineProcessor({ descriptor: { ...descriptor, type: 'bad type' }, onTrigger: () => undefined })).toThrow(DescriptorError);
    expect(() =>
      defineProcessor({ descriptor: { ...descriptor, relationships: [descriptor.relationships[0]!, descriptor.relationships[0]!] }, onTrigger: () => undefined }),
    ).toThrow(/duplicate relationship/);
  });

  it('keeps a row-writer and its row rule together, and each exposed meaning on one property', () => {
    const checkRow = () => null;
    expect(() => defineProcessor({ descriptor: { ...descriptor, roles: ['row-writer'] }, onTrigger: () => undefined })).toThrow(/row-writer implements checkRow/);
    expect(() => defineProcessor({ descriptor, checkRow, onTrigger: () => undefined })).toThrow(/only a row-writer/);
    expect(() => defineProcessor({ descriptor: { ...descriptor, roles: ['row-writer'] }, checkRow, onTrigger: () => undefined })).not.toThrow();
    const [mode, count] = descriptor.properties;
    const twice = [{ ...mode!, exposedAs: 'target.url' }, { ...count!, exposedAs: 'target.url' }];
    expect(() => defineProcessor({ descriptor: { ...descriptor, properties: twice }, onTrigger: () => undefined })).toThrow(/two properties exposed as 'target.url'/);
  });
});

describe('outcome semantics', () => {
  const outcomes: ProcessorDescriptor = {
    ...descriptor,
    roles: ['login'],
    properties: [{ ...descriptor.properties[3]!, exposedAs: 'target.url' }],
    relationships: [{ name: 'done', description: '' }, REL_FAILURE, { name: 'gave up', description: '', failure: true }],
    writesAttributes: [{ name: 'took', description: '' }, { name: 'why', description: '', error: true }, { name: 'detail', description: '', error: true }],
  };

  it('reads failure routes, reason attributes, roles and exposed properties from the descriptor alone', () => {
    expect([...failureRelationships(outcomes)]).toEqual(['failure', 'gave up']);
    expect(errorAttributes(outcomes)).toEqual(['why', 'detail']);
    expect(hasRole(outcomes, 'login')).toBe(true);
    expect(hasRole(outcomes, 'script')).toBe(false);
    expect(hasRole(descriptor, 'login')).toBe(false);
    expect(exposedProperty(outcomes, 'target.url')?.name).toBe('URL');
    expect(exposedProperty(outcomes, 'target.list')).toBeUndefined();
    expect(failureRelationships(descriptor).size).toBe(0);
  });
});

describe('durations and data sizes', () => {
  it('parses NiFi forms', () => {
    expect(parseDuration('30 sec')).toBe(30_000);
    expect(parseDuration('5 mins')).toBe(300_000);
    expect(parseDuration('100 millis')).toBe(100);
    expect(parseDuration('1 day')).toBe(86_400_000);
    expect(parseDuration('soon')).toBeNull();
    expect(parseDataSize('1 GB')).toBe(1024 ** 3);
    expect(parseDataSize('10 KB')).toBe(10_240);
    expect(parseDataSize('ten')).toBeNull();
  });
});
