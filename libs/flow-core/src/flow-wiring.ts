import { parseDataSize, type ControllerServiceLookup } from '@sluice/flow-api';
import { ConnectionQueue, DEFAULT_DATA_SIZE_THRESHOLD, DEFAULT_OBJECT_THRESHOLD } from './connection-queue.js';
import { enableControllerServices, summarizeControllerServices } from './controller-services.js';
import type { FlowEngineOptions } from './flow-engine-types.js';
import { graphIssueSteps, ingressConnectionId, runSteps, type GraphConnection, type GraphIssue } from './flow-graph.js';
import { withPorts } from './group-port.js';
import { ProcessorNode, type NodeEngine } from './processor-node.js';

/** A flow's graph made runnable: its nodes, every queue between them (ingress ones included) and its enabled services. */
export interface WiredFlow {
  readonly nodes: Map<string, ProcessorNode>;
  readonly queues: Map<string, ConnectionQueue>;
  readonly controllerServices: ControllerServiceLookup;
}

/**
 * Builds the nodes of `engine` from its graph. A node keeps the problems that must keep it from starting in its
 * issues; services that fail to enable reach `bulletin`. Contexts are left to the engine, which owns their callbacks.
 */
export function wireFlow(
  engine: NodeEngine,
  options: Pick<FlowEngineOptions, 'graph' | 'registry' | 'serviceRegistry'>,
  bulletin: (level: 'warn' | 'error', message: string) => void,
): WiredFlow {
  return runSteps(wireFlowSteps(engine, options, bulletin));
}

/** How many processors are wired between two steps of wireFlowSteps. */
const NODES_PER_STEP = 50;

/** wireFlow one step at a time (see graphIssueSteps): nothing outside the returned flow changes until it returns. */
export function* wireFlowSteps(
  engine: NodeEngine,
  options: Pick<FlowEngineOptions, 'graph' | 'registry' | 'serviceRegistry'>,
  bulletin: (level: 'warn' | 'error', message: string) => void,
): Generator<void, WiredFlow> {
  const graph = options.graph;
  const registry = withPorts(options.registry);
  const byProcessor = new Map<string | null, GraphIssue[]>();
  for (const i of yield* graphIssueSteps(graph, registry, options.serviceRegistry)) {
    const list = byProcessor.get(i.processorId);
    if (list) list.push(i);
    else byProcessor.set(i.processorId, [i]);
  }
  const serviceRegistry = options.serviceRegistry ?? (() => undefined);
  const { summaries } = summarizeControllerServices(graph.controllerServices ?? [], serviceRegistry, graph.parameters);
  const enabled = enableControllerServices(graph.controllerServices ?? [], serviceRegistry, summaries, graph.parameters, (service, level, message) => {
    if (level === 'warn' || level === 'error') bulletin(level, `${service.name}: ${message}`);
  });
  for (const f of enabled.failures) bulletin('error', f.message);
  const failures = new Map<string, (typeof enabled.failures)[number]>();
  for (const f of enabled.failures) if (!failures.has(f.serviceId)) failures.set(f.serviceId, f);
  const nodes = new Map<string, ProcessorNode>();
  const queues = new Map<string, ConnectionQueue>();
  let n = 0;
  for (const p of graph.processors) {
    const node = new ProcessorNode(engine, p, registry(p.type));
    node.issues = [...(byProcessor.get(p.id) ?? [])];
    // A service that validated but could not be enabled keeps the processors that name it from starting.
    for (const d of registry(p.type)?.descriptor.properties ?? []) {
      const failed = d.identifiesControllerService ? failures.get(p.properties[d.name]!) : undefined;
      if (failed) node.issues.push({ processorId: p.id, property: d.name, message: `${d.displayName}: ${failed.message}`, code: 'invalid' });
    }
    nodes.set(p.id, node);
    if (++n % NODES_PER_STEP === 0) yield;
  }
  for (const c of graph.connections) {
    connect(c, nodes, queues);
    if (++n % NODES_PER_STEP === 0) yield;
  }
  for (const node of nodes.values()) {
    if (!node.definition || node.definition.descriptor.inputRequirement === 'forbidden') continue;
    const ingress = new ConnectionQueue(ingressConnectionId(node.id), null, node.id);
    node.ingress = ingress;
    node.incoming.push(ingress);
    queues.set(ingress.id, ingress);
  }
  return { nodes, queues, controllerServices: enabled.lookup };
}

function connect(c: GraphConnection, nodes: ReadonlyMap<string, ProcessorNode>, queues: Map<string, ConnectionQueue>): void {
  const source = nodes.get(c.sourceId);
  const target = nodes.get(c.targetId);
  const queue = new ConnectionQueue(
    c.id,
    c.sourceId,
    c.targetId,
    c.backPressureObjectThreshold >= 1 ? c.backPressureObjectThreshold : DEFAULT_OBJECT_THRESHOLD,
    parseDataSize(c.backPressureDataSizeThreshold) ?? DEFAULT_DATA_SIZE_THRESHOLD,
  );
  queues.set(c.id, queue);
  if (target) {
    target.incoming.push(queue);
    target.graphIncoming++;
  }
  if (source) {
    source.outgoingAll.push(queue);
    for (const r of c.relationships) {
      const list = source.outgoing.get(r);
      if (list) list.push(queue);
      else source.outgoing.set(r, [queue]);
    }
  }
}
