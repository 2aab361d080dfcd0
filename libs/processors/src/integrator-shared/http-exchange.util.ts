import { fromUtf8, type HttpResponse } from '@sluice/flow-api';

/** Bodies kept per exchange in provenance: enough to read a chunk's rows and the answer, bounded per event. */
const REQUEST_KEPT = 64 * 1024;
const RESPONSE_KEPT = 16 * 1024;

export interface HttpExchange {
  readonly method: string;
  readonly url: string;
  readonly body?: string;
  readonly response?: HttpResponse;
  readonly error?: string;
  readonly durationMs?: number;
}

function bounded(text: string | undefined, max: number): string | null {
  if (text === undefined) return null;
  return text.length <= max ? text : `${text.slice(0, max)}\n… [cut: ${text.length} characters in all]`;
}

/**
 * A SEND event's details for one request and its answer (`{"http": …}`), so provenance shows what a writer sent and
 * what came back per chunk. Headers are left out: they carry the credentials.
 */
export function exchangeDetails(x: HttpExchange): string {
  return JSON.stringify({
    http: {
      method: x.method,
      url: x.url,
      status: x.response?.status ?? null,
      request: bounded(x.body, REQUEST_KEPT),
      response: x.response ? bounded(fromUtf8(x.response.body.subarray(0, RESPONSE_KEPT * 4)), RESPONSE_KEPT) : null,
      error: x.error ?? null,
      durationMs: x.durationMs ?? x.response?.durationMs ?? null,
    },
  });
}
