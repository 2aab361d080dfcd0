import { relationshipsFor, validateProcessor, parseDataSize, parseDuration, type ProcessorDefinition, type SchedulingStrategy } from '@sluice/flow-api';
import { checkExpression } from '@sluice/expression';
import { checkCron } from './cron-schedule.js';

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
}

export interface GraphIssue {
  processorId: string | null;
  connectionId?: string;
  property: string | null;
  message: string;
  line?: number;
  column?: number;
}

export type ProcessorRegistry = (type: string) => ProcessorDefinition | undefined;

/** The connection id of a processor's implicit ingress queue (fed by `FlowEngine.enqueue`). */
export function ingressConnectionId(processorId: string): string {
  return `ingress:${processorId}`;
}

/**
 * Pure: unknown types, invalid properties (validateProcessor + EL checks), connections to missing
 * processors or unknown relationships, relationships neither connected nor auto-terminated.
 */
export function validateGraph(graph: FlowGraph, registry: ProcessorRegistry): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const byId = new Map<string, GraphProcessor>();
  for (const p of graph.processors) {
    if (byId.has(p.id)) issues.push({ processorId: p.id, property: null, message: `duplicate processor id '${p.id}'` });
    byId.set(p.id, p);
  }
  const connectionIds = new Set<string>();
  const connectedRels = new Map<string, Set<string>>();
  const incoming = new Set<string>();
  for (const c of graph.connections) {
    if (connectionIds.has(c.id)) issues.push({ processorId: null, connectionId: c.id, property: null, message: `duplicate connection id '${c.id}'` });
    connectionIds.add(c.id);
    const source = byId.get(c.sourceId);
    const target = byId.get(c.targetId);
    if (!source) issues.push({ processorId: null, connectionId: c.id, property: null, message: `connection '${c.id}' starts at unknown processor '${c.sourceId}'` });
    if (!target) issues.push({ processorId: null, connectionId: c.id, property: null, message: `connection '${c.id}' ends at unknown processor '${c.targetId}'` });
    if (target) incoming.add(target.id);
    if (c.relationships.length === 0) issues.push({ processorId: c.sourceId, connectionId: c.id, property: null, message: `connection '${c.id}' carries no relationship` });
    if (!(c.backPressureObjectThreshold >= 1)) {
      issues.push({ processorId: null, connectionId: c.id, property: null, message: `connection '${c.id}': back pressure object threshold must be at least 1` });
    }
    if (parseDataSize(c.backPressureDataSizeThreshold) === null) {
      issues.push({ processorId: null, connectionId: c.id, property: null, message: `connection '${c.id}': '${c.backPressureDataSizeThreshold}' is not a data size such as '1 GB'` });
    }
    if (source) {
      let set = connectedRels.get(source.id);
      if (!set) connectedRels.set(source.id, (set = new Set()));
      for (const r of c.relationships) set.add(r);
    }
  }
  for (const p of graph.processors) {
    const def = registry(p.type);
    if (!def) {
      issues.push({ processorId: p.id, property: null, message: `unknown processor type '${p.type}'` });
      continue;
    }
    for (const r of validateProcessor(def, p.properties, { checkExpression, checkCron, parameters: graph.parameters ?? {} })) {
      issues.push({ processorId: p.id, property: r.property, message: r.message, line: r.line, column: r.column });
    }
    issues.push(...validateScheduling(p));
    const rels = relationshipsFor(def.descriptor, p.properties);
    const relNames = new Set(rels.map((r) => r.name));
    const connected = connectedRels.get(p.id) ?? new Set<string>();
    for (const c of graph.connections) {
      if (c.sourceId !== p.id) continue;
      for (const r of c.relationships) {
        if (!relNames.has(r)) issues.push({ processorId: p.id, connectionId: c.id, property: null, message: `${p.name} has no relationship '${r}' (connection '${c.id}')` });
      }
    }
    const auto = new Set(p.autoTerminated);
    for (const r of rels) {
      if (!connected.has(r.name) && !auto.has(r.name)) {
        issues.push({ processorId: p.id, property: null, message: `${p.name}: relationship '${r.name}' is neither connected nor auto-terminated` });
      }
    }
    const input = def.descriptor.inputRequirement;
    if (input === 'forbidden' && incoming.has(p.id)) issues.push({ processorId: p.id, property: null, message: `${p.name} (${p.type}) does not accept incoming connections` });
  }
  return issues;
}

function validateScheduling(p: GraphProcessor): GraphIssue[] {
  const out: GraphIssue[] = [];
  const s = p.scheduling;
  const issue = (message: string): GraphIssue => ({ processorId: p.id, property: null, message: `${p.name}: ${message}` });
  if (s.strategy === 'cron') {
    const err = checkCron(s.period);
    if (err) out.push(issue(err));
  } else if (s.strategy === 'timer' && parseDuration(s.period) === null) {
    out.push(issue(`run schedule '${s.period}' is not a duration such as '0 sec' or '5 mins'`));
  }
  if (!Number.isInteger(s.concurrentTasks) || s.concurrentTasks < 1) out.push(issue('concurrent tasks must be a whole number of at least 1'));
  if (parseDuration(s.penaltyDuration) === null) out.push(issue(`penalty duration '${s.penaltyDuration}' is not a duration`));
  if (parseDuration(s.yieldDuration) === null) out.push(issue(`yield duration '${s.yieldDuration}' is not a duration`));
  if (s.runDuration !== undefined && parseDuration(s.runDuration) === null) out.push(issue(`run duration '${s.runDuration}' is not a duration such as '25 ms'`));
  return out;
}
