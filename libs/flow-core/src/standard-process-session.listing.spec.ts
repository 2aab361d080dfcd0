import { fromUtf8, type FlowFile, type ProcessContext, type ProcessSession, type QueueCursor } from '@sluice/flow-api';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness, graphConnection, graphProcessor, specProcessor, type Harness } from './engine-harness.testing.js';

type Behaviour = (ctx: ProcessContext, session: ProcessSession) => void | Promise<void>;
let behaviour: Behaviour;

const Holder = specProcessor({ type: 'Holder', inputRequirement: 'required' }, { onTrigger: (ctx, session) => behaviour(ctx, session) });
const Sink = specProcessor({ type: 'Sink', inputRequirement: 'required' }, { onTrigger: () => undefined });

function harness(): Harness {
  return createHarness({
    graph: { processors: [graphProcessor('holder', 'Holder'), graphProcessor('sink', 'Sink')], connections: [graphConnection('out', 'holder', 'sink')] },
    definitions: [Holder, Sink],
  });
}

const INGRESS = 'ingress:holder';
const names = (list: readonly FlowFile[]) => list.map((f) => f.attributes['filename']);
const queued = (h: Harness, id: string) => h.engine.queue(id).flowFiles.map((f) => f.flowFile.attributes['filename']);
const enqueue = (h: Harness, ...files: string[]) => h.engine.enqueue('holder', files.map((filename) => ({ attributes: { filename }, content: `content of ${filename}` })));

let cursor: QueueCursor | null;
beforeEach(() => {
  cursor = null;
});

describe('ProcessSession.listNew and takeListed', () => {
  it('lists only what is new across triggers, reads it without taking it, and takes exactly the chosen ones', async () => {
    const h = harness();
    const looks: { names: (string | undefined)[]; complete: boolean; contents: string[] }[] = [];
    let take: (string | undefined)[] = [];
    behaviour = async (_ctx, session) => {
      const look = session.listNew(cursor, 100);
      cursor = look.cursor;
      const contents = await Promise.all(look.flowFiles.map(async (f) => fromUtf8(await session.read(f))));
      looks.push({ names: names(look.flowFiles), complete: look.complete, contents });
      const chosen = look.flowFiles.filter((f) => take.includes(f.attributes['filename']));
      for (const f of session.takeListed(chosen)) session.transfer(f, 'success');
    };
    await enqueue(h, 'a', 'b');
    await h.engine.runOnce('holder');
    await enqueue(h, 'c', 'd');
    take = ['d'];
    await h.engine.runOnce('holder');
    expect(looks).toEqual([
      { names: ['a', 'b'], complete: true, contents: ['content of a', 'content of b'] },
      { names: ['c', 'd'], complete: false, contents: ['content of c', 'content of d'] },
    ]);
    expect(queued(h, INGRESS)).toEqual(['a', 'b', 'c']);
    expect(queued(h, 'out')).toEqual(['d']);
  });

  it('starts the next look over from the whole queue when the session rolls back', async () => {
    const h = harness();
    const looks: { names: (string | undefined)[]; complete: boolean }[] = [];
    let fail = true;
    behaviour = (_ctx, session) => {
      const look = session.listNew(cursor, 100);
      cursor = look.cursor;
      looks.push({ names: names(look.flowFiles), complete: look.complete });
      if (fail) throw new Error('lost what it listed');
    };
    await enqueue(h, 'a');
    await h.engine.runOnce('holder');
    fail = false;
    await h.engine.runOnce('holder');
    expect(looks).toEqual([
      { names: ['a'], complete: true },
      { names: ['a'], complete: true },
    ]);
    expect(queued(h, INGRESS)).toEqual(['a']);
  });

  it('refuses to read a FlowFile that was neither listed nor taken in the session', async () => {
    const h = harness();
    let listed: FlowFile | undefined;
    let error: unknown;
    behaviour = async (_ctx, session) => {
      if (!listed) {
        listed = session.listNew(null, 1).flowFiles[0];
        return;
      }
      await session.read(listed).catch((e: unknown) => (error = e));
    };
    await enqueue(h, 'a');
    await h.engine.runOnce('holder');
    await h.engine.runOnce('holder');
    expect(String(error)).toMatch(/does not belong to this session/);
  });
});
