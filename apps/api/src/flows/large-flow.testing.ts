import type { FlowDocumentInput } from '@sluice/contracts';

/**
 * A valid flow of `processors` processors and up to `connections` connections, for specs and benchmarks of large
 * saves: a GenerateFlowFile that fires once a year (January 1st) feeding a chain of UpdateAttribute steps, each connected to the next
 * and, while connections remain, to the ones after it. Every step has Expression Language and a parameter to check,
 * so validation does the work a real flow asks of it.
 */
export function largeFlow(name: string, processors: number, connections: number): FlowDocumentInput {
  const id = (i: number) => `p${i}`;
  const procs: NonNullable<FlowDocumentInput['processors']> = [
    {
      id: id(0),
      type: 'GenerateFlowFile',
      name: 'Generate',
      position: { x: 0, y: 0 },
      properties: { 'Custom Text': '{"sku":"A"}', 'Batch Size': '1' },
      scheduling: { strategy: 'cron', period: '0 0 0 1 1 ?', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' },
    },
  ];
  for (let i = 1; i < processors; i++) {
    procs.push({
      id: id(i),
      type: 'UpdateAttribute',
      name: `Step ${i}`,
      position: { x: (i % 50) * 220, y: Math.floor(i / 50) * 140 },
      properties: { step: `\${filename}-${i}`, region: '#{region}', upper: "${sku:toUpper():append('-x')}" },
      ...(i === processors - 1 ? { autoTerminated: ['success'] } : {}),
    });
  }
  const conns: NonNullable<FlowDocumentInput['connections']> = [];
  // Each hop reaches one step further than the last, so the graph stays acyclic whatever the counts.
  for (let hop = 1; conns.length < connections && hop < processors; hop++) {
    for (let i = 0; i + hop < processors && conns.length < connections; i++) {
      conns.push({ id: `c${i}-${i + hop}`, sourceId: id(i), relationships: ['success'], targetId: id(i + hop) });
    }
  }
  return { name, description: `${processors} processors, ${conns.length} connections`, parameters: { region: 'eu' }, processors: procs, connections: conns };
}
