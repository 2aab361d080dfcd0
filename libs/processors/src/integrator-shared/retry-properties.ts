import { propertyHandle, type FlowFile, type ProcessContext, type ProcessSession, type PropertyDescriptor } from '@sluice/flow-api';
import type { RetryPolicy } from './http-call.util.js';

const RETRY_COUNT = propertyHandle({
  name: 'Retry Count', displayName: 'Retry Count', description: 'Extra attempts on 5xx answers, 429, timeouts and connection errors.',
  type: 'integer', default: '3', validators: [{ kind: 'range', min: 0, max: 10 }],
});
const RETRY_BACKOFF = propertyHandle({
  name: 'Retry Backoff', displayName: 'Retry Backoff', description: 'Wait before the first retry; doubles on each further retry (at most 30 sec).', type: 'duration', default: '1 sec',
});
const REQUEST_TIMEOUT = propertyHandle({ name: 'Request Timeout', displayName: 'Request Timeout', description: 'Connect and read timeout of each HTTP request.', type: 'duration', default: '30 sec' });
const TRANSIENT_FAILURES = propertyHandle({
  name: 'Transient Failures', displayName: 'Transient Failures',
  description:
    'When the target stays unreachable, answers 5xx or 429, or a fresh login does not cure a 401 after the request retries: ' +
    'retry keeps the FlowFile in its queue, penalized, and tries again later (work already done is not repeated); ' +
    'failure gives up on it.',
  type: 'enum', default: 'retry',
  allowableValues: [
    { value: 'retry', displayName: 'Retry later', description: 'Penalize the FlowFile and try again, waiting longer each time.' },
    { value: 'failure', displayName: 'Route to failure', description: 'Its remaining rows fail with the reason.' },
  ],
});
const MAX_RETRY_BACK_OFF = propertyHandle({
  name: 'Max Retry Back Off', displayName: 'Max Retry Back Off',
  description: 'Longest wait between two tries of the same FlowFile. The wait doubles from twice the last request retry wait.',
  type: 'duration', default: '10 mins',
});

/** The retry settings every Integrator step shares, in the given form card. */
export function retryProperties(group: string): PropertyDescriptor[] {
  return [RETRY_COUNT, RETRY_BACKOFF, REQUEST_TIMEOUT].map((p) => ({ ...p, group }));
}

export function retryPolicy(ctx: ProcessContext): RetryPolicy {
  return { retries: ctx.get(RETRY_COUNT), backoffMs: ctx.get(RETRY_BACKOFF), timeoutMs: ctx.get(REQUEST_TIMEOUT) };
}

/** What a step that holds acknowledged data does when a call still fails for a transient reason after its retries. */
export function retryLaterProperties(group: string): PropertyDescriptor[] {
  return [TRANSIENT_FAILURES, MAX_RETRY_BACK_OFF].map((p) => ({ ...p, group }));
}

/** The back-off before try `attempt` (1-based), continuing the request retries' doubling. */
export function retryLaterDelay(ctx: ProcessContext, attempt: number): number {
  const policy = retryPolicy(ctx);
  const max = ctx.get(MAX_RETRY_BACK_OFF);
  // Never 0, so a step configured without backoff does not retry in a tight loop.
  const base = Math.max(100, policy.backoffMs) * 2 ** Math.min(30, policy.retries + attempt - 1);
  return Math.min(max, base);
}

export function retriesTransientFailures(ctx: ProcessContext): boolean {
  return ctx.get(TRANSIENT_FAILURES) === 'retry';
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
