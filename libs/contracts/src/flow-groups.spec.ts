import { describe, expect, it } from 'vitest';
import { FlowDocumentSchema, PORT_RELATIONSHIP, type FlowDocumentInput } from './flow-document.js';
import { connectionGroup, effectiveParameters, groupPath, groupProblems, ROOT_GROUP } from './flow-groups.js';

const nested = (extra: Partial<FlowDocumentInput> = {}) =>
  FlowDocumentSchema.parse({
    name: 'nested',
    parameters: { region: 'eu', batch: '10' },
    processGroups: [
      { id: 'g1', name: 'Enrich', parameters: { batch: '50', tier: 'gold' } },
      { id: 'g2', name: 'Inner', parentGroupId: 'g1', parameters: { tier: 'platinum' } },
    ],
    ports: [
      { id: 'in', kind: 'input', name: 'in', groupId: 'g1' },
      { id: 'out', kind: 'output', name: 'out', groupId: 'g1' },
    ],
    processors: [
      { id: 'gen', type: 'GenerateFlowFile', name: 'Generate' },
      { id: 'upd', type: 'UpdateAttribute', name: 'Tag', groupId: 'g1' },
      { id: 'log', type: 'LogAttribute', name: 'Log' },
      { id: 'deep', type: 'LogAttribute', name: 'Deep', groupId: 'g2' },
    ],
    connections: [
      { id: 'c1', sourceId: 'gen', relationships: ['success'], targetId: 'in' },
      { id: 'c2', sourceId: 'in', relationships: [PORT_RELATIONSHIP], targetId: 'upd' },
      { id: 'c3', sourceId: 'upd', relationships: ['success'], targetId: 'out' },
      { id: 'c4', sourceId: 'out', relationships: [PORT_RELATIONSHIP], targetId: 'log' },
    ],
    ...extra,
  });

describe('process groups and ports in the flow document', () => {
  it('loads a document without groups unchanged: one implied root group', () => {
    const doc = FlowDocumentSchema.parse({ name: 'flat', processors: [{ id: 'a', type: 'GenerateFlowFile', name: 'A' }] });
    expect(doc.processGroups).toEqual([]);
    expect(doc.ports).toEqual([]);
    expect(doc.processors[0]!.groupId).toBeUndefined();
    expect(groupProblems(doc)).toEqual([]);
  });

  it('places connections in the group they live in: entering through an input port, leaving through an output port', () => {
    const doc = nested();
    expect(doc.connections.map((c) => connectionGroup(doc, c))).toEqual([ROOT_GROUP, 'g1', 'g1', ROOT_GROUP]);
    expect(groupProblems(doc)).toEqual([]);
    expect(groupPath(doc, 'g2')).toEqual([ROOT_GROUP, 'g1', 'g2']);
  });

  it('inherits parameters down the groups, a nearer group overriding its parent', () => {
    const doc = nested();
    expect(effectiveParameters(doc, undefined)).toEqual({ region: 'eu', batch: '10' });
    expect(effectiveParameters(doc, 'g1')).toEqual({ region: 'eu', batch: '50', tier: 'gold' });
    expect(effectiveParameters(doc, 'g2')).toEqual({ region: 'eu', batch: '50', tier: 'platinum' });
  });

  it('refuses a connection that crosses a group boundary without a port, naming both ends', () => {
    const doc = nested({ connections: [{ id: 'x', sourceId: 'gen', relationships: ['success'], targetId: 'upd' }] });
    expect(groupProblems(doc)).toEqual([
      { field: 'connections.0.targetId', message: expect.stringContaining("joins processor 'Generate' and processor 'Tag' (in 'Enrich'), which are not in one group") },
    ]);
    // A port is a door of one boundary only: the inner group cannot be fed from the root through g1's input port's far side.
    const skip = nested({ connections: [{ id: 'y', sourceId: 'in', relationships: ['success'], targetId: 'deep' }] });
    expect(groupProblems(skip).map((p) => p.field)).toEqual(['connections.0.targetId']);
    const backwards = nested({ connections: [{ id: 'z', sourceId: 'upd', relationships: ['success'], targetId: 'in' }] });
    expect(groupProblems(backwards).map((p) => p.field)).toEqual(['connections.0.targetId']);
  });

  it('names a port relationship other than success, duplicate port names, ports at the root, unknown and cyclic groups', () => {
    const doc = nested({
      processGroups: [
        { id: 'g1', name: 'Enrich' },
        { id: 'a', name: 'A', parentGroupId: 'b' },
        { id: 'b', name: 'B', parentGroupId: 'a' },
        { id: 'lost', name: 'Lost', parentGroupId: 'nowhere' },
      ],
      ports: [
        { id: 'in', kind: 'input', name: 'in', groupId: 'g1' },
        { id: 'in2', kind: 'input', name: 'IN', groupId: 'g1' },
        { id: 'out', kind: 'output', name: 'in', groupId: 'g1' },
        { id: 'root', kind: 'output', name: 'r' },
        { id: 'gen', kind: 'output', name: 'clash', groupId: 'g1' },
      ],
      connections: [{ id: 'c2', sourceId: 'in', relationships: ['failure'], targetId: 'upd' }],
    });
    const problems = groupProblems(doc);
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'processGroups.1.parentGroupId', message: expect.stringContaining("'A' is inside itself") },
        { field: 'processGroups.2.parentGroupId', message: expect.stringContaining("'B' is inside itself") },
        { field: 'processGroups.3.parentGroupId', message: expect.stringContaining("process group 'nowhere', which is not in the flow") },
        { field: 'ports.1.name', message: expect.stringContaining("Input port 'IN': process group 'Enrich' already has an input port of that name") },
        { field: 'ports.3.groupId', message: expect.stringContaining("Output port 'r' is not in a process group") },
        { field: 'ports.4.id', message: expect.stringContaining("which processor 'Generate' has too") },
        { field: 'processors.3.groupId', message: expect.stringContaining("Processor 'Deep' sits in process group 'g2', which is not in the flow") },
        { field: 'connections.0.relationships', message: expect.stringContaining("starts at port 'in', which has one relationship, 'success'") },
      ]),
    );
    // An input and an output port may share a name (NiFi keeps them apart by kind).
    expect(problems.some((p) => p.field === 'ports.2.name')).toBe(false);
  });
});
