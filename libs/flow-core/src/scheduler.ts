import { MAX_TIMER_MS, type Clock } from '@sluice/flow-api';
import type { ConnectionQueue } from './connection-queue.js';
import type { ProcessorNode } from './processor-node.js';
import type { TimeSlice } from './time-slice.js';

/** What the scheduler drives: a task per trigger, on the engine's clock, until the engine closes. */
export interface SchedulerHost {
  readonly clock: Clock;
  /** The engine's share of a turn of the event loop: work chains through microtasks while it lasts. */
  readonly slice: TimeSlice;
  isClosed(): boolean;
  /** Starts one task of the processor (it calls `taskEnded` when done). */
  runTask(node: ProcessorNode): void;
}

/** The scheduler's bookkeeping for one processor. */
interface Slot {
  /** Not triggered again before this time (the processor yielded or its task failed). */
  yieldUntil: number;
  /** Timer- and cron-driven processors: the next trigger time. */
  nextRunAt: number;
  timer: unknown;
  timerAt: number;
  /** On the ready list for the next drain. */
  queued: boolean;
  /** Last seen held by a full outgoing connection; a drained connection wakes it. */
  backPressured: boolean;
  /** The last task's session touched nothing (a source that found no work). */
  lastRunIdle: boolean;
}


/**
 * Decides when each running processor is triggered: as soon as work is queued (event-driven and processors with
 * input), on its period or cron schedule (sources), never past back pressure, a yield or a penalty.
 */
export class Scheduler {
  private readonly slots = new Map<ProcessorNode, Slot>();
  private readyList: ProcessorNode[] = [];
  private drainScheduled = false;

  constructor(private readonly host: SchedulerHost) {}

  private slot(node: ProcessorNode): Slot {
    let s = this.slots.get(node);
    if (!s) {
      s = { yieldUntil: 0, nextRunAt: 0, timer: null, timerAt: 0, queued: false, backPressured: false, lastRunIdle: false };
      this.slots.set(node, s);
    }
    return s;
  }

  /** The processor was started: no yield carries over, and a cron schedule counts from now. */
  started(node: ProcessorNode): void {
    const s = this.slot(node);
    s.yieldUntil = 0;
    s.nextRunAt = node.cron ? (node.cron.next(this.host.clock.now()) ?? Number.POSITIVE_INFINITY) : 0;
  }

  /** The processor asked not to be triggered for its yield duration (or its task failed). */
  yielded(node: ProcessorNode): void {
    this.slot(node).yieldUntil = this.host.clock.now() + node.yieldMs;
  }

  /** Work arrived from outside for a running processor: its yield ends and it is tried at the next drain. */
  wake(node: ProcessorNode): void {
    if (node.lifecycle !== 'running') return;
    this.slot(node).yieldUntil = 0;
    this.kick(node);
  }

  /** A task ended; `idle` when its session touched nothing. Schedules what comes next. */
  taskEnded(node: ProcessorNode, idle?: boolean): void {
    const s = this.slot(node);
    if (idle !== undefined) s.lastRunIdle = idle;
    if (node.lifecycle !== 'running') return;
    const now = this.host.clock.now();
    if (node.hasWork(now)) this.kick(node);
    else if (node.isSource && node.config.scheduling.strategy !== 'event') {
      const at = Math.max(s.nextRunAt, s.yieldUntil);
      // A source that produced something and is due again chains through microtasks (the time slice still
      // lets I/O in); one that found nothing waits for a clock turn, so an idle 0 sec source does not spin.
      if (at <= now && !s.lastRunIdle) this.kick(node);
      else this.armTimer(node, at);
    } else {
      const t = node.nextPenaltyExpiry();
      if (t !== null) this.armTimer(node, t);
    }
  }

  /** Puts the processor on the ready list, to be tried at the next drain. */
  kick(node: ProcessorNode): void {
    const s = this.slot(node);
    if (s.queued || node.lifecycle !== 'running' || this.host.isClosed()) return;
    s.queued = true;
    this.readyList.push(node);
    this.scheduleDrain();
  }

  /** A queue got smaller: its source may resume if back pressure held it. */
  queueDrained(source: ProcessorNode | undefined, queue: ConnectionQueue): void {
    if (source && this.slot(source).backPressured && !queue.isFull()) this.kick(source);
  }

  /** Forgets the processor's timer (stop, close). */
  cancel(node: ProcessorNode): void {
    const s = this.slot(node);
    if (s.timer !== null) this.host.clock.clearTimeout(s.timer);
    s.timer = null;
  }

  close(): void {
    for (const node of this.slots.keys()) this.cancel(node);
    this.readyList = [];
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    // Drains chain through microtasks, where no I/O gets in, only while the slice lasts; then the loop turns.
    if (this.host.slice.tryChain()) queueMicrotask(() => this.drain());
    else this.host.slice.nextTurn(() => this.drain());
  }

  private drain(): void {
    this.drainScheduled = false;
    const list = this.readyList;
    this.readyList = [];
    for (const node of list) {
      this.slot(node).queued = false;
      this.tryRun(node);
    }
  }

  private tryRun(node: ProcessorNode): void {
    const s = this.slot(node);
    const strategy = node.config.scheduling.strategy;
    while (node.lifecycle === 'running' && !this.host.isClosed() && node.activeTasks < node.maxTasks) {
      const now = this.host.clock.now();
      if (s.yieldUntil > now) {
        this.armTimer(node, s.yieldUntil);
        return;
      }
      if (node.outgoingFull()) {
        s.backPressured = true;
        return;
      }
      s.backPressured = false;
      const work = node.hasWork(now);
      if (!work) {
        const penalty = node.nextPenaltyExpiry();
        if (!node.isSource || strategy === 'event') {
          if (penalty !== null) this.armTimer(node, penalty);
          return;
        }
      }
      if (s.nextRunAt > now) {
        this.armTimer(node, s.nextRunAt);
        return;
      }
      if (node.cron) s.nextRunAt = node.cron.next(now) ?? Number.POSITIVE_INFINITY;
      else if (strategy === 'timer') s.nextRunAt = now + node.periodMs;
      const sourceRun = !work;
      this.host.runTask(node);
      // A source with nothing queued runs one task per drain; taskEnded schedules the next.
      if (sourceRun) return;
    }
  }

  private armTimer(node: ProcessorNode, at: number): void {
    if (at === Number.POSITIVE_INFINITY) return;
    const s = this.slot(node);
    if (s.timer !== null) {
      if (s.timerAt <= at) return;
      this.host.clock.clearTimeout(s.timer);
    }
    s.timerAt = at;
    // A longer delay would overflow to 1 ms and fire again and again; a capped timer that fires early re-arms.
    s.timer = this.host.clock.setTimeout(() => {
      s.timer = null;
      this.host.slice.turned();
      if (this.host.clock.now() < at) this.armTimer(node, at);
      else this.kick(node);
    }, Math.min(Math.max(0, at - this.host.clock.now()), MAX_TIMER_MS));
  }
}
