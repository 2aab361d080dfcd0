/** An expected failure of an Integrator step: routed to `failure` with `message` as the error attribute. */
export class IntegratorStepError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'IntegratorStepError';
  }
}
