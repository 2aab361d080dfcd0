import { describe, expect, it } from 'vitest';
import { FlowDocumentSchema, groupProblems, ROOT_GROUP } from '@sluice/contracts';
import { toDocument, toEdges, toNodes } from './flow-model.js';
import { groupComponents } from './group-model.js';

const nested = FlowDocumentSchema.parse({
  name: 'nested',
  processGroups: [{ id: 'g', name: 'Enrich', position: { x: 300, y: 0 }, parameters: { tier: 'gold' } }],
  ports: [
    { id: 'in', kind: 'input', name: 'orders', groupId: 'g' },
    { id: 'out', kind: 'output', name: 'tagged', groupId: 'g' },
  ],
  processors: [
    { id: 'gen', type: 'GenerateFlowFile', name: 'Generate' },
    { id: 'tag', type: 'UpdateAttribute', name: 'Tag', groupId: 'g' },
    { id: 'log', type: 'LogAttribute', name: 'Log', autoTerminated: ['success'] },
  ],
  connections: [
    { id: 'c1', sourceId: 'gen', relationships: ['success'], targetId: 'in' },
    { id: 'c2', sourceId: 'in', relationships: ['success'], targetId: 'tag' },
    { id: 'c3', sourceId: 'tag', relationships: ['success'], targetId: 'out' },
    { id: 'c4', sourceId: 'out', relationships: ['success'], targetId: 'log' },
  ],
});

describe('process groups on the canvas', () => {
  it('shows the root with the group as one node, its ports as the handles connections meet', () => {
    expect(toNodes(nested).map((n) => [n.id, n.type])).toEqual([['g', 'group'], ['gen', 'processor'], ['log', 'processor']]);
    expect(toEdges(nested).map((e) => [e.id, e.source, e.sourceHandle, e.target, e.targetHandle])).toEqual([
      ['c1', 'gen', 'success', 'g', 'in'],
      ['c4', 'g', 'out', 'log', undefined],
    ]);
  });

  it('shows a group’s inside: its processors, its ports as nodes, its own connections', () => {
    expect(toNodes(nested, 'g').map((n) => [n.id, n.type])).toEqual([['tag', 'processor'], ['in', 'port'], ['out', 'port']]);
    expect(toEdges(nested, 'g').map((e) => `${e.source}→${e.target}`)).toEqual(['in→tag', 'tag→out']);
  });

  it('puts each view back into the whole document unchanged, and removing a group removes what it holds', () => {
    for (const view of [ROOT_GROUP, 'g']) {
      const back = toDocument(nested, toNodes(nested, view), toEdges(nested, view), view);
      const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
      expect(byId(back.processors)).toEqual(byId(nested.processors));
      expect(byId(back.connections)).toEqual(byId(nested.connections));
      expect(back.ports).toHaveLength(2);
      expect(back.processGroups).toEqual(nested.processGroups);
    }
    const nodes = toNodes(nested).filter((n) => n.id !== 'g');
    const gone = toDocument(nested, nodes, toEdges(nested).filter((e) => e.target !== 'g' && e.source !== 'g'));
    expect(gone.processors.map((p) => p.id)).toEqual(['gen', 'log']);
    expect(gone.ports).toEqual([]);
    expect(gone.connections).toEqual([]);
  });

  it('groups a selection, splitting crossing connections at new ports so the document stays valid', () => {
    const flat = FlowDocumentSchema.parse({
      name: 'flat',
      processors: [
        { id: 'a', type: 'GenerateFlowFile', name: 'A', position: { x: 0, y: 0 } },
        { id: 'b', type: 'UpdateAttribute', name: 'B', position: { x: 200, y: 0 } },
        { id: 'c', type: 'UpdateAttribute', name: 'C', position: { x: 400, y: 0 } },
        { id: 'd', type: 'LogAttribute', name: 'D', position: { x: 600, y: 0 }, autoTerminated: ['success'] },
      ],
      connections: [
        { id: 'ab', sourceId: 'a', relationships: ['success'], targetId: 'b' },
        { id: 'bc', sourceId: 'b', relationships: ['success'], targetId: 'c' },
        { id: 'cd', sourceId: 'c', relationships: ['success', 'failure'], targetId: 'd' },
      ],
    });
    const { doc, groupId } = groupComponents(flat, ROOT_GROUP, ['b', 'c']);
    expect(groupProblems(doc)).toEqual([]);
    expect(doc.processors.filter((p) => p.groupId === groupId).map((p) => p.id)).toEqual(['b', 'c']);
    expect(doc.processGroups[0]).toMatchObject({ id: groupId, name: 'Process Group', position: { x: 300, y: 0 } });
    expect(doc.ports.map((p) => [p.kind, p.name])).toEqual([['input', 'B'], ['output', 'C']]);
    const [input, output] = doc.ports;
    // The outer halves keep the ids (and queues); the inner halves are new.
    expect(doc.connections.find((c) => c.id === 'ab')).toMatchObject({ sourceId: 'a', targetId: input!.id, relationships: ['success'] });
    expect(doc.connections.find((c) => c.id === 'cd')).toMatchObject({ sourceId: output!.id, targetId: 'd', relationships: ['success'] });
    expect(doc.connections.find((c) => c.sourceId === 'c' && c.targetId === output!.id)!.relationships).toEqual(['success', 'failure']);
    expect(doc.connections.find((c) => c.id === 'bc')).toMatchObject({ sourceId: 'b', targetId: 'c' });
  });
});
