import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { FlowEntity } from '../persistence/entities.js';
import { EngineService } from '../engine/engine.service.js';
import { executionSteps, ExecutionsService } from '../executions/executions.service.js';
import { FlowsRepository, type StoredFlow } from '../flows/flows.repository.js';
import { IntegrationService } from '../integration/integration.service.js';
import { SqlFlowFileRepository } from '../persistence/sql-flowfile.repository.js';
import { ClusterMembership, HEARTBEAT_MS, NODE_TIMEOUT_MS } from './cluster-membership.js';
import { WorkQueue } from './work-queue.js';

export interface ClusterNodeDto {
  id: string;
  name: string;
  address: string | null;
  role: 'leader' | 'member';
  startedAt: string;
  heartbeatAt: string;
  runningExecutions: number;
  self: boolean;
}

export interface ClusterDto {
  enabled: boolean;
  nodeId: string | null;
  leader: string | null;
  heartbeatMs: number;
  nodeTimeoutMs: number;
  /** Admitted executions waiting in the work queue for a node with room. */
  queuedExecutions: number;
  nodes: ClusterNodeDto[];
}

/**
 * Keeps the nodes of a cluster coherent: a flow saved, started, stopped or deleted on one node is applied on every
 * other (LISTEN/NOTIFY), and the leader takes over the queued FlowFiles and unfinished executions of nodes that
 * stopped or went silent, resuming them on its engines from what they persisted.
 */
/** What of a stored flow this node's engine follows: the document's version and the processors kept running. */
interface Applied {
  version: number;
  state: string;
  running: string | null;
}

/** Tries at queuing a claimed execution's FlowFile before it fails. */
const ENQUEUE_ATTEMPTS = 3;

const applied = (f: FlowEntity): Applied => ({ version: f.version, state: f.state, running: f.runningProcessors ?? null });
const same = (a: Applied | undefined, b: Applied) => a !== undefined && a.version === b.version && a.state === b.state && a.running === b.running;

@Injectable()
export class ClusterService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Cluster');
  /** The version and state each flow's engine was last built or set to here, so a notice changes only what differs. */
  private readonly applied = new Map<string, Applied>();
  /** Flows being applied from another node's notice: their change events are not sent back. */
  private readonly applying = new Set<string>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly membership: ClusterMembership,
    private readonly engines: EngineService,
    private readonly executions: ExecutionsService,
    private readonly flows: FlowsRepository,
    private readonly flowFiles: SqlFlowFileRepository,
    private readonly integration: IntegrationService,
    private readonly queue: WorkQueue,
  ) {
    // Before the engines boot, so executions are written with this node and only its own are recovered.
    executions.setNode(membership.nodeId);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.membership.enabled) return;
    for (const f of await this.flows.findAll()) this.applied.set(f.id, applied(f));
    this.engines.onFlowChanged((flowId) => {
      if (this.applying.has(flowId)) return;
      void this.noteLocal(flowId);
    });
    this.membership.onMessage((m) => {
      if (m.kind === 'flow') this.serial(() => this.apply(m.flowId));
    });
    this.membership.onTick(async () => {
      if (this.membership.isLeader()) await this.serialAwait(() => this.takeOver());
    });
    await this.queue.start();
    await this.membership.start();
    this.queue.work((job) => this.runQueued(job.executionId), () => this.load());
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.membership.enabled) return;
    await this.queue.stop();
    await this.chain.catch(() => undefined);
    // Nothing may run here once the node is marked stopped: the leader takes its queues over at that moment.
    for (const f of await this.flows.findAll().catch(() => [])) if (this.engines.has(f.id)) await this.engines.engine(f.id).close();
    await this.flowFiles.drain();
    await this.membership.stop();
  }

  get enabled(): boolean {
    return this.membership.enabled;
  }

  /** Applies the flow's stored version and state here now if this node is behind (a notice still on its way). */
  async ensure(flowId: string): Promise<void> {
    const f = await this.flows.findById(flowId);
    if (f && same(this.applied.get(flowId), applied(f)) && this.engines.has(flowId)) return;
    if (!f && !this.engines.has(flowId)) return;
    await this.serialAwait(() => this.apply(flowId));
  }

  async overview(): Promise<ClusterDto> {
    if (!this.membership.enabled) return { enabled: false, nodeId: null, leader: null, heartbeatMs: HEARTBEAT_MS, nodeTimeoutMs: NODE_TIMEOUT_MS, queuedExecutions: 0, nodes: [] };
    const [nodes, running, queued] = await Promise.all([this.membership.liveNodes(), this.executions.store.runningByNode(), this.executions.queue.queuedCount()]);
    const leader = nodes.find((n) => n.role === 'leader')?.id ?? null;
    return {
      enabled: true,
      nodeId: this.membership.nodeId,
      leader,
      heartbeatMs: HEARTBEAT_MS,
      nodeTimeoutMs: NODE_TIMEOUT_MS,
      queuedExecutions: queued,
      nodes: nodes.map((n) => ({
        id: n.id,
        name: n.name,
        address: n.address,
        role: n.id === leader ? 'leader' : 'member',
        startedAt: new Date(Number(n.started_at)).toISOString(),
        heartbeatAt: new Date(Number(n.heartbeat_at)).toISOString(),
        runningExecutions: running.get(n.id) ?? 0,
        self: n.id === this.membership.nodeId,
      })),
    };
  }

  /**
   * A job this node claimed: the execution becomes this node's, its FlowFile enters the flow's entry processor on
   * this node's engine (built at the flow's stored version), and only then is its input dropped. A job delivered
   * again finds the execution claimed and does nothing.
   */
  private async runQueued(executionId: string): Promise<void> {
    const claimed = await this.executions.claim(executionId, async (flowId) => {
      await this.ensure(flowId);
      const f = await this.flows.findById(flowId);
      const doc = f?.doc;
      return { ...executionSteps(doc?.processors ?? []), inbound: doc?.integration?.direction === 'inbound' };
    });
    if (!claimed) return;
    const { flowId, input } = claimed;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.engines.engine(flowId).enqueue(input.entryId, [{ attributes: input.attributes, content: input.content }]);
        break;
      } catch (e) {
        // An engine being rebuilt by a save refuses for a moment; a flow without that entry refuses for good.
        if (attempt < ENQUEUE_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, 500));
          await this.ensure(flowId).catch(() => undefined);
          continue;
        }
        await this.executions.abort(executionId, `the run could not be queued: ${(e as Error).message}`);
        return;
      }
    }
    await this.executions.queue.dropInput(executionId).catch((e: unknown) => this.log.warn(`input of execution ${executionId} kept: ${String(e)}`));
  }

  /** Executions this node runs now, of flows that run here: a stopped flow's waiting data takes no room. */
  private load(): number {
    let n = 0;
    for (const [flowId, count] of this.executions.activeByFlow()) {
      if (this.engines.has(flowId) && this.engines.engine(flowId).status().processors.some((p) => p.state === 'running')) n += count;
    }
    return n;
  }

  /** A change made here: remember what the engine now runs and tell the other nodes. */
  private async noteLocal(flowId: string): Promise<void> {
    try {
      const f = await this.flows.findById(flowId);
      if (f) this.applied.set(flowId, applied(f));
      else this.applied.delete(flowId);
      await this.membership.publish({ kind: 'flow', flowId });
    } catch (e) {
      this.log.error(`flow ${flowId} change not announced: ${String(e)}`);
    }
  }

  /** Brings this node's engine of the flow to the stored version and state. */
  private async apply(flowId: string): Promise<void> {
    this.applying.add(flowId);
    try {
      const f = await this.flows.findById(flowId);
      if (!f) {
        if (this.engines.has(flowId)) await this.engines.unload(flowId);
        this.applied.delete(flowId);
        return;
      }
      const rebuild = !this.engines.has(flowId) || this.applied.get(flowId)?.version !== f.version;
      await this.engines.follow(flowId, f, { rebuild, start: true });
      this.applied.set(flowId, applied(f));
      // The leader's schedules follow a flow started or stopped elsewhere.
      await this.integration.sync(flowId);
    } catch (e) {
      this.log.error(`flow ${flowId} could not follow the cluster: ${String(e)}`);
    } finally {
      this.applying.delete(flowId);
    }
  }

  /**
   * The leader's round: nodes that left or went silent are fenced, their FlowFiles and unfinished executions become
   * this node's, the affected flows' engines reload with them, and those executions carry on from their stored steps.
   */
  private async takeOver(): Promise<void> {
    const dead = await this.membership.fenceDeadNodes();
    // What the gone nodes claimed but never started goes back to the queue, for whichever node has room.
    for (const id of await this.executions.queue.requeue(dead)) await this.queue.send(id);
    const flowIds = await this.flowFiles.adopt(dead, true);
    const adopted = await this.executions.store.adopt(this.membership.nodeId!, dead);
    if (flowIds.size === 0 && adopted.length === 0) return;
    this.log.warn(`taking over ${adopted.length} execution(s) and the queues of ${flowIds.size} flow(s) from ${dead.length} node(s) that left`);
    // As at a restart: engines hold the adopted FlowFiles, then their executions are known, and only then run.
    const taken: StoredFlow[] = [];
    for (const flowId of flowIds) {
      const f = await this.flows.findById(flowId);
      if (!f) continue;
      taken.push(f);
      this.applying.add(flowId);
      try {
        await this.engines.follow(flowId, f, { rebuild: true, start: false });
      } finally {
        this.applying.delete(flowId);
      }
    }
    await this.engines.recoverExecutions(new Set(adopted.filter((id) => !this.executions.tracks(id))));
    for (const f of taken) await this.engines.follow(f.id, f, { rebuild: false, start: true });
  }

  private serial(work: () => Promise<void>): void {
    void this.serialAwait(work);
  }

  private serialAwait(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work);
    this.chain = next.catch((e: unknown) => this.log.error(String(e)));
    return this.chain;
  }
}
