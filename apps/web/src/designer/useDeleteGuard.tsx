import { useCallback, useState, type ReactNode } from 'react';
import { api, errorText } from '../api/client.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import type { FlowEditor } from './useFlowEditor.js';

interface Queued {
  id: string;
  label: string;
  count: number;
}

interface Pending {
  nodeIds: string[];
  edgeIds: string[];
  queued: Queued[];
}

/**
 * Deleting what holds FlowFiles asks first, as NiFi refuses such a delete: the dialog names every queue that would
 * go and offers to empty them; cancelling deletes nothing. What holds nothing is deleted at once.
 */
export function useDeleteGuard(flowId: string, editor: FlowEditor) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  /** The queues that deleting these would drop: the connections (a processor's too) and the processors' own input. */
  const queuedOf = useCallback(
    async (nodeIds: string[], edgeIds: string[]): Promise<Queued[]> => {
      const gone = new Set(nodeIds);
      const names = new Map(editor.nodes.map((n) => [n.id, n.data.name]));
      const edges = editor.edges.filter((e) => edgeIds.includes(e.id) || gone.has(e.source) || gone.has(e.target));
      const status = await api.status(flowId);
      const counts = new Map(status.connections.map((c) => [c.id, c.count]));
      return [
        ...edges.map((e) => ({ id: e.id, label: `${names.get(e.source) ?? e.source} → ${names.get(e.target) ?? e.target}`, count: counts.get(e.id) ?? 0 })),
        ...nodeIds.map((id) => ({ id: `ingress:${id}`, label: `${names.get(id) ?? id} (waiting input)`, count: counts.get(`ingress:${id}`) ?? 0 })),
      ].filter((q) => q.count > 0);
    },
    [flowId, editor.nodes, editor.edges],
  );

  /** React Flow's check before a Delete key removes anything: false keeps all of it and asks instead. */
  const onBeforeDelete = useCallback(
    async ({ nodes, edges }: { nodes: { id: string }[]; edges: { id: string }[] }): Promise<boolean> => {
      const nodeIds = nodes.map((n) => n.id);
      const edgeIds = edges.map((e) => e.id);
      let queued: Queued[];
      try {
        queued = await queuedOf(nodeIds, edgeIds);
      } catch (e) {
        // Without the counts nothing is deleted: the dialog says why.
        setError(errorText(e));
        setPending({ nodeIds, edgeIds, queued: [] });
        return false;
      }
      if (queued.length === 0) return true;
      setError(null);
      setPending({ nodeIds, edgeIds, queued });
      return false;
    },
    [queuedOf],
  );

  /** The inspector's delete button: the same check, then the same delete as the key. */
  const requestDelete = useCallback(
    (nodeIds: string[], edgeIds: string[]) => {
      void onBeforeDelete({ nodes: nodeIds.map((id) => ({ id })), edges: edgeIds.map((id) => ({ id })) }).then((ok) => ok && editor.deleteElements(nodeIds, edgeIds));
    },
    [onBeforeDelete, editor],
  );

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    setError(null);
    try {
      for (const q of pending.queued) await api.emptyQueue(flowId, q.id);
      editor.deleteElements(pending.nodeIds, pending.edgeIds);
      setPending(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const total = pending?.queued.reduce((n, q) => n + q.count, 0) ?? 0;
  const dialog: ReactNode = pending && (
    <ConfirmDialog
      title={total ? `Delete and drop ${total} queued FlowFile${total === 1 ? '' : 's'}?` : 'Cannot check the queues'}
      confirm={total ? `Empty ${total === 1 ? 'the queue' : 'the queues'} and delete` : 'Delete anyway'}
      danger
      busy={busy}
      error={error}
      onConfirm={() => void confirm()}
      onCancel={() => setPending(null)}
      testId="delete-confirm"
    >
      <p>What you are deleting still holds data. Deleting it drops these FlowFiles; they are not processed:</p>
      <ul>
        {pending.queued.map((q) => (
          <li key={q.id} data-testid="delete-queue">
            {q.label}: {q.count} FlowFile{q.count === 1 ? '' : 's'}
          </li>
        ))}
      </ul>
      <p className="muted small">Cancel keeps everything as it is.</p>
    </ConfirmDialog>
  );

  return { onBeforeDelete, requestDelete, dialog };
}
