import { type InProcessRegexEngine, TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { RouteOnContent } from './route-on-content.processor.js';

const HELLO = 'Hello, World!';

async function route(config: Record<string, string>, content: string | Uint8Array = HELLO, attributes: Record<string, string> = {}) {
  const r = new TestRunner(RouteOnContent);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  r.assertValid();
  r.enqueue(content, attributes);
  await r.run();
  return r;
}

describe('RouteOnContent (NiFi TestRouteOnContent cases)', () => {
  it('clones to every relationship whose expression the content contains', async () => {
    const r = await route({ 'Match Requirement': 'content must contain match', hello: 'Hello', world: 'World' });
    r.assertTransferCount('hello', 1);
    r.assertTransferCount('world', 1);
    r.assertTransferCount('unmatched', 0);
    expect(r.flowFilesFor('world')[0]!.getAttribute('RouteOnContent.Route')).toBe('world');
  });

  it('substitutes attributes with Expression Language', async () => {
    (await route({ 'Match Requirement': 'content must contain match', attr: 'Hel${highLow}' }, HELLO, { highLow: 'lo' })).assertAllTransferred('attr', 1);
  });

  it('matches exactly only the buffered start of the content', async () => {
    (await route({ 'Content Buffer Size': '3 B', rel: 'Hel' })).assertAllTransferred('rel', 1);
  });
});

describe('RouteOnContent relationships and properties', () => {
  it('unmatched: no expression matches, with RouteOnContent.Route set', async () => {
    const r = await route({ rel: 'Bye.*' });
    r.assertAllTransferred('unmatched', 1);
    r.flowFilesFor('unmatched')[0]!.assertAttributeEquals('RouteOnContent.Route', 'unmatched');
  });

  it('Match Requirement: exactly needs the whole content, contain needs a part', async () => {
    (await route({ rel: 'Hello' })).assertAllTransferred('unmatched', 1);
    (await route({ rel: 'Hello.*' })).assertAllTransferred('rel', 1);
    (await route({ 'Match Requirement': 'content must contain match', rel: 'o, W' })).assertAllTransferred('rel', 1);
  });

  it('quotes what Expression Language returns, so attribute values match literally', async () => {
    (await route({ 'Match Requirement': 'content must contain match', rel: '${v}' }, 'a+b', { v: 'a+b' })).assertAllTransferred('rel', 1);
    (await route({ 'Match Requirement': 'content must contain match', rel: '${v}' }, 'aab', { v: 'a+b' })).assertAllTransferred('unmatched', 1);
  });

  it('Character Set decodes the buffered content', async () => {
    (await route({ 'Character Set': 'ISO-8859-1', rel: 'caf\u00e9' }, new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).assertAllTransferred('rel', 1);
  });

  it('refuses unmatched as a rule name, invalid and exponential patterns', () => {
    const v = (config: Record<string, string>) => {
      const r = new TestRunner(RouteOnContent);
      for (const [k, val] of Object.entries(config)) r.setProperty(k, val);
      return r.validate();
    };
    expect(v({ unmatched: 'x' })[0]!.property).toBe('unmatched');
    expect(v({ a: '[' })[0]!.property).toBe('a');
    expect(v({ a: '(x+x+)+y' })).toEqual([]);
    expect(v({ a: '(x+x+)+(?=y)' })[0]!.message).toMatch(/exponential time, and it uses a lookahead/);
  });

  it("routes on hazardous patterns over more than 32768 characters through the host's regex engine", async () => {
    const big = 'a'.repeat(40_000);
    const whole = await route({ tail: '(a|a)+', xy: '(x+x+)+y' }, big);
    expect([whole.flowFilesFor('tail').length, whole.flowFilesFor('xy').length]).toEqual([1, 0]);
    const part = await route({ 'Match Requirement': 'content must contain match', end: '(a|a)+$', xy: '(x+x+)+y' }, `${big}xxy`);
    expect([part.flowFilesFor('end').length, part.flowFilesFor('xy').length]).toEqual([0, 1]);
    expect((part.services.regex as InProcessRegexEngine).jobs.map((j) => j.operation)).toEqual(['find', 'find']);
  });

  it('returns the FlowFile to its queue when Expression Language builds an unsafe pattern the linear engine cannot run', async () => {
    const r = new TestRunner(RouteOnContent).setProperty('a', '(x${p})+');
    r.enqueue('xxx', { p: 'x' });
    await expect(r.run()).resolves.toBeUndefined();
    r.assertTransferCount('unmatched', 1);
    const linear = new TestRunner(RouteOnContent, { parameters: { p: 'x+' } }).setProperty('a', '(x#{p})+');
    linear.enqueue('xxx');
    await linear.run();
    linear.assertTransferCount('a', 1);
    const unsafe = new TestRunner(RouteOnContent, { parameters: { p: 'x+' } }).setProperty('a', '(x#{p})+\\1');
    unsafe.enqueue('xxx');
    await expect(unsafe.run()).rejects.toThrow(/exponential time, and it uses a back reference/);
    unsafe.assertQueueNotEmpty();
  });
});
