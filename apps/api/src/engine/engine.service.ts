import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { FlowDocument } from '@sluice/contracts';
import { fromUtf8, type Clock, type HttpClient, type ProcessorServices, type ScriptRunner } from '@sluice/flow-api';
import { FlowEngine, ingressConnectionId, type FlowGraph, type ProcessorLogSink, type ProvenanceEvent } from '@sluice/flow-core';
import { getProcessor } from '@sluice/processors';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/errors.js';
import { EXECUTION_ATTRIBUTE, ExecutionsService, type SeenAt } from '../executions/executions.service.js';
import { FlowsRepository } from '../flows/flows.repository.js';
import { SqlFlowFileRepository } from '../persistence/sql-flowfile.repository.js';
import { ProvenanceService } from '../provenance/provenance.service.js';
import { DurableTokenCache } from './durable-token.cache.js';
import { EngineEventsHub } from './engine-events.hub.js';
import { redactEvents } from '../secrets/event-redaction.js';
import { SecretRegistry } from '../secrets/secret-registry.js';
import { SqlStateManager } from './sql-state.manager.js';
import { ZLIB_COMPRESSION } from './zlib-compression.codec.js';

export const HTTP_CLIENT = Symbol('HTTP_CLIENT');
export const SCRIPT_RUNNER = Symbol('SCRIPT_RUNNER');
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export function toGraph(doc: FlowDocument): FlowGraph {
  return {
    processors: doc.processors.map((p) => ({ id: p.id, type: p.type, name: p.name, properties: p.properties, scheduling: p.scheduling, autoTerminated: p.autoTerminated })),
    connections: doc.connections.map((c) => ({
      id: c.id,
      sourceId: c.sourceId,
      relationships: c.relationships,
      targetId: c.targetId,
      backPressureObjectThreshold: c.backPressureObjectThreshold,
      backPressureDataSizeThreshold: c.backPressureDataSizeThreshold,
    })),
    parameters: doc.parameters,
  };
}

/** The sole owner of the flow engines: one FlowEngine per flow, built from its saved document. */
/** Processors' messages (LogAttribute's among them) in the server log, under the flow and processor name. */
const NEST_LEVEL = { debug: 'debug', info: 'log', warn: 'warn', error: 'error' } as const;
const PROCESSOR_LOG: ProcessorLogSink = {
  write: (p, level, message) => new Logger(`${p.name} (${p.flowId.slice(0, 8)}/${p.id})`)[NEST_LEVEL[level]](message),
  enabled: (level) => Logger.isLevelEnabled(NEST_LEVEL[level]),
};

@Injectable()
export class EngineService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Engine');
  private readonly engines = new Map<string, FlowEngine>();
  private readonly changeListeners: ((flowId: string) => void)[] = [];

  constructor(
    private readonly ds: DataSource,
    private readonly flows: FlowsRepository,
    private readonly repository: SqlFlowFileRepository,
    private readonly provenance: ProvenanceService,
    private readonly hub: EngineEventsHub,
    @Inject(HTTP_CLIENT) private readonly http: HttpClient,
    @Inject(SCRIPT_RUNNER) private readonly scripts: ScriptRunner,
    private readonly executions: ExecutionsService,
    private readonly tokens: DurableTokenCache,
    private readonly secrets: SecretRegistry,
  ) {
    // Executions store what a commit makes true in its own transaction; the provenance sink reuses that redaction.
    repository.participate({
      inCommit: (m, txs) => {
        const events: ProvenanceEvent[] = [];
        for (const tx of txs) if (tx.provenance?.length) for (const e of this.redacted(tx.provenance)) events.push(e);
        return this.executions.inCommit(m, events);
      },
    });
  }

  /** Provenance with secrets masked, once per committed batch of events (the commit and the sink see the same array). */
  private readonly redactions = new WeakMap<readonly ProvenanceEvent[], ProvenanceEvent[]>();
  private redacted(events: readonly ProvenanceEvent[]): ProvenanceEvent[] {
    let safe = this.redactions.get(events);
    if (!safe) this.redactions.set(events, (safe = redactEvents(events, this.secrets)));
    return safe;
  }

  /**
   * Restart order matters: the cached logins and every flow's queues come back first, then the executions those
   * queues belong to, and only then do engines start consuming, so no FlowFile moves before its execution is known.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.tokens.load();
    const running: { name: string; engine: FlowEngine }[] = [];
    for (const flow of await this.flows.findAll()) {
      try {
        const engine = await this.load(flow.id, JSON.parse(flow.document) as FlowDocument);
        if (flow.state === 'running') running.push({ name: flow.name, engine });
        else this.log.log(`flow '${flow.name}' loaded`);
      } catch (e) {
        // One unreadable flow must not keep the others (and the API) down.
        this.log.error(`flow '${flow.name}' (${flow.id}) could not be loaded: ${(e as Error).message}`);
      }
    }
    await this.recoverExecutions();
    for (const { name, engine } of running) {
      engine.start();
      this.log.log(`flow '${name}' loaded and started`);
    }
  }

  /** Schedules and listeners follow flows as they are saved, started, stopped and deleted. */
  onFlowChanged(listener: (flowId: string) => void): void {
    this.changeListeners.push(listener);
  }

  private changed(flowId: string): void {
    for (const l of this.changeListeners) l(flowId);
  }

  /** Executions whose FlowFiles came back from the repository after a restart carry on. */
  private async recoverExecutions(): Promise<void> {
    const flows = new Map<string, { stepNames: Map<string, string>; inbound: boolean; queuedBy: Map<string, string> }>();
    for (const flow of await this.flows.findAll()) {
      const doc = JSON.parse(flow.document) as FlowDocument;
      // The processor that put a FlowFile in a connection: its source, or for an ingress the processor it feeds.
      const queuedBy = new Map(doc.connections.map((c) => [c.id, c.sourceId]));
      for (const p of doc.processors) queuedBy.set(ingressConnectionId(p.id), p.id);
      flows.set(flow.id, { stepNames: new Map(doc.processors.map((p) => [p.id, p.name])), inbound: doc.integration?.direction === 'inbound', queuedBy });
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
    await this.executions.recover(queued, (flowId) => flows.get(flowId) ?? { stepNames: new Map(), inbound: false });
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

  /** Builds (or rebuilds after an edit) the flow's engine; queued FlowFiles come back from the repository. */
  async load(flowId: string, doc: FlowDocument): Promise<FlowEngine> {
    const previous = this.engines.get(flowId);
    const wasRunning = previous ? previous.status().processors.some((p) => p.state === 'running') : false;
    if (previous) {
      await previous.close();
      this.engines.delete(flowId);
    }
    const engine = new FlowEngine({
      flowId,
      graph: toGraph(doc),
      registry: getProcessor,
      repository: this.repository,
      content: this.repository,
      provenance: {
        record: (events) => {
          const safe = this.redacted(events);
          this.provenance.record(safe);
          this.executions.observe(safe);
        },
      },
      clock: SYSTEM_CLOCK,
      log: PROCESSOR_LOG,
      events: {
        processorStateChanged: (e) => this.hub.emit('processor.state-changed', e),
        queueChanged: (e) => this.hub.emit('connection.queue-changed', e),
        bulletin: (e) => this.hub.emit('processor.bulletin', { ...e, message: this.secrets.redact(e.message), timestamp: new Date(e.timestamp).toISOString() }),
        processorStats: (e) => this.hub.emit('processor.stats-updated', { flowId: e.flowId, processorId: e.processorId, in: e.flowFilesIn, out: e.flowFilesOut, tasks: e.tasks }),
      },
      services: (processorId: string): ProcessorServices => ({
        clock: SYSTEM_CLOCK,
        http: this.http,
        scripts: this.scripts,
        state: new SqlStateManager(this.ds, flowId, processorId),
        executions: this.executions.stepLog(processorId),
        tokens: this.tokens,
        compression: ZLIB_COMPRESSION,
        randomUuid: randomUUID,
      }),
    });
    await engine.initialize();
    this.engines.set(flowId, engine);
    if (wasRunning) engine.start();
    this.changed(flowId);
    return engine;
  }

  /** Queued FlowFiles per connection, so an edit cannot silently drop a queue that still holds data. */
  queuedCounts(flowId: string): Map<string, number> {
    const e = this.engines.get(flowId);
    return new Map((e?.status().connections ?? []).map((c) => [c.id, c.count]));
  }

  async unload(flowId: string): Promise<void> {
    const e = this.engines.get(flowId);
    if (e) await e.close();
    this.engines.delete(flowId);
    await this.repository.dropFlow(flowId);
    this.changed(flowId);
  }

  async start(flowId: string): Promise<void> {
    this.engine(flowId).start();
    await this.flows.setState(flowId, 'running');
    this.changed(flowId);
  }

  async stop(flowId: string): Promise<void> {
    await this.engine(flowId).stop();
    await this.flows.setState(flowId, 'stopped');
    this.changed(flowId);
  }

  async startProcessor(flowId: string, processorId: string): Promise<void> {
    this.requireProcessor(flowId, processorId);
    this.engine(flowId).start(processorId);
  }

  async stopProcessor(flowId: string, processorId: string): Promise<void> {
    this.requireProcessor(flowId, processorId);
    await this.engine(flowId).stop(processorId);
  }

  async runOnce(flowId: string, processorId: string): Promise<void> {
    this.requireProcessor(flowId, processorId);
    await this.engine(flowId).runOnce(processorId);
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
