/** socket.io events, `<aggregate>.<past-tense>`, emitted to the room `flow:<id>`. */
export interface ProcessorStateChangedEvent {
  flowId: string;
  processorId: string;
  state: 'stopped' | 'running' | 'invalid';
  activeTasks: number;
}
export interface QueueChangedEvent {
  flowId: string;
  connectionId: string;
  count: number;
  bytes: number;
  /** Fraction (0..1) of the nearer back-pressure threshold. */
  fill: number;
}
export interface ProcessorStatsEvent {
  flowId: string;
  processorId: string;
  in: number;
  out: number;
  tasks: number;
}
export interface BulletinEvent {
  flowId: string;
  processorId: string | null;
  level: 'warn' | 'error';
  message: string;
  timestamp: string;
}
export interface ExecutionUpdatedEvent {
  flowId: string;
  executionId: string;
  status: string;
  state: string;
  counts: { read: number; written: number; failed: number };
}

/** A FlowFile that went along a tapped connection (the designer's debug panel); attributes masked, no content. */
export interface ConnectionTappedEvent {
  flowId: string;
  connectionId: string;
  flowFileUuid: string;
  /** The provenance event that moved it (ROUTE, CREATE, CONTENT_MODIFIED, …). */
  eventType: string;
  attributes: Record<string, string>;
  size: number;
  timestamp: string;
}
export interface ServerToClientEvents {
  'processor.state-changed': (e: ProcessorStateChangedEvent) => void;
  'connection.queue-changed': (e: QueueChangedEvent[]) => void;
  'processor.stats-updated': (e: ProcessorStatsEvent[]) => void;
  'processor.bulletin': (e: BulletinEvent) => void;
  'provenance.recorded': (e: { flowId: string; count: number }) => void;
  'execution.updated': (e: ExecutionUpdatedEvent) => void;
  /** Batched at most every 250 ms, at most 50 FlowFiles per connection and batch (`dropped` counts the rest). */
  'connection.tapped': (e: { events: ConnectionTappedEvent[]; dropped: Record<string, number> }) => void;
}
export interface ClientToServerEvents {
  'flow.join': (flowId: string, ack?: (ok: boolean) => void) => void;
  'flow.leave': (flowId: string) => void;
  /** Streams the FlowFiles that go along a connection until `connection.untap` or the socket leaves. */
  'connection.tap': (flowId: string, connectionId: string, ack?: (ok: boolean, reason?: string) => void) => void;
  'connection.untap': (flowId: string, connectionId: string) => void;
}

export const flowRoom = (flowId: string) => `flow:${flowId}`;
