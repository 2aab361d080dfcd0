import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { effectiveParameters, groupOf, type FlowDto } from '@sluice/contracts';
import type { ControllerServiceDescriptor, ProcessorDescriptor } from '@sluice/flow-api';
import { api, errorText, refusalText, session } from '../api/client.js';
import { useFlowEvents } from '../api/useFlowEvents.js';
import { LiveStore, useFlowState } from '../canvas/live-store.js';
import { FlowCanvas } from '../canvas/FlowCanvas.js';
import { Palette } from '../canvas/Palette.js';
import { AppShell } from '../ui/AppShell.js';
import { DesignerContext, type DesignerContextValue } from './designer-context.js';
import { useFlowEditor, type FlowEditor } from './useFlowEditor.js';
import { ProcessorInspector } from './ProcessorInspector.js';
import { ConnectionInspector } from './ConnectionInspector.js';
import { useAutoSave, type SaveState } from './useAutoSave.js';
import { useDeleteGuard } from './useDeleteGuard.js';
import { FlowInspector } from './FlowInspector.js';
import { ComponentInspector } from './ComponentInspector.js';
import { isProcessor } from '../canvas/flow-model.js';
import { ProcessorTestTab } from '../test-panes/ProcessorTestTab.js';
import { elFieldTools } from '../test-panes/ElExpand.js';
import { CodeEditorSlot } from '../properties/code-editor-slot.js';
import { MonacoCodeEditor } from '../monaco/MonacoCodeEditor.js';
import { setFlowAttributeNames } from '../monaco/el-language.js';
import { deniedReason } from '../ui/roles.js';
import { INSPECTOR_MIN, usePanels } from './usePanels.js';
import { CanvasMenu, ShortcutSheet, type MenuItem } from './CanvasMenu.js';
import { autoLayout } from '../canvas/auto-layout.js';
import { DebugPanel } from './DebugPanel.js';

export function DesignerPage() {
  const { id } = useParams();
  const [flow, setFlow] = useState<FlowDto | null>(null);
  const [types, setTypes] = useState<ProcessorDescriptor[] | null>(null);
  const [serviceTypes, setServiceTypes] = useState<ControllerServiceDescriptor[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!id) return;
    let cancelled = false;
    Promise.all([api.getFlow(id), api.processorTypes(), api.controllerServiceTypes()])
      .then(([f, t, s]) => {
        if (cancelled) return;
        setFlow(f);
        setServiceTypes(s.types);
        setTypes(t.types);
      })
      .catch((e) => !cancelled && setError(errorText(e)));
    return () => {
      cancelled = true;
    };
  }, [id]);

  if (error) {
    return (
      <AppShell title="Flow">
        <div className="page">
          <div className="error-box">{error}</div>
          <Link to="/flows">Back to flows</Link>
        </div>
      </AppShell>
    );
  }
  if (!flow || !types) return <div className="loading">Loading flow…</div>;
  return (
    <ReactFlowProvider>
      <Designer flow={flow} types={types} serviceTypes={serviceTypes} />
    </ReactFlowProvider>
  );
}

function Designer({ flow, types, serviceTypes }: { flow: FlowDto; types: ProcessorDescriptor[]; serviceTypes: ControllerServiceDescriptor[] }) {
  const editor = useFlowEditor(flow.document);
  const descriptors = useMemo(() => new Map(types.map((t) => [t.type, t])), [types]);
  const serviceDescriptors = useMemo(() => new Map(serviceTypes.map((t) => [t.type, t])), [serviceTypes]);
  const live = useMemo(() => new LiveStore(), []);
  const canEdit = session.canEdit();
  const { saveState, saveError, saved, applied, dismissApplied, shownVersion, save, flush, reloadTheirs, overwrite } = useAutoSave(flow, editor, canEdit);
  const [actionError, setActionError] = useState<string | null>(null);
  const flowState = useFlowState(live);
  const { fitView, getViewport, setCenter } = useReactFlow();
  const guard = useDeleteGuard(flow.id, editor);

  const refreshStatus = useCallback(async () => {
    try {
      const s = await api.status(flow.id);
      live.setFlowState(s.state);
      for (const p of s.processors) live.setProcessor(p.id, { state: p.state, activeTasks: p.activeTasks });
      for (const c of s.connections) live.setConnection(c.id, { count: c.count, bytes: c.bytes, fill: c.fill });
    } catch {
      // The socket keeps the view current; a failed poll is not worth an alert.
    }
  }, [flow.id, live]);

  const socketStatus = useFlowEvents(flow.id, live);
  useEffect(() => {
    void refreshStatus();
    if (socketStatus === 'live') return;
    const t = setInterval(refreshStatus, 3000);
    return () => clearInterval(t);
  }, [refreshStatus, socketStatus]);

  // The stored bulletins: a processor's latest failure is still marked after a reload.
  useEffect(() => {
    let cancelled = false;
    api
      .bulletins(flow.id)
      .then((list) => !cancelled && live.setBulletins(list.map((b) => ({ flowId: b.flowId, processorId: b.processorId, level: b.level, message: b.message, timestamp: b.timestamp }))))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [flow.id, live]);

  // EL completion offers the attributes this flow's processors write.
  useEffect(() => {
    const names = new Set<string>();
    for (const n of editor.nodes.filter(isProcessor)) for (const a of descriptors.get(n.data.type)?.writesAttributes ?? []) names.add(a.name);
    setFlowAttributeNames([...names]);
  }, [editor.nodes, descriptors]);

  const act = async (fn: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await fn();
    } catch (e) {
      setActionError(refusalText(e));
    }
    await refreshStatus();
  };

  const startStop = () =>
    act(async () => {
      if (flowState === 'running') return api.stop(flow.id);
      await flush();
      return api.start(flow.id);
    });
  const processorStartStop = (pid: string, running: boolean) =>
    act(async () => {
      if (running) return api.stopProcessor(flow.id, pid);
      await flush();
      return api.startProcessor(flow.id, pid);
    });
  const runOnce = (pid: string) =>
    act(async () => {
      await flush();
      return api.runOnce(flow.id, pid);
    });

  useKeyboard(editor, canEdit);

  // Inside a group its processors see the parameters they inherit.
  const parameters = useMemo(() => effectiveParameters(editor.base, editor.view), [editor.base, editor.view]);
  const controllerServices = editor.base.controllerServices;
  const requestDelete = guard.requestDelete;
  const [taps, setTaps] = useState<string[]>([]);
  const [debugOpen, setDebugOpen] = useState(false);
  const tap = useCallback((cid: string) => {
    setTaps((t) => (t.includes(cid) ? t : [...t, cid]));
    setDebugOpen(true);
  }, []);
  const document_ = editor.base;
  const enterGroup = editor.enterGroup;
  const ctx: DesignerContextValue = useMemo(
    () => ({ flowId: flow.id, descriptors, live, canEdit, saved, parameters, requestDelete, serviceTypes: serviceDescriptors, controllerServices, document: document_, enterGroup, tap }),
    [flow.id, descriptors, live, canEdit, saved, parameters, requestDelete, serviceDescriptors, controllerServices, document_, enterGroup, tap],
  );

  const panels = usePanels();
  const [menu, setMenu] = useState<{ x: number; y: number; kind: 'node' | 'edge' | 'pane'; id?: string } | null>(null);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const closeMenu = useCallback(() => setMenu(null), []);
  const closeShortcuts = useCallback(() => setShowShortcuts(false), []);
  const editDenied = deniedReason('editor', 'change this flow');
  const layout = useCallback(() => {
    const positions = autoLayout(
      editor.nodes.map((n) => ({ id: n.id, width: n.measured?.width, height: n.measured?.height })),
      editor.edges.map((e) => ({ source: e.source, target: e.target })),
    );
    editor.moveNodes(positions);
    requestAnimationFrame(() => void fitView({ padding: 0.2, duration: 300 }));
  }, [editor, fitView]);
  const searchPalette = useCallback(() => {
    if (!panels.paletteOpen) panels.togglePalette();
    requestAnimationFrame(() => document.getElementById('palette-search')?.focus());
  }, [panels]);
  useDesignerKeys({ canEdit, layout, searchPalette, fit: () => void fitView({ padding: 0.2, duration: 300 }), help: () => setShowShortcuts(true) });
  const selectedNodes = editor.nodes.filter((n) => n.selected);
  const selectedEdges = editor.edges.filter((e) => e.selected);
  const addAtCenter = (d: ProcessorDescriptor) => {
    const vp = getViewport();
    const el = document.querySelector('.canvas');
    const w = el?.clientWidth ?? 800;
    const h = el?.clientHeight ?? 600;
    editor.addProcessor(d, { x: (w / 2 - vp.x) / vp.zoom - 110, y: (h / 2 - vp.y) / vp.zoom - 40 });
  };
  const focusProcessor = (pid: string) => {
    // A processor or port of another group: open that group first.
    const doc = editor.document();
    const where = groupOf(doc, pid);
    if (where !== undefined) editor.enterGroup(where);
    editor.select(pid);
    const n = [...doc.processors, ...doc.ports].find((x) => x.id === pid);
    if (n) void setCenter(n.position.x + 110, n.position.y + 50, { zoom: 1, duration: 300 });
  };

  let inspector;
  const selectedOne = selectedNodes.length === 1 && selectedEdges.length === 0 ? selectedNodes[0]! : null;
  if (selectedOne && selectedOne.type !== 'processor') {
    inspector = <ComponentInspector key={selectedOne.id} node={selectedOne} editor={editor} />;
  } else if (selectedOne?.type === 'processor') {
    const node = selectedOne;
    inspector = (
      <ProcessorInspector
        key={node.id}
        node={node}
        editor={editor}
        onRunOnce={runOnce}
        onStartStop={processorStartStop}
        testPane={<ProcessorTestTab node={node} editor={editor} />}
        fieldTools={(d) => elFieldTools(d, node, editor)}
      />
    );
  } else if (selectedEdges.length === 1 && selectedNodes.length === 0) {
    const edge = selectedEdges[0]!;
    inspector = (
      <ConnectionInspector
        key={edge.id}
        edge={edge}
        editor={editor}
        source={editor.nodes.find((n) => n.id === edge.source)}
        target={editor.nodes.find((n) => n.id === edge.target)}
      />
    );
  } else if (selectedNodes.length + selectedEdges.length > 1) {
    inspector = (
      <div className="pad">
        <h2>{selectedNodes.length} components, {selectedEdges.length} connections selected</h2>
        <p className="muted">Ctrl+C / Ctrl+V copies them; Delete removes them.</p>
        {canEdit && (
          <>
            <button className="btn danger" onClick={() => guard.requestDelete(selectedNodes.map((n) => n.id), selectedEdges.map((e) => e.id))}>Delete selection</button>{' '}
            <button className="btn" onClick={() => editor.groupSelection()} disabled={!selectedNodes.some((n) => n.type !== 'port')}>Group selection</button>
          </>
        )}
      </div>
    );
  } else {
    inspector = <FlowInspector editor={editor} onSelectProcessor={focusProcessor} />;
  }

  let menuItems: MenuItem[] = [];
  const menuNode = menu?.kind === 'node' ? editor.nodes.find((n) => n.id === menu.id) : undefined;
  if (menuNode && menuNode.type !== 'processor') {
    const nid = menuNode.id;
    menuItems = [
      ...(menuNode.type === 'group' ? [{ label: 'Open group', onSelect: () => editor.enterGroup(nid) }] : []),
      { label: 'Configure', onSelect: () => editor.select(nid) },
      { label: 'Delete', shortcut: 'Del', danger: true, onSelect: () => guard.requestDelete([nid], []), disabled: editDenied },
    ];
  } else if (menu?.kind === 'node' && menu.id) {
    const pid = menu.id;
    const running = live.processor(pid)?.state === 'running';
    menuItems = [
      { label: 'Configure', onSelect: () => editor.select(pid) },
      { label: running ? 'Stop' : 'Start', onSelect: () => processorStartStop(pid, running), disabled: editDenied },
      { label: 'Run once', onSelect: () => runOnce(pid), disabled: editDenied },
      { label: 'Copy', shortcut: 'Ctrl+C', onSelect: () => { editor.select(pid); requestAnimationFrame(() => editor.copy()); }, disabled: editDenied },
      { label: 'Delete', shortcut: 'Del', danger: true, onSelect: () => guard.requestDelete([pid], []), disabled: editDenied },
    ];
  } else if (menu?.kind === 'edge' && menu.id) {
    const cid = menu.id;
    menuItems = [
      { label: 'Configure', onSelect: () => editor.selectEdge(cid) },
      { label: 'Tap live (debug panel)', onSelect: () => tap(cid) },
      { label: 'Delete', shortcut: 'Del', danger: true, onSelect: () => guard.requestDelete([], [cid]), disabled: editDenied },
    ];
  } else if (menu) {
    menuItems = [
      { label: 'Add a processor…', shortcut: '/', onSelect: searchPalette, disabled: editDenied },
      { label: 'Paste', shortcut: 'Ctrl+V', onSelect: () => editor.paste(), disabled: editDenied },
      { label: 'Select all', shortcut: 'Ctrl+A', onSelect: () => editor.selectAll() },
      { label: 'Auto-layout', shortcut: 'Shift+L', onSelect: layout, disabled: editDenied },
      { label: 'Fit view', shortcut: 'Shift+F', onSelect: () => void fitView({ padding: 0.2, duration: 300 }) },
      { label: 'Keyboard shortcuts', shortcut: '?', onSelect: () => setShowShortcuts(true) },
    ];
  }

  const saveLabel: Record<SaveState, string> = { saved: 'All changes saved', dirty: 'Unsaved changes…', saving: 'Saving…', error: 'Not saved', conflict: 'Conflict' };
  const nameOf = (id: string) => editor.nodes.find((n) => n.id === id)?.data.name ?? id;

  return (
    <DesignerContext.Provider value={ctx}>
      <CodeEditorSlot.Provider value={MonacoCodeEditor}>
        <AppShell
          title={
            <>
              <input
                aria-label="Flow name"
                value={editor.base.name}
                readOnly={!canEdit}
                onChange={(e) => editor.updateBase({ name: e.target.value }, 'name')}
              />
              <span className={`save-state ${saveState}`} data-testid="save-state">
                {canEdit ? saveLabel[saveState] : 'Read only'}
              </span>
              <span className="muted small" data-testid="flow-version" title="Saved version">v{shownVersion}</span>
            </>
          }
          actions={
            <>
              <span className={`socket-dot ${socketStatus}`} title={`Live updates: ${socketStatus}`} />
              <button className="btn ghost sm" onClick={editor.undo} disabled={!canEdit || !editor.canUndo} title="Undo (Ctrl+Z)">↶</button>
              <button className="btn ghost sm" onClick={editor.redo} disabled={!canEdit || !editor.canRedo} title="Redo (Ctrl+Shift+Z)">↷</button>
              <button className="btn ghost sm" onClick={() => fitView({ padding: 0.2, duration: 300 })} title="Fit view (Shift+F)">⤢<span className="btn-label"> Fit</span></button>
              <button className="btn ghost sm" onClick={layout} disabled={editDenied !== null} title={editDenied ?? 'Lay the flow out left to right (Shift+L)'} data-testid="auto-layout">⇶<span className="btn-label"> Layout</span></button>
              <button className="btn ghost sm" onClick={() => setShowShortcuts(true)} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">?</button>
              <Link className="btn ghost sm" to={`/flows/${flow.id}/executions`}>Executions</Link>
              <span className={`state-pill state-${flowState}`} data-testid="flow-state">{flowState}</span>
              <button className={`btn sm ${flowState === 'running' ? 'stop' : 'success'}`} onClick={startStop} disabled={!canEdit} title={deniedReason('editor', 'start and stop flows') ?? undefined} data-testid="start-stop">
                {flowState === 'running' ? '■ Stop' : '▶ Start'}
              </button>
            </>
          }
        >
          {saveError && (
            <div className={`banner ${saveState === 'conflict' ? 'warn' : 'error'}`} role="alert" data-testid="save-error">
              <span>{saveError}</span>
              {saveState === 'conflict' && (
                <>
                  <button className="btn sm" onClick={reloadTheirs}>Reload their version</button>
                  <button className="btn sm" onClick={overwrite}>Overwrite with mine</button>
                </>
              )}
              {saveState === 'error' && <button className="btn sm" onClick={() => void save()}>Retry</button>}
            </div>
          )}
          {actionError && (
            <div className="banner error" role="alert" data-testid="action-error">
              <span>{actionError}</span>
              <button className="btn ghost sm" onClick={() => setActionError(null)}>Dismiss</button>
            </div>
          )}
          {applied && (
            <div className="banner info" role="status" data-testid="applied">
              <span>
                {applied.restarted.length > 0 && `Restarted to apply the change: ${applied.restarted.map(nameOf).join(', ')}. `}
                {applied.waiting.length > 0 && `Kept stopped until fixed (they start once valid): ${applied.waiting.map(nameOf).join(', ')}. `}
                {applied.failed?.some((f) => f.processorId) ? `Stopped, could not start: ${applied.failed.filter((f) => f.processorId).map((f) => f.message).join('; ')}. ` : null}
                {applied.failed?.some((f) => !f.processorId) ? `Not applied: ${applied.failed.filter((f) => !f.processorId).map((f) => f.message).join('; ')}.` : null}
              </span>
              <button className="btn ghost sm" onClick={dismissApplied}>Dismiss</button>
            </div>
          )}
          {guard.dialog}
          {menu && <CanvasMenu x={menu.x} y={menu.y} items={menuItems} onClose={closeMenu} />}
          {showShortcuts && <ShortcutSheet onClose={closeShortcuts} />}
          <div className="designer" style={{ gridTemplateColumns: panels.columns }} data-testid="designer">
            {panels.paletteOpen ? (
              <Palette types={types} disabled={!canEdit} onAdd={addAtCenter} onCollapse={panels.togglePalette} />
            ) : (
              <button className="panel-bar" onClick={panels.togglePalette} title="Show the processor palette" aria-label="Show the processor palette" data-testid="palette-expand">
                <span>Processors ›</span>
              </button>
            )}
            <div className="canvas-column">
              <FlowCanvas editor={editor} descriptors={descriptors} canEdit={canEdit} onBeforeDelete={guard.onBeforeDelete} onMenu={(at, target) => setMenu({ ...at, ...target })} />
              {debugOpen && (
                <DebugPanel
                  flowId={flow.id}
                  taps={taps}
                  label={(cid) => {
                    const e = editor.edges.find((x) => x.id === cid);
                    return e ? `${nameOf(e.source)} → ${nameOf(e.target)}` : cid;
                  }}
                  onUntap={(cid) => setTaps((t) => t.filter((x) => x !== cid))}
                  onClose={() => {
                    setDebugOpen(false);
                    setTaps([]);
                  }}
                />
              )}
            </div>
            {panels.inspectorOpen ? (
              <aside className="inspector" data-testid="inspector">
                <div
                  className="splitter"
                  role="separator"
                  aria-orientation="vertical"
                  aria-label="Resize the inspector"
                  aria-valuenow={panels.inspectorWidth}
                  tabIndex={0}
                  onPointerDown={panels.startResize}
                  onKeyDown={(e) => {
                    if (e.key === 'ArrowLeft') panels.setInspectorWidth(panels.inspectorWidth + 20);
                    else if (e.key === 'ArrowRight') panels.setInspectorWidth(Math.max(INSPECTOR_MIN, panels.inspectorWidth - 20));
                  }}
                  data-testid="inspector-splitter"
                />
                <button className="btn ghost sm panel-collapse" onClick={panels.toggleInspector} title="Hide the inspector" aria-label="Hide the inspector">›</button>
                {inspector}
              </aside>
            ) : (
              <button className="panel-bar" onClick={panels.toggleInspector} title="Show the inspector" aria-label="Show the inspector" data-testid="inspector-expand">
                <span>‹ Inspector</span>
              </button>
            )}
          </div>
        </AppShell>
      </CodeEditorSlot.Provider>
    </DesignerContext.Provider>
  );
}

function useKeyboard(editor: FlowEditor, canEdit: boolean) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.closest('input, textarea, select, [contenteditable="true"], .monaco-editor') || t.isContentEditable)) return;
      const mod = e.ctrlKey || e.metaKey;
      if (!mod || !canEdit) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) editor.undo();
      else if ((k === 'z' && e.shiftKey) || k === 'y') editor.redo();
      else if (k === 'c') {
        if (!editor.copy()) return;
      } else if (k === 'v') editor.paste();
      else if (k === 'a') editor.selectAll();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editor, canEdit]);
}

/** Single-key shortcuts of the canvas (not while typing in a field). */
function useDesignerKeys({ canEdit, layout, searchPalette, fit, help }: { canEdit: boolean; layout: () => void; searchPalette: () => void; fit: () => void; help: () => void }) {
  const latest = useRef({ canEdit, layout, searchPalette, fit, help });
  latest.current = { canEdit, layout, searchPalette, fit, help };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.closest('input, textarea, select, [contenteditable="true"], .monaco-editor, [role=dialog]') || t.isContentEditable)) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const k = latest.current;
      if (e.key === '?') k.help();
      else if (e.key === '/') k.searchPalette();
      else if (e.key === 'L' && e.shiftKey && k.canEdit) k.layout();
      else if (e.key === 'F' && e.shiftKey) k.fit();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
