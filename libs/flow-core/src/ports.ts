import type { FlowFile } from '@sluice/flow-api';

/** A FlowFile together with the connection queue it sits in. */
export interface QueuedFlowFile {
  readonly flowFile: FlowFile;
  readonly connectionId: string;
}

/** One committed session (or several, grouped), applied atomically by the repository. */
export interface RepositoryTransaction {
  readonly flowId: string;
  /** FlowFiles now sitting in a connection queue (new or changed). */
  readonly upserts: readonly QueuedFlowFile[];
  /** uuids of FlowFiles that left the flow (removed, auto-terminated, or moved out). */
  readonly deletes: readonly string[];
  /** New content claims written by the session. */
  readonly contents: readonly { readonly claim: string; readonly bytes: Uint8Array }[];
  /** Claims the session's FlowFiles stopped using; the repository frees each one no other FlowFile references. */
  readonly released?: readonly string[];
  /**
   * The provenance this commit makes true (handed to the ProvenanceSink only once it is durable). A repository may
   * keep records derived from it in the same transaction, so they are exactly as durable as the FlowFiles.
   */
  readonly provenance?: readonly ProvenanceEvent[];
}

export interface FlowFileRepository {
  /** Everything queued for the flow, in queue order, after a restart. */
  loadQueued(flowId: string): Promise<QueuedFlowFile[]>;
  /** Atomically applies one committed session (or several, grouped). Resolves once durable. */
  commit(tx: RepositoryTransaction): Promise<void>;
  /** Drops a whole queue (empty queue action). */
  dropQueue(flowId: string, connectionId: string): Promise<number>;
}

export interface ContentRepository {
  read(claim: string): Promise<Uint8Array>;
}

export type ProvenanceEventType =
  | 'CREATE'
  | 'RECEIVE'
  | 'FETCH'
  | 'SEND'
  | 'ATTRIBUTES_MODIFIED'
  | 'CONTENT_MODIFIED'
  | 'ROUTE'
  | 'DROP'
  | 'CLONE'
  | 'FORK'
  | 'JOIN';

export interface ProvenanceEvent {
  eventType: ProvenanceEventType;
  flowId: string;
  processorId: string;
  flowFileUuid: string;
  relationship: string | null;
  parentUuids: string[];
  childUuids: string[];
  transitUri?: string;
  details: string | null;
  timestamp: number;
  attributes: Record<string, string>;
  size: number;
  /** The content claim the FlowFile had at that moment (null for empty content), so its content can be shown later. */
  contentClaim?: string | null;
}

/** Receives provenance only after the repository commit resolved. */
export interface ProvenanceSink {
  record(events: readonly ProvenanceEvent[]): void;
}

export type ProcessorRunState = 'stopped' | 'running';

/** Engine notifications, sent only after commit; the host throttles them for its clients. */
export interface EngineEventSink {
  processorStateChanged(e: { flowId: string; processorId: string; state: ProcessorRunState; activeTasks: number }): void;
  queueChanged(e: { flowId: string; connectionId: string; count: number; bytes: number; fill: number }): void;
  bulletin(e: { flowId: string; processorId: string | null; level: 'warn' | 'error'; message: string; timestamp: number }): void;
  processorStats?(e: { flowId: string; processorId: string; flowFilesIn: number; flowFilesOut: number; tasks: number }): void;
}
