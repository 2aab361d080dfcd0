import type { ProcessContext, PropertyDescriptor } from '@sluice/flow-api';
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
