import { describe, expect, it } from 'vitest';
import { FlowDocumentSchema } from '@sluice/contracts';
import type { ProcessorDescriptor } from '@sluice/flow-api';
import { newProcessorNode, toDocument, toEdges, toNodes } from './flow-model.js';

const doc = FlowDocumentSchema.parse({
  name: 'Stock',
  processors: [
    { id: 'a', type: 'GenerateFlowFile', name: 'Gen', position: { x: 10, y: 20 }, properties: { 'File Size': '1 KB' } },
    { id: 'b', type: 'LogAttribute', name: 'Log', position: { x: 300, y: 20 }, autoTerminated: ['success'] },
  ],
  connections: [{ id: 'c1', sourceId: 'a', targetId: 'b', relationships: ['success', 'failure'] }],
  integration: { kind: 'stock' },
});

describe('flow model', () => {
  it('round-trips a FlowDocument through React Flow nodes and edges', () => {
    const nodes = toNodes(doc);
    const edges = toEdges(doc);
    expect(edges[0]!.sourceHandle).toBe('success');
    expect(toDocument(doc, nodes, edges)).toEqual(doc);
  });

  it('creates a processor with the descriptor defaults and a unique name', () => {
    const d = {
      type: 'LogAttribute',
      displayName: 'Log Attribute',
      relationships: [{ name: 'success', description: '', autoTerminateDefault: true }],
      defaultSchedule: { strategy: 'timer', period: '1 sec' },
    } as unknown as ProcessorDescriptor;
    const n = newProcessorNode(d, { x: 0, y: 0 }, [{ data: { name: 'Log Attribute' } }]);
    expect(n.data.name).toBe('Log Attribute 2');
    expect(n.data.autoTerminated).toEqual(['success']);
    expect(n.data.scheduling.period).toBe('1 sec');
  });
});
