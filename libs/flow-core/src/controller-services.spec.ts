import { describe, expect, it } from 'vitest';
import { defineControllerService, defineProcessor, REL_SUCCESS, type ControllerServiceDefinition } from '@sluice/flow-api';
import { validateGraph, type FlowGraph } from './flow-graph.js';
import { enableControllerServices, summarizeControllerServices } from './controller-services.js';
import { createHarness } from './engine-harness.testing.js';

const Greeter = defineControllerService<{ greet(name: string): string }>({
  descriptor: {
    type: 'Greeter',
    version: 1,
    displayName: 'Greeter',
    description: 'Says hello.',
    implements: ['GreeterService'],
    tags: [],
    properties: [{ name: 'Greeting', displayName: 'Greeting', description: 'The word.', type: 'string', required: true }],
  },
  enable(ctx) {
    const word = ctx.property('Greeting').asString()!;
    if (word === 'boom') throw new Error('cannot greet with boom');
    return { greet: (name) => `${word}, ${name}` };
  },
});

const Hello = defineProcessor({
  descriptor: {
    type: 'Hello',
    version: 1,
    displayName: 'Hello',
    description: 'Greets.',
    category: 'utility',
    tags: [],
    properties: [{ name: 'Greeter', displayName: 'Greeter', description: 'The greeter.', type: 'string', required: true, identifiesControllerService: 'GreeterService' }],
    relationships: [REL_SUCCESS],
    inputRequirement: 'allowed',
  },
  onTrigger() {},
});

const registry = (type: string): ControllerServiceDefinition | undefined => (type === 'Greeter' ? Greeter : undefined);

function graph(services: FlowGraph['controllerServices'], greeter = 'g1'): FlowGraph {
  const scheduling = { strategy: 'timer' as const, period: '1 sec', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };
  return { processors: [{ id: 'p', type: 'Hello', name: 'Hello', properties: { Greeter: greeter }, scheduling, autoTerminated: ['success'] }], connections: [], parameters: { word: 'Merhaba' }, controllerServices: services };
}

describe('controller services of a flow', () => {
  it('checks a processor reference against the flow services: missing, unknown type, invalid, disabled, valid', () => {
    const issues = (services: FlowGraph['controllerServices'], ref?: string) => validateGraph(graph(services, ref), () => Hello, registry).map((i) => i.message);
    expect(issues([], 'g1')).toEqual(["Greeter: controller service 'g1' does not exist in this flow"]);
    expect(issues([{ id: 'g1', type: 'Nope', name: 'G', properties: {}, enabled: true }])).toEqual(["This server has no controller service type 'Nope'", "Greeter: controller service 'G' is of type 'Nope', which this server does not have"]);
    expect(issues([{ id: 'g1', type: 'Greeter', name: 'G', properties: {}, enabled: true }])).toEqual(['Greeting is required', "Greeter: controller service 'G' is invalid: Greeting is required"]);
    expect(issues([{ id: 'g1', type: 'Greeter', name: 'G', properties: { Greeting: 'hi' }, enabled: false }])).toEqual(["Greeter: controller service 'G' is disabled"]);
    expect(issues([{ id: 'g1', type: 'Greeter', name: 'G', properties: { Greeting: 'hi' }, enabled: true }])).toEqual([]);
  });

  it('enables valid, enabled services once with flow parameters applied, and reports one whose enable throws', () => {
    const services = [
      { id: 'g1', type: 'Greeter', name: 'G', properties: { Greeting: '#{word}' }, enabled: true },
      { id: 'g2', type: 'Greeter', name: 'Boom', properties: { Greeting: 'boom' }, enabled: true },
      { id: 'g3', type: 'Greeter', name: 'Off', properties: { Greeting: 'hi' }, enabled: false },
    ];
    const { summaries } = summarizeControllerServices(services, registry, { word: 'Merhaba' });
    const { lookup, failures } = enableControllerServices(services, registry, summaries, { word: 'Merhaba' }, () => undefined);
    expect((lookup.get('g1')!.instance as { greet(n: string): string }).greet('Ada')).toBe('Merhaba, Ada');
    expect(lookup.get('g2')).toBeUndefined();
    expect(lookup.get('g3')).toBeUndefined();
    expect(failures).toEqual([{ serviceId: 'g2', property: null, message: 'Boom: could not be enabled: cannot greet with boom' }]);
  });
});

describe('controller services in the engine', () => {
  const Greet = defineProcessor({
    descriptor: { ...Hello.descriptor, type: 'Greet' },
    async onTrigger(ctx, session) {
      const ff = session.get();
      if (!ff) return;
      const greeter = ctx.controllerService<{ greet(n: string): string }>('Greeter', 'GreeterService');
      session.transfer(session.putAttribute(ff, 'greeting', greeter.greet(ff.attributes['who'] ?? '?')), REL_SUCCESS);
    },
  });

  it('hands processors the enabled instance, and keeps a processor whose service could not be enabled from starting', async () => {
    const scheduling = { strategy: 'event' as const, period: '0 sec', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };
    const h = createHarness({
      definitions: [Greet],
      serviceRegistry: registry,
      graph: {
        parameters: { word: 'Selam' },
        controllerServices: [
          { id: 'ok', type: 'Greeter', name: 'OK', properties: { Greeting: '#{word}' }, enabled: true },
          { id: 'boom', type: 'Greeter', name: 'Boom', properties: { Greeting: 'boom' }, enabled: true },
        ],
        processors: [
          { id: 'a', type: 'Greet', name: 'A', properties: { Greeter: 'ok' }, scheduling, autoTerminated: [] },
          { id: 'b', type: 'Greet', name: 'B', properties: { Greeter: 'boom' }, scheduling, autoTerminated: ['success'] },
        ],
        connections: [{ id: 'out', sourceId: 'a', relationships: ['success'], targetId: 'b', backPressureObjectThreshold: 10, backPressureDataSizeThreshold: '1 GB' }],
      },
    });
    await h.engine.initialize();
    expect(h.engine.issues()).toEqual([{ processorId: 'b', property: 'Greeter', message: 'Greeter: Boom: could not be enabled: cannot greet with boom', code: 'invalid' }]);
    const result = await h.engine.testProcessor('a', { attributes: { who: 'Ada' } });
    expect(result.outputs.map((o) => o.attributes['greeting'])).toEqual(['Selam, Ada']);
    await h.engine.close();
  });
});
