import { connectionGroup, PORT_RELATIONSHIP, ROOT_GROUP, type ConnectionConfig, type FlowDocument, type PortConfig } from '@sluice/contracts';
import { newId, type View } from './flow-model.js';

/** `base`, or `base 2`, `base 3`… whichever no name in `taken` has (compared without case, as port names are). */
export function uniqueName(base: string, taken: readonly string[]): string {
  const used = new Set(taken.map((t) => t.trim().toLowerCase()));
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base} ${i}`;
  return name;
}

/**
 * NiFi's "Group": the chosen processors and groups of `view` move into a new process group placed where they were.
 * A connection between two of them moves along; one that crosses the new group's edge is split at a new port
 * (into the group through an input port, out through an output port), so the flow runs as before.
 */
export function groupComponents(doc: FlowDocument, view: View, ids: readonly string[], name?: string): { doc: FlowDocument; groupId: string } {
  const chosen = new Set(ids);
  const groupId = newId('g');
  const parent = view === ROOT_GROUP ? {} : { parentGroupId: view };
  const movedProcessors = doc.processors.filter((p) => chosen.has(p.id));
  const movedGroups = doc.processGroups.filter((g) => chosen.has(g.id));
  const positions = [...movedProcessors, ...movedGroups].map((c) => c.position);
  const at = positions.length
    ? { x: Math.round(positions.reduce((s, p) => s + p.x, 0) / positions.length), y: Math.round(positions.reduce((s, p) => s + p.y, 0) / positions.length) }
    : { x: 0, y: 0 };
  // Where a connection end sits: moved processors, and ports of moved groups, end up inside the new group.
  const inside = (id: string) => {
    if (chosen.has(id)) return true;
    const port = doc.ports.find((p) => p.id === id);
    return port !== undefined && port.groupId !== undefined && chosen.has(port.groupId);
  };
  const ports: PortConfig[] = [];
  const connections: ConnectionConfig[] = [];
  const portNames = { input: [] as string[], output: [] as string[] };
  const label = (id: string) => doc.processors.find((p) => p.id === id)?.name ?? doc.ports.find((p) => p.id === id)?.name ?? 'port';
  for (const c of doc.connections) {
    if (connectionGroup(doc, c) !== view) {
      connections.push(c);
      continue;
    }
    const from = inside(c.sourceId);
    const to = inside(c.targetId);
    if (from === to) {
      connections.push(c);
      continue;
    }
    const kind = to ? 'input' : 'output';
    const portName = uniqueName(label(to ? c.targetId : c.sourceId), portNames[kind]);
    portNames[kind].push(portName);
    const port: PortConfig = { id: newId('port'), kind, name: portName, groupId, position: { x: to ? at.x - 320 : at.x + 320, y: at.y + 120 * portNames[kind].length } };
    ports.push(port);
    // The outer part keeps the connection's id and settings, so its queue stays where it is seen.
    if (to) {
      connections.push({ ...c, targetId: port.id });
      connections.push({ ...c, id: newId('c'), sourceId: port.id, relationships: [PORT_RELATIONSHIP] });
    } else {
      connections.push({ ...c, id: newId('c'), targetId: port.id });
      connections.push({ ...c, sourceId: port.id, relationships: [PORT_RELATIONSHIP] });
    }
  }
  const groupNames = doc.processGroups.filter((g) => (g.parentGroupId ?? ROOT_GROUP) === view).map((g) => g.name);
  return {
    groupId,
    doc: {
      ...doc,
      processGroups: [
        ...doc.processGroups.map((g) => (chosen.has(g.id) ? { ...g, parentGroupId: groupId } : g)),
        { id: groupId, name: name ?? uniqueName('Process Group', groupNames), position: at, parameters: {}, sensitiveParameters: [], ...parent },
      ],
      processors: doc.processors.map((p) => (chosen.has(p.id) ? { ...p, groupId } : p)),
      ports: [...doc.ports, ...ports],
      connections,
    },
  };
}
