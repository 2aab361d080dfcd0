import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { ExecutionTrigger, FlowDocument, IntegrationSettings } from '@sluice/contracts';
import { crossPropertyConfig, hasRole, parseDuration } from '@sluice/flow-api';
import { CronSchedule } from '@sluice/flow-core';
import { formatInZone, getProcessor } from '@sluice/processors';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ClusterMembership } from '../cluster/cluster-membership.js';
import { WorkQueue } from '../cluster/work-queue.js';
import { BadInputError, ConflictError, DomainError, NotFoundError, TooManyRequestsError } from '../common/errors.js';
import type { RawBody } from '../common/request-body.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EngineService } from '../engine/engine.service.js';
import { SqlStateManager } from '../engine/sql-state.manager.js';
import { EXECUTION_ATTRIBUTE, executionSteps, ExecutionsService, type FinishedExecution } from '../executions/executions.service.js';
import { inChainCycle } from '../flows/chain-cycle.js';
import { FlowsRepository } from '../flows/flows.repository.js';
import { FetchMissingService } from './fetch-missing.service.js';
import { type DecodedBatch, noBatch, type RowRule } from './outbound-batch.js';
import { OutboundBatchReader } from './outbound-batch.reader.js';
import { armAt, armEvery } from './schedule-timers.js';

/** Where a flow's own state (last successful run) lives in processor_state. */
const FLOW_STATE_ID = '__flow';
const FIRST_RUN = '1970-01-01T00:00:00.000000';
/** How long an Idempotency-Key of an outbound request keeps answering with its execution. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** `last.request` text of an instant in the flow's time zone, as ReadErpData reads it back. */
export function formatLastRequest(epochMs: number, timeZone: string): string {
  // JavaScript clocks stop at milliseconds; the format carries microseconds.
  return formatInZone({ ms: epochMs, micros: 0 }, timeZone);
}

export interface RunRequest {
  trigger: ExecutionTrigger;
  triggeredBy?: string | null;
  /** Trigger keys as given (`sku`, `modified_date__gt`, custom ones). */
  query?: Record<string, string>;
  /** Outbound: the posted batch (its JSON text). */
  content?: string | Uint8Array;
  rows?: number;
  idempotencyKey?: string;
  requestHash?: string;
  keyWindowStart?: number;
}

/**
 * Runs Integrator flows: schedules (every N or cron), manual triggers with query keys, outbound batches,
 * chained flows and fetch missing. Each run is one execution: its FlowFile enters the flow's entry processor
 * durably before the caller is answered.
 */
@Injectable()
export class IntegrationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Integration');
  /** Runs admitted but not yet registered as executions, so concurrent requests cannot slip past the limit. */
  private readonly reserved = new Map<string, number>();
  private readonly jobs = new Map<string, string[]>();
  /** Outbound requests being admitted, by flow and Idempotency-Key, so a concurrent repeat waits for the first. */
  private readonly admitting = new Map<string, { hash: string; result: Promise<{ executionId: string }> }>();
  private readonly batches: OutboundBatchReader;

  constructor(
    private readonly ds: DataSource,
    private readonly flows: FlowsRepository,
    private readonly engines: EngineService,
    private readonly executions: ExecutionsService,
    private readonly scheduler: SchedulerRegistry,
    private readonly fetchMissing: FetchMissingService,
    private readonly membership: ClusterMembership,
    private readonly queue: WorkQueue,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.batches = new OutboundBatchReader(config.maxBody);
    this.executions.onFinished((e) => void this.finished(e));
    // Schedules and fetch missing fire once per cluster: on the leader, and on the next one when it goes.
    this.membership.onLeadership(() => void this.syncAll().catch((err: unknown) => this.log.error(`schedules: ${String(err)}`)));
    this.engines.onFlowChanged((flowId) => void this.sync(flowId).catch((err: unknown) => this.log.error(`schedules of flow ${flowId}: ${String(err)}`)));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.syncAll();
  }

  private async syncAll(): Promise<void> {
    for (const f of await this.flows.findAll()) await this.sync(f.id);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const flowId of [...this.jobs.keys()]) this.clearJobs(flowId);
    await this.batches.close();
  }

  /** Manual trigger: `?sku=a,b` or `?modified_date__gt=…&custom=…`, checked against the flow's trigger settings. */
  async trigger(flowId: string, query: Record<string, unknown>, user: string): Promise<{ executionId: string }> {
    const { doc, settings } = await this.inbound(flowId, 'trigger');
    const params: Record<string, string> = {};
    for (const [name, raw] of Object.entries(query)) {
      const key = settings.queryKeys[name];
      if (!key) throw new BadInputError(`unknown trigger parameter '${name}'; this flow accepts: ${Object.keys(settings.queryKeys).join(', ')}`, [{ field: name, message: 'not a trigger key of this flow' }]);
      if (typeof raw !== 'string' || raw.trim() === '') throw new BadInputError(`trigger parameter '${name}' needs one non-empty value`, [{ field: name, message: 'a single non-empty value is required' }]);
      if (key.type === 'datetime' && !DateTime.fromISO(raw, { zone: settings.timeZone }).isValid) {
        throw new BadInputError(`trigger parameter '${name}' must be a date-time such as 2024-12-31T13:30:59.000001, got '${raw}'`, [{ field: name, message: 'not an ISO date-time' }]);
      }
      params[name] = raw;
    }
    return this.run(flowId, doc, { trigger: 'manual', triggeredBy: user, query: params });
  }

  /**
   * Outbound: a posted batch becomes one execution; 429 past the flow's concurrency limit. With an Idempotency-Key,
   * a repeat of the same request within 24 hours answers with the first one's execution and creates nothing.
   */
  async outbound(flowId: string, body: RawBody | undefined, user: string, idempotencyKey?: string): Promise<{ executionId: string }> {
    const entity = await this.flows.findById(flowId);
    // Malformed JSON is refused first, whatever the flow, as when the body was parsed before the route ran.
    const batch = body ? await this.batches.read(body, entity ? rowRule(entity.doc) : null) : noBatch();
    if (!entity) throw new NotFoundError('flow', flowId);
    const doc = entity.doc;
    if (doc.integration?.direction !== 'outbound') throw new BadInputError(`flow '${doc.name}' is not an outbound flow`, [{ field: 'flowId', message: 'not an outbound flow' }]);
    if (idempotencyKey === undefined) return this.admitOutbound(flowId, doc, entity.state, batch, user);
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadInputError('the Idempotency-Key header must be 1 to 255 visible ASCII characters (a UUID, say)', [{ field: 'Idempotency-Key', message: 'not a valid key' }]);
    }
    const hash = batch.hash;
    const slot = `${flowId}\u0000${idempotencyKey}`;
    const inFlight = this.admitting.get(slot);
    if (inFlight) {
      sameRequest(inFlight.hash, hash);
      const first = await inFlight.result.catch(() => null);
      if (first) return first;
    }
    const since = Date.now() - IDEMPOTENCY_WINDOW_MS;
    const existing = await this.executions.byIdempotencyKey(flowId, idempotencyKey, since);
    if (existing) {
      sameRequest(existing.requestHash, hash);
      return { executionId: existing.id };
    }
    const result = this.admitOutbound(flowId, doc, entity.state, batch, user, { idempotencyKey, requestHash: hash, keyWindowStart: since });
    this.admitting.set(slot, { hash, result });
    try {
      return await result;
    } finally {
      this.admitting.delete(slot);
    }
  }

  private async admitOutbound(
    flowId: string,
    doc: FlowDocument,
    state: string,
    batch: DecodedBatch,
    user: string,
    idempotency: { idempotencyKey?: string; requestHash?: string; keyWindowStart?: number } = {},
  ): Promise<{ executionId: string }> {
    if (batch.empty) throw new BadInputError('the request body must be a JSON array of rows', [{ field: '(body)', message: 'a non-empty JSON body is required' }]);
    if (batch.rowError) throw new BadInputError(batch.rowError.message, batch.rowError.errors);
    if (state !== 'running') throw new ConflictError(`flow '${doc.name}' is stopped; start it before sending data`);
    return this.run(flowId, doc, { trigger: 'outbound', triggeredBy: user, content: batch.content, rows: batch.rows, ...idempotency });
  }

  /** Starts one execution of the flow. Resolves when its FlowFile is durable in the entry processor's queue. */
  async run(flowId: string, doc: FlowDocument, req: RunRequest): Promise<{ executionId: string }> {
    const settings = doc.integration;
    const max = settings?.maxConcurrentExecutions ?? 5;
    const reserved = this.reserved.get(flowId) ?? 0;
    const refuse = () => new TooManyRequestsError(`flow '${doc.name}' already has ${max} executions processing; try again when one finishes`);
    // A cluster counts every node's executions as the row is written (ExecutionsRepository.insert); alone, memory knows.
    if (!this.membership.enabled && this.executions.activeCount(flowId) + reserved >= max) throw refuse();
    this.reserved.set(flowId, reserved + 1);
    let held = true;
    // Once begin() registered the execution, activeCount() counts it: holding the reservation too would count it
    // twice and refuse a request within the limit.
    const unreserve = () => {
      if (!held) return;
      held = false;
      const n = (this.reserved.get(flowId) ?? 1) - 1;
      if (n > 0) this.reserved.set(flowId, n);
      else this.reserved.delete(flowId);
    };
    try {
      const entry = entryProcessor(doc);
      const timeZone = settings?.timeZone ?? 'UTC';
      const lastRequest = (await this.state(flowId).get())['last.request'] ?? FIRST_RUN;
      const startedAt = Date.now();
      const query = req.query ?? {};
      const params = { 'last.request': lastRequest, 'run.started': formatLastRequest(startedAt, timeZone), 'query.keys': Object.keys(query).join(',') };
      const executionId = randomUUID();
      const attributes: Record<string, string> = {
        [EXECUTION_ATTRIBUTE]: executionId,
        'execution.trigger': req.trigger,
        'flow.id': flowId,
        'flow.name': doc.name,
        'flow.timezone': timeZone,
        'last.request': lastRequest,
        'http.query.string': new URLSearchParams(query).toString(),
      };
      for (const [k, v] of Object.entries(query)) attributes[`http.query.param.${k}`] = v;
      if (req.content !== undefined) attributes['mime.type'] = 'application/json';
      const options = {
        id: executionId,
        triggeredBy: req.triggeredBy,
        params,
        read: req.rows,
        ...executionSteps(doc.processors),
        emptyMeansEmpty: settings?.direction === 'inbound',
        idempotencyKey: req.idempotencyKey,
        requestHash: req.requestHash,
        keyWindowStart: req.keyWindowStart,
      };
      if (this.queue.enabled) {
        // A cluster queues the execution with its job in the admission's transaction; whichever node has room runs it.
        const content = req.content ?? '';
        const input = { entryId: entry, attributes, content: typeof content === 'string' ? content : new TextDecoder().decode(content) };
        await this.executions.admit(flowId, req.trigger, { ...options, input, admission: { limit: max, refuse, job: (m) => this.queue.sendIn(m, executionId) } });
        return { executionId };
      }
      await this.executions.begin(flowId, req.trigger, { ...options, admission: this.membership.enabled ? { limit: max, refuse } : undefined });
      unreserve();
      try {
        await this.engines.engine(flowId).enqueue(entry, [{ attributes, content: req.content ?? '' }]);
      } catch (e) {
        await this.executions.abort(executionId, `the run could not be queued: ${(e as Error).message}`);
        throw e;
      }
      return { executionId };
    } finally {
      unreserve();
    }
  }

  /** (Re)registers the flow's schedule and fetch-missing job; only running flows have them. */
  async sync(flowId: string): Promise<void> {
    this.clearJobs(flowId);
    if (!this.membership.isLeader()) return;
    const entity = await this.flows.findById(flowId);
    if (!entity || entity.state !== 'running') return;
    const doc = entity.doc;
    const s = doc.integration;
    if (!s) return;
    const names: string[] = [];
    const tick = (trigger: ExecutionTrigger, what: () => Promise<unknown>) => () => {
      what().catch((e: unknown) => this.log.warn(`${trigger} run of '${doc.name}' skipped: ${(e as Error).message}`));
    };
    if (s.direction === 'inbound' && s.schedule.type === 'every') {
      const ms = parseDuration(s.schedule.value);
      if (ms !== null && ms >= 1000) {
        const name = `flow:${flowId}:schedule`;
        armEvery(this.scheduler, name, ms, tick('schedule', () => this.scheduled(flowId)));
        names.push(name);
      }
    } else if (s.direction === 'inbound' && s.schedule.type === 'cron') {
      // The same cron semantics as processor schedules (and the save-time check): Unix fields, or Quartz with seconds.
      const name = `flow:${flowId}:schedule`;
      const schedule = new CronSchedule(s.schedule.value, s.timeZone);
      armAt(this.scheduler, name, schedule.next(Date.now()), () => schedule.next(Date.now()), tick('schedule', () => this.scheduled(flowId)));
      names.push(name);
    }
    if (s.direction === 'inbound' && s.fetchMissing.enabled) {
      const ms = parseDuration(s.fetchMissing.interval);
      if (ms !== null && ms >= 60_000) {
        const name = `flow:${flowId}:fetch-missing`;
        armEvery(this.scheduler, name, ms, tick('fetch-missing', () => this.runFetchMissing(flowId)));
        names.push(name);
      }
    }
    this.jobs.set(flowId, names);
  }

  /** Asks Omnitron for recently productized products without stock (or images) and triggers the flow with their SKUs. */
  async runFetchMissing(flowId: string): Promise<{ executionId: string | null; skus: string[] }> {
    const { doc, settings } = await this.inbound(flowId, 'fetch missing');
    if (!settings.fetchMissing.enabled) throw new BadInputError(`fetch missing is not enabled on flow '${doc.name}'`, [{ field: 'integration.fetchMissing.enabled', message: 'disabled' }]);
    const skus = await this.fetchMissing.missingSkus(doc, settings);
    if (skus.length === 0) return { executionId: null, skus };
    const { executionId } = await this.run(flowId, doc, { trigger: 'fetch-missing', query: { sku: skus.join(',') } });
    return { executionId, skus };
  }

  private async scheduled(flowId: string): Promise<void> {
    const entity = await this.flows.findById(flowId);
    if (!entity || entity.state !== 'running') return;
    await this.run(flowId, entity.doc, { trigger: 'schedule' });
  }

  /** A successful full run moves `last.request` to its start time; chained flows run after it. */
  private async finished(e: FinishedExecution): Promise<void> {
    // Rows Omnitron rejected do not come back by reading again; a FlowFile that failed on the way might.
    if (e.status === 'failed' || e.routedToFailure) return;
    try {
      const advances = (e.trigger === 'schedule' || e.trigger === 'chained' || e.trigger === 'manual') && !e.params['query.keys'];
      if (advances && e.params['run.started']) await this.advanceLastRequest(e.flowId, e.params['run.started']);
      const all = await this.flows.findAll();
      const triggeredBy = new Map(all.map((f) => [f.id, f.doc.integration?.triggeredBy]));
      for (const f of all) {
        if (f.state !== 'running') continue;
        const doc = f.doc;
        if (doc.integration?.triggeredBy === e.flowId && doc.integration.direction === 'inbound') {
          // Saves refuse cycles; one stored by an older version must not run itself forever.
          if (inChainCycle(f.id, (id) => triggeredBy.get(id))) {
            this.log.warn(`chained run of '${doc.name}' skipped: its triggeredBy chain forms a cycle; change integration.triggeredBy`);
            continue;
          }
          await this.run(f.id, doc, { trigger: 'chained', triggeredBy: e.flowId }).catch((err: unknown) => this.log.warn(`chained run of '${doc.name}' skipped: ${(err as Error).message}`));
        }
      }
    } catch (err) {
      this.log.error(`after execution ${e.id}: ${String(err)}`);
    }
  }

  /**
   * Executions can finish out of order, and on several nodes at once: never move last.request backwards. The read
   * and the write are one step (a compare-and-set, tried again when another node wrote in between).
   */
  private async advanceLastRequest(flowId: string, started: string): Promise<void> {
    const state = this.state(flowId);
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await state.get();
      if (current['last.request'] && current['last.request'] >= started) return;
      if (await state.replace(current, { ...current, 'last.request': started })) return;
    }
    this.log.warn(`last.request of flow ${flowId} not advanced to ${started}: it kept changing`);
  }

  private async inbound(flowId: string, action: string): Promise<{ doc: FlowDocument; settings: IntegrationSettings }> {
    const entity = await this.flows.findById(flowId);
    if (!entity) throw new NotFoundError('flow', flowId);
    const doc = entity.doc;
    const settings = doc.integration;
    if (!settings) throw new BadInputError(`flow '${doc.name}' has no Integrator configuration, so it cannot be triggered`, [{ field: 'integration', message: 'missing' }]);
    if (settings.direction !== 'inbound') throw new BadInputError(`${action} is for inbound flows; '${doc.name}' is outbound (POST its batches to /api/outbound/${flowId})`, [{ field: 'integration.direction', message: 'outbound' }]);
    if (entity.state !== 'running') throw new ConflictError(`flow '${doc.name}' is stopped; start it first`);
    return { doc, settings };
  }

  private state(flowId: string): SqlStateManager {
    return new SqlStateManager(this.ds, flowId, FLOW_STATE_ID);
  }

  private clearJobs(flowId: string): void {
    for (const name of this.jobs.get(flowId) ?? []) {
      if (this.scheduler.doesExist('timeout', name)) this.scheduler.deleteTimeout(name);
      else if (this.scheduler.doesExist('interval', name)) this.scheduler.deleteInterval(name);
    }
    this.jobs.delete(flowId);
  }
}

/** A repeated Idempotency-Key must come with the same body as its first request. */
function sameRequest(first: string | null, hash: string): void {
  if (first !== null && first !== hash) {
    throw new DomainError('this Idempotency-Key was already used with a different body; use a new key for a new batch', 422, [
      { field: 'Idempotency-Key', message: 'reused with a different request body' },
    ]);
  }
}

/** The processor that runs and posted batches enter: configured, or the one source of the flow. */
export function entryProcessor(doc: FlowDocument): string {
  if (doc.integration?.entryProcessorId) return doc.integration.entryProcessorId;
  const targets = new Set(doc.connections.map((c) => c.targetId));
  const sources = doc.processors.filter((p) => !targets.has(p.id));
  if (sources.length !== 1) {
    throw new BadInputError(`flow '${doc.name}' needs an entry processor: set integration.entryProcessorId (it has ${sources.length} processors without inputs)`, [
      { field: 'integration.entryProcessorId', message: 'required when the flow does not have exactly one source processor' },
    ]);
  }
  return sources[0]!.id;
}

/**
 * Without a script or mapping step, rows reach the flow's row writer as posted: they are checked by the writer's own
 * rule, under its configuration, before the batch is accepted. With no writer, or several, there is no one rule.
 */
export function rowRule(doc: FlowDocument): RowRule | null {
  const definitions = doc.processors.map((p) => ({ p, definition: getProcessor(p.type) }));
  if (definitions.some(({ definition }) => definition?.descriptor.userTransform)) return null;
  const writers = definitions.filter(({ definition }) => definition && hasRole(definition.descriptor, 'row-writer'));
  if (writers.length !== 1) return null;
  const { p, definition } = writers[0]!;
  return { type: p.type, config: crossPropertyConfig(definition!.descriptor, p.properties, doc.parameters) };
}
