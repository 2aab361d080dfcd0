import type { ProcessorServices } from './services.js';

/**
 * Services a host provides beyond the ones every processor may use (`ProcessorServices`), looked up by a typed key,
 * the way NiFi looks a controller service up by its API. The processors that need such a service own its key and
 * its interface; the host implements the interface and provides it under the key. This contract knows neither.
 */
export interface ServiceKey<T> {
  /** Unique among the keys of one host: the owning package's name and the service's, `processors/row-log`. */
  readonly id: string;
  /** Names the service in errors: `the execution row log`. */
  readonly description: string;
  /**
   * How a dry run isolates the service: the instance returned reads through to the host's and keeps what it would
   * store in the run. A key without it is left out of dry runs, so a dry run never writes through a service it
   * does not know how to isolate.
   */
  dryRun?(base: T): T;
}

export function serviceKey<T>(id: string, description: string, options: Pick<ServiceKey<T>, 'dryRun'> = {}): ServiceKey<T> {
  return Object.freeze({ id, description, ...options });
}

/** A service and the key it is provided under. */
export interface ProvidedService<T = unknown> {
  readonly key: ServiceKey<T>;
  readonly service: T;
}

export function provide<T>(key: ServiceKey<T>, service: T): ProvidedService<T> {
  return { key, service };
}

/** The extra services one processor may reach, by key. Immutable: `with` and `forDryRun` answer new sets. */
export class ServiceExtensions {
  private readonly byId: ReadonlyMap<string, ProvidedService>;

  /** Each entry keeps its key's type: `provide` ties a service to its key. */
  constructor(provided: readonly ProvidedService[] = []) {
    const byId = new Map<string, ProvidedService>();
    for (const p of provided) {
      if (byId.has(p.key.id)) throw new Error(`service '${p.key.id}' is provided twice`);
      byId.set(p.key.id, p);
    }
    this.byId = byId;
  }

  /** The service provided under the key, or undefined. */
  get<T>(key: ServiceKey<T>): T | undefined {
    return this.byId.get(key.id)?.service as T | undefined;
  }

  /** The service provided under the key; throws naming it when the host provides none. */
  require<T>(key: ServiceKey<T>): T {
    const p = this.byId.get(key.id);
    if (!p) throw new Error(`this host does not provide ${key.description}`);
    return p.service as T;
  }

  /** These services with `provided` added, replacing any under the same keys. */
  with(...provided: ProvidedService[]): ServiceExtensions {
    const ids = new Set(provided.map((p) => p.key.id));
    return new ServiceExtensions([...[...this.byId.values()].filter((p) => !ids.has(p.key.id)), ...provided]);
  }

  /** Each service isolated as its key says for a dry run; services whose key says nothing are left out. */
  forDryRun(): ServiceExtensions {
    const isolated: ProvidedService[] = [];
    for (const p of this.byId.values()) if (p.key.dryRun) isolated.push({ key: p.key, service: p.key.dryRun(p.service) });
    return new ServiceExtensions(isolated);
  }
}

/** Builds the extra services of a host or a test: `serviceExtensions(provide(KEY, impl), …)`. */
export function serviceExtensions(...provided: ProvidedService[]): ServiceExtensions {
  return new ServiceExtensions(provided);
}

/** The service the host provides under the key, or undefined (also when the host provides no extra services). */
export function lookupService<T>(services: Pick<ProcessorServices, 'extensions'>, key: ServiceKey<T>): T | undefined {
  return services.extensions?.get(key);
}

/** The service the host provides under the key; throws naming it when there is none. */
export function requireService<T>(services: Pick<ProcessorServices, 'extensions'>, key: ServiceKey<T>): T {
  return (services.extensions ?? NONE).require(key);
}

const NONE = new ServiceExtensions();
