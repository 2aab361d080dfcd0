import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness, graphConnection, graphProcessor, runUntilIdle, specProcessor } from './engine-harness.testing.js';
import { definitions, items, names, resetProbe } from './flow-engine.fixtures.testing.js';
import { validateGraph } from './flow-graph.js';
import { PORT_TYPE } from './group-port.js';
import { InMemoryStore } from './in-memory-repository.js';

beforeEach(resetProbe);

/** Sets `tier` from its Tier property, where `#{tier}` resolves against the processor's own parameters. */
const Tag = specProcessor(
  { type: 'Tag', inputRequirement: 'required', properties: [{ name: 'Tier', displayName: 'Tier', description: 'a value', type: 'string' }] },
  {
    onTrigger(ctx, session) {
      const ff = session.get();
      if (ff) session.transfer(session.putAttribute(ff, 'tier', ctx.property('Tier').asString() ?? ''), 'success');
    },
  },
);

/**
 * root: entry (ingress) → to-in → [group: in port → in-tag → tag → tag-out → out port] → from-out → sink (root).
 * The group is the document's business; the engine sees two ports among the processors.
 */
function groupFlow(options: { store?: InMemoryStore; threshold?: number } = {}) {
  return createHarness({
    definitions: [...definitions, Tag],
    store: options.store,
    graph: {
      parameters: { tier: 'bronze' },
      processors: [
        graphProcessor('entry', 'Work'),
        graphProcessor('in', PORT_TYPE, { name: 'orders in' }),
        graphProcessor('tag', 'Tag', { properties: { Tier: '#{tier}' }, parameters: { tier: 'gold' } }),
        graphProcessor('out', PORT_TYPE, { name: 'orders out' }),
        graphProcessor('sink', 'Work', { autoTerminated: ['success'] }),
      ],
      connections: [
        graphConnection('to-in', 'entry', 'in'),
        graphConnection('in-tag', 'in', 'tag', { backPressureObjectThreshold: options.threshold ?? 10_000 }),
        graphConnection('tag-out', 'tag', 'out'),
        graphConnection('from-out', 'out', 'sink'),
      ],
    },
  });
}

describe('FlowEngine with process group ports', () => {
  it('moves FlowFiles root → input port → group processor → output port → root, content untouched, parameters the group’s', async () => {
    const h = groupFlow();
    expect(validateGraph({ ...h.engine.options.graph }, (t) => [...definitions, Tag].find((d) => d.descriptor.type === t))).toEqual([]);
    await h.engine.enqueue('entry', items('a', 'b'));
    const claims = h.engine.queue('ingress:entry').flowFiles.map((f) => f.flowFile.contentClaim);
    for (const id of ['entry', 'in', 'tag', 'out']) h.engine.start(id);
    await h.clock.advance(0);
    await h.clock.advance(1000);
    const arrived = h.engine.queue('from-out').flowFiles.map((f) => f.flowFile);
    expect(arrived.map((f) => f.attributes['filename'])).toEqual(['a', 'b']);
    expect(arrived.map((f) => f.attributes['tier'])).toEqual(['gold', 'gold']);
    // A port hands the FlowFile on as it is: the same content claim all the way.
    expect(arrived.map((f) => f.contentClaim)).toEqual(claims);
    const path = h.provenance.events.filter((e) => e.flowFileUuid === arrived[0]!.uuid).map((e) => `${e.eventType}@${e.processorId}`);
    expect(path).toEqual(['CREATE@entry', 'ROUTE@entry', 'ROUTE@in', 'ATTRIBUTES_MODIFIED@tag', 'ROUTE@out']);
    const status = h.engine.status();
    expect(status.processors.map((p) => [p.id, p.valid])).toEqual(expect.arrayContaining([['in', true], ['out', true]]));
    expect(status.connections.find((c) => c.id === 'from-out')!.count).toBe(2);
  });

  it('keeps back pressure at a port: a full queue inside the group stops the input port taking more', async () => {
    const h = groupFlow({ threshold: 1 });
    await h.engine.enqueue('entry', items('a', 'b', 'c'));
    h.engine.start('entry');
    h.engine.start('in');
    await h.clock.advance(0);
    await h.clock.advance(10_000);
    expect(names(h, 'in-tag')).toEqual(['a']);
    expect(names(h, 'to-in')).toEqual(['b', 'c']);
    h.engine.start('tag');
    h.engine.start('out');
    h.engine.start('sink');
    await runUntilIdle(h);
    const through = h.provenance.events.filter((e) => e.eventType === 'DROP' && e.processorId === 'sink');
    expect(through.map((e) => e.attributes['filename'])).toEqual(['a', 'b', 'c']);
    expect(h.events.queues.some((e) => e.connectionId === 'in-tag' && e.count === 1)).toBe(true);
    await h.engine.close();
  });

  it('recovers FlowFiles queued inside a group after a restart and runs them out through the output port', async () => {
    const store = new InMemoryStore();
    const first = groupFlow({ store });
    await first.engine.enqueue('entry', items('a'));
    await first.engine.runOnce('entry');
    await first.engine.runOnce('in');
    await first.engine.close();

    const second = groupFlow({ store });
    await second.engine.initialize();
    expect(names(second, 'in-tag')).toEqual(['a']);
    second.engine.start();
    await runUntilIdle(second);
    const dropped = second.provenance.events.filter((e) => e.eventType === 'DROP' && e.processorId === 'sink');
    expect(dropped.map((e) => [e.attributes['filename'], e.attributes['tier']])).toEqual([['a', 'gold']]);
    await second.engine.close();
  });

  it('calls a port without an outgoing connection, or carrying something other than success, invalid', () => {
    const h = createHarness({
      definitions,
      graph: {
        processors: [graphProcessor('entry', 'Work'), graphProcessor('in', PORT_TYPE), graphProcessor('dead', PORT_TYPE, { autoTerminated: ['success'] })],
        connections: [graphConnection('to-in', 'entry', 'in'), graphConnection('bad', 'in', 'dead', { relationships: ['failure'] })],
      },
    });
    const messages = h.engine.status().processors.filter((p) => !p.valid).map((p) => p.id);
    expect(messages).toEqual(['in', 'dead']);
    const issues = validateGraph(h.engine.options.graph, (t) => definitions.find((d) => d.descriptor.type === t)).map((i) => `${i.processorId}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        "in: The port has no outgoing connection: connect it to where its FlowFiles go",
        "in: Connection 'bad' carries 'failure'; a port's only relationship is 'success'",
        'dead: A port cannot auto-terminate what it receives',
      ]),
    );
  });
});
