import { describe, expect, it } from 'vitest';
import { FlowDocumentSchema, type ProcessorValidationDto } from '@sluice/contracts';
import { getProcessor } from '@sluice/processors';
import { isProcessor, toNodes } from '../canvas/flow-model.js';
import { documentSnapshots, localIssues, processorSnapshot, savedValidation, shownIssues, wiringKey, type Wire } from './issues.js';

const doc = FlowDocumentSchema.parse({
  name: 'Stock',
  processors: [
    { id: 'gen', type: 'GenerateFlowFile', name: 'Gen', properties: { 'Batch Size': 'abc' } },
    { id: 'script', type: 'ExecuteScript', name: 'Script', properties: { 'Script Body': 'pass' }, autoTerminated: ['failure'] },
  ],
  connections: [{ id: 'c1', sourceId: 'gen', targetId: 'script', relationships: ['success'] }],
});
const wires: Wire[] = doc.connections.map((c) => ({ id: c.id, sourceId: c.sourceId, targetId: c.targetId, relationships: c.relationships }));
const descriptor = (type: string) => getProcessor(type)!.descriptor;

describe('processor problems in the designer', () => {
  it('reads as the server writes them: the same validator, the same words, each once', () => {
    const [gen, script] = toNodes(doc).filter(isProcessor);
    expect(localIssues('gen', gen!.data, descriptor('GenerateFlowFile'), wiringKey('gen', wires), {}).map((i) => i.message)).toEqual(["Batch Size: 'abc' is not a whole number"]);
    expect(localIssues('script', script!.data, descriptor('ExecuteScript'), wiringKey('script', wires), {})).toEqual([
      { processorId: 'script', property: null, message: "Relationship 'success' is neither connected nor auto-terminated", code: 'required' },
    ]);
    expect(localIssues('x', { ...gen!.data, type: 'Nope' }, undefined, wiringKey('x', []), {})[0]!.message).toBe("This server has no processor type 'Nope'");
  });

  it("shows the server's problems while a processor is as saved, and the browser's once it is edited", () => {
    const server: ProcessorValidationDto[] = [
      { processorId: 'script', property: 'Script Body', message: "Script Body: SyntaxError: invalid syntax", line: 1, column: 5, code: 'invalid' },
      { processorId: 'script', property: null, message: "Relationship 'success' is neither connected nor auto-terminated", code: 'required' },
    ];
    const saved = savedValidation(doc, server);
    const script = toNodes(doc).filter(isProcessor)[1]!;
    const local = () => localIssues('script', script.data, descriptor('ExecuteScript'), wiringKey('script', wires), {});
    const asSaved = shownIssues('script', processorSnapshot(script.data, wiringKey('script', wires), {}), saved, local);
    expect(asSaved).toEqual({ issues: server, current: true });
    const edited = { ...script.data, autoTerminated: ['failure', 'success'] };
    const after = shownIssues('script', processorSnapshot(edited, wiringKey('script', wires), {}), saved, () => localIssues('script', edited, descriptor('ExecuteScript'), wiringKey('script', wires), {}));
    expect(after).toEqual({ issues: [], current: false });
    // A new connection is an edit too.
    const rewired = [...wires, { id: 'c2', sourceId: 'script', targetId: 'gen', relationships: ['success'] }];
    expect(shownIssues('script', processorSnapshot(script.data, wiringKey('script', rewired), {}), saved, local).current).toBe(false);
    expect(documentSnapshots(doc).get('gen')).toBe(processorSnapshot(toNodes(doc).filter(isProcessor)[0]!.data, wiringKey('gen', wires), {}));
  });
});
