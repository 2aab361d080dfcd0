import type { Clock, FlowFile, ProcessorDefinition, ProcessorServices } from '@sluice/flow-api';
import type { FlowGraph } from './flow-graph.js';
import type { ContentRepository, EngineEventSink, FlowFileRepository, ProcessorRunState, ProvenanceSink } from './ports.js';

export interface FlowEngineOptions {
  flowId: string;
  graph: FlowGraph;
  registry: (type: string) => ProcessorDefinition | undefined;
  repository: FlowFileRepository;
  content: ContentRepository;
  provenance: ProvenanceSink;
  events: EngineEventSink;
  clock: Clock;
  /** Per-processor services (state is per processor); the engine calls it once per processor instance. */
  services: (processorId: string) => ProcessorServices;
}

export interface QueueListing {
  count: number;
  bytes: number;
  flowFiles: { flowFile: FlowFile; penalized: boolean }[];
}

export interface EngineStatus {
  processors: { id: string; state: ProcessorRunState; activeTasks: number; valid: boolean }[];
  connections: { id: string; count: number; bytes: number; fill: number }[];
}

export interface TestProcessorResult {
  outputs: { relationship: string; attributes: Record<string, string>; content: Uint8Array }[];
  error?: string;
  logs: { level: string; message: string }[];
}

export interface IngressItem {
  attributes: Record<string, string>;
  content: Uint8Array | string;
}

const pending = (what: string): never => {
  throw new Error(`FlowEngine.${what} is not available in this build`);
};

/** Runs one flow: queues, sessions and scheduling, reaching the outside only through the given ports. */
export class FlowEngine {
  constructor(readonly options: FlowEngineOptions) {}

  /** Loads queued FlowFiles from the repository (recovery). */
  async initialize(): Promise<void> {
    pending('initialize');
  }

  /** The whole flow or one processor; invalid processors do not start (bulletin). */
  start(_processorId?: string): void {
    pending('start');
  }

  /** Stops scheduling; waits for running tasks to finish their sessions. */
  async stop(_processorId?: string): Promise<void> {
    pending('stop');
  }

  /** One trigger, for testing. */
  async runOnce(_processorId: string): Promise<void> {
    pending('runOnce');
  }

  /** External ingress (HTTP listeners, manual triggers): durable once resolved — acknowledge only after. */
  async enqueue(_processorId: string, _items: readonly IngressItem[]): Promise<FlowFile[]> {
    return pending('enqueue');
  }

  queue(_connectionId: string, _limit?: number): QueueListing {
    return pending('queue');
  }

  async emptyQueue(_connectionId: string): Promise<number> {
    return pending('emptyQueue');
  }

  status(): EngineStatus {
    return pending('status');
  }

  /**
   * Runs the processor once on one chosen queued FlowFile (or a given one) in a session that is always
   * rolled back; returns what it would have transferred. Nothing continues.
   */
  async testProcessor(
    _processorId: string,
    _input?: { flowFileUuid?: string; attributes?: Record<string, string>; content?: Uint8Array | string },
  ): Promise<TestProcessorResult> {
    return pending('testProcessor');
  }

  /** Resolves when no FlowFile is queued or in flight (for tests and the demo). */
  async whenIdle(): Promise<void> {
    pending('whenIdle');
  }

  async close(): Promise<void> {
    pending('close');
  }
}
