import {
  defaultValues,
  fromUtf8,
  parseDataSize,
  parseDuration,
  utf8,
  type ComponentLog,
  type FlowFile,
  type ProcessContext,
  type ProcessorDefinition,
  type ProcessorServices,
  type ProcessSession,
  type PropertyValue,
  type Relationship,
} from '@sluice/flow-api';
import { compileExpression } from '@sluice/expression';

export interface HarnessFlowFile {
  readonly flowFile: FlowFile;
  readonly attributes: Readonly<Record<string, string>>;
  readonly text: string;
  json<T = any>(): T;
}

/**
 * A one-processor harness for the Integrator step specs (imported by specs only): queues FlowFiles, runs
 * `onTrigger` with a session that keeps NiFi's rules (every taken FlowFile transferred or removed), and
 * evaluates property EL with the real expression engine.
 */
export class IntegratorHarness {
  private readonly queue: FlowFile[] = [];
  private readonly contents = new Map<string, Uint8Array>();
  readonly out = new Map<string, HarnessFlowFile[]>();
  /** FlowFiles the processor sent back to its queue (to retry), with the penalty it asked for. */
  readonly requeued: { flowFile: FlowFile; penaltyMs: number | null }[] = [];
  readonly errors: string[] = [];
  private seq = 0;

  constructor(
    private readonly processor: ProcessorDefinition,
    private readonly config: Record<string, string>,
    readonly services: ProcessorServices,
    private readonly incoming = true,
  ) {}

  enqueue(content: string | unknown, attributes: Record<string, string> = {}): void {
    const ff = this.newFlowFile(attributes);
    this.contents.set(ff.uuid, utf8(typeof content === 'string' ? content : JSON.stringify(content)));
    this.queue.push(ff);
  }

  transferred(rel: string): HarnessFlowFile[] {
    return this.out.get(rel) ?? [];
  }

  /** FlowFiles waiting for the next run (enqueued or sent back to retry). */
  get queued(): readonly FlowFile[] {
    return this.queue;
  }

  async run(): Promise<void> {
    const taken = new Set<string>();
    const SELF = '\u0000self';
    const penalties = new Map<string, number | null>();
    const pending = new Map<string, { ff: FlowFile; rel: string | null; content?: Uint8Array }>();
    const track = (ff: FlowFile) => {
      const p = pending.get(ff.uuid);
      if (p) p.ff = ff;
      else pending.set(ff.uuid, { ff, rel: null });
      return ff;
    };
    const self = this;
    const update = (ff: FlowFile, attrs: Record<string, string>) => track({ ...ff, attributes: attrs });
    const session: ProcessSession = {
      get() {
        const ff = self.queue.shift() ?? null;
        if (ff) {
          taken.add(ff.uuid);
          track(ff);
        }
        return ff;
      },
      getBatch(max) {
        const out: FlowFile[] = [];
        for (let ff = out.length < max ? this.get() : null; ff; ff = out.length < max ? this.get() : null) out.push(ff);
        return out;
      },
      getFiltered(filter) {
        const out: FlowFile[] = [];
        for (const ff of [...self.queue]) {
          const answer = filter(ff);
          if (answer.startsWith('ACCEPT')) {
            self.queue.splice(self.queue.indexOf(ff), 1);
            taken.add(ff.uuid);
            out.push(track(ff));
          }
          if (answer.endsWith('TERMINATE')) break;
        }
        return out;
      },
      queueSize: () => self.queue.length,
      create(parents) {
        const list = parents === undefined ? [] : Array.isArray(parents) ? parents : [parents as FlowFile];
        const attrs = list.length ? { ...list[0]!.attributes } : {};
        delete (attrs as Record<string, string>)['uuid'];
        return track(self.newFlowFile(attrs, list.map((p) => p.uuid)));
      },
      clone(ff) {
        const c = track(self.newFlowFile({ ...ff.attributes }, [ff.uuid]));
        const content = pending.get(ff.uuid)?.content ?? self.contents.get(ff.uuid);
        if (content) pending.get(c.uuid)!.content = content;
        return c;
      },
      putAttribute: (ff, k, v) => update(ff, { ...ff.attributes, [k]: v }),
      putAllAttributes: (ff, a) => update(ff, { ...ff.attributes, ...a }),
      removeAttribute(ff, k) {
        const a = { ...ff.attributes };
        delete a[k];
        return update(ff, a);
      },
      removeAllAttributes(ff, keys) {
        const a = { ...ff.attributes };
        for (const k of Object.keys(a)) if (keys instanceof RegExp ? keys.test(k) : keys.includes(k)) delete a[k];
        return update(ff, a);
      },
      read: async (ff) => pending.get(ff.uuid)?.content ?? self.contents.get(ff.uuid) ?? new Uint8Array(),
      readText: async (ff) => fromUtf8(pending.get(ff.uuid)?.content ?? self.contents.get(ff.uuid) ?? new Uint8Array()),
      write(ff, content) {
        const bytes = typeof content === 'string' ? utf8(content) : content;
        const next = track({ ...ff, size: bytes.length });
        pending.get(ff.uuid)!.content = bytes;
        return next;
      },
      transfer(ff, rel?: Relationship | string) {
        if (rel === undefined) {
          if (!taken.has(ff.uuid)) throw new Error(`FlowFile ${ff.uuid} was created in this session and cannot go back to a queue`);
          track(ff);
          pending.get(ff.uuid)!.rel = SELF;
          return;
        }
        const name = typeof rel === 'string' ? rel : rel.name;
        if (!self.processor.descriptor.relationships.some((r) => r.name === name)) throw new Error(`unknown relationship '${name}'`);
        track(ff);
        pending.get(ff.uuid)!.rel = name;
      },
      remove(ff) {
        pending.delete(ff.uuid);
      },
      penalize(ff, durationMs) {
        penalties.set(ff.uuid, durationMs ?? null);
        return ff;
      },
      provenance: () => undefined,
      adjustCounter: () => undefined,
      rollback() {
        throw new Error('rollback is not expected in these specs');
      },
    };
    await this.processor.onTrigger(this.context(), session);
    for (const [uuid, p] of pending) {
      if (p.rel === null) throw new Error(`FlowFile ${uuid} was neither transferred nor removed`);
      const content = p.content ?? this.contents.get(uuid) ?? new Uint8Array();
      this.contents.set(uuid, content);
      if (p.rel === SELF) {
        this.queue.push(p.ff);
        this.requeued.push({ flowFile: p.ff, penaltyMs: penalties.has(uuid) ? penalties.get(uuid)! : null });
        continue;
      }
      const text = fromUtf8(content);
      const list = this.out.get(p.rel) ?? [];
      list.push({ flowFile: p.ff, attributes: p.ff.attributes, text, json: () => JSON.parse(text) });
      this.out.set(p.rel, list);
    }
  }

  private newFlowFile(attributes: Record<string, string>, parents: string[] = []): FlowFile {
    const uuid = `ff-${++this.seq}`;
    return { uuid, attributes: { ...attributes, uuid }, contentClaim: null, size: 0, lineageStartDate: 0, entryDate: 0, parentUuids: parents, penaltyExpiration: 0 };
  }

  private context(): ProcessContext {
    const defaults = defaultValues(this.processor.descriptor);
    const log: ComponentLog = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (m) => void this.errors.push(m),
    };
    const cache = new Map<string, unknown>();
    return {
      flowId: 'flow-1',
      processorId: 'proc-1',
      controllerService: () => {
        throw new Error('this harness has no controller services');
      },
      processorName: this.processor.descriptor.displayName,
      property: (name) => propertyValue(this.config[name] ?? defaults[name]),
      dynamicProperties: () => ({}),
      evaluateExpression: (text, ff, extra) => compileExpression(text).evaluate({ attributes: { ...(ff?.attributes ?? {}), ...(extra ?? {}) } }),
      isConnected: () => true,
      hasIncomingConnection: () => this.incoming,
      cache: <T>(key: string, factory: () => T) => (cache.has(key) ? cache.get(key) : (cache.set(key, factory()), cache.get(key))) as T,
      yield: () => undefined,
      log,
      services: this.services,
    };
  }
}

function propertyValue(raw: string | undefined): PropertyValue {
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
    evaluate: (ff, extra) =>
      propertyValue(raw === undefined ? undefined : compileExpression(raw).evaluate({ attributes: { ...(ff?.attributes ?? {}), ...(extra ?? {}) } })),
  };
}
