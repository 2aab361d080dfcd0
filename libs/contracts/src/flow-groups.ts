import { PORT_RELATIONSHIP, type FlowDocument, type FlowDocumentInput } from './flow-document.js';

/*
 * Process groups in a flow document. A document without groups is one root group. Every processor, port and
 * controller service sits in a group (groupId; absent: the root). Input ports take FlowFiles from their group's
 * parent into the group, output ports the other way; a connection from a port carries PORT_RELATIONSHIP. Group
 * parameters are inherited by everything inside, a nearer group's value winning.
 */

/** Just the parts of a document that say where things are; parsed and unparsed documents both fit. */
type Layout = Pick<FlowDocumentInput, 'processors' | 'ports' | 'processGroups' | 'parameters'>;

/** The root group's id where one is needed as a key (the root has no group id in documents). */
export const ROOT_GROUP = '';

/** The group a processor, port or group id sits in (ROOT_GROUP for the root), or undefined when it is not there. */
export function groupOf(doc: Layout, id: string): string | undefined {
  const p = doc.processors?.find((x) => x.id === id);
  if (p) return p.groupId ?? ROOT_GROUP;
  const port = doc.ports?.find((x) => x.id === id);
  if (port) return port.groupId ?? ROOT_GROUP;
  const g = doc.processGroups?.find((x) => x.id === id);
  if (g) return g.parentGroupId ?? ROOT_GROUP;
  return undefined;
}

/** The group a group sits in, or ROOT_GROUP; undefined for the root itself or an unknown group. */
export function parentGroup(doc: Layout, groupId: string): string | undefined {
  if (groupId === ROOT_GROUP) return undefined;
  const g = doc.processGroups?.find((x) => x.id === groupId);
  return g ? (g.parentGroupId ?? ROOT_GROUP) : undefined;
}

/**
 * The groups from the root down to `groupId` (the root first, as a breadcrumb shows them). Stops at a cycle or an
 * unknown parent, so a broken document cannot loop.
 */
export function groupPath(doc: Layout, groupId: string): string[] {
  const path: string[] = [];
  let at: string | undefined = groupId;
  while (at !== undefined && at !== ROOT_GROUP && !path.includes(at)) {
    path.unshift(at);
    at = parentGroup(doc, at);
  }
  return [ROOT_GROUP, ...path];
}

/** The ids of a document's components, looked up once per check instead of a scan per connection end. */
interface LayoutIndex {
  readonly processors: ReadonlyMap<string, { name: string; groupId?: string }>;
  readonly ports: ReadonlyMap<string, { name: string; groupId?: string; kind: 'input' | 'output' }>;
  readonly groups: ReadonlyMap<string, { name: string; parentGroupId?: string }>;
}

/** The first component of each id wins, as a scan finds it. */
function firstById<T extends { id: string }>(list: readonly T[] | undefined): Map<string, T> {
  const out = new Map<string, T>();
  for (const x of list ?? []) if (!out.has(x.id)) out.set(x.id, x);
  return out;
}

function indexLayout(doc: Layout): LayoutIndex {
  return { processors: firstById(doc.processors), ports: firstById(doc.ports), groups: firstById(doc.processGroups) };
}

function parentIn(index: LayoutIndex, groupId: string): string | undefined {
  if (groupId === ROOT_GROUP) return undefined;
  const g = index.groups.get(groupId);
  return g ? (g.parentGroupId ?? ROOT_GROUP) : undefined;
}

/**
 * Where a connection end is seen from. A processor is seen from its group. An input port is the door in: it is
 * fed from its group's parent and feeds its own group. An output port is the door out: it is fed from inside its
 * group and feeds the parent.
 */
function side(index: LayoutIndex, id: string, end: 'source' | 'target'): string | undefined {
  const port = index.ports.get(id);
  if (!port) {
    const p = index.processors.get(id);
    return p ? (p.groupId ?? ROOT_GROUP) : undefined;
  }
  const own = port.groupId ?? ROOT_GROUP;
  const outer = end === (port.kind === 'input' ? 'target' : 'source');
  return outer ? parentIn(index, own) : own;
}

/**
 * The group a connection lives in (where the canvas draws it), or undefined when its ends are not in one group:
 * NiFi's rule that a connection crosses a group boundary only through a port.
 */
export function connectionGroup(doc: Layout, c: { sourceId: string; targetId: string }): string | undefined {
  return connectionGroupIn(indexLayout(doc), c);
}

function connectionGroupIn(index: LayoutIndex, c: { sourceId: string; targetId: string }): string | undefined {
  const from = side(index, c.sourceId, 'source');
  const to = side(index, c.targetId, 'target');
  return from !== undefined && from === to ? from : undefined;
}

/**
 * The parameters a component of `groupId` sees: the flow's, then each group's down the path, a nearer group's
 * value of a name overriding the outer one (NiFi's parameter context inheritance).
 */
export function effectiveParameters(doc: Layout, groupId: string | undefined): Record<string, string> {
  const out: Record<string, string> = { ...(doc.parameters ?? {}) };
  for (const id of groupPath(doc, groupId ?? ROOT_GROUP).slice(1)) Object.assign(out, doc.processGroups?.find((g) => g.id === id)?.parameters ?? {});
  return out;
}

/** Every group id inside `groupId`, at any depth (not itself). */
export function descendantGroups(doc: Pick<FlowDocument, 'processGroups'>, groupId: string): Set<string> {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const g of doc.processGroups) {
      if (!out.has(g.id) && ((g.parentGroupId ?? ROOT_GROUP) === groupId || out.has(g.parentGroupId ?? '\u0000')) && g.id !== groupId) {
        out.add(g.id);
        grew = true;
      }
    }
  }
  return out;
}

export interface GroupProblem {
  /** The document path of the bad value, e.g. `ports.2.name`. */
  field: string;
  message: string;
}

/**
 * What makes groups and ports unusable, each naming the component: an unknown or cyclic parent, a port outside a
 * group or sharing its name and kind with another port of the group, an id used twice across processors, ports
 * and groups, a connection crossing a boundary other than through a port, or a port connection that carries
 * something other than PORT_RELATIONSHIP.
 */
export function groupProblems(doc: Pick<FlowDocument, 'processors' | 'ports' | 'processGroups' | 'connections' | 'controllerServices'>): GroupProblem[] {
  const out: GroupProblem[] = [];
  const index = indexLayout(doc);
  const groups = new Map(doc.processGroups.map((g) => [g.id, g]));
  const label = (id: string) => {
    const g = groups.get(id);
    return g ? `process group '${g.name}'` : `process group '${id}'`;
  };
  const seen = new Map<string, string>();
  const claim = (id: string, what: string, field: string) => {
    const other = seen.get(id);
    if (other) out.push({ field, message: `${what} has the id '${id}', which ${other} has too` });
    else seen.set(id, what);
  };
  // Two processors with one id are the graph check's to report.
  for (const p of doc.processors) if (!seen.has(p.id)) seen.set(p.id, `processor '${p.name}'`);
  doc.processGroups.forEach((g, i) => claim(g.id, `Process group '${g.name}'`, `processGroups.${i}.id`));
  doc.ports.forEach((p, i) => claim(p.id, `Port '${p.name}'`, `ports.${i}.id`));
  doc.processGroups.forEach((g, i) => {
    if (g.parentGroupId === undefined) return;
    if (!groups.has(g.parentGroupId)) out.push({ field: `processGroups.${i}.parentGroupId`, message: `Process group '${g.name}' sits in ${label(g.parentGroupId)}, which is not in the flow` });
    else if (inCycle(index, g.id)) out.push({ field: `processGroups.${i}.parentGroupId`, message: `Process group '${g.name}' is inside itself (its parent groups form a cycle)` });
  });
  const inGroup = (groupId: string | undefined, field: string, what: string) => {
    if (groupId !== undefined && !groups.has(groupId)) out.push({ field, message: `${what} sits in ${label(groupId)}, which is not in the flow` });
  };
  doc.processors.forEach((p, i) => inGroup(p.groupId, `processors.${i}.groupId`, `Processor '${p.name}'`));
  doc.controllerServices.forEach((s, i) => inGroup(s.groupId, `controllerServices.${i}.groupId`, `Controller service '${s.name}'`));
  const names = new Set<string>();
  doc.ports.forEach((p, i) => {
    const what = `${p.kind === 'input' ? 'Input' : 'Output'} port '${p.name}'`;
    if (p.groupId === undefined) out.push({ field: `ports.${i}.groupId`, message: `${what} is not in a process group (the root of a flow has no ports)` });
    else inGroup(p.groupId, `ports.${i}.groupId`, what);
    const key = `${p.groupId ?? ''}\u0000${p.kind}\u0000${p.name.trim().toLowerCase()}`;
    if (names.has(key)) out.push({ field: `ports.${i}.name`, message: `${what}: ${p.groupId ? label(p.groupId) : 'the root'} already has an ${p.kind} port of that name` });
    names.add(key);
  });
  const ports = new Map(doc.ports.map((p) => [p.id, p]));
  doc.connections.forEach((c, i) => {
    const known = (id: string) => seen.has(id) && !groups.has(id);
    if (!known(c.sourceId) || !known(c.targetId)) return; // the graph check names a missing end
    if (connectionGroupIn(index, c) === undefined) {
      out.push({ field: `connections.${i}.targetId`, message: `Connection '${c.name || c.id}' joins ${describe(index, c.sourceId)} and ${describe(index, c.targetId)}, which are not in one group: a connection enters a process group through an input port and leaves it through an output port` });
    }
    if (ports.has(c.sourceId) && (c.relationships.length !== 1 || c.relationships[0] !== PORT_RELATIONSHIP)) {
      out.push({ field: `connections.${i}.relationships`, message: `Connection '${c.name || c.id}' starts at port '${ports.get(c.sourceId)!.name}', which has one relationship, '${PORT_RELATIONSHIP}'` });
    }
  });
  return out;
}

function inCycle(index: LayoutIndex, groupId: string): boolean {
  const seen = new Set<string>();
  let at: string | undefined = groupId;
  while (at !== undefined && at !== ROOT_GROUP) {
    if (seen.has(at)) return true;
    seen.add(at);
    at = parentIn(index, at);
  }
  return false;
}

function describe(index: LayoutIndex, id: string): string {
  const p = index.processors.get(id);
  if (p) return `processor '${p.name}'${p.groupId ? ` (in ${groupName(index, p.groupId)})` : ''}`;
  const port = index.ports.get(id);
  return port ? `${port.kind} port '${port.name}'${port.groupId ? ` of ${groupName(index, port.groupId)}` : ''}` : `'${id}'`;
}

function groupName(index: LayoutIndex, id: string): string {
  return `'${index.groups.get(id)?.name ?? id}'`;
}
