/** ExtractText against the cases of NiFi's TestExtractText, restated, through the real session and context. */
import { TestRunner } from '@sluice/flow-testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { ExtractText } from './extract-text.processor.js';

const SAMPLE = 'foo\r\nbar1\r\nbar2\r\nbar3\r\nhello\r\nworld\r\n';
let runner: TestRunner;
beforeEach(() => {
  runner = new TestRunner(ExtractText);
});

async function extract(config: Record<string, string>, content = SAMPLE) {
  for (const [k, v] of Object.entries(config)) runner.setProperty(k, v);
  runner.assertValid();
  runner.clearTransferState();
  runner.enqueue(content);
  await runner.run();
}
const matched = () => {
  runner.assertAllTransferred('matched', 1);
  return runner.flowFilesFor('matched')[0]!;
};

describe('ExtractText (NiFi TestExtractText cases)', () => {
  it('captures first, reluctant, repeated and greedy groups; group 0 as <name>.0', async () => {
    await extract({
      'regex.result1': '(?s)(.*)', 'regex.result2': '(?s).*(bar1).*', 'regex.result3': '(?s).*?(bar\\d).*',
      'regex.result4': '(?s).*?(?:bar\\d).*?(bar\\d).*?(bar3).*', 'regex.result5': '(?s).*(bar\\d).*', 'regex.result6': '(?s)^(.*)$', 'regex.result7': '(?s)(XXX)',
    });
    const out = matched();
    expect(out.attributes).toMatchObject({
      'regex.result1': SAMPLE, 'regex.result2': 'bar1', 'regex.result3': 'bar1', 'regex.result4': 'bar2', 'regex.result4.0': SAMPLE,
      'regex.result4.1': 'bar2', 'regex.result4.2': 'bar3', 'regex.result5': 'bar3', 'regex.result6': SAMPLE,
    });
    out.assertAttributeNotExists('regex.result4.3');
    out.assertAttributeNotExists('regex.result7');
  });

  it('skips an optional group that did not match', async () => {
    await extract({ regex: 'abc(def)?(g)' }, 'abcg');
    matched().assertAttributeNotExists('regex.1');
    matched().assertAttributeEquals('regex.2', 'g');
    await extract({}, 'abcdefg');
    expect(matched().attributes).toMatchObject({ 'regex.1': 'def', 'regex.2': 'g' });
  });

  it('honours DOTALL, MULTILINE and both', async () => {
    await extract({ 'Enable DOTALL Mode': 'true', 'regex.result1': '(.*)', 'regex.result2': '.*(bar1).*', 'regex.result3': '.*?(bar\\d).*', 'regex.result4': '.*?(?:bar\\d).*?(bar\\d).*', 'regex.result5': '.*(bar\\d).*', 'regex.result6': '^(.*)$', 'regex.result7': '^(XXX)$' });
    expect(matched().attributes).toMatchObject({ 'regex.result1': SAMPLE, 'regex.result2': 'bar1', 'regex.result3': 'bar1', 'regex.result4': 'bar2', 'regex.result5': 'bar3', 'regex.result6': SAMPLE });
    matched().assertAttributeNotExists('regex.result7');

    runner = new TestRunner(ExtractText);
    const multi = { 'regex.result1': '(.*)', 'regex.result2': '(bar1)', 'regex.result3': '.*?(bar\\d).*', 'regex.result4': '.*?(?:bar\\d).*?(bar\\d).*', 'regex.result4b': 'bar\\d\\r\\n(bar\\d)', 'regex.result5': '.*(bar\\d).*', 'regex.result5b': '(?:bar\\d\\r?\\n)*(bar\\d)', 'regex.result6': '^(.*)$', 'regex.result7': '^(XXX)$' };
    await extract({ 'Enable Multiline Mode': 'true', ...multi });
    expect(matched().attributes).toMatchObject({ 'regex.result1': 'foo', 'regex.result2': 'bar1', 'regex.result3': 'bar1', 'regex.result4b': 'bar2', 'regex.result5': 'bar1', 'regex.result5b': 'bar3', 'regex.result6': 'foo' });
    matched().assertAttributeNotExists('regex.result4');
    matched().assertAttributeNotExists('regex.result7');

    runner = new TestRunner(ExtractText);
    await extract({ 'Enable Multiline Mode': 'true', 'Enable DOTALL Mode': 'true', ...multi });
    expect(matched().attributes).toMatchObject({ 'regex.result1': SAMPLE, 'regex.result2': 'bar1', 'regex.result3': 'bar1', 'regex.result4': 'bar2', 'regex.result4b': 'bar2', 'regex.result5': 'bar3', 'regex.result5b': 'bar3', 'regex.result6': SAMPLE });
  });

  it('routes to unmatched, adding nothing, when no expression matches', async () => {
    await extract({ 'Enable Multiline Mode': 'true', 'Enable DOTALL Mode': 'true', 'regex.result2': '(bar1)', 'regex.result7': '^(XXX)$' }, 'YYY');
    runner.assertAllTransferred('unmatched', 1);
    const out = runner.flowFilesFor('unmatched')[0]!;
    out.assertAttributeNotExists('regex.result2');
    out.assertAttributeNotExists('regex.result7');
  });

  it('transfers nothing without a FlowFile, and has the relationships matched and unmatched', async () => {
    await runner.run();
    runner.assertTransferCount('matched', 0);
    expect(ExtractText.descriptor.relationships.map((r) => r.name)).toEqual(['matched', 'unmatched']);
  });

  it('does not look past the buffer', async () => {
    await extract({ 'Maximum Buffer Size': '3 B', 'regex.result1': '(foo)', 'regex.result2': '(world)' });
    matched().assertAttributeEquals('regex.result1', 'foo');
    matched().assertAttributeNotExists('regex.result2');
  });

  it('includes group 0 by default, and not when asked not to', async () => {
    await extract({ 'regex.result': '(?s)(.*)' });
    matched().assertAttributeExists('regex.result.0');
    matched().assertAttributeEquals('regex.result', SAMPLE);
    runner = new TestRunner(ExtractText);
    await extract({ 'Include Capture Group 0': 'false', 'regex.result': '(?s)(.*)' });
    matched().assertAttributeNotExists('regex.result.0');
    matched().assertAttributeEquals('regex.result', SAMPLE);
  });

  it('numbers repeated matches on from the first', async () => {
    await extract({ 'Enable Repeating Capture Group': 'true', 'regex.result': '(?s)(\\w+)' }, 'This is my text');
    expect(matched().attributes).toMatchObject({ 'regex.result': 'This', 'regex.result.0': 'This', 'regex.result.1': 'This', 'regex.result.2': 'is', 'regex.result.3': 'my', 'regex.result.4': 'text' });
    runner = new TestRunner(ExtractText);
    await extract({ 'Enable Repeating Capture Group': 'true', 'regex.result': '(\\w+)=(\\d+)' }, 'a=1,b=10,c=100');
    expect(matched().attributes).toMatchObject({ 'regex.result': 'a', 'regex.result.0': 'a=1', 'regex.result.1': 'a', 'regex.result.2': '1', 'regex.result.3': 'b', 'regex.result.4': '10', 'regex.result.5': 'c', 'regex.result.6': '100' });
    matched().assertAttributeNotExists('regex.result.7');
  });

  it('allows a pattern without groups (only <name>.0), unless group 0 is excluded', async () => {
    await extract({ 'regex.result': '(?s).*' });
    matched().assertAttributeNotExists('regex.result');
    matched().assertAttributeEquals('regex.result.0', SAMPLE);
    runner = new TestRunner(ExtractText).setProperty('Include Capture Group 0', 'false').setProperty('regex.result', '(?s).*');
    runner.assertNotValid();
  });
});
