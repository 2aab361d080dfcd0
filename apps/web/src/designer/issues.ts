import { effectiveParameters, type ControllerServiceConfig, type FlowDocument, type ProcessorValidationDto } from '@sluice/contracts';
import { checkExpression } from '@sluice/expression';
import { validateConfig, type ControllerServiceDescriptor, type ControllerServiceSummary, type ProcessorDefinition, type ProcessorDescriptor } from '@sluice/flow-api';
import { processorIssues, wiringOf, type GraphConnection, type GraphProcessor } from '@sluice/flow-core';
import type { ProcessorData } from '../canvas/flow-model.js';

/** An edge as the validator needs it: React Flow edges and document connections both reduce to this. */
export interface Wire {
  id: string;
  sourceId: string;
  targetId: string;
  relationships: string[];
}

/** The edges that touch one processor, as a string the canvas store can compare by value. */
export function wiringKey(processorId: string, wires: readonly Wire[]): string {
  return JSON.stringify(
    wires
      .filter((w) => w.sourceId === processorId || w.targetId === processorId)
      .map((w) => [w.id, w.sourceId === processorId ? w.relationships : [], w.targetId === processorId])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
}

function wiresOfKey(processorId: string, key: string): Wire[] {
  return (JSON.parse(key) as [string, string[], boolean][]).map(([id, relationships, incoming]) => ({
    id,
    sourceId: relationships.length ? processorId : '',
    targetId: incoming ? processorId : '',
    relationships,
  }));
}

/** The flow's services as processors' service properties see them (the browser's half of the server's check). */
export function serviceSummaries(doc: Pick<FlowDocument, 'controllerServices' | 'parameters'>, types: ReadonlyMap<string, ControllerServiceDescriptor> | undefined): ControllerServiceSummary[] {
  return (doc.controllerServices ?? []).map((s) => {
    const d = types?.get(s.type);
    if (!d) return { id: s.id, name: s.name, type: s.type, implements: [], enabled: s.enabled, invalid: `This server has no controller service type '${s.type}'` };
    const issues = validateConfig(d, s.properties, { checkExpression, parameters: doc.parameters });
    return { id: s.id, name: s.name, type: s.type, implements: d.implements, enabled: s.enabled, invalid: issues[0]?.message };
  });
}

/** What the server validated a processor with: its settings, its wiring, the flow's parameters and controller services. */
export function processorSnapshot(data: ProcessorData, wiring: string, parameters: Readonly<Record<string, string>>, services: readonly ControllerServiceConfig[] = []): string {
  return JSON.stringify([data.type, data.name, data.properties, data.scheduling, data.autoTerminated, wiring, parameters, services]);
}

/** The snapshot of every processor of a document that was saved. */
export function documentSnapshots(doc: FlowDocument): Map<string, string> {
  const wires: Wire[] = doc.connections.map((c) => ({ id: c.id, sourceId: c.sourceId, targetId: c.targetId, relationships: c.relationships }));
  return new Map(
    doc.processors.map((p) => [
      p.id,
      processorSnapshot({ type: p.type, name: p.name, properties: p.properties, scheduling: p.scheduling, autoTerminated: p.autoTerminated }, wiringKey(p.id, wires), effectiveParameters(doc, p.groupId), doc.controllerServices ?? []),
    ]),
  );
}

/** The browser's definitions: descriptors only, so cross-property checks (server side) are not run here. */
export function definitionOf(descriptor: ProcessorDescriptor | undefined): ProcessorDefinition | undefined {
  return descriptor && { descriptor, onTrigger: () => undefined };
}

/**
 * The problems of a processor as it stands in the editor, found by the same validator the server runs
 * (flow-core's processorIssues), so a problem reads the same wherever it shows.
 */
export function localIssues(
  id: string,
  data: ProcessorData,
  descriptor: ProcessorDescriptor | undefined,
  wiring: string,
  parameters: Readonly<Record<string, string>>,
  services?: readonly ControllerServiceSummary[],
): ProcessorValidationDto[] {
  const p: GraphProcessor = { id, type: data.type, name: data.name, properties: data.properties, scheduling: data.scheduling, autoTerminated: data.autoTerminated };
  const wires = wiresOfKey(id, wiring) as unknown as GraphConnection[];
  const byId = services ? new Map(services.map((s) => [s.id, s])) : undefined;
  return processorIssues(p, definitionOf(descriptor), wiringOf(id, wires), parameters, byId).map((g) => ({
    processorId: id,
    ...(g.connectionId ? { connectionId: g.connectionId } : {}),
    property: g.property,
    message: g.message,
    ...(g.line !== undefined ? { line: g.line } : {}),
    ...(g.column !== undefined ? { column: g.column } : {}),
    code: g.code === 'required' ? 'required' : 'invalid',
  }));
}

/** What the designer knows of the last version the server stored: its problems and what they were found on. */
export interface SavedValidation {
  readonly snapshots: ReadonlyMap<string, string>;
  readonly byProcessor: ReadonlyMap<string, ProcessorValidationDto[]>;
  /** Problems of connections and of the flow's settings. */
  readonly others: readonly ProcessorValidationDto[];
  /** Reasons the server gave for refusing the newest save, by processor: shown until a save passes. */
  readonly refused?: ReadonlyMap<string, ProcessorValidationDto[]>;
}

/** The last stored version's problems, plus the reasons a newer save was refused for. */
export function withRefusal(saved: SavedValidation, reasons: readonly ProcessorValidationDto[]): SavedValidation {
  const refused = new Map<string, ProcessorValidationDto[]>();
  for (const r of reasons) if (r.processorId) refused.set(r.processorId, [...(refused.get(r.processorId) ?? []), r]);
  return { ...saved, refused };
}

export function savedValidation(doc: FlowDocument, validation: readonly ProcessorValidationDto[]): SavedValidation {
  const byProcessor = new Map<string, ProcessorValidationDto[]>();
  const others: ProcessorValidationDto[] = [];
  for (const v of validation) {
    if (v.processorId) byProcessor.set(v.processorId, [...(byProcessor.get(v.processorId) ?? []), v]);
    else others.push(v);
  }
  return { snapshots: documentSnapshots(doc), byProcessor, others };
}

/**
 * A processor's problems as the designer shows them: the server's (all of them, cross-property and script syntax
 * included) while the processor is as it was saved; the browser's own, from the same validator, while it differs.
 */
export function shownIssues(id: string, snapshot: string, saved: SavedValidation, local: () => ProcessorValidationDto[]): { issues: ProcessorValidationDto[]; current: boolean } {
  const current = saved.snapshots.get(id) === snapshot;
  const base = current ? (saved.byProcessor.get(id) ?? []) : local();
  const refused = (saved.refused?.get(id) ?? []).filter((r) => !base.some((b) => b.property === r.property && b.message === r.message));
  return { issues: [...base, ...refused], current };
}
