import { useCallback, useEffect, useRef, useState } from 'react';
import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { PORT_RELATIONSHIP, ROOT_GROUP, type FlowDocument } from '@sluice/contracts';
import type { ProcessorDescriptor } from '@sluice/flow-api';
import {
  GRID,
  newId,
  newProcessorNode,
  toDocument,
  toEdges,
  toNodes,
  type ConnectionData,
  type ConnectionEdgeType,
  type FlowNodeType,
  type GroupData,
  type PortData,
  type ProcessorData,
  type View,
} from '../canvas/flow-model.js';
import { groupComponents, uniqueName } from '../canvas/group-model.js';

interface Snapshot {
  nodes: FlowNodeType[];
  edges: ConnectionEdgeType[];
  base: FlowDocument;
  view: View;
}

const HISTORY_LIMIT = 100;
/** Edits to the same field closer together than this form one undo step (typing a word is one step). */
const COALESCE_MS = 1200;

let clipboard: { nodes: FlowNodeType[]; edges: ConnectionEdgeType[] } | null = null;

/**
 * The editable flow: React Flow nodes and edges plus the rest of the document, with undo/redo, copy/paste and
 * a change counter that drives auto-save. Only graph edits bump the counter; selection and measuring do not.
 */
export function useFlowEditor(initial: FlowDocument) {
  const [nodes, setNodes] = useState<FlowNodeType[]>(() => toNodes(initial));
  const [edges, setEdges] = useState<ConnectionEdgeType[]>(() => toEdges(initial));
  const [base, setBase] = useState<FlowDocument>(initial);
  /** The process group the canvas shows; the rest of the document waits in `base`. */
  const [view, setView] = useState<View>(ROOT_GROUP);
  const [changeSeq, setChangeSeq] = useState(0);
  const past = useRef<Snapshot[]>([]);
  const future = useRef<Snapshot[]>([]);
  const [historySize, setHistorySize] = useState({ past: 0, future: 0 });
  const lastCoalesce = useRef<{ key: string; at: number } | null>(null);
  const recordedThisTick = useRef(false);

  const current = useRef<Snapshot>({ nodes, edges, base, view });
  current.current = { nodes, edges, base, view };

  const touch = useCallback(() => setChangeSeq((n) => n + 1), []);

  /** Saves the current state as an undo step before a change; `key` merges rapid edits of one field. */
  const record = useCallback((key?: string) => {
    const now = Date.now();
    if (key && lastCoalesce.current?.key === key && now - lastCoalesce.current.at < COALESCE_MS) {
      lastCoalesce.current.at = now;
      return;
    }
    lastCoalesce.current = key ? { key, at: now } : null;
    if (recordedThisTick.current) return;
    recordedThisTick.current = true;
    queueMicrotask(() => (recordedThisTick.current = false));
    past.current.push(current.current);
    if (past.current.length > HISTORY_LIMIT) past.current.shift();
    future.current = [];
    setHistorySize({ past: past.current.length, future: 0 });
  }, []);

  const restore = (s: Snapshot) => {
    setNodes(s.nodes);
    setEdges(s.edges);
    setBase(s.base);
    setView(s.view);
    touch();
  };

  const undo = useCallback(() => {
    const s = past.current.pop();
    if (!s) return;
    future.current.push(current.current);
    lastCoalesce.current = null;
    restore(s);
    setHistorySize({ past: past.current.length, future: future.current.length });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const redo = useCallback(() => {
    const s = future.current.pop();
    if (!s) return;
    past.current.push(current.current);
    lastCoalesce.current = null;
    restore(s);
    setHistorySize({ past: past.current.length, future: future.current.length });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNodeType>[]) => {
      const meaningful = changes.some((c) => c.type === 'remove' || c.type === 'add' || c.type === 'replace' || (c.type === 'position' && !c.dragging && c.position));
      if (changes.some((c) => c.type === 'remove')) record();
      setNodes((ns) => applyNodeChanges(changes, ns));
      if (meaningful) touch();
    },
    [record, touch],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<ConnectionEdgeType>[]) => {
      const meaningful = changes.some((c) => c.type === 'remove' || c.type === 'add' || c.type === 'replace');
      if (changes.some((c) => c.type === 'remove')) record();
      setEdges((es) => applyEdgeChanges(changes, es));
      if (meaningful) touch();
    },
    [record, touch],
  );

  const onNodeDragStart = useCallback(() => record(), [record]);

  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.sourceHandle) return;
      // A group's handles are its ports; whatever leaves a port leaves on its one relationship.
      const fromPort = current.current.nodes.find((n) => n.id === c.source)?.type !== 'processor';
      const rel = fromPort ? PORT_RELATIONSHIP : c.sourceHandle;
      record();
      setEdges((es) => {
        const existing = es.find((e) => e.source === c.source && e.target === c.target && e.sourceHandle === (fromPort ? c.sourceHandle : e.sourceHandle) && (e.targetHandle ?? null) === (c.targetHandle ?? null));
        if (existing) {
          if (existing.data?.relationships.includes(rel)) return es;
          return es.map((e) => (e === existing ? { ...e, data: { ...e.data!, relationships: [...e.data!.relationships, rel] } } : e));
        }
        const edge: ConnectionEdgeType = {
          id: newId('c'),
          type: 'connection',
          source: c.source,
          target: c.target,
          sourceHandle: c.sourceHandle!,
          ...(c.targetHandle ? { targetHandle: c.targetHandle } : {}),
          data: { relationships: [rel], backPressureObjectThreshold: 10_000, backPressureDataSizeThreshold: '1 GB' },
        };
        return [...es, edge];
      });
      // A connected relationship is no longer dropped.
      setNodes((ns) => ns.map((n) => (n.type === 'processor' && n.id === c.source && n.data.autoTerminated.includes(rel) ? { ...n, data: { ...n.data, autoTerminated: n.data.autoTerminated.filter((r) => r !== rel) } } : n)));
      touch();
    },
    [record, touch],
  );

  const addProcessor = useCallback(
    (descriptor: ProcessorDescriptor, position: { x: number; y: number }) => {
      record();
      const snapped = { x: Math.round(position.x / GRID[0]) * GRID[0], y: Math.round(position.y / GRID[1]) * GRID[1] };
      setNodes((ns) => [...ns.map((n) => (n.selected ? { ...n, selected: false } : n)), newProcessorNode(descriptor, snapped, ns)]);
      setEdges((es) => es.map((e) => (e.selected ? { ...e, selected: false } : e)));
      touch();
    },
    [record, touch],
  );

  const updateProcessor = useCallback(
    (id: string, patch: Partial<ProcessorData>, coalesceKey?: string) => {
      record(coalesceKey ? `${id}:${coalesceKey}` : undefined);
      setNodes((ns) => ns.map((n) => (n.id === id && n.type === 'processor' ? { ...n, data: { ...n.data, ...patch } } : n)));
      touch();
    },
    [record, touch],
  );

  /** A port's or a group's settings (name, comments, a group's parameters). */
  const updateComponent = useCallback(
    (id: string, patch: Partial<PortData> | Partial<GroupData>, coalesceKey?: string) => {
      record(coalesceKey ? `${id}:${coalesceKey}` : undefined);
      setNodes((ns) => ns.map((n) => (n.id === id && n.type !== 'processor' ? ({ ...n, data: { ...n.data, ...patch } } as FlowNodeType) : n)));
      touch();
    },
    [record, touch],
  );

  /** Shows another group (ROOT_GROUP: the flow's top): the canvas's edits go into the document first. */
  const enterGroup = useCallback((next: View) => {
    const { nodes: ns, edges: es, base: b, view: v } = current.current;
    if (next === v) return;
    const doc = toDocument(b, ns, es, v);
    setBase(doc);
    setView(next);
    setNodes(toNodes(doc, next));
    setEdges(toEdges(doc, next));
  }, []);

  const snap = (position: { x: number; y: number }) => ({ x: Math.round(position.x / GRID[0]) * GRID[0], y: Math.round(position.y / GRID[1]) * GRID[1] });

  const addPort = useCallback(
    (kind: 'input' | 'output', position: { x: number; y: number }) => {
      const { nodes: ns, view: v } = current.current;
      if (v === ROOT_GROUP) return;
      record();
      const name = uniqueName(kind === 'input' ? 'input' : 'output', ns.filter((n) => n.type === 'port' && n.data.kind === kind).map((n) => n.data.name));
      const port: FlowNodeType = { id: newId('port'), type: 'port', position: snap(position), selected: true, data: { kind, name } };
      setNodes((cur) => [...cur.map((n) => (n.selected ? { ...n, selected: false } : n)), port]);
      touch();
    },
    [record, touch],
  );

  const addGroup = useCallback(
    (position: { x: number; y: number }) => {
      record();
      const name = uniqueName('Process Group', current.current.nodes.filter((n) => n.type === 'group').map((n) => n.data.name));
      const group: FlowNodeType = { id: newId('g'), type: 'group', position: snap(position), selected: true, data: { name, parameters: {}, sensitiveParameters: [] } };
      setNodes((cur) => [...cur.map((n) => (n.selected ? { ...n, selected: false } : n)), group]);
      touch();
    },
    [record, touch],
  );

  /** Moves the selected processors and groups into a new group; connections that cross its edge go through new ports. */
  const groupSelection = useCallback(() => {
    const { nodes: ns, edges: es, base: b, view: v } = current.current;
    const picked = ns.filter((n) => n.selected && n.type !== 'port').map((n) => n.id);
    if (picked.length === 0) return null;
    record();
    const { doc, groupId } = groupComponents(toDocument(b, ns, es, v), v, picked);
    setBase(doc);
    setNodes(toNodes(doc, v).map((n) => (n.id === groupId ? { ...n, selected: true } : n)));
    setEdges(toEdges(doc, v));
    touch();
    return groupId;
  }, [record, touch]);

  const updateConnection = useCallback(
    (id: string, patch: Partial<ConnectionData>, coalesceKey?: string) => {
      record(coalesceKey ? `${id}:${coalesceKey}` : undefined);
      setEdges((es) =>
        es
          .map((e) => (e.id === id ? { ...e, data: { ...e.data!, ...patch }, sourceHandle: (patch.relationships ?? e.data!.relationships)[0] ?? e.sourceHandle } : e))
          .filter((e) => (e.data?.relationships.length ?? 1) > 0),
      );
      touch();
    },
    [record, touch],
  );

  const updateBase = useCallback(
    (patch: Partial<FlowDocument>, coalesceKey?: string) => {
      record(coalesceKey ? `flow:${coalesceKey}` : undefined);
      setBase((b) => ({ ...b, ...patch }));
      touch();
    },
    [record, touch],
  );

  const deleteSelection = useCallback(() => {
    const { nodes: ns, edges: es } = current.current;
    const gone = new Set(ns.filter((n) => n.selected).map((n) => n.id));
    if (gone.size === 0 && !es.some((e) => e.selected)) return;
    record();
    setNodes(ns.filter((n) => !gone.has(n.id)));
    setEdges(es.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target)));
    touch();
  }, [record, touch]);

  /** Removes these processors and connections (and every connection of a removed processor) in one undo step. */
  const deleteElements = useCallback(
    (nodeIds: readonly string[], edgeIds: readonly string[]) => {
      const { nodes: ns, edges: es } = current.current;
      const gone = new Set(nodeIds);
      const cut = new Set(edgeIds);
      if (gone.size === 0 && cut.size === 0) return;
      record();
      setNodes(ns.filter((n) => !gone.has(n.id)));
      setEdges(es.filter((e) => !cut.has(e.id) && !gone.has(e.source) && !gone.has(e.target)));
      touch();
    },
    [record, touch],
  );

  const copy = useCallback(() => {
    const { nodes: ns, edges: es } = current.current;
    // Processors only: a copied group would come without its contents, a copied port with a name its group has.
    const picked = ns.filter((n) => n.selected && n.type === 'processor');
    if (picked.length === 0) return false;
    const ids = new Set(picked.map((n) => n.id));
    clipboard = { nodes: structuredClone(picked), edges: structuredClone(es.filter((e) => ids.has(e.source) && ids.has(e.target))) };
    return true;
  }, []);

  const paste = useCallback(() => {
    if (!clipboard) return;
    const clip = clipboard;
    record();
    const idMap = new Map<string, string>();
    const { nodes: ns } = current.current;
    const names = new Set(ns.map((n) => n.data.name));
    const pasted = clip.nodes.map((n): FlowNodeType => {
      const id = newId(n.type === 'processor' ? 'p' : n.type === 'port' ? 'port' : 'g');
      idMap.set(n.id, id);
      let name = n.data.name;
      for (let i = 2; names.has(name); i++) name = `${n.data.name} (${i})`;
      names.add(name);
      return { ...structuredClone(n), id, selected: true, position: { x: n.position.x + 48, y: n.position.y + 48 }, data: { ...structuredClone(n.data), name } } as FlowNodeType;
    });
    const pastedEdges = clip.edges.map((e) => ({ ...structuredClone(e), id: newId('c'), source: idMap.get(e.source)!, target: idMap.get(e.target)!, selected: false }));
    // Shift the clipboard so a second paste does not land exactly on the first.
    clipboard = { nodes: clip.nodes.map((n) => ({ ...n, position: { x: n.position.x + 48, y: n.position.y + 48 } })), edges: clip.edges };
    setNodes((cur) => [...cur.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted]);
    setEdges((cur) => [...cur.map((e) => (e.selected ? { ...e, selected: false } : e)), ...pastedEdges]);
    touch();
  }, [record, touch]);

  /** Moves several processors at once, as one undo step (auto-layout). */
  const moveNodes = useCallback(
    (positions: ReadonlyMap<string, { x: number; y: number }>) => {
      record();
      setNodes((ns) => ns.map((n) => (positions.has(n.id) ? { ...n, position: positions.get(n.id)! } : n)));
      touch();
    },
    [record, touch],
  );

  const selectAll = useCallback(() => {
    setNodes((ns) => ns.map((n) => (n.selected ? n : { ...n, selected: true })));
  }, []);

  const select = useCallback((id: string) => {
    setNodes((ns) => ns.map((n) => (n.selected !== (n.id === id) ? { ...n, selected: n.id === id } : n)));
    setEdges((es) => es.map((e) => (e.selected ? { ...e, selected: false } : e)));
  }, []);

  const selectEdge = useCallback((id: string) => {
    setEdges((es) => es.map((e) => (e.selected !== (e.id === id) ? { ...e, selected: e.id === id } : e)));
    setNodes((ns) => ns.map((n) => (n.selected ? { ...n, selected: false } : n)));
  }, []);

  /** Replaces everything (a reload after a conflict); clears history. */
  const reset = useCallback((doc: FlowDocument) => {
    // Stay in the group shown, when the reloaded document still has it.
    const v = current.current.view;
    const keep = v === ROOT_GROUP || (doc.processGroups ?? []).some((g) => g.id === v) ? v : ROOT_GROUP;
    setNodes(toNodes(doc, keep));
    setEdges(toEdges(doc, keep));
    setBase(doc);
    setView(keep);
    past.current = [];
    future.current = [];
    setHistorySize({ past: 0, future: 0 });
  }, []);

  const document = useCallback(() => toDocument(current.current.base, current.current.nodes, current.current.edges, current.current.view), []);

  useEffect(() => () => void (lastCoalesce.current = null), []);

  return {
    nodes,
    edges,
    base,
    view,
    changeSeq,
    canUndo: historySize.past > 0,
    canRedo: historySize.future > 0,
    onNodesChange,
    onEdgesChange,
    onNodeDragStart,
    onConnect,
    addProcessor,
    updateProcessor,
    updateComponent,
    enterGroup,
    addPort,
    addGroup,
    groupSelection,
    updateConnection,
    updateBase,
    deleteSelection,
    deleteElements,
    copy,
    paste,
    selectAll,
    select,
    selectEdge,
    moveNodes,
    undo,
    redo,
    reset,
    document,
  };
}

export type FlowEditor = ReturnType<typeof useFlowEditor>;
