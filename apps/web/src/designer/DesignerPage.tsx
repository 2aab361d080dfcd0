import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { FlowDto, ProcessorValidationDto } from '@sluice/contracts';
import type { ProcessorDescriptor } from '@sluice/flow-api';
import { api, ApiError, errorText, session } from '../api/client.js';
import { useFlowEvents } from '../api/useFlowEvents.js';
import { LiveStore, useFlowState } from '../canvas/live-store.js';
import { FlowCanvas } from '../canvas/FlowCanvas.js';
import { Palette } from '../canvas/Palette.js';
import { AppShell } from '../ui/AppShell.js';
import { DesignerContext, type DesignerContextValue } from './designer-context.js';
import { useFlowEditor, type FlowEditor } from './useFlowEditor.js';
import { ProcessorInspector } from './ProcessorInspector.js';
import { ConnectionInspector } from './ConnectionInspector.js';
import { refusalIssues } from './save-refusal.js';
import { FlowInspector } from './FlowInspector.js';
import { ProcessorTestTab } from '../test-panes/ProcessorTestTab.js';
import { CodeEditorSlot } from '../properties/code-editor-slot.js';
import { MonacoCodeEditor } from '../monaco/MonacoCodeEditor.js';
import { setFlowAttributeNames } from '../monaco/el-language.js';

const SAVE_DEBOUNCE_MS = 800;

export function DesignerPage() {
  const { id } = useParams();
  const [flow, setFlow] = useState<FlowDto | null>(null);
  const [types, setTypes] = useState<ProcessorDescriptor[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!id) return;
    let cancelled = false;
    Promise.all([api.getFlow(id), api.processorTypes()])
      .then(([f, t]) => {
        if (cancelled) return;
        setFlow(f);
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
      <Designer flow={flow} types={types} />
    </ReactFlowProvider>
  );
}

type SaveState = 'saved' | 'dirty' | 'saving' | 'error' | 'conflict';

function groupValidation(list: ProcessorValidationDto[]): Map<string, ProcessorValidationDto[]> {
  const m = new Map<string, ProcessorValidationDto[]>();
  for (const v of list) m.set(v.processorId, [...(m.get(v.processorId) ?? []), v]);
  return m;
}

function Designer({ flow, types }: { flow: FlowDto; types: ProcessorDescriptor[] }) {
  const editor = useFlowEditor(flow.document);
  const descriptors = useMemo(() => new Map(types.map((t) => [t.type, t])), [types]);
  const live = useMemo(() => new LiveStore(), []);
  const canEdit = session.canEdit();
  const [serverValidation, setServerValidation] = useState(() => groupValidation(flow.validation));
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [saveError, setSaveError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const version = useRef(flow.version);
  const [shownVersion, setShownVersion] = useState(flow.version);
  const saving = useRef<Promise<void> | null>(null);
  const pending = useRef(false);
  const flowState = useFlowState(live);
  const { fitView, getViewport, setCenter } = useReactFlow();

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

  const getDocument = editor.document;
  const save = useCallback(async (): Promise<void> => {
    if (!canEdit) return;
    if (saving.current) {
      pending.current = true;
      return saving.current;
    }
    setSaveState('saving');
    const run = (async () => {
      const sent = getDocument();
      try {
        const res = await api.saveFlow(flow.id, version.current, sent);
        version.current = res.version;
        setShownVersion(res.version);
        setServerValidation(groupValidation(res.validation));
        setSaveError(null);
        setSaveState(pending.current ? 'dirty' : 'saved');
      } catch (e) {
        if (e instanceof ApiError && e.status === 409) {
          setSaveState('conflict');
          // The server says who saved and which version is current.
          setSaveError(`Someone else saved this flow while you were editing: ${e.message}. Reload their version, or overwrite it with yours.`);
        } else {
          setSaveState('error');
          setSaveError(errorText(e));
          // Nothing of this version was stored: its reasons replace the last saved version's issues until a save passes.
          if (e instanceof ApiError && e.body.errors?.length) setServerValidation(groupValidation(refusalIssues(e.body.errors, sent)));
        }
        pending.current = false;
      } finally {
        saving.current = null;
      }
      if (pending.current) {
        pending.current = false;
        await save();
      }
    })();
    saving.current = run;
    return run;
  }, [canEdit, getDocument, flow.id]);

  // Debounced auto-save on every graph edit.
  useEffect(() => {
    if (editor.changeSeq === 0 || !canEdit) return;
    setSaveState((s) => (s === 'conflict' ? s : 'dirty'));
    const t = setTimeout(() => {
      setSaveState((s) => {
        if (s !== 'conflict') void save();
        return s;
      });
    }, SAVE_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [editor.changeSeq, canEdit, save]);

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (saveState === 'dirty' || saveState === 'saving' || saveState === 'conflict') e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [saveState]);

  // EL completion offers the attributes this flow's processors write.
  useEffect(() => {
    const names = new Set<string>();
    for (const n of editor.nodes) for (const a of descriptors.get(n.data.type)?.writesAttributes ?? []) names.add(a.name);
    setFlowAttributeNames([...names]);
  }, [editor.nodes, descriptors]);

  const reloadTheirs = async () => {
    try {
      const latest = await api.getFlow(flow.id);
      version.current = latest.version;
      setShownVersion(latest.version);
      editor.reset(latest.document);
      setServerValidation(groupValidation(latest.validation));
      setSaveState('saved');
      setSaveError(null);
    } catch (e) {
      setSaveError(errorText(e));
    }
  };
  const overwrite = async () => {
    try {
      const latest = await api.getFlow(flow.id);
      version.current = latest.version;
      await save();
    } catch (e) {
      setSaveError(errorText(e));
    }
  };

  const act = async (fn: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await fn();
    } catch (e) {
      setActionError(errorText(e));
    }
    await refreshStatus();
  };

  const startStop = () =>
    act(async () => {
      if (flowState === 'running') return api.stop(flow.id);
      if (saveState === 'dirty' || saveState === 'saving') await save();
      return api.start(flow.id);
    });
  const processorStartStop = (pid: string, running: boolean) =>
    act(async () => {
      if (running) return api.stopProcessor(flow.id, pid);
      if (saveState === 'dirty' || saveState === 'saving') await save();
      return api.startProcessor(flow.id, pid);
    });
  const runOnce = (pid: string) =>
    act(async () => {
      if (saveState === 'dirty' || saveState === 'saving') await save();
      return api.runOnce(flow.id, pid);
    });

  useKeyboard(editor, canEdit);

  const ctx: DesignerContextValue = useMemo(() => ({ flowId: flow.id, descriptors, live, canEdit, serverValidation }), [flow.id, descriptors, live, canEdit, serverValidation]);

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
    editor.select(pid);
    const n = editor.nodes.find((x) => x.id === pid);
    if (n) void setCenter(n.position.x + 110, n.position.y + 50, { zoom: 1, duration: 300 });
  };

  let inspector;
  if (selectedNodes.length === 1 && selectedEdges.length === 0) {
    const node = selectedNodes[0]!;
    inspector = (
      <ProcessorInspector
        key={node.id}
        node={node}
        editor={editor}
        onRunOnce={runOnce}
        onStartStop={processorStartStop}
        testPane={<ProcessorTestTab node={node} editor={editor} />}
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
        <h2>{selectedNodes.length} processors, {selectedEdges.length} connections selected</h2>
        <p className="muted">Ctrl+C / Ctrl+V copies them; Delete removes them.</p>
        {canEdit && (
          <button className="btn danger" onClick={editor.deleteSelection}>Delete selection</button>
        )}
      </div>
    );
  } else {
    inspector = <FlowInspector editor={editor} onSelectProcessor={focusProcessor} />;
  }

  const saveLabel: Record<SaveState, string> = { saved: 'All changes saved', dirty: 'Unsaved changes…', saving: 'Saving…', error: 'Save failed', conflict: 'Conflict' };

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
              <button className="btn ghost sm" onClick={() => fitView({ padding: 0.2, duration: 300 })} title="Fit view">⤢ Fit</button>
              <Link className="btn ghost sm" to={`/flows/${flow.id}/executions`}>Executions</Link>
              <span className={`state-pill state-${flowState}`} data-testid="flow-state">{flowState}</span>
              <button className={`btn sm ${flowState === 'running' ? 'stop' : 'success'}`} onClick={startStop} disabled={!canEdit} data-testid="start-stop">
                {flowState === 'running' ? '■ Stop' : '▶ Start'}
              </button>
            </>
          }
        >
          {(saveError || actionError) && (
            <div className={`banner ${saveState === 'conflict' ? 'warn' : 'error'}`} role="alert">
              <span>{saveError ?? actionError}</span>
              {saveState === 'conflict' && (
                <>
                  <button className="btn sm" onClick={reloadTheirs}>Reload their version</button>
                  <button className="btn sm" onClick={overwrite}>Overwrite with mine</button>
                </>
              )}
              {saveState === 'error' && <button className="btn sm" onClick={() => void save()}>Retry</button>}
              {!saveError && actionError && <button className="btn ghost sm" onClick={() => setActionError(null)}>Dismiss</button>}
            </div>
          )}
          <div className="designer">
            <Palette types={types} disabled={!canEdit} onAdd={addAtCenter} />
            <FlowCanvas editor={editor} descriptors={descriptors} canEdit={canEdit} />
            <aside className="inspector">{inspector}</aside>
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
