import type { FlowFile } from './flow-file.js';
import type { PropertyDescriptor } from './property.js';
import type { PropertyHandle, PropertyRead } from './property-handle.js';
import type { ComponentLog, ProcessorServices } from './services.js';

/** A configured (or default) property value with typed accessors. */
export interface PropertyValue {
  /** The configured value, else the descriptor default, else undefined. */
  readonly raw: string | undefined;
  isSet(): boolean;
  asString(): string | undefined;
  asInteger(): number | undefined;
  asNumber(): number | undefined;
  asBoolean(): boolean | undefined;
  /** Milliseconds. */
  asDuration(): number | undefined;
  /** Bytes. */
  asDataSize(): number | undefined;
  asJson<T = unknown>(): T | undefined;
  /** A JSON object of string values (headers, params). */
  asDict(): Record<string, string>;
  /**
   * Evaluates NiFi Expression Language in the value against the FlowFile's attributes, flow parameters
   * and `extra` attributes (which win over the FlowFile's); `state` is what `getStateValue()` reads. A value
   * without expressions still has its `$$` escapes collapsed (`$${a}` is the text `${a}`), as in NiFi. Compiled
   * once per value; throws an `ExpressionError` naming the function and argument when evaluation fails.
   */
  evaluate(flowFile?: FlowFile | null, extra?: Readonly<Record<string, string>>, state?: Readonly<Record<string, string>>): PropertyValue;
}

export interface ProcessContext {
  readonly flowId: string;
  readonly processorId: string;
  readonly processorName: string;
  /**
   * A property's value with untyped accessors, by name or handle. A name the descriptor does not declare throws,
   * unless the processor takes dynamic properties (then it is a user-added property, perhaps unset).
   */
  property(name: string | PropertyDescriptor): PropertyValue;
  /**
   * A declared property read as its type (see `PropertyValueTypes`): the descriptor default in force, also for an
   * empty value of a non-text type; Expression Language evaluated when the property supports it (against the
   * FlowFile, `extra` attributes and `state`, as `PropertyValue.evaluate`); an enum checked against its allowable
   * values. Throws an error naming the property when the value is not of its type, when a required property
   * without a default is unset, and when the processor does not declare the handle (a programming error).
   */
  get<H extends PropertyHandle>(
    handle: H,
    flowFile?: FlowFile | null,
    extra?: Readonly<Record<string, string>>,
    state?: Readonly<Record<string, string>>,
  ): PropertyRead<H>;
  /** User-added properties (names not in the descriptor), raw. */
  dynamicProperties(): Readonly<Record<string, string>>;
  /** Evaluates an arbitrary EL text (for dynamic properties), exactly as `PropertyValue.evaluate` does. */
  evaluateExpression(text: string, flowFile?: FlowFile | null, extra?: Readonly<Record<string, string>>, state?: Readonly<Record<string, string>>): string;
  /** Relationships that lead somewhere (a connection) rather than being auto-terminated. */
  isConnected(relationship: string): boolean;
  hasIncomingConnection(): boolean;
  /** Memoizes a value for this processor instance and configuration (compiled specs, parsed JSON). */
  cache<T>(key: string, factory: () => T): T;
  /**
   * The enabled controller service that the property names (its value is the service's id), checked to
   * implement `api`. Throws an error naming the property when it is unset, missing, disabled or of another kind.
   */
  controllerService<T>(propertyName: string, api: string): T;
  /** Asks the scheduler not to trigger this processor again for the yield duration. */
  yield(): void;
  /**
   * Work arrived from outside (a listener received a request): trigger the processor again as soon as its schedule
   * allows, ending a yield. Safe to call from anywhere, any number of times.
   */
  wake(): void;
  /**
   * Whether the engine's share of this turn of the event loop is spent. A processor that takes several FlowFiles in
   * one trigger asks before each one after the first and stops taking when it is: the rest stay queued, in order,
   * for its next trigger. Always false where the host does not share the loop out by time.
   */
  sliceSpent(): boolean;
  readonly log: ComponentLog;
  readonly services: ProcessorServices;
}
