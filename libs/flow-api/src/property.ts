import type { PropertyCondition } from './relationship.js';

/** The kind of data a property holds. The widget is chosen separately by `editor`. */
export type PropertyType =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'enum'
  | 'duration'
  | 'dataSize'
  | 'json'
  | 'dict'
  | 'code';

/** A hint for the web form: which editor to render for the value. */
export type EditorHint = 'text' | 'textarea' | 'el' | 'python' | 'javascript' | 'jolt' | 'json' | 'cron' | 'keyValue' | 'password';

/** Where expression language is evaluated for a property. */
export type ExpressionScope = 'none' | 'environment' | 'flowfile';

export interface AllowableValue {
  readonly value: string;
  readonly displayName: string;
  readonly description?: string;
}

/** Declarative, JSON-serializable validators (the web and the API run the same checks). */
export type ValidatorSpec =
  | { readonly kind: 'regex'; readonly pattern: string; readonly message?: string }
  | { readonly kind: 'range'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'minLength'; readonly min: number }
  | { readonly kind: 'url' }
  | { readonly kind: 'cron' }
  | { readonly kind: 'jsonObject' }
  | { readonly kind: 'jsonArray' }
  | { readonly kind: 'timeZone' }
  | { readonly kind: 'validRegex' }
  /** A Java character set name; `forWriting` when text is encoded with it (see charset.ts). */
  | { readonly kind: 'charset'; readonly forWriting?: boolean };

export interface PropertyDescriptor {
  /** Persisted identity: the NiFi property name where one exists. Never display text. */
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly type: PropertyType;
  readonly editor?: EditorHint;
  readonly default?: string;
  readonly required?: boolean;
  readonly sensitive?: boolean;
  readonly expressionScope?: ExpressionScope;
  readonly allowableValues?: readonly AllowableValue[];
  /** Shown and validated only when every condition holds. */
  readonly dependsOn?: readonly PropertyCondition[];
  readonly validators?: readonly ValidatorSpec[];
  /** Groups properties into cards in the form (e.g. Configuration / Read / Write cards). */
  readonly group?: string;
  readonly placeholder?: string;
  /**
   * The value is the id of one of the flow's controller services implementing this API (NiFi's
   * identifiesControllerService), such as `RecordReaderFactory`; the form offers the flow's matching services.
   */
  readonly identifiesControllerService?: string;
  /**
   * A name under which a host may read this value without knowing the processor's property names, such as
   * `target.url` for the address of the system a login step reaches. Unique within a processor.
   */
  readonly exposedAs?: string;
}

/** Stored configuration: every property value is a string, as in NiFi. Absent means unset. */
export type PropertyValues = Readonly<Record<string, string | undefined>>;

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6, nano: 1e-6, nanos: 1e-6, nanosecond: 1e-6, nanoseconds: 1e-6,
  ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, wk: 604_800_000, wks: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};

const DATA_UNITS: Record<string, number> = {
  b: 1, byte: 1, bytes: 1,
  kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4,
};

/** Parses NiFi durations such as `30 sec`, `5 mins`, `100 millis`, `1 day`. Returns milliseconds or null. */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$/.exec(text);
  if (!m) return null;
  const unit = DURATION_UNITS[m[2]!.toLowerCase()];
  return unit === undefined ? null : Number(m[1]) * unit;
}

/** Parses NiFi data sizes such as `1 GB`, `10 KB`, `512 B`. Returns bytes or null. */
export function parseDataSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$/.exec(text);
  if (!m) return null;
  const unit = DATA_UNITS[m[2]!.toLowerCase()];
  return unit === undefined ? null : Math.floor(Number(m[1]) * unit);
}

export function conditionHolds(condition: PropertyCondition, values: PropertyValues, defaults: PropertyValues = {}): boolean {
  const v = values[condition.property] ?? defaults[condition.property];
  if (v === undefined || v === '') return false;
  return condition.values === undefined || condition.values.includes(v);
}
