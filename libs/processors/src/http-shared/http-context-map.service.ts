import { handleList, propertyHandles, defineControllerService, type Clock, type HttpExchange } from '@sluice/flow-api';

/** The service API HandleHttpRequest and HandleHttpResponse share (NiFi's HttpContextMap). */
export const HTTP_CONTEXT_MAP_API = 'HttpContextMap';

/** Requests waiting for their answer, by `http.context.identifier`. */
export interface HttpContextMap {
  /** False when the map already holds its maximum: the caller answers 503 itself. */
  register(identifier: string, exchange: HttpExchange, clock: Clock): boolean;
  /** The waiting exchange, or undefined when it was answered, expired or never registered. */
  get(identifier: string): HttpExchange | undefined;
  /** Forgets the exchange (its answer was sent). */
  complete(identifier: string): void;
  readonly size: number;
  readonly requestTimeoutMs: number;
}

const MAX_OUTSTANDING = 'Maximum Outstanding Requests';
const REQUEST_EXPIRATION = 'Request Expiration';

const PROPS = propertyHandles([
  {
    name: MAX_OUTSTANDING,
    displayName: MAX_OUTSTANDING,
    description: 'Most requests waiting for an answer at once; one more is answered 503.',
    type: 'integer',
    required: true,
    default: '5000',
    validators: [{ kind: 'range', min: 1 }],
  },
  {
    name: REQUEST_EXPIRATION,
    displayName: REQUEST_EXPIRATION,
    description: 'How long a request may wait for its answer before it is answered 503 Service Unavailable.',
    type: 'duration',
    required: true,
    default: '1 min',
  },
]);

export const StandardHttpContextMap = defineControllerService<HttpContextMap>({
  descriptor: {
    type: 'StandardHttpContextMap',
    version: 1,
    displayName: 'Standard HTTP Context Map',
    description:
      'Holds the requests HandleHttpRequest received until HandleHttpResponse answers them. A request left unanswered for ' +
      'longer than Request Expiration is answered 503 Service Unavailable and forgotten; past Maximum Outstanding Requests ' +
      'new requests are refused with 503. Requests live in memory only: a restart answers none of them, as in NiFi.',
    implements: [HTTP_CONTEXT_MAP_API],
    tags: ['http', 'request', 'response'],
    properties: handleList(PROPS),
  },
  enable(ctx) {
    const max = ctx.get(PROPS[MAX_OUTSTANDING]);
    const expiration = ctx.get(PROPS[REQUEST_EXPIRATION]);
    const waiting = new Map<string, { exchange: HttpExchange; timer: unknown; clock: Clock }>();
    return {
      register(identifier, exchange, clock) {
        if (waiting.size >= max) return false;
        if (waiting.has(identifier)) throw new Error(`an HTTP request is already registered with identifier ${identifier}`);
        const timer = clock.setTimeout(() => {
          if (waiting.get(identifier)?.exchange !== exchange) return;
          waiting.delete(identifier);
          if (exchange.respond({ status: 503, headers: { 'content-type': 'text/plain' }, body: 'Service Unavailable: the request timed out' })) {
            ctx.log.warn(`Request from ${exchange.request.remoteAddress} timed out after ${expiration} ms; answered 503 Service Unavailable`);
          }
        }, expiration);
        waiting.set(identifier, { exchange, timer, clock });
        return true;
      },
      get(identifier) {
        const w = waiting.get(identifier);
        if (!w) return undefined;
        if (w.exchange.done) {
          // The caller left: nobody is waiting for this answer any more.
          w.clock.clearTimeout(w.timer);
          waiting.delete(identifier);
          return undefined;
        }
        return w.exchange;
      },
      complete(identifier) {
        const w = waiting.get(identifier);
        if (!w) return;
        w.clock.clearTimeout(w.timer);
        waiting.delete(identifier);
      },
      get size() {
        return waiting.size;
      },
      requestTimeoutMs: expiration,
    };
  },
});
