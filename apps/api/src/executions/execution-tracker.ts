import type { ExecutionStatus, ExecutionStepDto, ExecutionTrigger } from '@sluice/contracts';
import type { ProvenanceEvent } from '@sluice/flow-core';
import { errorAttributes, failureRelationships, type ProcessorDescriptor } from '@sluice/flow-api';
import { getProcessor, processorDescriptors } from '@sluice/processors';

/** The attribute that ties every FlowFile of one run to its execution. */
export const EXECUTION_ATTRIBUTE = 'execution.id';
/**
 * Every attribute a processor of the catalogue declares as a failure reason: a FlowFile may carry the reason an
 * earlier step wrote into the failure route of a later one (a retry loop that gave up).
 */
export const ERROR_ATTRIBUTES: readonly string[] = [...new Set(processorDescriptors().flatMap(errorAttributes))];

/** The descriptor of a processor type, where the tracker learns which routes are failures and what says why. */
export type DescribeProcessor = (type: string) => Pick<ProcessorDescriptor, 'relationships' | 'writesAttributes'> | undefined;

/** A flow's steps as an execution names and reads them: display names and processor types by id. */
export interface ExecutionSteps {
  stepNames: Map<string, string>;
  stepTypes: Map<string, string>;
}

/** Ports (steps without a processor type) have names only. */
export function executionSteps(steps: readonly { readonly id: string; readonly name: string; readonly type?: string }[]): ExecutionSteps {
  const stepTypes = new Map<string, string>();
  for (const s of steps) if (s.type !== undefined) stepTypes.set(s.id, s.type);
  return { stepNames: new Map(steps.map((s) => [s.id, s.name])), stepTypes };
}

interface Outcomes {
  readonly failures: ReadonlySet<string>;
  /** Its own reason attributes first, then any other processor's. */
  readonly reasons: readonly string[];
}

export interface StepAggregate {
  processorId: string;
  startedAt: number;
  lastAt: number;
  inputSize: number;
  outputSize: number;
  flowFilesIn: number;
  flowFilesOut: number;
  error: string | null;
}

export interface TrackedExecution {
  readonly id: string;
  readonly flowId: string;
  readonly trigger: ExecutionTrigger;
  readonly triggeredBy: string | null;
  readonly startedAt: number;
  /** Rows the run brought in itself (an outbound batch); steps' read totals come on top. */
  readonly baseRead: number;
  /** Read totals per step and FlowFile (`processorId|uuid`): a repeated report replaces, so retries do not add up. */
  readonly readParts: Map<string, number>;
  /** Success and failed row logs stored so far; the final figures are counted from the row log. */
  written: number;
  failed: number;
  /** FlowFiles of this execution still in the flow. */
  readonly live: Set<string>;
  /** Per uuid: the processor it was last seen at and its size then, to attribute input sizes to steps. */
  readonly lastSeen: Map<string, SeenAt>;
  readonly counted: Set<string>;
  /** A FlowFile was routed to a failure-like relationship (or the run was cut short). */
  routedFailure: boolean;
  error: string | null;
  readonly emptyMeansEmpty: boolean;
  readonly steps: Map<string, StepAggregate>;
  readonly stepNames: Map<string, string>;
  readonly stepTypes: Map<string, string>;
  dirty: boolean;
  /** Bumped by every read report; the commit that stores the read totals notes the version it stored. */
  readVersion: number;
  savedReadVersion: number;
}

/** A FlowFile's last known place: the processor it was last seen at and its size then. */
export interface SeenAt {
  processorId: string;
  size: number;
}

/**
 * What a batch of committed provenance does to one execution, worked out without changing it: its touched steps
 * as they are after the batch, and its first failure if the batch brings one.
 */
export interface ExecutionChange {
  readonly exec: TrackedExecution;
  readonly steps: Map<string, StepAggregate>;
  readonly lastSeen: Map<string, SeenAt>;
  readonly counted: Set<string>;
  error: string | null;
  failed: boolean;
}

export interface ExecutionStart {
  id: string;
  flowId: string;
  trigger: ExecutionTrigger;
  triggeredBy?: string | null;
  startedAt: number;
  read?: number;
  stepNames?: Map<string, string>;
  /** The processor type of each step: its descriptor says which routes are failures. */
  stepTypes?: Map<string, string>;
  emptyMeansEmpty?: boolean;
}

/** What a restart knows of an unfinished execution: its row, its stored steps and counts, and its queued FlowFiles. */
export interface ExecutionRestore extends ExecutionStart {
  /** Its queued FlowFiles, with the processor that put each where it is (so the next step counts its input). */
  live: Iterable<[string, SeenAt | null]>;
  readParts: Record<string, number>;
  written: number;
  failed: number;
  error: string | null;
  steps: StepAggregate[];
}

export interface Counts {
  read: number;
  written: number;
  failed: number;
}

/**
 * Integrator's truth about a run: `failed` when every row failed or the run failed before writing any, `partial`
 * when rows were written and others failed (or a FlowFile failed on the way), `empty` for an inbound run that found
 * nothing, else `success`.
 */
export function executionStatus(e: { routedFailure: boolean; emptyMeansEmpty: boolean }, counts: Counts): ExecutionStatus {
  const anyFailure = counts.failed > 0 || e.routedFailure;
  if (counts.written > 0 && anyFailure) return 'partial';
  if (anyFailure) return 'failed';
  if (e.emptyMeansEmpty && counts.read === 0 && counts.written === 0) return 'empty';
  return 'success';
}

/**
 * Follows executions from committed provenance, without I/O: which FlowFiles of each run are still in the flow, its
 * steps, its read total, and whether a FlowFile failed. A run is done when its last FlowFile left the flow.
 */
export class ExecutionTracker {
  private readonly active = new Map<string, TrackedExecution>();
  private readonly outcomes = new Map<string, Outcomes>();

  constructor(private readonly describe: DescribeProcessor = (type) => getProcessor(type)?.descriptor) {}

  begin(start: ExecutionStart): TrackedExecution {
    const exec = this.create(start);
    this.active.set(exec.id, exec);
    return exec;
  }

  restore(r: ExecutionRestore): TrackedExecution {
    const exec = this.create(r);
    for (const [uuid, seen] of r.live) {
      exec.live.add(uuid);
      if (seen) exec.lastSeen.set(uuid, seen);
    }
    for (const [k, v] of Object.entries(r.readParts)) exec.readParts.set(k, v);
    exec.written = r.written;
    exec.failed = r.failed;
    exec.error = r.error;
    exec.routedFailure = r.error !== null;
    for (const s of r.steps) exec.steps.set(s.processorId, { ...s });
    this.active.set(exec.id, exec);
    return exec;
  }

  get(id: string): TrackedExecution | undefined {
    return this.active.get(id);
  }

  /** Stops following the execution (it is finishing). */
  release(id: string): void {
    this.active.delete(id);
  }

  all(): IterableIterator<TrackedExecution> {
    return this.active.values();
  }

  activeCount(flowId: string): number {
    let n = 0;
    for (const e of this.active.values()) if (e.flowId === flowId) n++;
    return n;
  }

  /** Marks a run as failed, e.g. when its data never got into the flow. */
  fail(exec: TrackedExecution, error: string): void {
    exec.routedFailure = true;
    exec.error ??= error;
    exec.dirty = true;
  }

  /** A step's read total for one FlowFile; returns the execution it changed. */
  progress(executionId: string, processorId: string, uuid: string, read: number): TrackedExecution | undefined {
    const exec = this.active.get(executionId);
    if (!exec || !Number.isFinite(read)) return undefined;
    exec.readParts.set(`${processorId}|${uuid}`, Math.max(0, read));
    exec.readVersion++;
    exec.dirty = true;
    return exec;
  }

  /** Row logs that were stored (duplicates of a retry are not: they never reach here). */
  rowsStored(executionId: string, written: number, failed: number): TrackedExecution | undefined {
    const exec = this.active.get(executionId);
    if (!exec) return undefined;
    exec.written += written;
    exec.failed += failed;
    exec.dirty = true;
    return exec;
  }

  counts(exec: TrackedExecution): Counts {
    let read = exec.baseRead;
    for (const n of exec.readParts.values()) read += n;
    return { read, written: exec.written, failed: exec.failed };
  }

  /**
   * What committing these events would change, per execution, leaving every execution as it is: the FlowFile
   * repository stores it in the commit's own transaction, and `observe` applies the same once the commit is durable.
   */
  plan(events: readonly ProvenanceEvent[]): Map<string, ExecutionChange> {
    const changes = new Map<string, ExecutionChange>();
    for (const e of events) {
      const exec = this.active.get(e.attributes[EXECUTION_ATTRIBUTE] ?? '');
      if (!exec) continue;
      let c = changes.get(exec.id);
      if (!c) changes.set(exec.id, (c = { exec, steps: new Map(), lastSeen: new Map(), counted: new Set(), error: null, failed: false }));
      const step = this.step(c, e);
      const outcomes = e.relationship ? this.outcomesOf(exec.stepTypes.get(e.processorId)) : undefined;
      if (outcomes?.failures.has(e.relationship!)) {
        const reason = outcomes.reasons.map((a) => e.attributes[a]).find((v) => v) ?? `routed to ${e.relationship}`;
        c.failed = true;
        if (exec.error === null) c.error ??= `${exec.stepNames.get(e.processorId) ?? e.processorId}: ${reason}`;
        step.error ??= reason;
      }
    }
    return changes;
  }

  /** Applies committed provenance; returns the executions whose last FlowFile left the flow. */
  observe(events: readonly ProvenanceEvent[]): TrackedExecution[] {
    const changes = this.plan(events);
    for (const { exec, steps, lastSeen, counted, error, failed } of changes.values()) {
      for (const [id, s] of steps) exec.steps.set(id, s);
      for (const [uuid, seen] of lastSeen) exec.lastSeen.set(uuid, seen);
      for (const k of counted) exec.counted.add(k);
      exec.routedFailure ||= failed;
      exec.error ??= error;
      exec.dirty = true;
    }
    for (const e of events) {
      const exec = changes.get(e.attributes[EXECUTION_ATTRIBUTE] ?? '')?.exec;
      if (!exec) continue;
      switch (e.eventType) {
        case 'DROP':
          exec.live.delete(e.flowFileUuid);
          break;
        case 'JOIN':
          exec.live.add(e.flowFileUuid);
          break;
        default:
          exec.live.add(e.flowFileUuid);
          for (const c of e.childUuids) exec.live.add(c);
      }
    }
    return [...changes.values()].map((c) => c.exec).filter((exec) => exec.live.size === 0);
  }

  stepDtos(exec: TrackedExecution): ExecutionStepDto[] {
    return [...exec.steps.values()].map((s) => ({
      id: `${exec.id}:${s.processorId}`,
      executionId: exec.id,
      processorId: s.processorId,
      name: exec.stepNames.get(s.processorId) ?? s.processorId,
      startedAt: new Date(s.startedAt).toISOString(),
      durationMs: Math.max(0, s.lastAt - s.startedAt),
      inputSize: s.inputSize,
      outputSize: s.outputSize,
      error: s.error,
    }));
  }

  /** What the step's descriptor says its routes mean; a type the catalogue does not know has no failure route. */
  private outcomesOf(type: string | undefined): Outcomes | undefined {
    if (type === undefined) return undefined;
    let o = this.outcomes.get(type);
    if (!o) {
      const d = this.describe(type);
      const own = d ? errorAttributes(d) : [];
      o = { failures: d ? failureRelationships(d) : new Set(), reasons: [...new Set([...own, ...ERROR_ATTRIBUTES])] };
      this.outcomes.set(type, o);
    }
    return o;
  }

  private create(s: ExecutionStart): TrackedExecution {
    return {
      id: s.id,
      flowId: s.flowId,
      trigger: s.trigger,
      triggeredBy: s.triggeredBy ?? null,
      startedAt: s.startedAt,
      baseRead: s.read ?? 0,
      readParts: new Map(),
      written: 0,
      failed: 0,
      live: new Set(),
      lastSeen: new Map(),
      counted: new Set(),
      routedFailure: false,
      error: null,
      emptyMeansEmpty: s.emptyMeansEmpty ?? false,
      steps: new Map(),
      stepNames: s.stepNames ?? new Map(),
      stepTypes: s.stepTypes ?? new Map(),
      dirty: false,
      readVersion: 0,
      savedReadVersion: 0,
    };
  }

  /** The event's effect on its step, on copies held by the change: a batch's later events see its earlier ones. */
  private step(c: ExecutionChange, e: ProvenanceEvent): StepAggregate {
    const exec = c.exec;
    let s = c.steps.get(e.processorId);
    if (!s) {
      const before = exec.steps.get(e.processorId);
      if (before) s = { ...before };
      else {
        // A step starts when its input became available: when the previous step last produced output.
        let previousEnd = exec.startedAt;
        for (const other of exec.steps.values()) previousEnd = Math.max(previousEnd, (c.steps.get(other.processorId) ?? other).lastAt);
        for (const other of c.steps.values()) previousEnd = Math.max(previousEnd, other.lastAt);
        s = { processorId: e.processorId, startedAt: Math.min(previousEnd, e.timestamp), lastAt: e.timestamp, inputSize: 0, outputSize: 0, flowFilesIn: 0, flowFilesOut: 0, error: null };
      }
      c.steps.set(e.processorId, s);
    }
    s.lastAt = Math.max(s.lastAt, e.timestamp);
    const key = `${e.processorId}\u0000${e.flowFileUuid}`;
    const before = c.lastSeen.get(e.flowFileUuid) ?? exec.lastSeen.get(e.flowFileUuid);
    if (before && before.processorId !== e.processorId && !c.counted.has(key) && !exec.counted.has(key)) {
      c.counted.add(key);
      s.inputSize += before.size;
      s.flowFilesIn++;
    }
    if (e.eventType !== 'DROP' && e.relationship) {
      s.outputSize += e.size;
      s.flowFilesOut++;
    }
    c.lastSeen.set(e.flowFileUuid, { processorId: e.processorId, size: e.size });
    return s;
  }
}
