import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { effectiveParameters, type AppliedChangeDto, type FlowDocument } from '@sluice/contracts';
import { effectiveConfig, fromUtf8, type HttpClient, type HttpServerPort, type RegexEngine, type ScriptRunner } from '@sluice/flow-api';
import { dryRunServices, FlowEngine, ingressConnectionId, type DryRun, type TestProcessorResult } from '@sluice/flow-core';
import { getProcessor } from '@sluice/processors';
import { DataSource } from 'typeorm';
import { ClusterMembership } from '../cluster/cluster-membership.js';
import { ConflictError, NotFoundError } from '../common/errors.js';
import { EXECUTION_ATTRIBUTE, executionSteps, ExecutionsService, type ExecutionSteps, type SeenAt } from '../executions/executions.service.js';
import { FlowsRepository, type StoredFlow } from '../flows/flows.repository.js';
import type { FlowEntity } from '../persistence/entities.js';
import type { ScriptChecks } from '../scripting/script-checks.js';
import { SqlFlowFileRepository } from '../persistence/sql-flowfile.repository.js';
import { ProvenanceService } from '../provenance/provenance.service.js';
import { DurableTokenCache } from './durable-token.cache.js';
import { EngineEventsHub } from './engine-events.hub.js';
import { EngineWiring } from './engine-wiring.js';
import { Lanes } from './flow-lanes.js';
import { EngineRebuildError, notApplied, queuedIn, startingFrom } from './engine-reopen.js';
import { blockedScripts, keptRunning, runnable, sameSet, waitingProcessors } from './kept-running.js';
import { SecretRegistry } from '../secrets/secret-registry.js';
import { changedProcessorSteps, sameGraph, toGraph } from './flow-graph.js';
import { inSlices, yieldToLoop } from '../common/slices.js';
import { startInSlices, stopInSlices } from './engine-slices.js';
import { HTTP_CLIENT } from './undici-http.client.js';
import { HTTP_SERVER } from './node-http.server.js';
import { REGEX_ENGINE } from './regex-workers.js';
import { SCRIPT_CHECKS, SCRIPT_RUNNER } from '../scripting/scripting.module.js';

export { SYSTEM_CLOCK } from './engine-wiring.js';
export { toGraph } from './flow-graph.js';

export interface TestInput {
  flowFileUuid?: string;
  content?: string;
  attributes?: Record<string, string>;
}

/** The sole owner of the flow engines: one FlowEngine per flow, built from its saved document. */
@Injectable()
export class EngineService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Engine');
  private readonly engines = new Map<string, FlowEngine>();
  /** The processors the user keeps running, per flow: saves and restarts keep them, only start and stop change them. */
  private readonly running = new Map<string, Set<string>>();
  private readonly changeListeners: ((flowId: string) => void)[] = [];
  /** Run-state changes and rebuilds of one flow happen one after the other: two must never build two engines. */
  private readonly lanes = new Lanes();
  /** Processors set to run on the primary node only, per flow: in a cluster only the leader schedules them. */
  private readonly primaryOnly = new Map<string, Set<string>>();
  /** The document each engine was built from. */
  private readonly documents = new Map<string, FlowDocument>();
  /** The newest saved version applied, so a save answered late never replaces a newer one on the engine. */
  private readonly versions = new Map<string, number>();

  private readonly wiring: EngineWiring;

  constructor(
    ds: DataSource,
    private readonly flows: FlowsRepository,
    private readonly repository: SqlFlowFileRepository,
    private readonly provenance: ProvenanceService,
    hub: EngineEventsHub,
    @Inject(HTTP_CLIENT) http: HttpClient,
    @Inject(SCRIPT_RUNNER) private readonly scripts: ScriptRunner,
    private readonly executions: ExecutionsService,
    private readonly tokens: DurableTokenCache,
    secrets: SecretRegistry,
    @Inject(SCRIPT_CHECKS) private readonly scriptChecks: ScriptChecks,
    @Inject(HTTP_SERVER) httpServer: HttpServerPort,
    private readonly membership: ClusterMembership,
    @Inject(REGEX_ENGINE) regex: RegexEngine,
  ) {
    membership.onLeadership((leader) => void this.primaryNodeChanged(leader));
    this.wiring = new EngineWiring({ ds, repository, provenance, hub, http, scripts, executions, tokens, secrets, httpServer, regex });
  }

  /**
   * Restart order matters: the cached logins and every flow's queues come back first, then the executions those
   * queues belong to, and only then do engines start consuming, so no FlowFile moves before its execution is known.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.tokens.load();
    const loaded: { flow: FlowEntity; doc: FlowDocument }[] = [];
    for (const flow of await this.flows.findAll()) {
      try {
        const doc = flow.doc;
        this.running.set(flow.id, keptRunning(flow, doc));
        await this.load(flow.id, doc);
        loaded.push({ flow, doc });
      } catch (e) {
        // One unreadable flow must not keep the others (and the API) down.
        this.log.error(`flow '${flow.name}' (${flow.id}) could not be loaded: ${(e as Error).message}`);
      }
    }
    await this.recoverExecutions();
    for (const { flow, doc } of loaded) {
      const started = await this.startKept(flow.id, doc);
      this.log.log(started.length ? `flow '${flow.name}' loaded; ${started.length} of ${doc.processors.length} processor(s) started` : `flow '${flow.name}' loaded`);
    }
  }

  /** Schedules and listeners follow flows as they are saved, started, stopped and deleted. */
  onFlowChanged(listener: (flowId: string) => void): void {
    this.changeListeners.push(listener);
  }

  private changed(flowId: string): void {
    for (const l of this.changeListeners) l(flowId);
  }

  /**
   * Executions whose FlowFiles came back from the repository after a restart carry on; in a cluster, `only` names
   * the executions a takeover adopted (their flows' engines were reloaded with the adopted FlowFiles first).
   */
  async recoverExecutions(only?: ReadonlySet<string>): Promise<void> {
    const flows = new Map<string, ExecutionSteps & { inbound: boolean; queuedBy: Map<string, string> }>();
    for (const flow of await this.flows.findAll()) {
      const doc = flow.doc;
      // The processor that put a FlowFile in a connection: its source, or for an ingress the processor it feeds.
      const queuedBy = new Map(doc.connections.map((c) => [c.id, c.sourceId]));
      for (const p of runnable(doc)) queuedBy.set(ingressConnectionId(p.id), p.id);
      flows.set(flow.id, { ...executionSteps([...doc.processors, ...(doc.ports ?? [])]), inbound: doc.integration?.direction === 'inbound', queuedBy });
    }
    const queued = new Map<string, Map<string, SeenAt | null>>();
    for (const [flowId, engine] of this.engines) {
      for (const c of engine.status().connections) {
        const by = flows.get(flowId)?.queuedBy.get(c.id);
        for (const { flowFile } of engine.queue(c.id, Number.MAX_SAFE_INTEGER).flowFiles) {
          const id = flowFile.attributes[EXECUTION_ATTRIBUTE];
          if (!id) continue;
          let live = queued.get(id);
          if (!live) queued.set(id, (live = new Map()));
          live.set(flowFile.uuid, by === undefined ? null : { processorId: by, size: flowFile.size });
        }
      }
    }
    await this.executions.recover(queued, (flowId) => flows.get(flowId) ?? { stepNames: new Map(), inbound: false }, only);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.engines.values()].map((e) => e.close()));
    this.engines.clear();
    await this.repository.drain();
    await this.provenance.flush();
    // The script pool owns child processes; they must not outlive the server.
    await (this.scripts as Partial<{ close(): Promise<void> }>).close?.();
  }

  engine(flowId: string): FlowEngine {
    const e = this.engines.get(flowId);
    if (!e) throw new NotFoundError('flow', flowId);
    return e;
  }

  has(flowId: string): boolean {
    return this.engines.has(flowId);
  }

  /**
   * Builds (or rebuilds after an edit) the flow's engine, every processor stopped, its queues read back from the
   * repository. It is built in slices while the old one runs (a failed build leaves that as it was); the old one is
   * closed before the new one reads the queues, and when that read fails the old graph is reopened on what it held,
   * its running processors started again (EngineRebuildError says so).
   */
  async load(flowId: string, doc: FlowDocument): Promise<FlowEngine> {
    let engine: FlowEngine;
    try {
      engine = await inSlices(FlowEngine.build(this.wiring.engineOptions(flowId, toGraph(doc))));
    } catch (e) {
      throw new EngineRebuildError(e, this.engines.has(flowId));
    }
    const previous = this.engines.get(flowId);
    const wasRunning = previous?.status().processors.filter((p) => p.state === 'running').map((p) => p.id) ?? [];
    try {
      if (previous) await stopInSlices(previous).then(() => previous.close());
      await engine.initialize();
    } catch (e) {
      await engine.close();
      throw new EngineRebuildError(e, await this.reopen(flowId, previous, wasRunning));
    }
    this.engines.set(flowId, engine);
    this.documents.set(flowId, doc);
    this.primaryOnly.set(flowId, new Set(doc.processors.filter((p) => p.scheduling?.executionNode === 'PRIMARY').map((p) => p.id)));
    if (!this.running.has(flowId)) this.running.set(flowId, new Set());
    this.changed(flowId);
    return engine;
  }

  /** The previous engine's graph again, on the queues it held when closed; false when there is none to reopen. */
  private async reopen(flowId: string, previous: FlowEngine | undefined, running: readonly string[]): Promise<boolean> {
    const doc = this.documents.get(flowId);
    try {
      if (!previous || !doc) return false;
      const options = this.wiring.engineOptions(flowId, toGraph(doc));
      const engine = await inSlices(FlowEngine.build({ ...options, repository: startingFrom(options.repository, queuedIn(previous)) }));
      await engine.initialize();
      this.engines.set(flowId, engine);
      await startInSlices(engine, running, () => this.engines.get(flowId) === engine);
      return true;
    } catch (e) {
      this.log.error(`flow ${flowId}: its previous engine could not be reopened: ${(e as Error).message}`);
      return false;
    } finally {
      if (this.engines.get(flowId) === previous) this.engines.delete(flowId);
      this.changed(flowId);
    }
  }

  /**
   * Applies a saved document. The processors the user keeps running stay running and the others stay stopped;
   * one whose configuration changed is stopped, changed and started again (NiFi's way), and one whose new
   * configuration is invalid waits, stopped, until a save fixes it. A save that changes nothing the engine runs
   * (a description, positions) touches nothing.
   */
  apply(flowId: string, previous: FlowDocument, next: FlowDocument, version: number): Promise<AppliedChangeDto> {
    return this.serial(flowId, () => this.applyNow(flowId, previous, next, version));
  }

  private async applyNow(flowId: string, stored: FlowDocument, next: FlowDocument, version: number): Promise<AppliedChangeDto> {
    // A save that waited behind a newer one is already superseded: the engine stays on the newer document.
    if (version < (this.versions.get(flowId) ?? 0)) return { restarted: [], waiting: [] };
    this.versions.set(flowId, version);
    // The document the engine runs: not the stored previous one when a rebuild failed.
    const previous = this.documents.get(flowId) ?? stored;
    const engine = this.engines.get(flowId);
    const kept = this.keptRunning(flowId, next);
    const before = toGraph(previous);
    const after = toGraph(next);
    const blockedBefore = await blockedScripts(this.scriptChecks, previous, kept);
    const blocked = await blockedScripts(this.scriptChecks, next, kept);
    await yieldToLoop();
    if (engine && sameGraph(before, after) && sameSet(blockedBefore, blocked)) return { restarted: [], waiting: waitingProcessors(engine, kept, blocked) };
    const wasRunning = new Set(engine?.status().processors.filter((p) => p.state === 'running').map((p) => p.id) ?? []);
    await yieldToLoop();
    const changed = await inSlices(changedProcessorSteps(before, after));
    for (const id of blocked) if (!blockedBefore.has(id)) changed.add(id);
    const rebuilt = await this.load(flowId, next).catch((e: unknown) => {
      if (e instanceof EngineRebuildError && e.reopened) return e;
      throw e;
    });
    if (rebuilt instanceof EngineRebuildError) return notApplied(flowId, rebuilt, waitingProcessors(this.engine(flowId), kept, blockedBefore));
    const started = new Set(await this.startAll(flowId, kept, blocked));
    // The document is stored: a processor that cannot start is reported in the answer and left stopped, as a failed start.
    const failed = await rebuilt.schedulingFailures([...started]);
    for (const f of failed) {
      started.delete(f.processorId);
      kept.delete(f.processorId);
    }
    if (failed.length) await this.remember(flowId, kept, kept.size ? undefined : 'stopped');
    return {
      restarted: [...wasRunning].filter((id) => changed.has(id) && started.has(id)),
      waiting: waitingProcessors(rebuilt, kept, blocked),
      ...(failed.length ? { failed: failed.map((f) => ({ processorId: f.processorId, message: `${f.name} could not start: ${f.message}` })) } : {}),
    };
  }

  private serial<T>(flowId: string, task: () => Promise<T>): Promise<T> {
    return this.lanes.run(flowId, task);
  }

  private async startAll(flowId: string, kept: Set<string>, blocked: Set<string>): Promise<string[]> {
    const engine = this.engine(flowId);
    const valid = new Set(engine.status().processors.filter((p) => p.valid).map((p) => p.id));
    const ids = [...kept].filter((id) => valid.has(id) && !blocked.has(id) && this.runsHere(flowId, id));
    await startInSlices(engine, ids, () => this.engines.get(flowId) === engine);
    return ids;
  }

  /** A primary-node-only processor runs on the leader (always, outside a cluster); the others everywhere. */
  private runsHere(flowId: string, processorId: string): boolean {
    return this.membership.isLeader() || !this.primaryOnly.get(flowId)?.has(processorId);
  }

  /** Leadership came or went: primary-node-only processors the flows keep running start or stop here. */
  private async primaryNodeChanged(leader: boolean): Promise<void> {
    for (const [flowId, ids] of this.primaryOnly) {
      if (ids.size === 0) continue;
      await this.serial(flowId, async () => {
        const engine = this.engines.get(flowId);
        if (!engine) return;
        const kept = this.running.get(flowId) ?? new Set<string>();
        const valid = new Set(engine.status().processors.filter((p) => p.valid).map((p) => p.id));
        for (const id of ids) {
          if (leader && kept.has(id) && valid.has(id)) engine.start(id);
          else if (!leader) await engine.stop(id);
        }
      }).catch((e: unknown) => this.log.error(`primary-node processors of flow ${flowId}: ${String(e)}`));
    }
  }

  private async startKept(flowId: string, doc: FlowDocument): Promise<string[]> {
    const kept = this.keptRunning(flowId, doc);
    return this.startAll(flowId, kept, await blockedScripts(this.scriptChecks, doc, kept));
  }

  /** The processors the user keeps running that the document still has. */
  private keptRunning(flowId: string, doc: FlowDocument): Set<string> {
    const ids = new Set(runnable(doc).map((p) => p.id));
    return new Set([...(this.running.get(flowId) ?? [])].filter((id) => ids.has(id)));
  }

  /** The processors the user keeps running, as the status and the designer show them. */
  keptRunningIds(flowId: string): string[] {
    return [...(this.running.get(flowId) ?? [])];
  }

  private async remember(flowId: string, ids: Set<string>, state?: 'running' | 'stopped'): Promise<void> {
    this.running.set(flowId, ids);
    await this.flows.setRunState(flowId, [...ids], state);
  }

  /**
   * A dry run of a processor that reaches other systems: it runs on the flow's settings, cached logins and state,
   * but its requests are recorded and answered as its dryRunResponse says, and nothing it would store is stored.
   */
  async dryRun(flowId: string, doc: FlowDocument, processorId: string, input: TestInput): Promise<TestProcessorResult & { dry: DryRun }> {
    const p = doc.processors.find((x) => x.id === processorId);
    const definition = p && getProcessor(p.type);
    if (!p || !definition) throw new NotFoundError('processor', processorId);
    const dry = dryRunServices(this.wiring.services(flowId, processorId), definition, effectiveConfig(p.properties, effectiveParameters(doc, p.groupId)));
    return { ...(await this.engine(flowId).testProcessor(processorId, input, { services: dry.services })), dry };
  }

  /** Queued FlowFiles per connection, so an edit cannot silently drop a queue that still holds data. */
  queuedCounts(flowId: string): Map<string, number> {
    const e = this.engines.get(flowId);
    return new Map((e?.status().connections ?? []).map((c) => [c.id, c.count]));
  }

  unload(flowId: string): Promise<void> {
    return this.serial(flowId, () => this.unloadNow(flowId));
  }

  private async unloadNow(flowId: string): Promise<void> {
    const e = this.engines.get(flowId);
    if (e) await e.close();
    this.engines.delete(flowId);
    this.documents.delete(flowId);
    this.versions.delete(flowId);
    this.running.delete(flowId);
    this.primaryOnly.delete(flowId);
    await this.repository.dropFlow(flowId);
    this.changed(flowId);
  }

  /**
   * Cluster mode: brings this node's engine of the flow to what another node stored. `rebuild` builds it from the
   * stored document (a save elsewhere, or FlowFiles taken over); `start` then runs the processors the flow keeps
   * running and stops the others. Nothing is written.
   */
  follow(flowId: string, flow: StoredFlow, options: { rebuild: boolean; start: boolean }): Promise<void> {
    return this.serial(flowId, async () => {
      const doc = flow.doc;
      this.running.set(flowId, keptRunning(flow, doc));
      if (options.rebuild || !this.engines.has(flowId)) await this.load(flowId, doc);
      if (!options.start) return;
      const engine = this.engine(flowId);
      const kept = this.keptRunning(flowId, doc);
      for (const p of engine.status().processors) if (p.state === 'running' && !kept.has(p.id)) await engine.stop(p.id);
      await this.startAll(flowId, kept, await blockedScripts(this.scriptChecks, doc, kept));
    });
  }

  /** Starts every processor (the caller checked that the flow is valid) and keeps them running. */
  start(flowId: string): Promise<void> {
    return this.serial(flowId, async () => {
      const engine = this.engine(flowId);
      const ids = new Set(engine.status().processors.map((p) => p.id));
      await this.remember(flowId, ids, 'running');
      await startInSlices(engine, [...ids].filter((id) => this.runsHere(flowId, id)), () => this.engines.get(flowId) === engine);
      this.changed(flowId);
      await this.refuseFailedStarts(flowId, engine, ids);
    });
  }

  /** Processors whose onScheduled failed (a listener's port in use) are not kept running; the start answers 409 naming them. */
  private async refuseFailedStarts(flowId: string, engine: FlowEngine, ids: Set<string>, only?: string[]): Promise<void> {
    const failed = await engine.schedulingFailures(only);
    if (failed.length === 0) return;
    for (const f of failed) ids.delete(f.processorId);
    await this.remember(flowId, ids, ids.size ? undefined : 'stopped');
    throw new ConflictError(failed.map((f) => `${f.name} could not start: ${f.message}`).join('; '));
  }

  stop(flowId: string): Promise<void> {
    return this.serial(flowId, async () => {
      await this.remember(flowId, new Set(), 'stopped');
      await stopInSlices(this.engine(flowId));
      this.changed(flowId);
    });
  }

  startProcessor(flowId: string, processorId: string): Promise<void> {
    this.requireProcessor(flowId, processorId);
    return this.serial(flowId, async () => {
      const ids = new Set(this.running.get(flowId)).add(processorId);
      await this.remember(flowId, ids);
      const engine = this.engine(flowId);
      if (this.runsHere(flowId, processorId)) engine.start(processorId);
      // Other nodes follow (and the leader starts a primary-node-only processor started on a member).
      this.changed(flowId);
      await this.refuseFailedStarts(flowId, engine, ids, [processorId]);
    });
  }

  stopProcessor(flowId: string, processorId: string): Promise<void> {
    this.requireProcessor(flowId, processorId);
    return this.serial(flowId, async () => {
      const ids = new Set(this.running.get(flowId));
      ids.delete(processorId);
      await this.remember(flowId, ids);
      await this.engine(flowId).stop(processorId);
      this.changed(flowId);
    });
  }

  /** In the flow's lane: a rebuild must not close the engine under a run whose FlowFiles the new one would not read. */
  runOnce(flowId: string, processorId: string): Promise<void> {
    this.requireProcessor(flowId, processorId);
    return this.serial(flowId, () => this.engine(flowId).runOnce(processorId));
  }

  requireProcessor(flowId: string, processorId: string): void {
    if (!this.engine(flowId).status().processors.some((p) => p.id === processorId)) throw new NotFoundError('processor', processorId);
  }

  requireConnection(flowId: string, connectionId: string): void {
    if (!this.engine(flowId).status().connections.some((c) => c.id === connectionId)) throw new NotFoundError('connection', connectionId);
  }

  /** The text content of a queued FlowFile, for the test panes' input. */
  async queuedContent(flowId: string, connectionId: string, uuid: string): Promise<string> {
    const hit = this.engine(flowId).queue(connectionId, 10_000).flowFiles.find((f) => f.flowFile.uuid === uuid);
    if (!hit) throw new NotFoundError('queued FlowFile', uuid);
    const claim = hit.flowFile.contentClaim;
    return claim ? fromUtf8(await this.repository.read(claim)) : '';
  }
}
