import type { ContentRepository, FlowFileRepository, QueuedFlowFile, RepositoryTransaction } from './ports.js';

/** The state the in-memory repositories share: queued FlowFiles per flow, content by claim. */
export class InMemoryStore {
  /** flowId → uuid → queued FlowFile; a Map keeps insertion (queue) order. */
  readonly flowFiles = new Map<string, Map<string, QueuedFlowFile>>();
  readonly contents = new Map<string, Uint8Array>();
  commits = 0;

  flow(flowId: string): Map<string, QueuedFlowFile> {
    let m = this.flowFiles.get(flowId);
    if (!m) this.flowFiles.set(flowId, (m = new Map()));
    return m;
  }
}

/** A non-durable FlowFile repository for tests, benchmarks and the demo. */
export class InMemoryFlowFileRepository implements FlowFileRepository {
  constructor(readonly store: InMemoryStore = new InMemoryStore()) {}

  async loadQueued(flowId: string): Promise<QueuedFlowFile[]> {
    return [...this.store.flow(flowId).values()].sort((a, b) => a.flowFile.entryDate - b.flowFile.entryDate);
  }

  async commit(tx: RepositoryTransaction): Promise<void> {
    const flow = this.store.flow(tx.flowId);
    for (const c of tx.contents) this.store.contents.set(c.claim, c.bytes);
    for (const uuid of tx.deletes) flow.delete(uuid);
    for (const q of tx.upserts) {
      // Re-inserting moves the FlowFile to the end, as re-queueing does.
      flow.delete(q.flowFile.uuid);
      flow.set(q.flowFile.uuid, q);
    }
    this.store.commits++;
  }

  async dropQueue(flowId: string, connectionId: string): Promise<number> {
    const flow = this.store.flow(flowId);
    let n = 0;
    for (const [uuid, q] of flow) {
      if (q.connectionId === connectionId) {
        flow.delete(uuid);
        n++;
      }
    }
    return n;
  }
}

export class InMemoryContentRepository implements ContentRepository {
  constructor(readonly store: InMemoryStore = new InMemoryStore()) {}

  async read(claim: string): Promise<Uint8Array> {
    const bytes = this.store.contents.get(claim);
    if (!bytes) throw new Error(`content claim '${claim}' not found`);
    return bytes;
  }
}

/** Both in-memory ports over one store. */
export function createInMemoryRepositories(store = new InMemoryStore()): {
  store: InMemoryStore;
  repository: InMemoryFlowFileRepository;
  content: InMemoryContentRepository;
} {
  return { store, repository: new InMemoryFlowFileRepository(store), content: new InMemoryContentRepository(store) };
}
