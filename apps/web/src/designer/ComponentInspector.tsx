import { useMemo } from 'react';
import { effectiveParameters, ROOT_GROUP } from '@sluice/contracts';
import type { GroupNodeType, PortNodeType } from '../canvas/flow-model.js';
import { useProcessorLive } from '../canvas/live-store.js';
import { ParametersEditor } from '../properties/ParametersEditor.js';
import { useDesigner } from './designer-context.js';
import type { FlowEditor } from './useFlowEditor.js';

/** The inspector of a port or a process group. */
export function ComponentInspector({ node, editor }: { node: PortNodeType | GroupNodeType; editor: FlowEditor }) {
  return node.type === 'port' ? <PortInspector node={node} editor={editor} /> : <GroupInspector node={node} editor={editor} />;
}

function PortInspector({ node, editor }: { node: PortNodeType; editor: FlowEditor }) {
  const { canEdit, live, requestDelete } = useDesigner();
  const state = useProcessorLive(live, node.id)?.state ?? 'stopped';
  const data = node.data;
  return (
    <div className="inspector-body" data-testid="port-inspector">
      <div className="inspector-head">
        <input className="title-input" value={data.name} readOnly={!canEdit} aria-label="Port name" onChange={(e) => editor.updateComponent(node.id, { name: e.target.value }, 'name')} />
        <div className="muted small">
          {data.kind === 'input' ? 'Input port: what the parent group sends here enters this group' : 'Output port: what reaches it leaves this group for the parent'} · {state}
        </div>
      </div>
      <div className="inspector-scroll pad">
        <label className="field">
          <span>Comments</span>
          <textarea rows={3} readOnly={!canEdit} value={data.comments ?? ''} onChange={(e) => editor.updateComponent(node.id, { comments: e.target.value }, 'comments')} />
        </label>
        {canEdit && requestDelete && (
          <button className="btn danger sm mt" onClick={() => requestDelete([node.id], [])}>Delete port</button>
        )}
      </div>
    </div>
  );
}

function GroupInspector({ node, editor }: { node: GroupNodeType; editor: FlowEditor }) {
  const { canEdit, requestDelete } = useDesigner();
  const ro = !canEdit;
  const data = node.data;
  // What the group inherits: its parent's view of the parameters, before its own values override them.
  const inherited = useMemo(() => effectiveParameters(editor.base, editor.view), [editor.base, editor.view]);
  const overridden = Object.keys(inherited).filter((k) => k in data.parameters);
  return (
    <div className="inspector-body" data-testid="group-inspector">
      <div className="inspector-head">
        <input className="title-input" value={data.name} readOnly={ro} aria-label="Group name" onChange={(e) => editor.updateComponent(node.id, { name: e.target.value }, 'name')} />
        <div className="muted small">
          Process group · <button className="link-button" onClick={() => editor.enterGroup(node.id)}>open it</button>
        </div>
      </div>
      <div className="inspector-scroll pad">
        <div className="field">
          <span>Group parameters <span className="muted small">(inherited by everything inside; a name set here overrides the parent’s)</span></span>
          <div data-testid="group-parameters">
            <ParametersEditor
              readOnly={ro}
              value={{ parameters: data.parameters, sensitive: data.sensitiveParameters }}
              onChange={(v) => editor.updateComponent(node.id, { parameters: v.parameters, sensitiveParameters: [...v.sensitive] }, 'parameters')}
            />
          </div>
        </div>
        {Object.keys(inherited).length > 0 && (
          <div className="field" data-testid="inherited-parameters">
            <span>Inherited from {editor.view === ROOT_GROUP ? 'the flow' : 'the parent group'}</span>
            <ul className="plain-list small">
              {Object.entries(inherited).map(([k, v]) => (
                <li key={k} className="mono">
                  {k} = {v}
                  {overridden.includes(k) && <span className="muted"> (overridden here)</span>}
                </li>
              ))}
            </ul>
          </div>
        )}
        <label className="field">
          <span>Comments</span>
          <textarea rows={3} readOnly={ro} value={data.comments ?? ''} onChange={(e) => editor.updateComponent(node.id, { comments: e.target.value }, 'comments')} />
        </label>
        {canEdit && requestDelete && (
          <button className="btn danger sm mt" onClick={() => requestDelete([node.id], [])}>Delete group and its contents</button>
        )}
      </div>
    </div>
  );
}
