import { defineProcessor, handleList, propertyHandle, propertyHandles, REL_SUCCESS, type ProcessContext } from '@sluice/flow-api';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { TestRunner } from './test-runner.js';

const P = propertyHandles([
  { name: 'Timeout', displayName: 'Timeout', description: 'How long.', type: 'duration', default: '30 sec' },
  { name: 'Max Size', displayName: 'Max Size', description: 'How big.', type: 'dataSize' },
  { name: 'Batch', displayName: 'Batch', description: 'How many.', type: 'integer', required: true, default: '10' },
  { name: 'Ratio', displayName: 'Ratio', description: 'A number.', type: 'number' },
  { name: 'Enabled', displayName: 'Enabled', description: 'A switch.', type: 'boolean', default: 'false' },
  {
    name: 'Mode',
    displayName: 'Mode',
    description: 'A choice.',
    type: 'enum',
    default: 'fast',
    expressionScope: 'flowfile',
    allowableValues: [
      { value: 'fast', displayName: 'Fast' },
      { value: 'safe', displayName: 'Safe' },
    ],
  },
  { name: 'Greeting', displayName: 'Greeting', description: 'Text with EL.', type: 'string', expressionScope: 'flowfile' },
  { name: 'Name', displayName: 'Name', description: 'Required text.', type: 'string', required: true },
  { name: 'Headers', displayName: 'Headers', description: 'A dict.', type: 'dict' },
]);

/** Not in the processor's list: reading it is a programming error. */
const UNDECLARED = propertyHandle({ name: 'Elsewhere', displayName: 'Elsewhere', description: 'Another processor.', type: 'string' });

const reads: Record<string, unknown>[] = [];
let probe: (ctx: ProcessContext) => unknown = () => undefined;

const Typed = defineProcessor({
  descriptor: {
    type: 'Typed',
    version: 1,
    displayName: 'Typed',
    description: 'Reads its properties through handles.',
    category: 'utility',
    tags: [],
    properties: handleList(P),
    relationships: [REL_SUCCESS],
    inputRequirement: 'required',
  },
  onTrigger(ctx, session) {
    const ff = session.get();
    if (!ff) return;
    reads.push({
      timeout: ctx.get(P.Timeout),
      maxSize: ctx.get(P['Max Size']),
      batch: ctx.get(P.Batch),
      ratio: ctx.get(P.Ratio),
      enabled: ctx.get(P.Enabled),
      mode: ctx.get(P.Mode, ff),
      greeting: ctx.get(P.Greeting, ff, { extra: 'x' }),
      headers: ctx.get(P.Headers),
      probe: probe(ctx),
    });
    session.transfer(ff, REL_SUCCESS);
  },
});

async function readOnce(properties: Record<string, string>, attributes: Record<string, string> = {}): Promise<Record<string, unknown>> {
  reads.length = 0;
  const runner = new TestRunner(Typed).setProperties({ Name: 'n', ...properties });
  runner.enqueue('x', attributes);
  await runner.run();
  return reads[0]!;
}

describe('typed property handles', () => {
  it('type each read by its descriptor: defined when there is a default or it is required', () => {
    expectTypeOf<ReturnType<typeof readTimeout>>().toEqualTypeOf<number>();
    expectTypeOf<ReturnType<typeof readSize>>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ReturnType<typeof readMode>>().toEqualTypeOf<'fast' | 'safe'>();
    expectTypeOf<ReturnType<typeof readEnabled>>().toEqualTypeOf<boolean>();
    expectTypeOf<ReturnType<typeof readName>>().toEqualTypeOf<string>();
    expectTypeOf<ReturnType<typeof readHeaders>>().toEqualTypeOf<Record<string, string>>();
    // @ts-expect-error a name the list does not declare has no handle
    void P.Timeuot;
  });

  it('reads durations in ms, sizes in bytes, integers, numbers and booleans, with defaults in force', async () => {
    expect(await readOnce({})).toMatchObject({ timeout: 30_000, maxSize: undefined, batch: 10, ratio: undefined, enabled: false, mode: 'fast', greeting: undefined, headers: {} });
    expect(await readOnce({ Timeout: '2 mins', 'Max Size': '1 KB', Batch: '3', Ratio: '0.5', Enabled: 'true', Headers: '{"a":"b"}' })).toMatchObject({
      timeout: 120_000,
      maxSize: 1024,
      batch: 3,
      ratio: 0.5,
      enabled: true,
      headers: { a: 'b' },
    });
  });

  it('falls back to the default for an empty non-text value, and keeps empty text as set', async () => {
    expect(await readOnce({ Timeout: '', Batch: '', Greeting: '' })).toMatchObject({ timeout: 30_000, batch: 10, greeting: '' });
  });

  it('evaluates Expression Language against the FlowFile and extra attributes, and checks enums after evaluation', async () => {
    expect(await readOnce({ Mode: '${mode}', Greeting: 'hi ${who} ${extra}' }, { mode: 'safe', who: 'ann' })).toMatchObject({ mode: 'safe', greeting: 'hi ann x' });
    await expect(readOnce({ Mode: '${mode}' }, { mode: 'slow' })).rejects.toThrow("Mode: 'slow' is not one of fast, safe");
  });

  it('names the property when a value is not of its type', async () => {
    await expect(readOnce({ Timeout: 'soon' })).rejects.toThrow("Timeout: 'soon' is not a duration");
    await expect(readOnce({ Batch: 'ten' })).rejects.toThrow("Batch: 'ten' is not a whole number");
  });

  it('throws for a required property left unset, and for a handle the processor does not declare', async () => {
    probe = (ctx) => ctx.get(P.Name);
    reads.length = 0;
    const runner = new TestRunner(Typed);
    runner.enqueue('x');
    await expect(runner.run()).rejects.toThrow('Name is required');
    probe = (ctx) => ctx.get(UNDECLARED);
    await expect(readOnce({})).rejects.toThrow("Typed does not declare the property 'Elsewhere'");
    probe = (ctx) => ctx.property(UNDECLARED);
    await expect(readOnce({})).rejects.toThrow("Typed does not declare the property 'Elsewhere'");
    probe = () => undefined;
  });

  it('keeps the string-name reads, which throw for an undeclared name', async () => {
    probe = (ctx) => ctx.property('Batch').asInteger();
    expect((await readOnce({ Batch: '4' })).probe).toBe(4);
    probe = (ctx) => ctx.property('Bacth');
    await expect(readOnce({})).rejects.toThrow("Typed has no property 'Bacth'");
    probe = () => undefined;
  });
});

// Type-level probes for the first spec: never called.
const readTimeout = (ctx: ProcessContext) => ctx.get(P.Timeout);
const readSize = (ctx: ProcessContext) => ctx.get(P['Max Size']);
const readMode = (ctx: ProcessContext) => ctx.get(P.Mode);
const readEnabled = (ctx: ProcessContext) => ctx.get(P.Enabled);
const readName = (ctx: ProcessContext) => ctx.get(P.Name);
const readHeaders = (ctx: ProcessContext) => ctx.get(P.Headers);
