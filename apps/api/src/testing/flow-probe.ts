import type { QueueListingDto } from '@sluice/contracts';
import type { StartedApi } from './start-api.js';

export interface FlowStatus {
  state: string;
  processors: { id: string; state: string }[];
  connections: { id: string; count: number }[];
}

/** A flow's run state, queues and FlowFiles as the REST API shows them, for API specs. */
export function flowProbe(api: StartedApi) {
  const status = async (id: string) => (await (await api.request(`/api/flows/${id}/status`)).json()) as FlowStatus;
  const queue = async (id: string, cid: string) => ((await (await api.request(`/api/flows/${id}/connections/${cid}/queue?limit=1000`)).json()) as QueueListingDto).flowFiles;
  return {
    status,
    /** Each processor's state by id. */
    states: async (id: string) => Object.fromEntries((await status(id)).processors.map((p) => [p.id, p.state])),
    /** The FlowFiles queued in a connection (up to 1000), in queue order. */
    queue,
    /** The uuids of the FlowFiles queued in a connection, in queue order. */
    queued: async (id: string, cid: string) => (await queue(id, cid)).map((f) => f.uuid),
  };
}

/** Polls `check` until it holds; fails naming `what` after `ms`. */
export async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
