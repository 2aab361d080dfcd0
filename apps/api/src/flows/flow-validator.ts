import { groupProblems, type FieldError, type FlowDocument, type ProcessorValidationDto } from '@sluice/contracts';
import { parseDuration } from '@sluice/flow-api';
import { CronSchedule, graphIssueSteps, runSteps, unique, type GraphIssue } from '@sluice/flow-core';
import { getControllerService, getProcessor } from '@sluice/processors';
import { IANAZone } from 'luxon';
import { inSlices } from '../common/slices.js';
import { toGraph } from '../engine/flow-graph.js';

export interface FlowValidation {
  /** The document itself is broken (duplicate ids, a connection to a processor it does not have): it is not stored. */
  structure: FieldError[];
  /** Every problem that keeps the flow from starting, once each; a document with these is stored as a draft. */
  issues: ProcessorValidationDto[];
}

/**
 * The flow's problems: the graph as flow-core's validateGraph sees it (the same function the designer runs), plus
 * the Configuration card's settings. Script syntax is checked apart (it needs the script runtimes).
 */
export function validateFlow(doc: FlowDocument): FlowValidation {
  return runSteps(validationSteps(doc));
}

/** validateFlow on the event loop in short slices, for documents of any size up to FLOW_LIMITS. */
export function validateFlowInSlices(doc: FlowDocument): Promise<FlowValidation> {
  return inSlices(validationSteps(doc));
}

function* validationSteps(doc: FlowDocument): Generator<void, FlowValidation> {
  const structure: FieldError[] = [];
  const issues: ProcessorValidationDto[] = [];
  for (const p of groupProblems({ ...doc, processGroups: doc.processGroups ?? [], ports: doc.ports ?? [], controllerServices: doc.controllerServices ?? [] })) structure.push({ field: p.field, message: p.message });
  yield;
  const graph = toGraph(doc);
  yield;
  const at = positions(doc);
  yield;
  for (const g of yield* graphIssueSteps(graph, getProcessor, getControllerService)) {
    if (g.code === 'structure') structure.push({ field: structureField(at, g), message: g.message, ...(g.processorId ? { processorId: g.processorId } : {}) });
    else issues.push(toDto(g));
  }
  if (doc.integration) issues.push(...integrationIssues(doc));
  return { structure, issues: unique(issues) };
}

export function toDto(g: GraphIssue): ProcessorValidationDto {
  return {
    processorId: g.processorId,
    ...(g.connectionId ? { connectionId: g.connectionId } : {}),
    ...(g.serviceId ? { serviceId: g.serviceId } : {}),
    property: g.property,
    message: g.message,
    ...(g.line !== undefined ? { line: g.line } : {}),
    ...(g.column !== undefined ? { column: g.column } : {}),
    code: g.code === 'required' ? 'required' : 'invalid',
  };
}

/** "Login: Omnitron Password is required" — a problem as a list of several processors' problems shows it. */
export function describeIssue(doc: FlowDocument, i: ProcessorValidationDto): string {
  const at = i.line !== undefined ? ` (line ${i.line}${i.column !== undefined ? `, column ${i.column}` : ''})` : '';
  if (i.processorId) return `${componentName(doc, i.processorId)}: ${i.message}${at}`;
  if (i.connectionId) return `connection '${doc.connections.find((c) => c.id === i.connectionId)?.name ?? i.connectionId}': ${i.message}${at}`;
  if (i.serviceId) return `controller service '${doc.controllerServices?.find((s) => s.id === i.serviceId)?.name ?? i.serviceId}': ${i.message}${at}`;
  return i.message;
}

function componentName(doc: FlowDocument, id: string): string {
  const p = doc.processors.find((x) => x.id === id);
  if (p) return p.name;
  const port = doc.ports?.find((x) => x.id === id);
  return port ? `${port.kind === 'input' ? 'Input' : 'Output'} port '${port.name}'` : id;
}

/** Where each component sits in the document's lists (the first of an id, or the last service), for field paths. */
interface Positions {
  readonly connections: ReadonlyMap<string, number>;
  readonly services: ReadonlyMap<string, number>;
  readonly ports: ReadonlyMap<string, number>;
  readonly processors: ReadonlyMap<string, number>;
}

function positions(doc: FlowDocument): Positions {
  const first = (list: readonly { id: string }[]) => {
    const out = new Map<string, number>();
    list.forEach((x, i) => {
      if (!out.has(x.id)) out.set(x.id, i);
    });
    return out;
  };
  return {
    connections: first(doc.connections),
    services: new Map((doc.controllerServices ?? []).map((s, i) => [s.id, i])),
    ports: first(doc.ports ?? []),
    processors: first(doc.processors),
  };
}

function structureField(at: Positions, g: GraphIssue): string {
  if (g.connectionId) {
    const i = at.connections.get(g.connectionId) ?? -1;
    return /starts at/.test(g.message) ? `connections.${i}.sourceId` : /ends at/.test(g.message) ? `connections.${i}.targetId` : `connections.${i}.id`;
  }
  if (g.serviceId) return `controllerServices.${at.services.get(g.serviceId) ?? -1}.id`;
  const port = g.processorId === null ? undefined : at.ports.get(g.processorId);
  if (port !== undefined && !at.processors.has(g.processorId!)) return `ports.${port}.id`;
  return `processors.${g.processorId === null ? -1 : (at.processors.get(g.processorId) ?? -1)}.id`;
}

/** The Configuration card: a schedule that cannot run, a time zone that does not exist. */
function integrationIssues(doc: FlowDocument): ProcessorValidationDto[] {
  const s = doc.integration!;
  const out: ProcessorValidationDto[] = [];
  const issue = (field: string, message: string) => out.push({ processorId: null, field, property: null, message, code: 'invalid' });
  if (s.schedule.type === 'every') {
    const ms = parseDuration(s.schedule.value);
    if (ms === null || ms < 1000) issue('integration.schedule.value', `Schedule: '${s.schedule.value}' is not a duration of at least 1 second (e.g. '5 mins', '1 day')`);
  } else if (s.schedule.type === 'cron') {
    // The schedule's own parser, so what is accepted here is what runs (Quartz day-of-week numbers, a year field).
    try {
      new CronSchedule(s.schedule.value, IANAZone.isValidZone(s.timeZone) ? s.timeZone : 'UTC');
    } catch (e) {
      issue('integration.schedule.value', `Schedule: ${(e as Error).message}`);
    }
  }
  if (!IANAZone.isValidZone(s.timeZone)) issue('integration.timeZone', `Time zone: '${s.timeZone}' is not a known time zone (use an IANA name such as 'Europe/Istanbul')`);
  if (s.entryProcessorId && !doc.processors.some((p) => p.id === s.entryProcessorId)) issue('integration.entryProcessorId', `Entry processor '${s.entryProcessorId}' is not in the flow`);
  if (s.fetchMissing.enabled) {
    if (s.direction === 'outbound') issue('integration.fetchMissing.enabled', 'Fetch missing is not available on outbound flows: they have no endpoint to query by SKU');
    const ms = parseDuration(s.fetchMissing.interval);
    if (ms === null || ms < 60_000) issue('integration.fetchMissing.interval', `Fetch missing interval '${s.fetchMissing.interval}' is not a duration of at least 1 minute`);
  }
  return out;
}
