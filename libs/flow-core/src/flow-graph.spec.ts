import { describe, expect, it } from 'vitest';
import { graphConnection, graphProcessor, specProcessor } from './engine-harness.testing.js';
import { ingressConnectionId, processorIssues, validateGraph, wiringOf, type FlowGraph } from './flow-graph.js';

const Source = specProcessor(
  {
    type: 'Source',
    inputRequirement: 'forbidden',
    properties: [
      { name: 'Count', displayName: 'Count', description: 'how many', type: 'integer', required: true, default: '1' },
      { name: 'Name', displayName: 'Name', description: 'EL', type: 'string', expressionScope: 'flowfile' },
    ],
  },
  { onTrigger: () => undefined },
);
const Router = specProcessor(
  {
    type: 'Router',
    relationships: [
      { name: 'matched', description: 'm' },
      { name: 'unmatched', description: 'u' },
    ],
  },
  { onTrigger: () => undefined },
);
const registry = (type: string) => [Source, Router].find((d) => d.descriptor.type === type);

function graph(over: Partial<FlowGraph> = {}): FlowGraph {
  return {
    processors: [graphProcessor('src', 'Source'), graphProcessor('route', 'Router', { autoTerminated: ['unmatched'] })],
    connections: [graphConnection('c1', 'src', 'route')],
    parameters: {},
    ...over,
  };
}

describe('validateGraph', () => {
  it('accepts a valid graph', () => {
    const g = graph();
    g.processors[1]!.autoTerminated = ['matched', 'unmatched'];
    expect(validateGraph(g, registry)).toEqual([]);
  });

  it('reports an unknown processor type', () => {
    const g = graph({ processors: [graphProcessor('x', 'NoSuchThing')], connections: [] });
    expect(validateGraph(g, registry)).toEqual([{ processorId: 'x', property: null, message: "This server has no processor type 'NoSuchThing'", code: 'invalid' }]);
  });

  it('reports an invalid property value', () => {
    const g = graph();
    g.processors[0]!.properties = { Count: 'many' };
    g.processors[1]!.autoTerminated = ['matched', 'unmatched'];
    const issues = validateGraph(g, registry);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ processorId: 'src', property: 'Count' });
    expect(issues[0]!.message).toMatch(/'many' is not a whole number/);
  });

  it('reports bad expression language with line and column', () => {
    const g = graph();
    g.processors[0]!.properties = { Name: 'prefix\n${filename:toUpper(}' };
    g.processors[1]!.autoTerminated = ['matched', 'unmatched'];
    const issues = validateGraph(g, registry);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ processorId: 'src', property: 'Name', line: 2, column: 20 });
    expect(issues[0]!.message).toMatch(/^Name: /);
  });

  it('reports connections to and from missing processors', () => {
    const g = graph({ connections: [graphConnection('c1', 'src', 'ghost'), graphConnection('c9', 'phantom', 'route', { relationships: ['success'] })] });
    g.processors[1]!.autoTerminated = ['matched', 'unmatched'];
    const messages = validateGraph(g, registry).map((i) => i.message);
    expect(messages).toContain("Connection 'c1' ends at processor 'ghost', which is not in the flow");
    expect(messages).toContain("Connection 'c9' starts at processor 'phantom', which is not in the flow");
    expect(validateGraph(g, registry).filter((i) => i.code === 'structure').map((i) => i.connectionId)).toEqual(['c1', 'c9']);
  });

  it('reports a connection on a relationship the processor does not have', () => {
    const g = graph({ connections: [graphConnection('c1', 'src', 'route'), graphConnection('c2', 'route', 'route', { relationships: ['maybe'] })] });
    g.processors[1]!.autoTerminated = ['matched', 'unmatched'];
    const issues = validateGraph(g, registry);
    expect(issues).toEqual([{ processorId: 'route', connectionId: 'c2', property: null, message: "Connection 'c2' carries 'maybe', which is not a relationship of Router", code: 'invalid' }]);
  });

  it('reports a relationship neither connected nor auto-terminated', () => {
    const issues = validateGraph(graph(), registry);
    expect(issues).toEqual([{ processorId: 'route', property: null, message: "Relationship 'matched' is neither connected nor auto-terminated", code: 'required' }]);
  });

  it('reports bad scheduling, thresholds and incoming connections to a source', () => {
    const g = graph({
      processors: [
        graphProcessor('src', 'Source', { scheduling: { strategy: 'cron', period: 'every day' } }),
        graphProcessor('route', 'Router', { autoTerminated: ['matched', 'unmatched'], scheduling: { concurrentTasks: 0, period: 'soon' } }),
      ],
      connections: [
        graphConnection('c1', 'src', 'route', { backPressureObjectThreshold: 0, backPressureDataSizeThreshold: 'lots' }),
        graphConnection('c2', 'route', 'src', { relationships: ['matched'] }),
      ],
    });
    const messages = validateGraph(g, registry).map((i) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Run schedule: 'every day' is not a cron expression/),
        "Run schedule 'soon' is not a duration such as '0 sec' or '5 mins'",
        'Concurrent tasks must be a whole number of at least 1',
        'Back pressure object threshold must be at least 1',
        "Back pressure data size 'lots' is not a data size such as '1 GB'",
        'Source takes no incoming connections',
      ]),
    );
  });

  it('reports each problem once, without the processor name, as the browser reports it for one processor', () => {
    const g = graph({ connections: [graphConnection('c1', 'src', 'route'), graphConnection('c2', 'route', 'route', { relationships: ['maybe', 'maybe'] })] });
    g.processors[1]!.autoTerminated = ['unmatched', 'unmatched', 'gone'];
    const issues = validateGraph(g, registry);
    expect(issues.map((i) => i.message)).toEqual([
      "Connection 'c2' carries 'maybe', which is not a relationship of Router",
      "'gone' is auto-terminated but is not a relationship of Router",
      "Relationship 'matched' is neither connected nor auto-terminated",
    ]);
    const route = g.processors[1]!;
    expect(processorIssues(route, Router, wiringOf('route', g.connections), {})).toEqual(issues);
  });

  it('marks cross-property problems, which only the server can find', () => {
    const Strict = specProcessor({ type: 'Strict', inputRequirement: 'allowed' }, { onTrigger: () => undefined, validate: () => [{ property: 'a', message: 'a and b clash' }] });
    const g = graph({ processors: [graphProcessor('s', 'Strict', { autoTerminated: ['success'] })], connections: [] });
    expect(validateGraph(g, (t) => (t === 'Strict' ? Strict : undefined))).toEqual([{ processorId: 's', property: 'a', message: 'a and b clash', code: 'invalid', crossProperty: true }]);
    expect(processorIssues(g.processors[0]!, { descriptor: Strict.descriptor, onTrigger: () => undefined }, wiringOf('s', []), {})).toEqual([]);
  });

  it('names ingress queues after their processor', () => {
    expect(ingressConnectionId('p1')).toBe('ingress:p1');
  });
});
