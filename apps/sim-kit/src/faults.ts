/** Faults a test injects to exercise retries, slowness and re-login. */
export interface FaultSettings {
  /** Fail this many of the next requests with `failStatus`. */
  failNext?: number;
  failStatus?: number;
  /** Only requests whose path starts with this take those failures ('' = every request). */
  failPath?: string;
  /** Delay every reply by this many milliseconds (0 = none). */
  delayMs?: number;
  /** Answer the next authenticated request with 401 and revoke every token. */
  unauthorizedOnce?: boolean;
}

export class Faults {
  failNext = 0;
  failStatus = 500;
  failPath = '';
  delayMs = 0;
  unauthorizedOnce = false;
  injected = 0;

  apply(settings: FaultSettings): void {
    if (settings.failNext !== undefined) this.failNext = nonNegative('failNext', settings.failNext);
    if (settings.failStatus !== undefined) this.failStatus = nonNegative('failStatus', settings.failStatus);
    if (settings.failPath !== undefined) {
      if (typeof settings.failPath !== 'string') throw new SimRequestError(400, 'failPath must be a string');
      this.failPath = settings.failPath;
    }
    if (settings.delayMs !== undefined) this.delayMs = nonNegative('delayMs', settings.delayMs);
    if (settings.unauthorizedOnce !== undefined) this.unauthorizedOnce = Boolean(settings.unauthorizedOnce);
  }

  reset(): void {
    this.failNext = 0;
    this.failStatus = 500;
    this.failPath = '';
    this.delayMs = 0;
    this.unauthorizedOnce = false;
  }

  /** Consumes one pending failure for a request to `path`; returns its status, or null when none is pending. */
  takeFailure(path: string): number | null {
    if (this.failNext <= 0 || !path.startsWith(this.failPath)) return null;
    this.failNext--;
    this.injected++;
    return this.failStatus;
  }

  takeUnauthorized(): boolean {
    if (!this.unauthorizedOnce) return false;
    this.unauthorizedOnce = false;
    this.injected++;
    return true;
  }

  snapshot(): Required<FaultSettings> {
    return { failNext: this.failNext, failStatus: this.failStatus, failPath: this.failPath, delayMs: this.delayMs, unauthorizedOnce: this.unauthorizedOnce };
  }
}

function nonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new SimRequestError(400, `${name} must be a non-negative integer`);
  return value;
}

/** A client mistake the handler answers with `status` and a JSON `detail`. */
export class SimRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'SimRequestError';
  }
}
