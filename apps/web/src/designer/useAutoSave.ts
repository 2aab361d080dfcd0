import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppliedChangeDto, FlowDocument, FlowDto } from '@sluice/contracts';
import { api, ApiError, refusalText } from '../api/client.js';
import { savedValidation, withRefusal, type SavedValidation } from './issues.js';
import { refusalIssues } from './save-refusal.js';
import type { FlowEditor } from './useFlowEditor.js';

export type SaveState = 'saved' | 'dirty' | 'saving' | 'error' | 'conflict';

const SAVE_DEBOUNCE_MS = 800;

/**
 * Debounced auto-save of every edit. "Saved" means the server stored exactly what the editor shows: an edit made
 * while a save is on its way is saved after it, also when that save failed.
 */
export function useAutoSave(flow: FlowDto, editor: FlowEditor, canEdit: boolean) {
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saved, setSaved] = useState<SavedValidation>(() => savedValidation(flow.document, flow.validation));
  const [applied, setApplied] = useState<AppliedChangeDto | null>(null);
  const version = useRef(flow.version);
  const [shownVersion, setShownVersion] = useState(flow.version);
  const saving = useRef<Promise<void> | null>(null);
  const pending = useRef(false);
  // Whether the newest save attempt was stored; an action that needs the shown version checks it.
  const lastRefusal = useRef<string | null>(null);
  // The edit counter as of this render; a save compares it with the one it sent.
  const seq = useRef(editor.changeSeq);
  seq.current = editor.changeSeq;
  const getDocument = editor.document;

  const save = useCallback(async (): Promise<void> => {
    if (!canEdit) return;
    if (saving.current) {
      pending.current = true;
      return saving.current;
    }
    setSaveState('saving');
    const run = (async () => {
      const sent: FlowDocument = getDocument();
      const sentSeq = seq.current;
      try {
        const res = await api.saveFlow(flow.id, version.current, sent);
        version.current = res.version;
        setShownVersion(res.version);
        setSaved(savedValidation(sent, res.validation));
        setApplied(res.applied && (res.applied.restarted.length || res.applied.waiting.length || res.applied.failed?.length) ? res.applied : null);
        setSaveError(null);
        lastRefusal.current = null;
        setSaveState(seq.current === sentSeq && !pending.current ? 'saved' : 'dirty');
      } catch (e) {
        lastRefusal.current = refusalText(e);
        if (e instanceof ApiError && e.status === 409) {
          setSaveState('conflict');
          // The server says who saved and which version is current.
          setSaveError(`Someone else saved this flow while you were editing: ${e.message}. Reload their version, or overwrite it with yours.`);
          pending.current = false;
        } else {
          setSaveState('error');
          setSaveError(`Not saved: ${refusalText(e)}`);
          // Nothing of this version was stored: its reasons show beside their fields until a save passes.
          if (e instanceof ApiError && e.body.errors?.length) {
            const reasons = refusalIssues(e.body.errors, sent);
            setSaved((s) => withRefusal(s, reasons));
          }
        }
      } finally {
        saving.current = null;
      }
      // An edit that waited for this save goes out now, whether this one was stored or not.
      if (pending.current) {
        pending.current = false;
        await save();
      }
    })();
    saving.current = run;
    return run;
  }, [canEdit, getDocument, flow.id]);

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
      if (saveState === 'dirty' || saveState === 'saving' || saveState === 'conflict' || saveState === 'error') e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [saveState]);

  const reloadTheirs = async () => {
    try {
      const latest = await api.getFlow(flow.id);
      version.current = latest.version;
      setShownVersion(latest.version);
      editor.reset(latest.document);
      setSaved(savedValidation(latest.document, latest.validation));
      setSaveState('saved');
      setSaveError(null);
    } catch (e) {
      setSaveError(refusalText(e));
    }
  };
  const overwrite = async () => {
    try {
      const latest = await api.getFlow(flow.id);
      version.current = latest.version;
      await save();
    } catch (e) {
      setSaveError(refusalText(e));
    }
  };
  /**
   * Saves now when edits are waiting, so an action (start, run) applies to what is shown; throws when the server did
   * not store it, so nothing runs a version other than the one on the canvas.
   */
  const flush = async () => {
    if (saveState === 'dirty' || saveState === 'saving' || saveState === 'error' || saveState === 'conflict') await save();
    if (saveState === 'conflict' || lastRefusal.current) throw new Error(`The flow on the canvas is not saved, so it was not run: ${lastRefusal.current ?? 'someone else saved it'}`);
  };

  return { saveState, saveError, saved, applied, dismissApplied: () => setApplied(null), shownVersion, save, flush, reloadTheirs, overwrite };
}
