import { useCallback, useState, type DragEvent } from 'react';
import { Background, BackgroundVariant, Controls, MiniMap, ReactFlow, useReactFlow, SelectionMode } from '@xyflow/react';
import type { ProcessorDescriptor } from '@sluice/flow-api';
import { edgeTypes, nodeTypes } from './node-types.js';
import { DND_MIME } from './Palette.js';
import { GRID, type FlowNodeType } from './flow-model.js';
import type { FlowEditor } from '../designer/useFlowEditor.js';
import { useResolvedTheme } from '../ui/theme.js';
import { GroupBar } from './GroupBar.js';

const DELETE_KEYS = ['Backspace', 'Delete'];
const fitViewOptions = { padding: 0.2, maxZoom: 1.2 };
const defaultEdgeOptions = { type: 'connection' };
const proOptions = { hideAttribution: true };

const minimapColor = (n: FlowNodeType) => (n.selected ? '#2f6fed' : n.type === 'group' ? '#56657a' : '#9aa6b5');

export function FlowCanvas({
  editor,
  descriptors,
  canEdit,
  onBeforeDelete,
  onMenu,
}: {
  editor: FlowEditor;
  descriptors: ReadonlyMap<string, ProcessorDescriptor>;
  canEdit: boolean;
  /** Asked before the Delete key removes anything; false keeps it all. */
  onBeforeDelete?: (what: { nodes: { id: string }[]; edges: { id: string }[] }) => Promise<boolean>;
  /** A right click on a processor, a connection or the canvas (`id` absent). */
  onMenu?: (at: { x: number; y: number }, target: { kind: 'node' | 'edge' | 'pane'; id?: string }) => void;
}) {
  const { screenToFlowPosition, fitView } = useReactFlow();
  const theme = useResolvedTheme();
  // Fit only a flow that has something to fit: on an empty canvas the first drop would otherwise zoom and jump.
  const [fitOnOpen] = useState(() => editor.nodes.length > 0);
  const onNodeDoubleClick = useCallback(
    (_: unknown, n: FlowNodeType) => {
      if (n.type !== 'group') return;
      editor.enterGroup(n.id);
      // The group's own contents are laid out elsewhere on the plane: show them.
      requestAnimationFrame(() => void fitView(fitViewOptions));
    },
    [editor, fitView],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DND_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(DND_MIME);
      const d = descriptors.get(type);
      if (!d || !canEdit) return;
      e.preventDefault();
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      editor.addProcessor(d, { x: p.x - 110, y: p.y - 30 });
    },
    [descriptors, canEdit, screenToFlowPosition, editor],
  );

  return (
    <div className="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <GroupBar editor={editor} canEdit={canEdit} />
      <ReactFlow
        nodes={editor.nodes}
        edges={editor.edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={editor.onNodesChange}
        onEdgesChange={editor.onEdgesChange}
        onConnect={editor.onConnect}
        onNodeDragStart={editor.onNodeDragStart}
        onNodeDoubleClick={onNodeDoubleClick}
        nodesDraggable={canEdit}
        nodesConnectable={canEdit}
        edgesReconnectable={false}
        deleteKeyCode={canEdit ? DELETE_KEYS : null}
        onBeforeDelete={onBeforeDelete}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        selectionMode={SelectionMode.Partial}
        snapToGrid
        snapGrid={GRID}
        fitView={fitOnOpen}
        fitViewOptions={fitViewOptions}
        defaultEdgeOptions={defaultEdgeOptions}
        minZoom={0.1}
        maxZoom={2}
        onlyRenderVisibleElements
        proOptions={proOptions}
        colorMode={theme}
        onNodeContextMenu={(e, n) => {
          e.preventDefault();
          onMenu?.({ x: e.clientX, y: e.clientY }, { kind: 'node', id: n.id });
        }}
        onEdgeContextMenu={(e, ed) => {
          e.preventDefault();
          onMenu?.({ x: e.clientX, y: e.clientY }, { kind: 'edge', id: ed.id });
        }}
        onPaneContextMenu={(e) => {
          e.preventDefault();
          onMenu?.({ x: e.clientX, y: e.clientY }, { kind: 'pane' });
        }}
      >
        <Background variant={BackgroundVariant.Dots} gap={GRID[0]} size={1} color={theme === 'dark' ? '#2a3442' : '#c9ced6'} />
        <MiniMap pannable zoomable nodeColor={minimapColor} nodeStrokeWidth={2} />
        <Controls showInteractive={false} fitViewOptions={fitViewOptions} />
      </ReactFlow>
    </div>
  );
}
