import { Logger } from '@nestjs/common';
import { provide, serviceExtensions, type Clock, type HttpClient, type HttpServerPort, type ProcessorServices, type RegexEngine, type ScriptRunner } from '@sluice/flow-api';
import { TimeSlice, type FlowEngineOptions, type FlowGraph, type ProcessorLogSink, type ProvenanceEvent } from '@sluice/flow-core';
import { EXECUTION_LOG, getControllerService, getProcessor, TOKEN_CACHE } from '@sluice/processors';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { clearLongTimeout, setLongTimeout, type LongTimeout } from '../common/long-timeout.js';
import type { ExecutionsService } from '../executions/executions.service.js';
import type { SqlFlowFileRepository } from '../persistence/sql-flowfile.repository.js';
import type { ProvenanceService } from '../provenance/provenance.service.js';
import { redactEvents, redactEventsSliced } from '../secrets/event-redaction.js';
import type { SecretRegistry } from '../secrets/secret-registry.js';
import type { DurableTokenCache } from './durable-token.cache.js';
import type { EngineEventsHub } from './engine-events.hub.js';
import { SqlMapCacheStore } from './sql-map-cache.store.js';
import { SqlStateManager } from './sql-state.manager.js';
import { SQLJS_ENGINE } from './sqljs-query.engine.js';
import { ZLIB_COMPRESSION } from './zlib-compression.codec.js';

/** Wall-clock time; timers of any length (a monthly cron, a long expiration) fire when due. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimeout: (cb, ms) => setLongTimeout(cb, ms),
  clearTimeout: (h) => clearLongTimeout(h as LongTimeout | undefined),
};

/**
 * One slice of the event loop for every engine of the server, so busy flows together stay within its budget per
 * turn; setImmediate lets pending I/O in without a timer's minimum delay.
 */
const ENGINE_SLICE = new TimeSlice({ now: () => performance.now(), nextTurn: (cb) => void setImmediate(cb), markTurn: (cb) => void setImmediate(cb) });

/** Processors' messages (LogAttribute's among them) in the server log, under the flow and processor name. */
const NEST_LEVEL = { debug: 'debug', info: 'log', warn: 'warn', error: 'error' } as const;
const PROCESSOR_LOG: ProcessorLogSink = {
  write: (p, level, message) => new Logger(`${p.name} (${p.flowId.slice(0, 8)}/${p.id})`)[NEST_LEVEL[level]](message),
  enabled: (level) => Logger.isLevelEnabled(NEST_LEVEL[level]),
};

/** The adapters an engine is built on. */
export interface EngineAdapters {
  ds: DataSource;
  repository: SqlFlowFileRepository;
  provenance: ProvenanceService;
  hub: EngineEventsHub;
  http: HttpClient;
  scripts: ScriptRunner;
  executions: ExecutionsService;
  tokens: DurableTokenCache;
  secrets: SecretRegistry;
  httpServer: HttpServerPort;
  regex: RegexEngine;
}

/**
 * How every flow engine reaches the server: its FlowFiles, provenance and executions in the database with secrets
 * masked, its events on the hub, and the services its processors may use.
 */
export class EngineWiring {
  /** Provenance with secrets masked, once per committed batch of events (the commit and the sink see the same array). */
  private readonly redactions = new WeakMap<readonly ProvenanceEvent[], ProvenanceEvent[]>();

  constructor(private readonly adapters: EngineAdapters) {
    const { repository, executions, provenance } = adapters;
    // Executions store what a commit makes true in its own transaction; the provenance sink reuses that redaction.
    repository.participate({
      // The redaction of a large session's events runs in slices before its group commit, which then finds it done.
      beforeCommit: async (tx) => {
        if (tx.provenance?.length && !this.redactions.has(tx.provenance)) this.redactions.set(tx.provenance, await redactEventsSliced(tx.provenance, this.adapters.secrets));
      },
      inCommit: (m, txs) => {
        const events: ProvenanceEvent[] = [];
        for (const tx of txs) if (tx.provenance?.length) for (const e of this.redacted(tx.provenance)) events.push(e);
        return executions.inCommit(m, events);
      },
    });
    // Contents the committed events name are kept for provenance from memory once durable, off the commit.
    repository.participate({ inCommit: async (_m, txs) => () => provenance.keepContents(txs) });
  }

  private redacted(events: readonly ProvenanceEvent[]): ProvenanceEvent[] {
    let safe = this.redactions.get(events);
    if (!safe) this.redactions.set(events, (safe = redactEvents(events, this.adapters.secrets)));
    return safe;
  }

  /** What the flow's engine is built with around its graph. */
  engineOptions(flowId: string, graph: FlowGraph): FlowEngineOptions {
    const { repository, provenance, executions, hub, secrets } = this.adapters;
    return {
      flowId,
      graph,
      registry: getProcessor,
      serviceRegistry: getControllerService,
      repository,
      content: repository,
      provenance: {
        record: (events) => {
          const safe = this.redacted(events);
          provenance.record(safe);
          executions.observe(safe);
        },
      },
      clock: SYSTEM_CLOCK,
      timeSlice: ENGINE_SLICE,
      log: PROCESSOR_LOG,
      events: {
        processorStateChanged: (e) => hub.emit('processor.state-changed', e),
        queueChanged: (e) => hub.emit('connection.queue-changed', e),
        bulletin: (e) => hub.emit('processor.bulletin', { ...e, message: secrets.redact(e.message), timestamp: new Date(e.timestamp).toISOString() }),
        processorStats: (e) => hub.emit('processor.stats-updated', { flowId: e.flowId, processorId: e.processorId, in: e.flowFilesIn, out: e.flowFilesOut, tasks: e.tasks }),
      },
      services: (processorId: string) => this.services(flowId, processorId),
    };
  }

  /** What a processor of the flow may reach outside itself. */
  services(flowId: string, processorId: string): ProcessorServices {
    const { ds, http, scripts, executions, tokens, httpServer, regex } = this.adapters;
    return {
      clock: SYSTEM_CLOCK,
      http,
      scripts,
      state: new SqlStateManager(ds, flowId, processorId),
      extensions: serviceExtensions(provide(EXECUTION_LOG, executions.stepLog(processorId)), provide(TOKEN_CACHE, tokens)),
      compression: ZLIB_COMPRESSION,
      httpServer,
      mapCache: new SqlMapCacheStore(ds, flowId),
      sql: SQLJS_ENGINE,
      regex,
      randomUuid: randomUUID,
    };
  }
}
