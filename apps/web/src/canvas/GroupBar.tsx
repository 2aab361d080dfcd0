import { Fragment } from 'react';
import { useReactFlow } from '@xyflow/react';
import { groupPath, ROOT_GROUP } from '@sluice/contracts';
import type { FlowEditor } from '../designer/useFlowEditor.js';

/**
 * Where the canvas is (the flow, then each group down to the one shown; any of them a click away) and what can be
 * added here: a process group, ports when inside one, and a group made of the selection.
 */
export function GroupBar({ editor, canEdit }: { editor: FlowEditor; canEdit: boolean }) {
  const { getViewport, fitView } = useReactFlow();
  const doc = editor.base;
  const path = groupPath(doc, editor.view);
  const nameOf = (id: string) => (id === ROOT_GROUP ? doc.name || 'Flow' : (editor.nodes.find((n) => n.id === id)?.data.name ?? doc.processGroups.find((g) => g.id === id)?.name ?? id));
  const go = (id: string) => {
    editor.enterGroup(id);
    requestAnimationFrame(() => void fitView({ padding: 0.2, maxZoom: 1.2 }));
  };
  const here = () => {
    const vp = getViewport();
    const el = document.querySelector('.canvas');
    return { x: ((el?.clientWidth ?? 800) / 2 - vp.x) / vp.zoom - 110, y: ((el?.clientHeight ?? 600) / 2 - vp.y) / vp.zoom - 40 };
  };
  const selected = editor.nodes.filter((n) => n.selected && n.type !== 'port').length;
  return (
    <nav className="breadcrumb" aria-label="Process groups" data-testid="breadcrumb">
      {path.map((id, i) => (
        <Fragment key={id || 'root'}>
          {i > 0 && <span className="muted">›</span>}
          {i === path.length - 1 ? (
            <span className="here" data-testid="breadcrumb-here">{nameOf(id)}</span>
          ) : (
            <button onClick={() => go(id)} data-testid={`breadcrumb-${i}`}>{nameOf(id)}</button>
          )}
        </Fragment>
      ))}
      {canEdit && (
        <span className="canvas-tools">
          <button className="btn ghost sm" onClick={() => editor.addGroup(here())}>+ Group</button>
          {editor.view !== ROOT_GROUP && (
            <>
              <button className="btn ghost sm" onClick={() => editor.addPort('input', here())}>+ Input port</button>
              <button className="btn ghost sm" onClick={() => editor.addPort('output', here())}>+ Output port</button>
            </>
          )}
          <button className="btn ghost sm" disabled={selected === 0} onClick={() => editor.groupSelection()} title="Move the selected processors and groups into a new group">
            Group selection
          </button>
        </span>
      )}
    </nav>
  );
}
