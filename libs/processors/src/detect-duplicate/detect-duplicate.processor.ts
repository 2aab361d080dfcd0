import { defineProcessor, handleList, propertyHandles, REL_FAILURE, takeWhileSliceLasts, type FlowFile } from '@sluice/flow-api';
import { MAP_CACHE_CLIENT_API, MapCacheUnavailableError, mapCacheClient } from '../map-cache/map-cache-client.service.js';

const P = {
  identifier: 'Cache Entry Identifier', description: 'FlowFile Description', ageOff: 'Age Off Duration',
  service: 'Distributed Cache Service', cacheIdentifier: 'Cache The Entry Identifier',
} as const;
export { P as DETECT_DUPLICATE_PROPERTIES };

const DUPLICATE = 'duplicate';
const NON_DUPLICATE = 'non-duplicate';
export const ORIGINAL_DESCRIPTION = 'original.flowfile.description';
/** FlowFiles handled per trigger at most, fewer once the engine's time slice is spent; NiFi takes one, the outcome is the same. */
const BATCH = 100;

/** What the cache keeps per identifier: NiFi's description and entry time, and the FlowFile that put it there. */
interface CachedValue {
  readonly description: string;
  readonly entryTimeMs: number;
  readonly uuid?: string;
}

function parseCached(text: string): CachedValue {
  try {
    const v = JSON.parse(text) as Partial<CachedValue>;
    if (typeof v.entryTimeMs === 'number') return { description: String(v.description ?? ''), entryTimeMs: v.entryTimeMs, uuid: v.uuid };
  } catch {
    // Another writer's plain text: treat it as an entry with that description, never aged.
  }
  return { description: text, entryTimeMs: Number.MAX_SAFE_INTEGER };
}

const PROPS = propertyHandles([
  {
    name: P.identifier, displayName: P.identifier, type: 'string', required: true, default: '${hash.value}', expressionScope: 'flowfile', editor: 'el',
    description: 'The value that identifies duplicates, evaluated against each FlowFile; it is this value that is cached. A blank value fails the FlowFile.',
  },
  {
    name: P.description, displayName: P.description, type: 'string', default: '', expressionScope: 'flowfile', editor: 'el',
    description: `Stored with the identifier when it is first cached; a duplicate gets it in its "${ORIGINAL_DESCRIPTION}" attribute.`,
  },
  { name: P.ageOff, displayName: P.ageOff, type: 'duration', description: 'How long a cached identifier counts; after that the next FlowFile with it is not a duplicate (and is cached anew). Unset: for ever.' },
  {
    name: P.service, displayName: P.service, type: 'string', required: true, identifiesControllerService: MAP_CACHE_CLIENT_API,
    description: 'The map cache client service that keeps the identifiers (MapCacheClientService or DistributedMapCacheClientService).',
  },
  {
    name: P.cacheIdentifier, displayName: P.cacheIdentifier, type: 'enum', default: 'true', allowableValues: [{ value: 'true', displayName: 'true' }, { value: 'false', displayName: 'false' }],
    description: 'true: check for a duplicate and cache the identifier; false: only check, leaving it to another processor to cache identifiers.',
  },
]);

export const DetectDuplicate = defineProcessor({
  descriptor: {
    type: 'DetectDuplicate',
    version: 1,
    displayName: 'Detect Duplicate',
    description:
      "Caches an identifier per FlowFile (Cache Entry Identifier) in a map cache service and sends FlowFiles whose identifier is already " +
      "cached to 'duplicate', with the first one's description in original.flowfile.description. The cache lives in Sluice's database, " +
      'so it survives restarts and is shared by cluster nodes.',
    category: 'routing',
    tags: ['hash', 'dupe', 'duplicate', 'dedupe', 'deduplicate'],
    properties: handleList(PROPS),
    relationships: [
      { name: DUPLICATE, description: 'FlowFiles whose identifier was found in the cache.' },
      { name: NON_DUPLICATE, description: 'FlowFiles whose identifier was not found in the cache.' },
      { ...REL_FAILURE, description: 'FlowFiles with a blank identifier, or when the cache could not be reached (penalized).' },
    ],
    inputRequirement: 'required',
    writesAttributes: [{ name: ORIGINAL_DESCRIPTION, description: 'On duplicates: the FlowFile Description stored by the first FlowFile with the identifier.' }],
  },

  async onTrigger(ctx, session) {
    const taken = takeWhileSliceLasts(ctx, session, BATCH);
    const first = taken.next();
    if (first.done) return;
    const cache = mapCacheClient(ctx, P.service, MAP_CACHE_CLIENT_API);
    const ageOff = ctx.get(PROPS[P.ageOff]);
    const store = ctx.get(PROPS[P.cacheIdentifier]) === 'true';
    for (let step: IteratorResult<FlowFile, void> = first; !step.done; step = taken.next()) {
      let ff: FlowFile = step.value;
      const key = ctx.get(PROPS[P.identifier], ff);
      if (!key.trim()) {
        ctx.log.error(`FlowFile ${ff.uuid} has no attribute for given Cache Entry Identifier`);
        session.transfer(session.penalize(ff), REL_FAILURE);
        continue;
      }
      const now = ctx.services.clock.now();
      const value: CachedValue = { description: ctx.get(PROPS[P.description], ff), entryTimeMs: now, uuid: ff.uuid };
      const text = JSON.stringify(value);
      const expiresAt = ageOff === undefined ? null : now + ageOff;
      try {
        const entry = store ? await cache.getAndPutIfAbsent(key, text, expiresAt) : await cache.fetch(key);
        let found = entry ? parseCached(entry.value) : null;
        if (found && ageOff !== undefined && now >= found.entryTimeMs + ageOff) {
          // Aged off: forget it and look again, as another node may have cached the identifier meanwhile.
          await cache.remove(key);
          const again = store ? await cache.getAndPutIfAbsent(key, text, expiresAt) : await cache.fetch(key);
          if (!again) found = null;
        }
        // The same FlowFile back after a rollback or restart found its own entry: it is not a duplicate of itself.
        if (found && found.uuid === ff.uuid) found = null;
        if (found) {
          ff = session.putAttribute(ff, ORIGINAL_DESCRIPTION, found.description);
          session.transfer(ff, DUPLICATE);
          ctx.log.info(`Found ${ff.uuid} to be a duplicate of FlowFile with description ${found.description}`);
          session.adjustCounter('Duplicates Detected', 1);
        } else {
          session.transfer(ff, NON_DUPLICATE);
          session.adjustCounter('Non-Duplicate Files Processed', 1);
        }
      } catch (e) {
        if (!(e instanceof MapCacheUnavailableError)) throw e;
        ctx.log.error(`Unable to communicate with cache when processing ${ff.uuid}: ${e.message}`);
        session.transfer(session.penalize(ff), REL_FAILURE);
      }
    }
  },
});
