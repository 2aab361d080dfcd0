import type { Clock, FlowFile, LogLevel, ProcessorDefinition, ProcessorServices } from '@sluice/flow-api';
import type { FlowGraph } from './flow-graph.js';
import type { ControllerServiceRegistry } from './controller-services.js';
import type { TimeSlice } from './time-slice.js';
import type { ContentRepository, EngineEventSink, FlowFileRepository, ProcessorRunState, ProvenanceSink } from './ports.js';

export interface FlowEngineOptions {
  flowId: string;
  graph: FlowGraph;
  registry: (type: string) => ProcessorDefinition | undefined;
  /** Controller service types the flow's services may use; none when absent. */
  serviceRegistry?: ControllerServiceRegistry;
  repository: FlowFileRepository;
  content: ContentRepository;
  provenance: ProvenanceSink;
  events: EngineEventSink;
  clock: Clock;
  /**
   * How long the engine's work may hold the event loop before it lets I/O in; a host running several engines passes
   * them one, on a monotonic source. Absent, the engine keeps its own on its clock.
   */
  timeSlice?: TimeSlice;
  /** Per-processor services (state is per processor); the engine calls it once per processor instance. */
  services: (processorId: string) => ProcessorServices;
  /** Time zone for expression dates; UTC when absent. */
  timeZone?: string;
  /** Where processors' log messages go (warnings and errors also become bulletins); dropped when absent. */
  log?: ProcessorLogSink;
}

export interface ProcessorLogSink {
  write(processor: { flowId: string; id: string; name: string }, level: LogLevel, message: string): void;
  enabled(level: LogLevel): boolean;
}

export interface QueueListing {
  count: number;
  bytes: number;
  flowFiles: { flowFile: FlowFile; penalized: boolean }[];
}

export interface EngineStatus {
  processors: { id: string; state: ProcessorRunState; activeTasks: number; valid: boolean }[];
  /** count and bytes include FlowFiles a running session took (`inFlight`), as the queue-changed event does. */
  connections: { id: string; count: number; bytes: number; inFlight: number; fill: number }[];
}

export interface TestProcessorResult {
  outputs: { relationship: string; attributes: Record<string, string>; content: Uint8Array }[];
  error?: string;
  logs: { level: string; message: string }[];
}

/** A live run: `consumed` when the FlowFile left its queue for good (committed onward, not put back). */
export type LiveRunResult = TestProcessorResult & { consumed: boolean };

export interface TestProcessorInput {
  flowFileUuid?: string;
  attributes?: Record<string, string>;
  content?: Uint8Array | string;
}

export interface IngressItem {
  attributes: Record<string, string>;
  content: Uint8Array | string;
}

/** A request the engine cannot serve: unknown processor or connection, or an ingress a processor refuses. */
export class FlowEngineError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'invalid' = 'invalid',
  ) {
    super(message);
    this.name = 'FlowEngineError';
  }
}
