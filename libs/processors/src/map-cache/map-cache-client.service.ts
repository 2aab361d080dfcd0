import {
  handleList, propertyHandles,
  defineControllerService,
  type ControllerServiceDefinition,
  type MapCacheEntry,
  type MapCacheStore,
  type ProcessContext,
  type ValidationResult,
} from '@sluice/flow-api';

/** The service APIs of NiFi's map cache clients: plain (DetectDuplicate) and with revisions (Wait, Notify). */
export const MAP_CACHE_CLIENT_API = 'DistributedMapCacheClient';
export const ATOMIC_MAP_CACHE_CLIENT_API = 'AtomicDistributedMapCacheClient';

const HOST = 'Server Hostname';
const PORT = 'Server Port';
const TIMEOUT = 'Communications Timeout';

/** What an enabled client service hands processors: which cache it names and how long a call may take. */
export interface MapCacheClientConfig {
  readonly cacheName: string;
  readonly timeoutMs: number;
}

/** A cache client bound to one cache of the host's store; every call fails after the service's timeout. */
export type MapCacheClient = {
  readonly [K in keyof MapCacheStore]: MapCacheStore[K] extends (cache: string, ...rest: infer A) => infer R ? (...rest: A) => R : never;
};

const PROPS = propertyHandles([
  {
    name: HOST,
    displayName: HOST,
    description:
      'With Server Port, names the cache: clients with the same hostname and port share their entries, within the flow. ' +
      'Sluice keeps the cache in its database, so no server is contacted; NiFi configurations keep working unchanged.',
    type: 'string',
    required: true,
    default: 'localhost',
  },
  { name: PORT, displayName: PORT, description: 'With Server Hostname, names the cache.', type: 'integer', required: true, default: '4557', validators: [{ kind: 'range', min: 0, max: 65535 }] },
  { name: TIMEOUT, displayName: TIMEOUT, description: 'How long one cache call may take before the processor treats the cache as unreachable.', type: 'duration', required: true, default: '30 secs' },
]);

function clientService(type: string, description: string): ControllerServiceDefinition<MapCacheClientConfig> {
  return defineControllerService<MapCacheClientConfig>({
    descriptor: {
      type,
      version: 1,
      displayName: type === 'MapCacheClientService' ? 'Map Cache Client Service' : 'Distributed Map Cache Client Service',
      description,
      implements: [MAP_CACHE_CLIENT_API, ATOMIC_MAP_CACHE_CLIENT_API],
      tags: ['distributed', 'cache', 'state', 'map', 'cluster'],
      properties: handleList(PROPS),
    },
    validate(config): ValidationResult[] {
      // Unset, the default is in force; only a value made blank is refused.
      if (config[HOST]?.trim() === '') return [{ property: HOST, message: `${HOST} must not be blank`, code: 'required' }];
      return [];
    },
    enable(ctx) {
      const host = ctx.get(PROPS[HOST]).trim().toLowerCase();
      return { cacheName: `${host}:${ctx.get(PROPS[PORT])}`, timeoutMs: ctx.get(PROPS[TIMEOUT]) };
    },
  });
}

/** NiFi 2's name for the map cache client. */
export const MapCacheClientService = clientService(
  'MapCacheClientService',
  'A map cache for DetectDuplicate, Wait and Notify, kept in Sluice\'s database: it survives restarts and is shared by the nodes of a cluster.',
);

/** NiFi 1's name for the same client, so flows written for NiFi 1 name a service Sluice has. */
export const DistributedMapCacheClientService = clientService(
  'DistributedMapCacheClientService',
  'NiFi 1\'s name for the Map Cache Client Service: a map cache kept in Sluice\'s database, shared by the nodes of a cluster.',
);

export class MapCacheUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MapCacheUnavailableError';
  }
}

function bounded<T>(promise: Promise<T>, ms: number, ctx: ProcessContext, what: string): Promise<T> {
  let handle: unknown;
  const timeout = new Promise<never>((_, reject) => {
    handle = ctx.services.clock.setTimeout(() => reject(new MapCacheUnavailableError(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => ctx.services.clock.clearTimeout(handle));
}

/**
 * The cache that the property's service names, on the host's store. Throws (as an unset or disabled service does)
 * when the host keeps no map cache; failures of single calls reject with a MapCacheUnavailableError.
 */
export function mapCacheClient(ctx: ProcessContext, property: string, api: string): MapCacheClient {
  const config = ctx.controllerService<MapCacheClientConfig>(property, api);
  const store = ctx.services.mapCache;
  if (!store) throw new Error(`${property}: this host keeps no map cache`);
  const call = <T>(what: string, run: () => Promise<T>): Promise<T> =>
    bounded(
      run().catch((e: unknown) => {
        throw e instanceof MapCacheUnavailableError ? e : new MapCacheUnavailableError(`${what}: ${(e as Error).message}`);
      }),
      config.timeoutMs,
      ctx,
      what,
    );
  const c = config.cacheName;
  return {
    fetch: (key): Promise<MapCacheEntry | null> => call('fetch', () => store.fetch(c, key)),
    getAndPutIfAbsent: (key, value, expiresAt) => call('getAndPutIfAbsent', () => store.getAndPutIfAbsent(c, key, value, expiresAt)),
    put: (key, value, expiresAt) => call('put', () => store.put(c, key, value, expiresAt)),
    replace: (key, value, revision) => call('replace', () => store.replace(c, key, value, revision)),
    remove: (key, revision) => call('remove', () => store.remove(c, key, revision)),
  };
}
