import type { FlowFile, ProcessContext, ProcessSession, PropertyDescriptor } from '@sluice/flow-api';
import type { RetryPolicy } from './http-call.util.js';

/** The retry settings every Integrator step shares, in the given form card. */
export function retryProperties(group: string): PropertyDescriptor[] {
  return [
    {
      name: 'Retry Count', displayName: 'Retry Count', description: 'Extra attempts on 5xx answers, 429, timeouts and connection errors.',
      type: 'integer', default: '3', validators: [{ kind: 'range', min: 0, max: 10 }], group,
    },
    { name: 'Retry Backoff', displayName: 'Retry Backoff', description: 'Wait before the first retry; doubles on each further retry (at most 30 sec).', type: 'duration', default: '1 sec', group },
    { name: 'Request Timeout', displayName: 'Request Timeout', description: 'Connect and read timeout of each HTTP request.', type: 'duration', default: '30 sec', group },
  ];
}

export function retryPolicy(ctx: ProcessContext): RetryPolicy {
  return {
    retries: ctx.property('Retry Count').asInteger() ?? 3,
    backoffMs: ctx.property('Retry Backoff').asDuration() ?? 1000,
    timeoutMs: ctx.property('Request Timeout').asDuration() ?? 30_000,
  };
}

/** What a step that holds acknowledged data does when a call still fails for a transient reason after its retries. */
export function retryLaterProperties(group: string): PropertyDescriptor[] {
  return [
    {
      name: 'Transient Failures', displayName: 'Transient Failures',
      description:
        'When the target stays unreachable, answers 5xx or 429, or a fresh login does not cure a 401 after the request retries: ' +
        'retry keeps the FlowFile in its queue, penalized, and tries again later (work already done is not repeated); ' +
        'failure gives up on it.',
      type: 'enum', default: 'retry', group,
      allowableValues: [
        { value: 'retry', displayName: 'Retry later', description: 'Penalize the FlowFile and try again, waiting longer each time.' },
        { value: 'failure', displayName: 'Route to failure', description: 'Its remaining rows fail with the reason.' },
      ],
    },
    {
      name: 'Max Retry Back Off', displayName: 'Max Retry Back Off',
      description: 'Longest wait between two tries of the same FlowFile. The wait doubles from twice the last request retry wait.',
      type: 'duration', default: '10 mins', group,
    },
  ];
}

/** The back-off before try `attempt` (1-based), continuing the request retries' doubling. */
export function retryLaterDelay(ctx: ProcessContext, attempt: number): number {
  const policy = retryPolicy(ctx);
  const max = ctx.property('Max Retry Back Off').asDuration() ?? 600_000;
  // Never 0, so a step configured without backoff does not retry in a tight loop.
  const base = Math.max(100, policy.backoffMs) * 2 ** Math.min(30, policy.retries + attempt - 1);
  return Math.min(max, base);
}

export function retriesTransientFailures(ctx: ProcessContext): boolean {
  return (ctx.property('Transient Failures').asString() ?? 'retry') === 'retry';
}

/**
 * Sends the FlowFile back to the step's own queue, penalized with a growing back-off, its attempt count and the
 * reason in `<prefix>.retry.count` and `<prefix>.error`.
 */
export function retryLater(ctx: ProcessContext, session: ProcessSession, flowFile: FlowFile, prefix: string, reason: string): void {
  const attempt = Number(flowFile.attributes[`${prefix}.retry.count`] ?? 0) + 1;
  const delay = retryLaterDelay(ctx, attempt);
  ctx.log.warn(`${reason}; trying again in ${Math.round(delay / 1000)} s (attempt ${attempt + 1})`);
  const next = session.putAllAttributes(flowFile, { [`${prefix}.retry.count`]: String(attempt), [`${prefix}.error`]: reason });
  session.transfer(session.penalize(next, delay));
}
