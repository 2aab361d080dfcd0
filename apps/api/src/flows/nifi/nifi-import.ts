import { createHash } from 'node:crypto';
import {
  PORT_RELATIONSHIP,
  type ConnectionConfig,
  type ControllerServiceConfig,
  type FlowDocumentInput,
  type ImportReportEntry,
  type PortConfig,
  type ProcessGroupConfig,
  type ProcessorConfig,
} from '@sluice/contracts';
import { relationshipsFor } from '@sluice/flow-api';
import { getProcessor } from '@sluice/processors';
import { ImportReport, mapControllerService, mapProcessor, visibleName } from './nifi-components.js';
import type { NifiConnection, NifiFlowDefinition, NifiParameterContext, NifiProcessGroup } from './nifi-definition.js';
import { parameterContextValues, type ContextValues } from './nifi-parameters.js';

/** NiFi's 0 means "no back pressure"; Sluice's thresholds are limits, so these stand for none. */
export const UNLIMITED_OBJECTS = Number.MAX_SAFE_INTEGER;
export const UNLIMITED_DATA_SIZE = '1048576 TB';

const FIFO = new Set(['org.apache.nifi.prioritizer.FirstInFirstOutPrioritizer']);

export interface NifiImport {
  document: FlowDocumentInput;
  report: ImportReportEntry[];
}

/**
 * A NiFi flow definition as a Sluice flow document. The downloaded group is the flow's root; groups inside it
 * become process groups with their ports, funnels are collapsed into direct connections, and the root's parameter
 * context becomes the flow's parameters (a child group's, the group's). Everything that could not be carried over
 * is in the report, each with NiFi's id, type and the reason.
 */
export function importNifiFlow(def: NifiFlowDefinition): NifiImport {
  const report = new ImportReport();
  const root = def.flowContents;
  const contexts = new Map<string, NifiParameterContext>(Object.entries(def.parameterContexts ?? {}).map(([k, c]) => [c.name ?? k, c]));
  const state: WalkState = { report, contexts, processors: [], services: [], groups: [], ports: [], connections: [], portIds: new Set(), rootContext: root.parameterContextName ?? undefined };

  const rootParameters = root.parameterContextName ? parameterContextValues(root.parameterContextName, contexts, report) : { values: {}, sensitive: [] };
  walkGroup(root, undefined, rootParameters, state);

  for (const [id, ref] of Object.entries(def.externalControllerServices ?? {})) {
    report.add(id, 'CONTROLLER_SERVICE', ref.name, 'the flow uses this controller service from outside the downloaded group: add one to the flow and select it');
  }
  for (const [id] of Object.entries(def.parameterProviders ?? {})) {
    report.add(id, 'PARAMETER_PROVIDER', undefined, 'parameter providers are not supported: the values exported with the parameters were kept');
  }

  return {
    document: {
      name: visibleName(root.name, 'Imported NiFi flow'),
      description: (root.comments ?? '').replace(/\u0000/g, '').slice(0, 5000),
      parameters: rootParameters.values,
      sensitiveParameters: rootParameters.sensitive,
      processors: state.processors,
      connections: state.connections,
      controllerServices: state.services,
      processGroups: state.groups,
      ports: state.ports,
    },
    report: report.entries,
  };
}

interface WalkState {
  report: ImportReport;
  contexts: Map<string, NifiParameterContext>;
  rootContext: string | undefined;
  processors: ProcessorConfig[];
  services: ControllerServiceConfig[];
  groups: ProcessGroupConfig[];
  ports: PortConfig[];
  connections: ConnectionConfig[];
  portIds: Set<string>;
}

/**
 * Maps one group's content; `groupId` is undefined for the root (the downloaded group itself). `seen` is what its
 * components see: a child group keeps only the parameters of its own context that differ from it, as Sluice's
 * groups inherit their parent's.
 */
function walkGroup(g: NifiProcessGroup, groupId: string | undefined, seen: ContextValues, state: WalkState): void {
  const { report } = state;
  for (const s of g.controllerServices ?? []) {
    const mapped = mapControllerService(s, groupId, report);
    if (mapped) state.services.push(mapped);
  }
  for (const p of g.processors ?? []) {
    const mapped = mapProcessor(p, groupId, report);
    if (mapped) state.processors.push(mapped);
  }
  for (const [kind, list] of [['input', g.inputPorts], ['output', g.outputPorts]] as const) {
    for (const port of list ?? []) {
      if (groupId === undefined) {
        report.add(port.identifier, kind === 'input' ? 'INPUT_PORT' : 'OUTPUT_PORT', port.name, `the downloaded group's own ${kind} port has nothing ${kind === 'input' ? 'feeding' : 'to feed'} it in a Sluice flow (the flow is the root group): it was left out, with its connections`);
        continue;
      }
      if (port.allowRemoteAccess) report.add(port.identifier, kind === 'input' ? 'INPUT_PORT' : 'OUTPUT_PORT', port.name, 'site-to-site access to the port is not supported: it is a port of its group only', 'allowRemoteAccess');
      state.ports.push({ id: port.identifier, kind, name: visibleName(port.name, kind), groupId, position: port.position ? { x: port.position.x, y: port.position.y } : { x: 0, y: 0 }, ...(port.comments ? { comments: port.comments } : {}) });
      state.portIds.add(port.identifier);
    }
  }
  for (const rpg of g.remoteProcessGroups ?? []) {
    report.add(rpg.identifier, 'REMOTE_PROCESS_GROUP', rpg.name, 'remote process groups (site-to-site) are not supported: it was left out, with its connections');
  }
  for (const label of g.labels ?? []) {
    report.add(label.identifier, 'LABEL', label.label ?? label.name, "Sluice's canvas has no labels: the label's text was left out");
  }
  if (g.flowFileConcurrency && g.flowFileConcurrency !== 'UNBOUNDED') {
    report.add(g.identifier, 'PROCESS_GROUP', g.name, `FlowFile concurrency ${g.flowFileConcurrency} is not supported: the group takes FlowFiles as they come`, 'flowFileConcurrency');
  }
  if (g.flowFileOutboundPolicy && g.flowFileOutboundPolicy !== 'STREAM_WHEN_AVAILABLE') {
    report.add(g.identifier, 'PROCESS_GROUP', g.name, `the outbound policy ${g.flowFileOutboundPolicy} is not supported: FlowFiles leave the group as they are ready`, 'flowFileOutboundPolicy');
  }
  const variables = Object.keys(g.variables ?? {});
  if (variables.length) {
    report.add(g.identifier, 'PROCESS_GROUP', g.name, `NiFi 1.x variables (${variables.join(', ')}) are not supported: make them parameters and reference them as #{name}`, 'variables');
  }
  if (g.executionEngine === 'STATELESS') {
    report.add(g.identifier, 'PROCESS_GROUP', g.name, 'the stateless execution engine is not supported: the group runs on the standard engine', 'executionEngine');
  }

  for (const child of g.processGroups ?? []) {
    const own = child.parameterContextName ?? undefined;
    const full = own && own !== state.rootContext ? parameterContextValues(own, state.contexts, report) : seen;
    const params = ownParameters(full, seen);
    state.groups.push({
      id: child.identifier,
      name: visibleName(child.name, 'Process group'),
      position: child.position ? { x: child.position.x, y: child.position.y } : { x: 0, y: 0 },
      ...(groupId ? { parentGroupId: groupId } : {}),
      parameters: params.values,
      sensitiveParameters: params.sensitive,
      ...(child.comments ? { comments: child.comments } : {}),
    });
    walkGroup(child, child.identifier, { values: { ...seen.values, ...full.values }, sensitive: [...new Set([...seen.sensitive, ...full.sensitive])] }, state);
  }
  // After the children: connections of this group may end at their ports.
  mapConnections(g, state);
}

/** The parameters of a group's context that its parent does not already give with the same value and sensitivity. */
function ownParameters(full: ContextValues, seen: ContextValues): ContextValues {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(full.values)) {
    const same = seen.values[k] === v && full.sensitive.includes(k) === seen.sensitive.includes(k);
    if (!same) values[k] = v;
  }
  return { values, sensitive: full.sensitive.filter((k) => k in values) };
}

/** NiFi's connections of one group as Sluice's, funnels collapsed into direct connections from source to target. */
function mapConnections(g: NifiProcessGroup, state: WalkState): void {
  const { report } = state;
  const funnels = new Set((g.funnels ?? []).map((f) => f.identifier));
  const fromFunnel = new Map<string, NifiConnection[]>();
  for (const c of g.connections ?? []) {
    if (funnels.has(c.source.id)) fromFunnel.set(c.source.id, [...(fromFunnel.get(c.source.id) ?? []), c]);
  }
  const processors = new Map(state.processors.map((p) => [p.id, p]));
  /** The ends a connection into `id` reaches: the component itself, or through funnels every component past them. */
  const targets = (c: NifiConnection, seen: Set<string>): NifiConnection[] => {
    if (!funnels.has(c.destination.id)) return [c];
    if (seen.has(c.destination.id)) return [];
    seen.add(c.destination.id);
    return (fromFunnel.get(c.destination.id) ?? []).flatMap((next) => targets(next, seen));
  };
  const known = (id: string) => processors.has(id) || state.portIds.has(id);
  for (const c of g.connections ?? []) {
    // A funnel that nothing feeds passes nothing on.
    if (funnels.has(c.source.id) && !(g.connections ?? []).some((x) => x.destination.id === c.source.id)) {
      report.add(c.identifier, 'CONNECTION', c.name || undefined, 'it starts at a funnel that nothing feeds: it was left out');
    }
  }
  for (const c of g.connections ?? []) {
    if (funnels.has(c.source.id)) continue; // reached through the connections into the funnel
    const ends = targets(c, new Set());
    if (ends.length === 0) {
      report.add(c.identifier, 'CONNECTION', c.name || undefined, 'it ends at a funnel that leads nowhere: it was left out');
      continue;
    }
    for (const end of ends) {
      const id = ends.length === 1 ? c.identifier : derivedId(c.identifier, end.identifier);
      const label = describeConnection(c, end);
      if (!known(c.source.id) || !known(end.destination.id)) {
        const missing = !known(c.source.id) ? c.source : end.destination;
        report.add(c.identifier, 'CONNECTION', label, `its ${missing === c.source ? 'source' : 'destination'} '${missing.name ?? missing.id}' (${missing.type}) was not imported: the connection was left out`);
        continue;
      }
      const relationships = connectionRelationships(c, processors, report, label);
      if (relationships.length === 0) continue;
      state.connections.push({
        id,
        sourceId: c.source.id,
        targetId: end.destination.id,
        relationships,
        ...(c.name ? { name: c.name } : {}),
        ...backPressure(c),
      });
      connectionSettingsReport(c, report, label);
    }
  }
}

function describeConnection(c: NifiConnection, end: NifiConnection): string {
  return c.name || `${c.source.name ?? c.source.id} → ${end.destination.name ?? end.destination.id}`;
}

/** A stable id for the connection that stands for NiFi's `into` → funnel(s) → `out` path. */
function derivedId(into: string, out: string): string {
  return createHash('sha256').update(`${into}\u0000${out}`).digest('hex').slice(0, 32);
}

function connectionRelationships(c: NifiConnection, processors: Map<string, ProcessorConfig>, report: ImportReport, label: string): string[] {
  const source = processors.get(c.source.id);
  if (!source) return [PORT_RELATIONSHIP]; // a port's connection carries its one relationship
  const selected = (c.selectedRelationships ?? []).filter((r) => r !== '');
  const def = getProcessor(source.type)!;
  const offered = new Set(relationshipsFor(def.descriptor, source.properties).map((r) => r.name));
  const out = selected.filter((r) => offered.has(r));
  for (const r of selected) {
    if (!offered.has(r)) report.add(c.identifier, 'CONNECTION', label, `Sluice's ${source.type} has no relationship '${r}': it was left out of the connection`, 'selectedRelationships');
  }
  if (out.length === 0) report.add(c.identifier, 'CONNECTION', label, 'none of its relationships exists in Sluice: the connection was left out');
  return out;
}

function backPressure(c: NifiConnection): Pick<ConnectionConfig, 'backPressureObjectThreshold' | 'backPressureDataSizeThreshold'> {
  const objects = c.backPressureObjectThreshold ?? 10_000;
  const size = (c.backPressureDataSizeThreshold ?? '1 GB').trim();
  return {
    backPressureObjectThreshold: objects <= 0 ? UNLIMITED_OBJECTS : Math.floor(objects),
    backPressureDataSizeThreshold: /^0+(\.0+)?\s*[a-zA-Z]*$/.test(size) ? UNLIMITED_DATA_SIZE : size,
  };
}

function connectionSettingsReport(c: NifiConnection, report: ImportReport, label: string): void {
  const prioritizers = (c.prioritizers ?? []).filter((p) => !FIFO.has(p));
  if (prioritizers.length) {
    report.add(c.identifier, 'CONNECTION', label, `Sluice's queues are first in, first out; the prioritizers ${prioritizers.map((p) => p.slice(p.lastIndexOf('.') + 1)).join(', ')} were left out`, 'prioritizers');
  }
  if (c.flowFileExpiration && !/^0+\s*[a-zA-Z]*$/.test(c.flowFileExpiration.trim())) {
    report.add(c.identifier, 'CONNECTION', label, `FlowFile expiration (${c.flowFileExpiration}) is not supported: FlowFiles wait in the queue until taken`, 'flowFileExpiration');
  }
  if (c.loadBalanceStrategy && c.loadBalanceStrategy !== 'DO_NOT_LOAD_BALANCE') {
    report.add(c.identifier, 'CONNECTION', label, `load balancing (${c.loadBalanceStrategy}) is not supported: a cluster shares work by execution`, 'loadBalanceStrategy');
  }
  if (c.bends?.length) report.add(c.identifier, 'CONNECTION', label, "Sluice's canvas draws connections without bend points: its bends were left out", 'bends');
}
