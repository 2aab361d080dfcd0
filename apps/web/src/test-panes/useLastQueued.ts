import { useEffect, useState } from 'react';
import { api } from '../api/client.js';

export interface QueuedSample {
  uuid: string;
  attributes: Record<string, string>;
  content: string;
}

/** The newest FlowFile waiting in any of the step's incoming queues, with its content: the natural test input. */
export function useLastQueued(flowId: string, connectionIds: string[]): { sample: QueuedSample | null; loading: boolean } {
  const [sample, setSample] = useState<QueuedSample | null>(null);
  const [loading, setLoading] = useState(connectionIds.length > 0);
  const key = connectionIds.join(',');
  useEffect(() => {
    let cancelled = false;
    if (!key) {
      setLoading(false);
      return;
    }
    setLoading(true);
    (async () => {
      for (const cid of key.split(',')) {
        try {
          const listing = await api.queue(flowId, cid);
          const last = listing.flowFiles[listing.flowFiles.length - 1];
          if (!last) continue;
          const { content } = await api.queuedContent(flowId, cid, last.uuid);
          if (!cancelled) setSample({ uuid: last.uuid, attributes: last.attributes, content });
          return;
        } catch {
          // An unreadable queue is skipped; the user can still paste input.
        }
      }
    })().finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [flowId, key]);
  return { sample, loading };
}
