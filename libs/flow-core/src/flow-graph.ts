import {
  crossPropertyConfig,
  parseDataSize,
  parseDuration,
  relationshipsFor,
  validateConfig,
  type ControllerServiceSummary,
  type ProcessorDefinition,
  type SchedulingStrategy,
} from '@sluice/flow-api';
import { checkExpression } from '@sluice/expression';
import { checkCron } from './cron-schedule.js';
import { summarizeControllerServices, type ControllerServiceRegistry, type GraphControllerService } from './controller-services.js';
import { PORT_TYPE, withPorts } from './group-port.js';

export interface GraphProcessor {
  id: string;
  type: string;
  name: string;
  properties: Record<string, string>;
  scheduling: {
    strategy: SchedulingStrategy;
    period: string;
    concurrentTasks: number;
    penaltyDuration: string;
    yieldDuration: string;
    /** See ProcessorDescriptor.defaultRunDuration. */
    runDuration?: string;
  };
  autoTerminated: string[];
  /** The parameters this processor sees when they are not the flow's (inside a process group: inherited ones). */
  parameters?: Record<string, string>;
  /** The ids of the controller services in its scope, when not all of the flow's (inside a process group). */
  services?: string[];
}

export interface GraphConnection {
  id: string;
  sourceId: string;
  relationships: string[];
  targetId: string;
  backPressureObjectThreshold: number;
  backPressureDataSizeThreshold: string;
}

/** The runnable part of a flow document (structurally compatible with the contracts' FlowDocument). */
export interface FlowGraph {
  processors: GraphProcessor[];
  connections: GraphConnection[];
  parameters: Record<string, string>;
  /** The flow's controller services, which processors name in their service properties. */
  controllerServices?: GraphControllerService[];
}

/**
 * One problem, worded for the person who fixes it and shown where it is: on the processor (and its property), or on
 * the connection. Messages never name the processor: whoever lists problems of several processors adds the name.
 */
export interface GraphIssue {
  processorId: string | null;
  connectionId?: string;
  /** Set when the problem is a controller service's (processorId null). */
  serviceId?: string;
  property: string | null;
  message: string;
  line?: number;
  column?: number;
  /**
   * `required`: a value is still missing; `invalid`: a value or the wiring is wrong; `structure`: the document
   * itself is broken (duplicate ids, a connection to a processor that is not there), so it cannot be stored.
   */
  code: 'required' | 'invalid' | 'structure';
  /** Found by the processor's cross-property check, which only the server runs (the browser has descriptors only). */
  crossProperty?: true;
}

export type ProcessorRegistry = (type: string) => ProcessorDefinition | undefined;

/** How a processor is wired: which connections leave it, by relationship, and whether any arrives. */
export interface ProcessorWiring {
  /** Every relationship carried by a connection leaving the processor, with the connections carrying it. */
  readonly outgoing: ReadonlyMap<string, readonly string[]>;
  readonly hasIncoming: boolean;
}

/** The connection id of a processor's implicit ingress queue (fed by `FlowEngine.enqueue`). */
export function ingressConnectionId(processorId: string): string {
  return `ingress:${processorId}`;
}

/** The wiring of one processor in a list of connections. */
export function wiringOf(processorId: string, connections: readonly Pick<GraphConnection, 'id' | 'sourceId' | 'targetId' | 'relationships'>[]): ProcessorWiring {
  return wiringIndex(connections)(processorId);
}

const NO_OUTGOING: ReadonlyMap<string, readonly string[]> = new Map();

/**
 * The wiring of every processor of a list of connections, indexed in one pass: a graph check that scanned the
 * connections once per processor would grow with their product (50 million steps at the flow limits).
 */
export function wiringIndex(connections: readonly Pick<GraphConnection, 'id' | 'sourceId' | 'targetId' | 'relationships'>[]): (processorId: string) => ProcessorWiring {
  const outgoing = new Map<string, Map<string, string[]>>();
  const incoming = new Set<string>();
  const listed = new Set<string>();
  for (const c of connections) {
    incoming.add(c.targetId);
    let bySource = outgoing.get(c.sourceId);
    if (!bySource) outgoing.set(c.sourceId, (bySource = new Map()));
    for (const r of c.relationships) {
      // A connection id listed twice (a duplicate id, a relationship named twice) is carried once.
      const key = `${c.sourceId}\u0000${r}\u0000${c.id}`;
      if (listed.has(key)) continue;
      listed.add(key);
      const list = bySource.get(r);
      if (!list) bySource.set(r, [c.id]);
      else list.push(c.id);
    }
  }
  return (processorId) => ({ outgoing: outgoing.get(processorId) ?? NO_OUTGOING, hasIncoming: incoming.has(processorId) });
}

/**
 * Everything that keeps one processor from starting: property checks (NiFi's order, then the definition's
 * cross-property check when they pass), scheduling, and its wiring (every relationship connected or
 * auto-terminated, only its own relationships used, no input where it takes none). Pure; the server and the
 * browser run this same function, so a problem reads the same everywhere.
 */
export function processorIssues(
  p: GraphProcessor,
  definition: ProcessorDefinition | undefined,
  wiring: ProcessorWiring,
  parameters: Readonly<Record<string, string>>,
  /** The flow's controller services; service properties are checked against them when given. */
  controllerServices?: ReadonlyMap<string, ControllerServiceSummary>,
): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const issue = (message: string, extra: Partial<GraphIssue> = {}): GraphIssue => ({ processorId: p.id, property: null, message, code: 'invalid', ...extra });
  if (!definition) return [issue(`This server has no processor type '${p.type}'`)];
  const config = validateConfig(definition.descriptor, p.properties, { checkExpression, checkCron, parameters, controllerServices });
  for (const r of config) issues.push(issue(r.message, { property: r.property, line: r.line, column: r.column, code: r.code ?? 'invalid' }));
  if (config.length === 0 && definition.validate) {
    for (const r of definition.validate(crossPropertyConfig(definition.descriptor, p.properties, parameters))) {
      issues.push(issue(r.message, { property: r.property, line: r.line, column: r.column, code: r.code ?? 'invalid', crossProperty: true }));
    }
  }
  issues.push(...schedulingIssues(p));
  const rels = relationshipsFor(definition.descriptor, p.properties);
  const names = new Set(rels.map((r) => r.name));
  for (const [r, connections] of wiring.outgoing) {
    if (names.has(r)) continue;
    for (const c of connections) issues.push(issue(`Connection '${c}' carries '${r}', which is not a relationship of ${definition.descriptor.displayName}`, { connectionId: c }));
  }
  for (const t of new Set(p.autoTerminated)) {
    if (!names.has(t)) issues.push(issue(`'${t}' is auto-terminated but is not a relationship of ${definition.descriptor.displayName}`));
  }
  for (const r of rels) {
    if (!wiring.outgoing.has(r.name) && !p.autoTerminated.includes(r.name)) {
      issues.push(issue(`Relationship '${r.name}' is neither connected nor auto-terminated`, { code: 'required' }));
    }
  }
  if (definition.descriptor.inputRequirement === 'forbidden' && wiring.hasIncoming) issues.push(issue(`${definition.descriptor.displayName} takes no incoming connections`));
  return issues;
}

/** Problems of one connection by itself (its endpoints are checked against the processors by validateGraph). */
export function connectionIssues(c: GraphConnection): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const issue = (message: string): GraphIssue => ({ processorId: null, connectionId: c.id, property: null, message, code: 'invalid' });
  if (c.relationships.length === 0) issues.push(issue('The connection carries no relationship'));
  if (!(c.backPressureObjectThreshold >= 1)) issues.push(issue('Back pressure object threshold must be at least 1'));
  if (parseDataSize(c.backPressureDataSizeThreshold) === null) issues.push(issue(`Back pressure data size '${c.backPressureDataSizeThreshold}' is not a data size such as '1 GB'`));
  return issues;
}

/**
 * Pure: every problem of the graph, each once: unknown types, invalid properties (validateConfig with EL and cron
 * checks, then cross-property checks), scheduling, connections to missing processors or on unknown relationships,
 * relationships neither connected nor auto-terminated.
 */
export function validateGraph(graph: FlowGraph, registry: ProcessorRegistry, serviceRegistry: ControllerServiceRegistry = () => undefined): GraphIssue[] {
  return runSteps(graphIssueSteps(graph, registry, serviceRegistry));
}

/** How many connections are checked between two steps of graphIssueSteps. */
const CONNECTIONS_PER_STEP = 100;

/**
 * validateGraph one step at a time: the generator yields after each processor (and every hundred connections) and
 * returns the problems, so a host can hand its thread back between steps while a large flow is checked.
 */
export function* graphIssueSteps(graph: FlowGraph, registry: ProcessorRegistry, serviceRegistry: ControllerServiceRegistry = () => undefined): Generator<void, GraphIssue[]> {
  const issues: GraphIssue[] = [];
  const services = summarizeControllerServices(graph.controllerServices ?? [], serviceRegistry, graph.parameters ?? {});
  for (const i of services.issues) issues.push({ processorId: null, serviceId: i.serviceId, property: i.property, message: i.message, code: i.code ?? 'invalid' });
  const ids = new Set<string>();
  for (const p of graph.processors) {
    if (ids.has(p.id)) issues.push({ processorId: p.id, property: null, message: `Another processor has the id '${p.id}'`, code: 'structure' });
    ids.add(p.id);
  }
  const connectionIds = new Set<string>();
  let n = 0;
  for (const c of graph.connections) {
    const structure = (message: string): GraphIssue => ({ processorId: null, connectionId: c.id, property: null, message, code: 'structure' });
    if (connectionIds.has(c.id)) issues.push(structure(`Another connection has the id '${c.id}'`));
    connectionIds.add(c.id);
    if (!ids.has(c.sourceId)) issues.push(structure(`Connection '${c.id}' starts at processor '${c.sourceId}', which is not in the flow`));
    if (!ids.has(c.targetId)) issues.push(structure(`Connection '${c.id}' ends at processor '${c.targetId}', which is not in the flow`));
    issues.push(...connectionIssues(c));
    if (++n % CONNECTIONS_PER_STEP === 0) yield;
  }
  const parameters = graph.parameters ?? {};
  const types = withPorts(registry);
  const wiring = wiringIndex(graph.connections);
  const scopes = new Map<string, Map<string, ControllerServiceSummary>>();
  yield;
  for (const p of graph.processors) {
    if (p.type === PORT_TYPE) issues.push(...portIssues(p, wiring(p.id)));
    else issues.push(...processorIssues(p, types(p.type), wiring(p.id), p.parameters ?? parameters, inScope(services.summaries, p.services, scopes)));
    yield;
  }
  return unique(issues);
}

/** Runs a step generator to its end at once. */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

function inScope(all: Map<string, ControllerServiceSummary>, ids: readonly string[] | undefined, memo: Map<string, Map<string, ControllerServiceSummary>>): Map<string, ControllerServiceSummary> {
  if (!ids) return all;
  // Processors of one group see the same services: one map per scope, not one per processor.
  const key = ids.join('\u0000');
  const known = memo.get(key);
  if (known) return known;
  const visible = new Set(ids);
  // Kept, so the reference is named for what it is rather than missing.
  const outside = 'it belongs to a process group this processor is not inside';
  const scoped = new Map([...all].map(([id, s]) => [id, visible.has(id) ? s : { ...s, invalid: outside }]));
  memo.set(key, scoped);
  return scoped;
}

/** A port has nothing to configure: it only needs somewhere to send what it receives. */
function portIssues(p: GraphProcessor, wiring: ProcessorWiring): GraphIssue[] {
  const issue = (message: string, extra: Partial<GraphIssue> = {}): GraphIssue => ({ processorId: p.id, property: null, message, code: 'invalid', ...extra });
  const out: GraphIssue[] = [];
  if (!wiring.outgoing.has('success')) out.push(issue('The port has no outgoing connection: connect it to where its FlowFiles go', { code: 'required' }));
  for (const [r, connections] of wiring.outgoing) {
    if (r !== 'success') for (const c of connections) out.push(issue(`Connection '${c}' carries '${r}'; a port's only relationship is 'success'`, { connectionId: c }));
  }
  if (p.autoTerminated.length > 0) out.push(issue('A port cannot auto-terminate what it receives'));
  return out;
}

/** Each problem once, in the order found. */
export function unique<T extends Pick<GraphIssue, 'processorId' | 'connectionId' | 'property' | 'message'> & { serviceId?: string }>(issues: readonly T[]): T[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.processorId ?? ''}\u0000${i.connectionId ?? ''}\u0000${i.serviceId ?? ''}\u0000${i.property ?? ''}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function schedulingIssues(p: GraphProcessor): GraphIssue[] {
  const out: GraphIssue[] = [];
  const s = p.scheduling;
  const issue = (message: string): GraphIssue => ({ processorId: p.id, property: null, message, code: 'invalid' });
  if (s.strategy === 'cron') {
    const err = checkCron(s.period);
    if (err) out.push(issue(`Run schedule: ${err}`));
  } else if (s.strategy === 'timer' && parseDuration(s.period) === null) {
    out.push(issue(`Run schedule '${s.period}' is not a duration such as '0 sec' or '5 mins'`));
  }
  if (!Number.isInteger(s.concurrentTasks) || s.concurrentTasks < 1) out.push(issue('Concurrent tasks must be a whole number of at least 1'));
  if (parseDuration(s.penaltyDuration) === null) out.push(issue(`Penalty duration '${s.penaltyDuration}' is not a duration such as '30 sec'`));
  if (parseDuration(s.yieldDuration) === null) out.push(issue(`Yield duration '${s.yieldDuration}' is not a duration such as '1 sec'`));
  if (s.runDuration !== undefined && parseDuration(s.runDuration) === null) out.push(issue(`Run duration '${s.runDuration}' is not a duration such as '25 ms'`));
  return out;
}
