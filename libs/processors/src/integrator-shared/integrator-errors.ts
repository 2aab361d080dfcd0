/**
 * An expected failure of an Integrator step: routed to `failure` with `message` as the error attribute. A
 * `transient` one (unreachable, 5xx, 429, a 401 that a fresh login did not cure) may succeed later, so steps that
 * carry acknowledged rows retry it instead of failing them.
 */
export class IntegratorStepError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly transient = status !== undefined && isTransientStatus(status),
  ) {
    super(message);
    this.name = 'IntegratorStepError';
  }
}

/** Answers worth trying again later: server errors, throttling, a request timeout. */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}
