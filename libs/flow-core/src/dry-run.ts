/**
 * Dry runs: a processor that reaches other systems runs on recording services, so a test shows every request it
 * would send without sending one. Requests are answered as the processor's `dryRunResponse` says (a token for a
 * login, an empty page for a read), `200 {}` otherwise; state and map cache entries it would store stay in the run,
 * and the host's extra services take part as their keys say (`ServiceKey.dryRun`).
 */
import {
  crossPropertyConfig,
  fromUtf8,
  utf8,
  type DryRunResponse,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type MapCacheEntry,
  type MapCacheStore,
  type ProcessorDefinition,
  type ProcessorServices,
  type PropertyValues,
  type StateManager,
  type StateScope,
} from '@sluice/flow-api';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text (binary bodies as UTF-8 with replacement characters); null without one. */
  readonly body: string | null;
  /** What the dry run answered in place of the other system. */
  readonly answer: DryRunResponse;
}

/** Requests kept per run; a writer with a tiny batch size may send thousands, which are counted, not kept. */
export const MAX_RECORDED_REQUESTS = 200;

/** An HttpClient that records each request and answers it without sending anything. */
export class RecordingHttpClient implements HttpClient {
  readonly requests: RecordedRequest[] = [];
  /** All requests made, kept or not. */
  count = 0;

  constructor(private readonly respond: (request: HttpRequest) => DryRunResponse | undefined) {}

  async request(request: HttpRequest): Promise<HttpResponse> {
    const answer = this.respond(request) ?? { status: 200, body: {} };
    this.count++;
    if (this.requests.length < MAX_RECORDED_REQUESTS) {
      const body = request.body === undefined ? null : typeof request.body === 'string' ? request.body : fromUtf8(request.body);
      this.requests.push({ method: request.method.toUpperCase(), url: request.url, headers: { ...(request.headers ?? {}) }, body, answer });
    }
    return { status: answer.status, statusText: answer.status < 300 ? 'OK' : '', headers: { 'content-type': 'application/json' }, body: utf8(JSON.stringify(answer.body)), durationMs: 0 };
  }
}

export interface DryRun {
  readonly services: ProcessorServices;
  readonly http: RecordingHttpClient;
}

/** Services for one dry run of `definition` configured with `config`, reading through to `base` and writing nowhere. */
export function dryRunServices(base: ProcessorServices, definition: ProcessorDefinition, config: PropertyValues): DryRun {
  // The processor answers for its configuration as it runs with it: defaults in force.
  const values = crossPropertyConfig(definition.descriptor, config);
  const http = new RecordingHttpClient((request) => definition.dryRunResponse?.(request, values));
  const services: ProcessorServices = {
    ...base,
    http,
    state: overlayState(base.state),
    mapCache: base.mapCache && overlayMapCache(base.mapCache),
    extensions: base.extensions?.forDryRun(),
  };
  return { services, http };
}

/** Reads the flow's map caches; what the dry run writes stays in the run. */
function overlayMapCache(base: MapCacheStore): MapCacheStore {
  const local = new Map<string, MapCacheEntry | null>();
  const id = (cache: string, key: string) => `${cache}\u0000${key}`;
  const fetch = async (cache: string, key: string) => (local.has(id(cache, key)) ? local.get(id(cache, key))! : base.fetch(cache, key));
  const write = async (cache: string, key: string, value: string) => {
    const e = await fetch(cache, key);
    local.set(id(cache, key), { value, revision: (e?.revision ?? 0) + 1 });
  };
  return {
    fetch,
    getAndPutIfAbsent: async (cache, key, value) => (await fetch(cache, key)) ?? (await write(cache, key, value), null),
    put: write,
    replace: async (cache, key, value, revision) => {
      if (((await fetch(cache, key))?.revision ?? null) !== revision) return false;
      await write(cache, key, value);
      return true;
    },
    remove: async (cache, key, revision) => {
      const e = await fetch(cache, key);
      if (!e || (revision !== undefined && e.revision !== revision)) return false;
      local.set(id(cache, key), null);
      return true;
    },
  };
}

function overlayState(base: StateManager): StateManager {
  const local = new Map<StateScope, Record<string, string>>();
  const get = async (scope: StateScope = 'local') => ({ ...(local.get(scope) ?? (await base.get(scope))) });
  return {
    get,
    set: async (state, scope = 'local') => void local.set(scope, { ...state }),
    replace: async (expected, next, scope = 'local') => {
      const current = await get(scope);
      const same = Object.keys(current).length === Object.keys(expected).length && Object.entries(expected).every(([k, v]) => current[k] === v);
      if (same) local.set(scope, { ...next });
      return same;
    },
    clear: async (scope = 'local') => void local.set(scope, {}),
  };
}
