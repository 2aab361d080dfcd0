import { defineProcessor, handleList, propertyHandles, REL_FAILURE, REL_SUCCESS, type FlowFile, type ProcessContext, type PropertyConfiguration } from '@sluice/flow-api';
import { ATOMIC_MAP_CACHE_CLIENT_API, mapCacheClient } from '../map-cache/map-cache-client.service.js';
import { completeSignal, counterValue, getSignal, releaseCandidates, replaceSignal, totalCount, type Signal } from '../map-cache/signal.util.js';

const P = {
  signalId: 'Release Signal Identifier', target: 'Target Signal Count', counter: 'Signal Counter Name', buffer: 'Wait Buffer Count',
  releasable: 'Releasable FlowFile Count', expiration: 'Expiration Duration', service: 'Distributed Cache Service',
  copyMode: 'Attribute Copy Mode', waitMode: 'Wait Mode', penalty: 'Wait Penalty Duration',
} as const;
export { P as WAIT_PROPERTIES };

export const WAIT_START = 'wait.start.timestamp';
const WAIT = 'wait';
const EXPIRED = 'expired';
const NON_NEGATIVE = /^\s*(\$\{.*|#\{.*|\d+)\s*$/s;

/** Signal identifiers held back after a trigger released nothing for them, per processor instance. */
const penalties = (ctx: ProcessContext) => ctx.cache('wait-signal-penalties', () => new Map<string, number>());

function copySignalAttributes(attributes: Readonly<Record<string, string>>, signal: Signal | null, originalCounts: Readonly<Record<string, number>>, replace: boolean): Record<string, string> {
  if (!signal) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signal.attributes)) {
    if (k === 'uuid') continue;
    if (replace || attributes[k] === undefined) out[k] = v;
  }
  let total = 0;
  for (const [name, n] of Object.entries(originalCounts)) {
    out[`wait.counter.${name}`] = String(n);
    total += n;
  }
  out['wait.counter.total'] = String(total);
  return out;
}

const PROPS = propertyHandles([
  { name: P.signalId, displayName: P.signalId, type: 'string', required: true, expressionScope: 'flowfile', editor: 'el', description: 'The key of the release signal in the cache, evaluated against each FlowFile. A blank value fails the FlowFile.' },
  {
    name: P.target, displayName: P.target, type: 'string', required: true, default: '1', expressionScope: 'flowfile',
    validators: [{ kind: 'regex', pattern: NON_NEGATIVE.source, message: 'must be a whole number, 0 or more' }],
    description: "How many signals release FlowFiles; the count is then lowered by this much. Checks Signal Counter Name's counter, or the total of all counters when that is unset.",
  },
  { name: P.counter, displayName: P.counter, type: 'string', expressionScope: 'flowfile', description: 'The counter of the signal to check; unset: the total of all its counters.' },
  { name: P.buffer, displayName: P.buffer, type: 'integer', required: true, default: '1', validators: [{ kind: 'range', min: 1 }], description: 'How many queued FlowFiles with the same signal identifier are checked in one trigger at most.' },
  {
    name: P.releasable, displayName: P.releasable, type: 'string', required: true, default: '1', expressionScope: 'flowfile',
    validators: [{ kind: 'regex', pattern: NON_NEGATIVE.source, message: 'must be a whole number, 0 or more' }],
    description: 'How many FlowFiles each reached Target Signal Count releases. 0: every FlowFile passes while the count is at or above the target (an open gate; a Notify delta of 0 closes it).',
  },
  { name: P.expiration, displayName: P.expiration, type: 'duration', required: true, default: '10 min', description: "How long a FlowFile may wait (from its wait.start.timestamp) before it goes to 'expired'." },
  { name: P.service, displayName: P.service, type: 'string', required: true, identifiesControllerService: ATOMIC_MAP_CACHE_CLIENT_API, description: 'The map cache client service the corresponding Notify writes signals to.' },
  {
    name: P.copyMode, displayName: P.copyMode, type: 'enum', required: true, default: 'keeporiginal', description: "How the signal's cached attributes are copied onto released FlowFiles.",
    allowableValues: [
      { value: 'replace', displayName: 'Replace if present', description: 'Cached attributes replace the FlowFile\'s.' },
      { value: 'keeporiginal', displayName: 'Keep original', description: 'Only attributes the FlowFile lacks are copied.' },
    ],
  },
  {
    name: P.waitMode, displayName: P.waitMode, type: 'enum', required: true, default: 'wait', description: 'Where a FlowFile still waiting goes.',
    allowableValues: [
      { value: 'wait', displayName: 'Transfer to wait relationship', description: "To 'wait' (loop it back to this processor, first in first out)." },
      { value: 'keep', displayName: 'Keep in the upstream connection', description: 'Back to its queue, so back pressure holds up the source.' },
    ],
  },
  { name: P.penalty, displayName: P.penalty, type: 'duration', description: 'When a trigger releases nothing for a signal identifier, its FlowFiles are not checked again for this long, so other identifiers get their turn.' },
]);

export const Wait = defineProcessor({
  descriptor: {
    type: 'Wait',
    version: 1,
    displayName: 'Wait',
    description:
      "Holds FlowFiles until a Notify processor signals their Release Signal Identifier through a shared map cache service: once the signal's " +
      "count reaches Target Signal Count they go to 'success' (with the signal's cached attributes), until then to 'wait', and after " +
      "Expiration Duration to 'expired'. One signal identifier is handled per trigger.",
    category: 'routing',
    tags: ['map', 'cache', 'wait', 'hold', 'distributed', 'signal', 'release'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SUCCESS.name, description: 'FlowFiles released by their signal.' },
      { name: WAIT, description: 'FlowFiles whose signal has not reached the target yet (Wait Mode: Transfer to wait relationship).' },
      { name: EXPIRED, description: 'FlowFiles that waited longer than Expiration Duration.' },
      { ...REL_FAILURE, description: 'A blank signal identifier, an invalid wait.start.timestamp or a count that is not a number (penalized).' },
    ],
    inputRequirement: 'required',
    triggerSerially: true,
    readsAttributes: [{ name: WAIT_START, description: 'When the FlowFile began waiting; set on the first check.' }],
    writesAttributes: [
      { name: WAIT_START, description: 'Set while the FlowFile waits; removed when it is released, expires or fails.' },
      { name: 'wait.counter.<name>', description: "The signal's counters as read, before this release consumed them." },
      { name: 'wait.counter.total', description: 'The sum of those counters.' },
    ],
  },

  migrateProperties(config: PropertyConfiguration): void {
    const renames: Record<string, string> = {
      'distributed-cache-service': P.service, 'release-signal-id': P.signalId, 'target-signal-count': P.target, 'signal-counter-name': P.counter,
      'wait-buffer-count': P.buffer, 'releasable-flowfile-count': P.releasable, 'expiration-duration': P.expiration, 'attribute-copy-mode': P.copyMode,
      'wait-mode': P.waitMode, 'wait-penalty-duration': P.penalty,
    };
    for (const [from, to] of Object.entries(renames)) config.renameProperty(from, to);
  },

  onStopped(ctx) {
    penalties(ctx).clear();
  },

  async onTrigger(ctx, session) {
    const bufferCount = ctx.get(PROPS[P.buffer]);
    const held = penalties(ctx);
    const clock = ctx.services.clock;
    for (const [id, until] of held) if (until < clock.now()) held.delete(id);

    let target: string | undefined;
    let buffered = 0;
    const blank = new Set<string>();
    const taken = session.getFiltered((f) => {
      // Wait Buffer Count is an upper bound: once the time slice is spent, the rest is looked at on the next trigger.
      if ((buffered > 0 || blank.size > 0) && ctx.sliceSpent()) return 'REJECT_AND_TERMINATE';
      const id = ctx.get(PROPS[P.signalId], f);
      if (!id.trim()) {
        blank.add(f.uuid);
        return 'ACCEPT_AND_CONTINUE';
      }
      if (held.has(id)) return 'REJECT_AND_CONTINUE';
      if (target === undefined) target = id;
      else if (target !== id) return 'REJECT_AND_CONTINUE';
      return ++buffered === bufferCount ? 'ACCEPT_AND_TERMINATE' : 'ACCEPT_AND_CONTINUE';
    });
    if (!taken.length) return ctx.yield();

    const routed = new Map<string, FlowFile[]>();
    const route = (rel: string, ff: FlowFile) => (routed.get(rel) ?? routed.set(rel, []).get(rel)!).push(ff);
    const fail = (ff: FlowFile) => route(REL_FAILURE.name, session.removeAttribute(session.penalize(ff), WAIT_START));
    const flowFiles: FlowFile[] = [];
    for (const ff of taken) {
      if (blank.has(ff.uuid)) {
        ctx.log.error(`FlowFile ${ff.uuid} has no attribute for given Release Signal Identifier`);
        fail(ff);
      } else flowFiles.push(ff);
    }

    let signal: Signal | null = null;
    const originalCounts: Record<string, number> = {};
    const cache = flowFiles.length ? mapCacheClient(ctx, P.service, ATOMIC_MAP_CACHE_CLIENT_API) : null;
    if (cache && target !== undefined) {
      signal = await getSignal(cache, target);
      if (signal) Object.assign(originalCounts, signal.counts);
    }

    let counter: string | undefined;
    let targetCount = 1;
    let releasable = 1;
    const candidates: FlowFile[] = [];
    const expirationMs = ctx.get(PROPS[P.expiration]);
    for (let ff of flowFiles) {
      let start = ff.attributes[WAIT_START];
      if (start === undefined) {
        start = String(clock.now());
        ff = session.putAttribute(ff, WAIT_START, start);
      }
      if (!/^[+-]?\d+$/.test(start)) {
        ctx.log.error(`${WAIT_START} has an invalid value '${start}' on FlowFile ${ff.uuid}`);
        fail(ff);
        continue;
      }
      if (clock.now() > Number(start) + expirationMs) {
        route(EXPIRED, ff);
        continue;
      }
      if (!signal) {
        route(WAIT, ff);
        continue;
      }
      if (!candidates.length) {
        // The first candidate fixes the counter and counts for the whole batch, as NiFi does.
        counter = ctx.get(PROPS[P.counter], ff) || undefined;
        const t = ctx.get(PROPS[P.target], ff).trim();
        const r = ctx.get(PROPS[P.releasable], ff).trim();
        if (!/^[+-]?\d+$/.test(t) || !/^[+-]?\d+$/.test(r)) {
          ctx.log.error(`Failed to parse ${!/^[+-]?\d+$/.test(t) ? 'Target Signal Count' : 'Releasable FlowFile Count'} when processing ${ff.uuid}`);
          fail(ff);
          continue;
        }
        targetCount = Number(t);
        releasable = Number(r);
      }
      candidates.push(ff);
    }

    let completed = false;
    let progressed = false;
    if (signal && candidates.length) {
      if (releasable > 0) {
        const { released, waiting } = releaseCandidates(signal, counter, targetCount, releasable, candidates);
        for (const ff of released) route(REL_SUCCESS.name, ff);
        for (const ff of waiting) route(WAIT, ff);
        completed = totalCount(signal) === 0 && signal.releasableCount === 0;
        progressed = released.length > 0;
      } else {
        const rel = counterValue(signal, counter) >= targetCount ? REL_SUCCESS.name : WAIT;
        for (const ff of candidates) route(rel, ff);
      }
    }

    const replace = ctx.get(PROPS[P.copyMode]) === 'replace';
    const keep = ctx.get(PROPS[P.waitMode]) === 'keep';
    for (const [rel, list] of routed) {
      for (let ff of list) {
        if (rel === REL_SUCCESS.name || rel === EXPIRED) ff = session.removeAttribute(ff, WAIT_START);
        ff = session.putAllAttributes(ff, copySignalAttributes(ff.attributes, signal, originalCounts, replace));
        if (rel === WAIT && keep) session.transfer(ff);
        else session.transfer(ff, rel);
      }
    }

    const releasedNone = !routed.get(REL_SUCCESS.name)?.length;
    const penalty = ctx.get(PROPS[P.penalty]);
    if (penalty !== undefined && releasedNone && target !== undefined) held.set(target, clock.now() + penalty);
    // Nothing left the wait: let the scheduler pause rather than spin on the same FlowFiles.
    if (releasedNone && !routed.get(EXPIRED)?.length && !routed.get(REL_FAILURE.name)?.length) ctx.yield();

    // A conflict throws: the session rolls back and the FlowFiles are checked again against the newer signal.
    if (cache && signal && target !== undefined) {
      if (completed) await completeSignal(cache, target, signal);
      else if (progressed) await replaceSignal(cache, target, signal);
    }
  },
});
