/**
 * JoltTransformJSON against NiFi 2.x's documented behaviour and the cases of NiFi's TestJoltTransformJSON (inputs,
 * specifications and expected results restated here), through the real session and context.
 */
import { TestRunner } from '@sluice/flow-testing';
import { parseJson } from '@sluice/jolt';
import { beforeEach, describe, expect, it } from 'vitest';
import { JoltTransformJSON } from './jolt-transform-json.processor.js';

const INPUT = '{\n  "rating": {\n    "primary": {\n      "value": 3\n    },\n    "series": {\n      "value": [5,4]\n    },\n    "quality": {\n      "value": 3\n    }\n  }\n}';
const CHAIN_SPEC = JSON.stringify([
  {
    operation: 'shift',
    spec: { rating: { primary: { value: 'Rating', max: 'RatingRange' }, '*': { max: 'SecondaryRatings.&1.Range', value: 'SecondaryRatings.&1.Value', $: 'SecondaryRatings.&1.Id' } } },
  },
  { operation: 'default', spec: { Range: 5, SecondaryRatings: { '*': { Range: 5 } } } },
], null, 2);
const CHAIN_OUTPUT = { Range: 5, Rating: 3, SecondaryRatings: { quality: { Id: 'quality', Range: 5, Value: 3 }, series: { Id: 'series', Range: 5, Value: [5, 4] } } };
const SHIFT_SPEC = '{"rating": {"primary": {"value": "SecondaryRatings.quality.RatingRange"}, "quality": {"value": "SecondaryRatings.quality.Value"}}}';
const SHIFT_OUTPUT = { SecondaryRatings: { quality: { Value: 3, RatingRange: 3 } } };
const DEFAULT_SPEC = '{"RatingRange": 5, "rating": {"*": {"MaxLabel": "High", "MinLabel": "Low", "DisplayType": "NORMAL"}}}';
const labels = { MaxLabel: 'High', MinLabel: 'Low', DisplayType: 'NORMAL' };
const DEFAULT_OUTPUT = { RatingRange: 5, rating: { primary: { value: 3, ...labels }, series: { value: [5, 4], ...labels }, quality: { value: 3, ...labels } } };
const CUSTOM_CLASS = 'org.apache.nifi.processors.jolt.TestCustomJoltTransform';

let runner: TestRunner;
beforeEach(() => {
  runner = new TestRunner(JoltTransformJSON);
});

/** The one success FlowFile, its mime.type, and its content parsed (object key order ignored, as Diffy does). */
async function transformed(content = INPUT, attributes: Record<string, string> = {}): Promise<unknown> {
  runner.enqueue(content, attributes);
  await runner.run();
  runner.assertAllTransferred('success', 1);
  const [out] = runner.flowFilesFor('success');
  out!.assertAttributeEquals('mime.type', 'application/json');
  return out!.contentJson();
}

describe('JoltTransformJSON (NiFi TestJoltTransformJSON cases)', () => {
  it('has the relationships success and failure', () => {
    expect(JoltTransformJSON.descriptor.relationships.map((r) => r.name)).toEqual(['success', 'failure']);
  });

  it('validates the specification for the chosen transform', () => {
    runner.setProperty('Jolt Specification', '[{}]');
    runner.assertNotValid();
    runner.setProperty('Jolt Specification', CHAIN_SPEC);
    runner.assertValid();
    // A chain is not a shift spec.
    runner.setProperty('Jolt Transform', 'jolt-transform-shift');
    runner.assertNotValid();
  });

  it('needs a specification unless the transform is Sort', () => {
    runner.setProperty('Jolt Transform', 'jolt-transform-shift');
    runner.assertNotValid();
    runner.setProperty('Jolt Specification', '');
    runner.assertNotValid();
    runner.removeProperty('Jolt Specification').setProperty('Jolt Transform', 'jolt-transform-sort');
    runner.assertValid();
  });

  it('names files when a specification is a path (reading specification files is not supported)', () => {
    runner.setProperty('Jolt Specification', '/opt/nifi/specs/nonExistingSpec.json');
    const [issue] = runner.validate();
    expect(issue?.message).toMatch(/file/);
  });

  it('transfers nothing when there is no FlowFile, and routes content that is not JSON to failure', async () => {
    runner.setProperty('Jolt Specification', CHAIN_SPEC);
    await runner.run();
    runner.assertQueueEmpty();
    runner.assertTransferCount('success', 0);
    runner.assertTransferCount('failure', 0);
    runner.enqueue('invalid json');
    await runner.run();
    runner.assertAllTransferred('failure', 1);
    expect(runner.flowFilesFor('failure')[0]!.contentText()).toBe('invalid json');
  });

  it('runs a chain with no comment, a leading line comment or a leading block comment', async () => {
    for (const spec of [CHAIN_SPEC, `// Single line comment\n${CHAIN_SPEC}`, `/*\n    Multiline Java comment\n*/\n${CHAIN_SPEC}`]) {
      runner = new TestRunner(JoltTransformJSON).setProperty('Jolt Specification', spec);
      expect(await transformed()).toEqual(CHAIN_OUTPUT);
    }
  });

  it('runs each single transform type', async () => {
    const cases: [string, string, unknown][] = [
      ['jolt-transform-shift', SHIFT_SPEC, SHIFT_OUTPUT],
      ['jolt-transform-default', DEFAULT_SPEC, DEFAULT_OUTPUT],
      ['jolt-transform-remove', '{"rating": {"quality": ""}}', { rating: { primary: { value: 3 }, series: { value: [5, 4] } } }],
      ['jolt-transform-card', '{"rating": {"series": {"value": "ONE"}}}', { rating: { primary: { value: 3 }, quality: { value: 3 }, series: { value: 5 } } }],
      ['jolt-transform-modify-default', '{"rating": {"primary?": {"+value": 0}}}', { rating: { primary: { value: 0 }, series: { value: [5, 4] }, quality: { value: 3 } } }],
      ['jolt-transform-modify-define', '{"rating": {"question": {"value": 0}}}', { rating: { primary: { value: 3 }, series: { value: [5, 4] }, quality: { value: 3 }, question: { value: 0 } } }],
      ['jolt-transform-modify-overwrite', '{"rating": {"series": {"series_first": "=firstElement(@(1,value))"}}}', { rating: { primary: { value: 3 }, quality: { value: 3 }, series: { series_first: 5, value: [5, 4] } } }],
    ];
    for (const [transform, spec, expected] of cases) {
      runner = new TestRunner(JoltTransformJSON).setProperty('Jolt Transform', transform).setProperty('Jolt Specification', spec);
      expect(await transformed(), transform).toEqual(expected);
    }
  });

  it('keeps accented characters in keys and values', async () => {
    const accented = (s: string) => s.replace('"primary"', '"primaryÄÖÜ"');
    runner.setProperty('Jolt Transform', 'jolt-transform-shift').setProperty('Jolt Specification', accented(SHIFT_SPEC));
    expect(await transformed(accented(INPUT))).toEqual(SHIFT_OUTPUT);
  });

  it('sorts keys, ignoring any specification, even one that is not JSON', async () => {
    runner.setProperty('Jolt Transform', 'jolt-transform-sort').setProperty('Jolt Specification', 'abcd');
    runner.assertValid();
    runner.enqueue(INPUT);
    await runner.run();
    expect(runner.flowFilesFor('success')[0]!.contentText()).toBe('{"rating":{"primary":{"value":3},"quality":{"value":3},"series":{"value":[5,4]}}}');
  });

  it('evaluates Expression Language in the specification per FlowFile', async () => {
    const withLabels = (value: string) => `{"value": ${value}, "MaxLabel": "High", "MinLabel": "Low", "DisplayType": "NORMAL"}`;
    const elSpec = `{"RatingRange": 5, "rating": {"primary": ${withLabels('3')}, "quality": ${withLabels('3')}, "series": ${withLabels('[5,4]')}, "quota": {"value": "\${quota}"}}}`;
    runner.setProperty('Jolt Transform', 'jolt-transform-default').setProperty('Jolt Specification', elSpec);
    runner.assertValid();
    expect(await transformed(INPUT, { quota: '5' })).toEqual({ ...DEFAULT_OUTPUT, rating: { ...DEFAULT_OUTPUT.rating, quota: { value: '5' } } });

    runner = new TestRunner(JoltTransformJSON).setProperty('Jolt Transform', 'jolt-transform-default').setProperty('Jolt Specification', '${joltSpec}');
    runner.assertValid();
    expect(await transformed(INPUT, { joltSpec: DEFAULT_SPEC })).toEqual(DEFAULT_OUTPUT);
  });

  it('refuses invalid Expression Language, and checks an evaluated specification when it runs', async () => {
    runner.setProperty('Jolt Specification', '${joltSpec:nonExistingFunction()}');
    runner.assertNotValid();
    runner.setProperty('Jolt Specification', '${joltSpec}');
    runner.enqueue(INPUT, { joltSpec: '[{"operation": "shift", "spec": {"a": 5}}]' });
    await runner.run();
    runner.assertAllTransferred('failure', 1);
    expect(runner.flowFilesFor('failure')[0]!.getAttribute('jolt.error')).toMatch(/Jolt Specification: .*\[0\]\.spec\.a/);
  });

  it('transforms a JSON attribute in place, and fails when it is missing or not JSON', async () => {
    const configure = () => new TestRunner(JoltTransformJSON)
      .setProperty('Jolt Specification', CHAIN_SPEC).setProperty('JSON Source', 'ATTRIBUTE').setProperty('JSON Source Attribute', 'jsonSourceAttr');
    runner = configure();
    runner.enqueue(INPUT);
    await runner.run();
    runner.assertAllTransferred('failure', 1);
    expect(runner.flowFilesFor('failure')[0]!.getAttribute('jolt.error')).toBe('Content not found in FlowFile Attribute [jsonSourceAttr]');

    runner = configure();
    runner.enqueue(INPUT, { jsonSourceAttr: '{"rating":{"primary":{"value":3},"series":{"value":[5,4]},"quality":{"value":}}}' });
    await runner.run();
    runner.assertAllTransferred('failure', 1);

    runner = configure();
    runner.enqueue('not json, left alone', { jsonSourceAttr: '{"rating":{"primary":{"value":3},"series":{"value":[5,4]},"quality":{"value":3}}}' });
    await runner.run();
    runner.assertAllTransferred('success', 1);
    const [out] = runner.flowFilesFor('success');
    expect(parseJson(out!.getAttribute('jsonSourceAttr')!)).toEqual(CHAIN_OUTPUT);
    expect(out!.contentText()).toBe('not json, left alone');
    out!.assertAttributeNotExists('mime.type');
  });

  it('transforms each line of JSON Lines, skipping blank lines', async () => {
    runner.setProperty('Jolt Specification', CHAIN_SPEC).setProperty('JSON Source', 'JSON_LINES');
    runner.enqueue('{"rating":{"primary":{"value":3},"series":{"value":[5,4]},"quality":{"value":3}}}\n\n{"rating":{"primary":{"value":7},"series":{"value":[2,1]},"quality":{"value":8}}}\n');
    await runner.run();
    runner.assertAllTransferred('success', 1);
    const [out] = runner.flowFilesFor('success');
    out!.assertAttributeEquals('mime.type', 'application/jsonl');
    const lines = out!.contentText().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual(CHAIN_OUTPUT);
    expect((JSON.parse(lines[1]!) as { Rating: number }).Rating).toBe(7);
  });

  it('routes JSON Lines with a line that is not JSON to failure', async () => {
    runner.setProperty('Jolt Specification', CHAIN_SPEC).setProperty('JSON Source', 'JSON_LINES');
    runner.enqueue('{"rating":{"primary":{"value":3}}}\nnot valid json\n');
    await runner.run();
    runner.assertAllTransferred('failure', 1);
    expect(runner.flowFilesFor('failure')[0]!.getAttribute('jolt.error')).toMatch(/line 2 is not JSON/);
  });

  it('retains or resolves Unicode escape sequences', async () => {
    const input = '{"value": "\\u011f\\u00fc\\u015f\\u0131\\u00f6\\u00e7\\u011e\\u00dc\\u015e\\u0130\\u00d6\\u00c7"}';
    for (const [retain, expected] of [['true', '{"value":"\\u011F\\u00FC\\u015F\\u0131\\u00F6\\u00E7\\u011E\\u00DC\\u015E\\u0130\\u00D6\\u00C7"}'], ['false', '{"value":"ğüşıöçĞÜŞİÖÇ"}']] as const) {
      runner = new TestRunner(JoltTransformJSON)
        .setProperty('Jolt Specification', '[{"operation": "shift", "spec": {"*": "&"}}]').setProperty('Retain Unicode Escape Sequences', retain);
      runner.enqueue(input);
      await runner.run();
      runner.flowFilesFor('success')[0]!.assertContentEquals(expected);
    }
  });

  it('refuses the Custom transform and its class options, saying they are not supported', () => {
    runner.setProperty('Jolt Transform', 'jolt-transform-custom').setProperty('Jolt Specification', CHAIN_SPEC)
      .setProperty('Custom Transformation Class Name', CUSTOM_CLASS).setProperty('Custom Module Directory', '/opt/jars');
    const issues = runner.validate();
    expect(issues.map((i) => i.property)).toEqual(['Jolt Transform', 'Custom Transformation Class Name', 'Custom Module Directory']);
    for (const i of issues) expect(i.message).toMatch(/not supported/);
    // A chain naming a Java class as an operation is refused the same way.
    runner = new TestRunner(JoltTransformJSON).setProperty('Jolt Specification', `[{"operation": "${CUSTOM_CLASS}", "spec": ${CHAIN_SPEC}}]`);
    expect(runner.validate()[0]?.message).toMatch(/Java class: custom transformation classes are not supported/);
  });

  it('ignores custom class options while the transform is not Custom, as NiFi does', async () => {
    runner.setProperty('Jolt Transform', 'jolt-transform-default').setProperty('Jolt Specification', DEFAULT_SPEC)
      .setProperty('Custom Transformation Class Name', CUSTOM_CLASS).setProperty('Custom Module Directory', '/opt/jars');
    runner.assertValid();
    expect(await transformed()).toEqual(DEFAULT_OUTPUT);
  });

  it('pretty prints with the Jackson layout NiFi writes', async () => {
    runner.setProperty('Jolt Specification', CHAIN_SPEC).setProperty('Pretty Print', 'true');
    runner.enqueue(INPUT);
    await runner.run();
    runner.flowFilesFor('success')[0]!.assertContentEquals([
      '{', '  "Rating" : 3,', '  "SecondaryRatings" : {', '    "series" : {', '      "Id" : "series",', '      "Value" : [ 5, 4 ],',
      '      "Range" : 5', '    },', '    "quality" : {', '      "Id" : "quality",', '      "Value" : 3,', '      "Range" : 5', '    }', '  },',
      '  "Range" : 5', '}',
    ].join('\n'));
  });

  it('writes null when the transform yields nothing, as NiFi does', async () => {
    runner.setProperty('Jolt Specification', '[{"operation": "shift", "spec": {"missing": "x"}}]');
    runner.enqueue(INPUT);
    await runner.run();
    runner.flowFilesFor('success')[0]!.assertContentEquals('null');
  });

  it('migrates the property keys NiFi 1.x stored', async () => {
    runner.setProperty('jolt-transform', 'jolt-transform-shift').setProperty('jolt-spec', SHIFT_SPEC).setProperty('pretty_print', 'false')
      .setProperty('jolt-custom-class', CUSTOM_CLASS).setProperty('Transform Cache Size', '3');
    runner.assertNotValid();
    const result = runner.migrateProperties();
    expect(result.changes).toEqual([
      "renamed 'jolt-transform' to 'Jolt Transform'", "renamed 'jolt-spec' to 'Jolt Specification'",
      "renamed 'jolt-custom-class' to 'Custom Transformation Class Name'", "renamed 'pretty_print' to 'Pretty Print'",
    ]);
    expect(Object.keys(runner.configuredProperties)).toEqual(['Jolt Transform', 'Jolt Specification', 'Pretty Print', 'Custom Transformation Class Name', 'Transform Cache Size']);
    runner.assertValid();
    expect(await transformed()).toEqual(SHIFT_OUTPUT);
  });
});
