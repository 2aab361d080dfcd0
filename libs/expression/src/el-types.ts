/** A java.util.Date: a millisecond instant. */
export class ElDate {
  constructor(readonly ms: number) {}
}

/** A java.time.Instant: whole epoch seconds plus nanoseconds (0..999,999,999). */
export class ElInstant {
  constructor(
    readonly sec: number,
    readonly nano: number,
  ) {}
  static ofMillis(ms: number): ElInstant {
    const sec = Math.floor(ms / 1000);
    return new ElInstant(sec, (ms - sec * 1000) * 1_000_000);
  }
  get ms(): number {
    return this.sec * 1000 + Math.floor(this.nano / 1_000_000);
  }
}

/** Run-time EL value: string, Boolean, whole number (64-bit, bigint), decimal (double), Date, Instant, or null. */
export type Value = string | boolean | bigint | number | ElDate | ElInstant | null;

export interface EvalContext {
  readonly attributes: Readonly<Record<string, string>>;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly state?: Readonly<Record<string, string>>;
  readonly timeZone?: string;
  readonly host?: HostInfo;
  /** Set by evaluateELString: parameters are not resolved there. */
  readonly parametersDisabled?: boolean;
}

/** Values for hostname()/ip()/thread(), injected so the lib needs no node:os. */
export interface HostInfo {
  readonly hostname?: string;
  readonly fqdn?: string;
  readonly ip?: string;
  readonly threadName?: string;
}

export type Evaluator = (ctx: EvalContext) => Value;

export function zoneOf(ctx: EvalContext): string {
  return ctx.timeZone ?? 'UTC';
}
