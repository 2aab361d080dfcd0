import { type InProcessRegexEngine, TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { ExtractText } from './extract-text.processor.js';

async function extract(config: Record<string, string>, content: string | Uint8Array) {
  const r = new TestRunner(ExtractText);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  r.assertValid();
  r.enqueue(content);
  await r.run();
  return r;
}
const issues = (config: Record<string, string>) => {
  const r = new TestRunner(ExtractText);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  return r.validate();
};

describe('ExtractText properties', () => {
  it('Character Set decodes the content', async () => {
    const r = await extract({ 'Character Set': 'UTF-16LE', word: '(\\w+)' }, new Uint8Array([0x68, 0, 0x69, 0]));
    r.flowFilesFor('matched')[0]!.assertAttributeEquals('word', 'hi');
    expect(issues({ 'Character Set': 'KOI8-R', a: '(a)' })[0]!.property).toBe('Character Set');
  });

  it('Maximum Capture Group Length truncates values', async () => {
    const r = await extract({ 'Maximum Capture Group Length': '3', word: '(\\w+)' }, 'abcdef');
    expect(r.flowFilesFor('matched')[0]!.attributes).toMatchObject({ word: 'abc', 'word.0': 'abc', 'word.1': 'abc' });
  });

  it('Enable Case-insensitive Matching, Literal Parsing and Whitespace and Comments change the pattern', async () => {
    (await extract({ 'Enable Case-insensitive Matching': 'true', w: '(HELLO)' }, 'hello')).flowFilesFor('matched')[0]!.assertAttributeEquals('w', 'hello');
    (await extract({ 'Enable Literal Parsing of the Pattern': 'true', w: 'a.c' }, 'abc a.c')).flowFilesFor('matched')[0]!.assertAttributeEquals('w.0', 'a.c');
    (await extract({ 'Permit Whitespace and Comments in Pattern': 'true', w: '(a) b # comment' }, 'ab')).flowFilesFor('matched')[0]!.assertAttributeEquals('w', 'a');
    (await extract({ 'Enable Unicode-aware Case Folding': 'true', 'Enable Case-insensitive Matching': 'true', w: '(É)' }, 'é')).flowFilesFor('matched')[0]!.assertAttributeEquals('w', 'é');
  });

  it('refuses the flags JavaScript cannot honour', () => {
    for (const name of ['Enable Canonical Equivalence', 'Enable Unicode Predefined Character Classes', 'Enable Unix Lines Mode']) {
      expect(issues({ [name]: 'true', a: '(a)' })).toEqual([expect.objectContaining({ property: name, message: expect.stringContaining('is not supported') })]);
    }
  });

  it('Enable Named Groups names attributes after the groups, and needs every group named', async () => {
    const r = await extract({ 'Enable Named Groups': 'true', 'Enable Repeating Capture Group': 'true', kv: '(?<key>\\w+)=(?<value>\\d+)' }, 'a=1,b=2');
    expect(r.flowFilesFor('matched')[0]!.attributes).toMatchObject({ kv: 'a=1', 'kv.key': 'a', 'kv.value': '1', 'kv.key.1': 'b', 'kv.value.1': '2' });
    expect(issues({ 'Enable Named Groups': 'true', kv: '(?<key>\\w+)=(\\d+)' })[0]!.message).toContain('Named group count does not match total group count');
  });

  it('refuses more than 40 groups, invalid patterns and exponential ones the linear engine cannot run', () => {
    expect(issues({ a: '(a)'.repeat(41) })[0]!.message).toMatch(/at most 40/);
    expect(issues({ a: '(a' })[0]!.property).toBe('a');
    expect(issues({ a: '((ab)*)+\\2' })[0]!.message).toMatch(/exponential time, and it uses a back reference \(\\2\)/);
  });

  it("runs a pattern that could backtrack exponentially on the linear engine, with Java's groups and flags", async () => {
    const words = await extract({ words: '^(\\w+\\s?)+$', rep: '(a|ab)*c' }, 'abababc wordy\n');
    expect(words.flowFilesFor('matched')[0]!.attributes).toMatchObject({ 'words.0': 'abababc wordy\n', words: 'wordy\n', 'rep.0': 'abababc', rep: 'ab' });
    const stuck = await extract({ words: '^(\\w+\\s?)+$' }, 'a'.repeat(5000) + '!');
    stuck.assertAllTransferred('unmatched', 1);
    const lines = await extract({ 'Enable DOTALL Mode': 'true', all: '^(.*a)+$' }, 'ba\nca');
    lines.flowFilesFor('matched')[0]!.assertAttributeEquals('all', 'ba\nca');
    (await extract({ all: '^(.*a)+$' }, 'ba\nca')).assertAllTransferred('unmatched', 1);
    const ci = await extract({ 'Enable Case-insensitive Matching': 'true', 'Enable Multiline Mode': 'true', last: '^(a|A)+$' }, 'x\naAa\ny');
    ci.flowFilesFor('matched')[0]!.assertAttributeEquals('last.0', 'aAa');
  });

  it("extracts with a hazardous pattern over more than 32768 characters through the host's regex engine", async () => {
    const big = `q${'x'.repeat(40_000)}y ${'a'.repeat(40_000)}`;
    const r = await extract({ 'Enable Repeating Capture Group': 'true', 'Maximum Capture Group Length': '5', xy: '((x+x+)+y)', tail: '(a|a)+$', none: '(x+x+)+z' }, big);
    expect(r.flowFilesFor('matched')[0]!.attributes).toMatchObject({ xy: 'xxxxx', 'xy.0': 'xxxxx', 'xy.1': 'xxxxx', 'xy.2': 'xxxxx', tail: 'a', 'tail.0': 'aaaaa' });
    expect(Object.keys(r.flowFilesFor('matched')[0]!.attributes).filter((k) => k.startsWith('none'))).toEqual([]);
    expect((r.services.regex as InProcessRegexEngine).jobs.map((j) => j.pattern)).toEqual(['((x+x+)+y)', '(a|a)+$', '(x+x+)+z']);
  });

  it('migrates the NiFi 1.x names of the repeating and named group properties', () => {
    const r = new TestRunner(ExtractText).setProperty('extract-text-enable-repeating-capture-group', 'true').setProperty('Enable named group support', 'false');
    r.migrateProperties();
    expect(r.configuredProperties).toEqual({ 'Enable Repeating Capture Group': 'true', 'Enable Named Groups': 'false' });
  });
});
