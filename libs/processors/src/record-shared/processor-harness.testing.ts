import { compileExpression } from '@sluice/expression';
import {
  defaultValues,
  fromUtf8,
  parseDataSize,
  parseDuration,
  relationshipsFor,
  utf8,
  type FlowFile,
  type ProcessContext,
  type ProcessorDefinition,
  type ProcessorServices,
  type ProcessSession,
  type PropertyValue,
  type Relationship,
} from '@sluice/flow-api';

export interface HarnessOutput {
  readonly flowFile: FlowFile;
  readonly attributes: Readonly<Record<string, string>>;
  readonly text: string;
  json<T = any>(): T;
}

/**
 * A one-processor harness for specs of processors with dynamic properties and relationships (imported by specs
 * only): queues FlowFiles, runs `onTrigger` once per queued FlowFile with a session that enforces NiFi's rules
 * (transfers only to relationships in force for the configuration, every FlowFile accounted for), and
 * evaluates Expression Language with the real engine. A throwing `onTrigger` leaves the FlowFile queued.
 */
export class ProcessorHarness {
  private readonly queue: { ff: FlowFile; content: Uint8Array }[] = [];
  readonly out = new Map<string, HarnessOutput[]>();
  readonly logs: { level: 'debug' | 'info' | 'warn' | 'error'; message: string }[] = [];
  /** Levels the log writes; every level when null. */
  enabledLevels: ReadonlySet<string> | null = null;
  private seq = 0;

  constructor(
    private readonly processor: ProcessorDefinition,
    private readonly config: Record<string, string>,
    private readonly parameters: Record<string, string> = {},
  ) {}

  enqueue(content: string | unknown, attributes: Record<string, string> = {}): void {
    this.queue.push({ ff: this.newFlowFile(attributes), content: utf8(typeof content === 'string' ? content : JSON.stringify(content)) });
  }

  queued(): number {
    return this.queue.length;
  }

  transferred(rel: string): HarnessOutput[] {
    return this.out.get(rel) ?? [];
  }

  /** Relationship names that received FlowFiles, sorted. */
  routes(): string[] {
    return [...this.out.keys()].filter((k) => this.out.get(k)!.length > 0).sort();
  }

  async run(): Promise<void> {
    while (this.queue.length > 0) await this.runOnce();
  }

  async runOnce(): Promise<void> {
    const allowed = new Set(relationshipsFor(this.processor.descriptor, this.config).map((r) => r.name));
    const contents = new Map<string, Uint8Array>();
    const pending = new Map<string, { ff: FlowFile; rel: string | null }>();
    const track = (ff: FlowFile) => {
      const p = pending.get(ff.uuid);
      if (p) p.ff = ff;
      else pending.set(ff.uuid, { ff, rel: null });
      return ff;
    };
    const head = this.queue[0];
    const update = (ff: FlowFile, attributes: Record<string, string>) => track({ ...ff, attributes: { ...attributes, uuid: ff.uuid } });
    const session: ProcessSession = {
      get: () => {
        if (!head || pending.has(head.ff.uuid)) return null;
        contents.set(head.ff.uuid, head.content);
        return track(head.ff);
      },
      getBatch: (max) => {
        const ff = max > 0 ? session.get() : null;
        return ff ? [ff] : [];
      },
      getFiltered: (filter) => {
        const ff = head && !pending.has(head.ff.uuid) && filter(head.ff).startsWith('ACCEPT') ? session.get() : null;
        return ff ? [ff] : [];
      },
      queueSize: () => this.queue.length,
      create: (parents) => {
        const list = parents === undefined ? [] : Array.isArray(parents) ? parents : [parents as FlowFile];
        const attrs: Record<string, string> = list.length ? { ...list[0]!.attributes } : {};
        delete attrs['uuid'];
        return track(this.newFlowFile(attrs, list.map((p) => p.uuid)));
      },
      clone: (ff) => {
        const c = track(this.newFlowFile({ ...ff.attributes }, [ff.uuid]));
        contents.set(c.uuid, contents.get(ff.uuid) ?? new Uint8Array());
        return c;
      },
      putAttribute: (ff, k, v) => update(ff, { ...ff.attributes, [k]: v }),
      putAllAttributes: (ff, a) => update(ff, { ...ff.attributes, ...a }),
      removeAttribute: (ff, k) => session.removeAllAttributes(ff, [k]),
      removeAllAttributes: (ff, keys) => {
        const a = { ...ff.attributes };
        for (const k of Object.keys(a)) if (k !== 'uuid' && (keys instanceof RegExp ? keys.test(k) : keys.includes(k))) delete a[k];
        return update(ff, a);
      },
      read: async (ff) => contents.get(ff.uuid) ?? new Uint8Array(),
      readText: async (ff) => fromUtf8(contents.get(ff.uuid) ?? new Uint8Array()),
      write: (ff, content) => {
        const bytes = typeof content === 'string' ? utf8(content) : content;
        contents.set(ff.uuid, bytes);
        return track({ ...ff, size: bytes.length });
      },
      transfer: (ff, rel: Relationship | string) => {
        const name = typeof rel === 'string' ? rel : rel.name;
        if (!allowed.has(name)) throw new Error(`transfer to '${name}', which is not a relationship of this configuration`);
        track(ff);
        pending.get(ff.uuid)!.rel = name;
      },
      remove: (ff) => void pending.delete(ff.uuid),
      penalize: (ff) => ff,
      provenance: () => undefined,
      adjustCounter: () => undefined,
      rollback: () => {
        throw new Error('rollback is not expected in these specs');
      },
    };
    await this.processor.onTrigger(this.context(), session);
    for (const [uuid, p] of pending) {
      if (p.rel === null) throw new Error(`FlowFile ${uuid} was neither transferred nor removed`);
    }
    this.queue.shift();
    for (const p of pending.values()) {
      const text = fromUtf8(contents.get(p.ff.uuid) ?? new Uint8Array());
      const list = this.out.get(p.rel!) ?? [];
      list.push({ flowFile: p.ff, attributes: p.ff.attributes, text, json: () => JSON.parse(text) });
      this.out.set(p.rel!, list);
    }
  }

  private newFlowFile(attributes: Record<string, string>, parents: string[] = []): FlowFile {
    const uuid = `ff-${++this.seq}`;
    return { uuid, attributes: { ...attributes, uuid }, contentClaim: null, size: 0, lineageStartDate: 0, entryDate: 0, parentUuids: parents, penaltyExpiration: 0 };
  }

  private context(): ProcessContext {
    const d = this.processor.descriptor;
    const known = new Set(d.properties.map((p) => p.name));
    const defaults = defaultValues(d);
    const dynamic = Object.fromEntries(Object.entries(this.config).filter(([k]) => !known.has(k)));
    const evaluate = (text: string, ff?: FlowFile | null, extra?: Readonly<Record<string, string>>) =>
      compileExpression(text).evaluate({ attributes: { ...(ff?.attributes ?? {}), ...(extra ?? {}) }, parameters: this.parameters });
    const cache = new Map<string, unknown>();
    const services = new Proxy({} as ProcessorServices, {
      get: (_t, name) => {
        throw new Error(`services.${String(name)} is not available in this harness`);
      },
    });
    return {
      flowId: 'flow-1',
      processorId: 'proc-1',
      controllerService: () => {
        throw new Error('this harness has no controller services');
      },
      processorName: d.displayName,
      property: (name) => propertyValue(this.config[name] ?? defaults[name], evaluate),
      dynamicProperties: () => dynamic,
      evaluateExpression: evaluate,
      isConnected: () => true,
      hasIncomingConnection: () => true,
      cache: <T>(key: string, factory: () => T): T => {
        if (!cache.has(key)) cache.set(key, factory());
        return cache.get(key) as T;
      },
      yield: () => undefined,
      log: {
        debug: (message) => void this.logs.push({ level: 'debug', message }),
        info: (message) => void this.logs.push({ level: 'info', message }),
        warn: (message) => void this.logs.push({ level: 'warn', message }),
        error: (message) => void this.logs.push({ level: 'error', message }),
        isEnabled: (level) => this.enabledLevels?.has(level) ?? true,
      },
      services,
    };
  }
}

type Evaluate = (text: string, ff?: FlowFile | null, extra?: Readonly<Record<string, string>>) => string;

function propertyValue(raw: string | undefined, evaluate: Evaluate): PropertyValue {
  const num = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : Number(v));
  return {
    raw,
    isSet: () => raw !== undefined && raw !== '',
    asString: () => raw,
    asInteger: () => num(raw),
    asNumber: () => num(raw),
    asBoolean: () => (raw === undefined ? undefined : raw === 'true'),
    asDuration: () => (raw === undefined ? undefined : (parseDuration(raw) ?? undefined)),
    asDataSize: () => (raw === undefined ? undefined : (parseDataSize(raw) ?? undefined)),
    asJson: <T>() => (raw === undefined ? undefined : (JSON.parse(raw) as T)),
    asDict: () => (raw === undefined || raw.trim() === '' ? {} : (JSON.parse(raw) as Record<string, string>)),
    evaluate: (ff, extra) => propertyValue(raw === undefined ? undefined : evaluate(raw, ff, extra), evaluate),
  };
}
