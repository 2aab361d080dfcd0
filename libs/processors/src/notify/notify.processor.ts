import { defineProcessor, handleList, propertyHandles, REL_FAILURE, REL_SUCCESS, takeWhileSliceLasts, type FlowFile, type PropertyConfiguration } from '@sluice/flow-api';
import { ATOMIC_MAP_CACHE_CLIENT_API, mapCacheClient } from '../map-cache/map-cache-client.service.js';
import { DEFAULT_COUNTER, notifySignal } from '../map-cache/signal.util.js';

const P = {
  signalId: 'Release Signal Identifier', counter: 'Signal Counter Name', delta: 'Signal Counter Delta', buffer: 'Signal Buffer Count',
  service: 'Distributed Cache Service', regex: 'Attribute Cache Regular Expression',
} as const;
export { P as NOTIFY_PROPERTIES };

export const NOTIFIED = 'notified';
const JAVA_INT = /^[+-]?\d{1,10}$/;

interface Buffer {
  readonly deltas: Map<string, number>;
  readonly attributes: Record<string, string>;
  readonly flowFiles: FlowFile[];
}

const PROPS = propertyHandles([
  { name: P.signalId, displayName: P.signalId, type: 'string', required: true, expressionScope: 'flowfile', editor: 'el', description: 'The key of the release signal in the cache, evaluated against each FlowFile. A blank value fails the FlowFile.' },
  { name: P.counter, displayName: P.counter, type: 'string', required: true, default: DEFAULT_COUNTER, expressionScope: 'flowfile', description: "The counter to add to (a blank value: 'default'), so Wait can count kinds of events apart." },
  { name: P.delta, displayName: P.delta, type: 'string', required: true, default: '1', expressionScope: 'flowfile', description: 'How much the counter grows; 0 resets it (to close a gate a Wait with Releasable FlowFile Count 0 holds open). Not a whole number: failure.' },
  { name: P.buffer, displayName: P.buffer, type: 'integer', required: true, default: '1', validators: [{ kind: 'range', min: 1 }], description: 'How many FlowFiles are taken per trigger at most, their signals added up per identifier before the cache is written.' },
  { name: P.service, displayName: P.service, type: 'string', required: true, identifiesControllerService: ATOMIC_MAP_CACHE_CLIENT_API, description: 'The map cache client service the corresponding Wait reads signals from.' },
  { name: P.regex, displayName: P.regex, type: 'string', validators: [{ kind: 'validRegex' }], description: 'Attributes whose names match (the whole name) are cached with the signal and copied to FlowFiles Wait releases; never uuid. Unset: none.' },
]);

export const Notify = defineProcessor({
  descriptor: {
    type: 'Notify',
    version: 1,
    displayName: 'Notify',
    description:
      'Adds to the counter of a release signal in a shared map cache service, for a corresponding Wait processor: each FlowFile adds ' +
      'Signal Counter Delta to Signal Counter Name under its Release Signal Identifier (a delta of 0 resets the counter), with the ' +
      'attributes Attribute Cache Regular Expression picks.',
    category: 'routing',
    tags: ['map', 'cache', 'notify', 'distributed', 'signal', 'release'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SUCCESS.name, description: 'FlowFiles whose signal was written to the cache.' },
      { ...REL_FAILURE, description: 'FlowFiles with a blank signal identifier or a delta that is not a whole number.' },
    ],
    inputRequirement: 'required',
    writesAttributes: [{ name: NOTIFIED, description: 'true when the signal was written, false on failure.' }],
  },

  migrateProperties(config: PropertyConfiguration): void {
    const renames: Record<string, string> = {
      'distributed-cache-service': P.service, 'release-signal-id': P.signalId, 'signal-counter-name': P.counter,
      'signal-counter-delta': P.delta, 'signal-buffer-count': P.buffer, 'attribute-cache-regex': P.regex,
    };
    for (const [from, to] of Object.entries(renames)) config.renameProperty(from, to);
  },

  async onTrigger(ctx, session) {
    const bufferCount = ctx.get(PROPS[P.buffer]);
    const regexText = ctx.get(PROPS[P.regex]);
    const regex = regexText ? ctx.cache(`notify-regex:${regexText}`, () => new RegExp(`^(?:${regexText})$`, 'u')) : null;
    const buffers = new Map<string, Buffer>();
    const failed = (ff: FlowFile) => session.transfer(session.putAttribute(ff, NOTIFIED, 'false'), REL_FAILURE);
    // Signal Buffer Count is an upper bound: once the time slice is spent, the rest is signalled on the next trigger.
    for (const ff of takeWhileSliceLasts(ctx, session, bufferCount)) {
      const id = ctx.get(PROPS[P.signalId], ff);
      if (!id.trim()) {
        ctx.log.error(`FlowFile ${ff.uuid} has no attribute for given Release Signal Identifier`);
        failed(ff);
        continue;
      }
      const counter = ctx.get(PROPS[P.counter], ff) || DEFAULT_COUNTER;
      const deltaText = ctx.get(PROPS[P.delta], ff);
      const delta = JAVA_INT.test(deltaText) ? Number(deltaText) : NaN;
      if (!Number.isSafeInteger(delta) || Math.abs(delta) > 2_147_483_647) {
        ctx.log.error(`Failed to calculate delta for FlowFile ${ff.uuid}: '${deltaText}' is not a whole number`);
        failed(ff);
        continue;
      }
      let b = buffers.get(id);
      if (!b) buffers.set(id, (b = { deltas: new Map(), attributes: {}, flowFiles: [] }));
      if (regex) for (const [k, v] of Object.entries(ff.attributes)) if (k !== 'uuid' && regex.test(k)) b.attributes[k] = v;
      b.deltas.set(counter, delta === 0 ? 0 : (b.deltas.get(counter) ?? 0) + delta);
      b.flowFiles.push(ff);
    }
    if (!buffers.size) return;
    const cache = mapCacheClient(ctx, P.service, ATOMIC_MAP_CACHE_CLIENT_API);
    // A cache error throws: the session rolls back and the FlowFiles are notified again on a later trigger.
    for (const [id, b] of buffers) {
      await notifySignal(cache, id, b.deltas, b.attributes);
      for (const ff of b.flowFiles) session.transfer(session.putAttribute(ff, NOTIFIED, 'true'), REL_SUCCESS);
    }
  },
});
