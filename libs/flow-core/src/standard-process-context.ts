import {
  defaultValues,
  parseDataSize,
  parseDuration,
  substituteParameters,
  type ComponentLog,
  type ControllerServiceLookup,
  type ExpressionScope,
  type FlowFile,
  type LogLevel,
  type ProcessContext,
  type ProcessorDefinition,
  type ProcessorServices,
  type PropertyDescriptor,
  type PropertyHandle,
  type PropertyRead,
  type PropertyValue,
} from '@sluice/flow-api';
import { compileExpression } from '@sluice/expression';
import { declaredFor, readTyped } from './typed-property.js';

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});
const LITERAL_ENV = Object.freeze({ attributes: EMPTY });

export interface ContextOptions {
  flowId: string;
  processorId: string;
  processorName: string;
  definition: ProcessorDefinition;
  properties: Readonly<Record<string, string>>;
  parameters: Readonly<Record<string, string>>;
  services: ProcessorServices;
  /** Relationships that lead to at least one connection. */
  isConnected(relationship: string): boolean;
  hasIncomingConnection: boolean;
  onYield(): void;
  /** Trigger again soon (see ProcessContext.wake); nothing happens when absent. */
  onWake?(): void;
  /** See ProcessContext.sliceSpent; never spent when absent. */
  sliceSpent?(): boolean;
  onLog(level: LogLevel, message: string, details?: unknown): void;
  /** Whether `level` is written anywhere; every level is when absent. */
  logEnabled?(level: LogLevel): boolean;
  timeZone?: string;
  /** The flow's enabled controller services; none when absent. */
  controllerServices?: ControllerServiceLookup;
}

function attributesFor(flowFile: FlowFile | null | undefined, extra: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> {
  const base = flowFile?.attributes ?? EMPTY;
  return extra ? { ...base, ...extra } : base;
}

/**
 * The one way a property value's Expression Language is evaluated. Literal text goes through the compiled
 * template too, so its `$$` escapes collapse exactly as in an expression (and as the expression test pane shows).
 */
function evaluateText(
  text: string,
  attributes: Readonly<Record<string, string>>,
  parameters: Readonly<Record<string, string>>,
  state: Readonly<Record<string, string>> | undefined,
  timeZone: string | undefined,
): string {
  const compiled = compileExpression(text);
  if (compiled.isLiteral) return compiled.evaluate(LITERAL_ENV);
  return compiled.evaluate({ attributes, parameters, state, timeZone });
}

/** A property value with typed accessors; bad values throw an error naming the property. */
export class StandardPropertyValue implements PropertyValue {
  constructor(
    readonly raw: string | undefined,
    private readonly label: string,
    private readonly scope: ExpressionScope,
    private readonly parameters: Readonly<Record<string, string>>,
    private readonly timeZone?: string,
  ) {}

  isSet(): boolean {
    return this.raw !== undefined && this.raw !== '';
  }

  asString(): string | undefined {
    return this.raw;
  }

  private bad(what: string): never {
    throw new Error(`${this.label}: '${this.raw}' is not ${what}`);
  }

  asInteger(): number | undefined {
    if (!this.isSet()) return undefined;
    const t = this.raw!.trim();
    if (!/^[-+]?\d+$/.test(t)) this.bad('a whole number');
    return Number(t);
  }

  asNumber(): number | undefined {
    if (!this.isSet()) return undefined;
    const n = Number(this.raw!.trim());
    if (!Number.isFinite(n) || this.raw!.trim() === '') this.bad('a number');
    return n;
  }

  asBoolean(): boolean | undefined {
    if (!this.isSet()) return undefined;
    const t = this.raw!.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
    return this.bad('true or false');
  }

  asDuration(): number | undefined {
    if (!this.isSet()) return undefined;
    return parseDuration(this.raw!) ?? this.bad("a duration such as '30 sec'");
  }

  asDataSize(): number | undefined {
    if (!this.isSet()) return undefined;
    return parseDataSize(this.raw!) ?? this.bad("a data size such as '10 KB'");
  }

  asJson<T = unknown>(): T | undefined {
    if (!this.isSet()) return undefined;
    try {
      return JSON.parse(this.raw!) as T;
    } catch (e) {
      throw new Error(`${this.label}: invalid JSON: ${(e as Error).message}`);
    }
  }

  asDict(): Record<string, string> {
    if (!this.isSet()) return {};
    const v = this.asJson<unknown>();
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${this.label}: must be a JSON object such as {"key": "value"}`);
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = typeof x === 'string' ? x : JSON.stringify(x);
    return out;
  }

  evaluate(flowFile?: FlowFile | null, extra?: Readonly<Record<string, string>>, state?: Readonly<Record<string, string>>): PropertyValue {
    if (this.raw === undefined || this.scope === 'none') return this;
    const attributes = this.scope === 'flowfile' ? attributesFor(flowFile, extra) : (extra ?? EMPTY);
    const value = evaluateText(this.raw, attributes, this.parameters, state, this.timeZone);
    return new StandardPropertyValue(value, this.label, 'none', this.parameters, this.timeZone);
  }
}

/** Values that are not evaluated as expressions still have their #{name} references replaced. */
const withParameters = (text: string, parameters: Readonly<Record<string, string>>): string => substituteParameters(text, parameters).text;

/** The processor's view of its configuration and surroundings, one per processor instance and config. */
export class StandardProcessContext implements ProcessContext {
  readonly flowId: string;
  readonly processorId: string;
  readonly processorName: string;
  readonly services: ProcessorServices;
  readonly log: ComponentLog;
  private readonly values = new Map<string, PropertyValue>();
  private readonly defaults = new Map<string, PropertyValue>();
  /** Typed reads of properties without Expression Language: the same every trigger. */
  private readonly typed = new Map<string, unknown>();
  private readonly memo = new Map<string, unknown>();
  private readonly dynamic: Record<string, string> = {};

  constructor(private readonly options: ContextOptions) {
    this.flowId = options.flowId;
    this.processorId = options.processorId;
    this.processorName = options.processorName;
    this.services = options.services;
    const log = options.onLog;
    this.log = {
      debug: (m, d) => log('debug', m, d),
      info: (m, d) => log('info', m, d),
      warn: (m, d) => log('warn', m, d),
      error: (m, d) => log('error', m, d),
      isEnabled: (level) => options.logEnabled?.(level) ?? true,
    };
    const descriptor = options.definition.descriptor;
    const known = new Set(descriptor.properties.map((p) => p.name));
    for (const [k, v] of Object.entries(options.properties)) if (!known.has(k) && v !== undefined) this.dynamic[k] = v;
    const defaults = defaultValues(descriptor);
    for (const p of descriptor.properties) {
      const scope = p.expressionScope ?? 'none';
      let raw = options.properties[p.name] ?? defaults[p.name];
      if (raw !== undefined && scope === 'none') raw = withParameters(raw, options.parameters);
      this.values.set(p.name, new StandardPropertyValue(raw, p.displayName, scope, options.parameters, options.timeZone));
      if (p.default !== undefined) {
        const text = scope === 'none' ? withParameters(p.default, options.parameters) : p.default;
        this.defaults.set(p.name, new StandardPropertyValue(text, p.displayName, scope, options.parameters, options.timeZone));
      }
    }
    const dynScope = descriptor.dynamicProperties?.expressionScope ?? 'none';
    for (const [k, v] of Object.entries(this.dynamic)) {
      this.values.set(k, new StandardPropertyValue(dynScope === 'none' ? withParameters(v, options.parameters) : v, k, dynScope, options.parameters, options.timeZone));
    }
  }

  /**
   * A declared property (with its default in force) or a user-added one. Asking a processor without dynamic
   * properties for a name its descriptor does not declare is a bug (a typo would otherwise read as "unset"), so it
   * throws; with dynamic properties an unknown name is a user-added property that is not set, as in NiFi.
   */
  property(nameOrHandle: string | PropertyDescriptor): PropertyValue {
    if (typeof nameOrHandle !== 'string') return this.values.get(this.declared(nameOrHandle).name)!;
    const name = nameOrHandle;
    let v = this.values.get(name);
    if (!v) {
      const descriptor = this.options.definition.descriptor;
      if (!descriptor.dynamicProperties) throw new Error(`${descriptor.type} has no property '${name}' (it has: ${descriptor.properties.map((p) => p.name).join(', ') || 'none'})`);
      v = new StandardPropertyValue(undefined, name, 'none', this.options.parameters, this.options.timeZone);
      this.values.set(name, v);
    }
    return v;
  }

  get<H extends PropertyHandle>(
    handle: H,
    flowFile?: FlowFile | null,
    extra?: Readonly<Record<string, string>>,
    state?: Readonly<Record<string, string>>,
  ): PropertyRead<H> {
    const d = this.declared(handle);
    const cacheable = (d.expressionScope ?? 'none') === 'none' && d.type !== 'json';
    if (cacheable && this.typed.has(d.name)) return this.typed.get(d.name) as PropertyRead<H>;
    const value = readTyped(d, this.values.get(d.name)!, this.defaults.get(d.name), flowFile, extra, state);
    if (cacheable) this.typed.set(d.name, value);
    return value as PropertyRead<H>;
  }

  private declared(handle: PropertyDescriptor): PropertyDescriptor {
    const descriptor = this.options.definition.descriptor;
    return declaredFor(descriptor.type, descriptor.properties, handle);
  }

  dynamicProperties(): Readonly<Record<string, string>> {
    return this.dynamic;
  }

  evaluateExpression(text: string, flowFile?: FlowFile | null, extra?: Readonly<Record<string, string>>, state?: Readonly<Record<string, string>>): string {
    return evaluateText(text, attributesFor(flowFile, extra), this.options.parameters, state, this.options.timeZone);
  }

  isConnected(relationship: string): boolean {
    return this.options.isConnected(relationship);
  }

  hasIncomingConnection(): boolean {
    return this.options.hasIncomingConnection;
  }

  cache<T>(key: string, factory: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = factory();
    this.memo.set(key, v);
    return v;
  }

  controllerService<T>(propertyName: string, api: string): T {
    const p = this.options.definition.descriptor.properties.find((d) => d.name === propertyName);
    const label = p?.displayName ?? propertyName;
    const id = this.property(propertyName).asString();
    if (id === undefined || id === '') throw new Error(`${label}: no controller service is set`);
    const found = this.options.controllerServices?.get(id);
    if (!found) throw new Error(`${label}: controller service '${id}' is not an enabled service of this flow`);
    if (!found.implements.includes(api)) throw new Error(`${label}: controller service '${id}' is a ${found.type}, which is not a ${api}`);
    return found.instance as T;
  }

  yield(): void {
    this.options.onYield();
  }

  wake(): void {
    this.options.onWake?.();
  }

  sliceSpent(): boolean {
    return this.options.sliceSpent?.() ?? false;
  }
}
