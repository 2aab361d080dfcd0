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

/**
 * The text as a JSON string, cut past `max` characters. The cut's ellipsis is written escaped: a raw one would make
 * the whole details text two bytes a character (twice the memory, kept until the session commits).
 */
function boundedJson(text: string | undefined, max: number): string {
  if (text === undefined) return 'null';
  if (text.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, max)).slice(0, -1)}\\n\\u2026 [cut: ${text.length} characters in all]"`;
}

/**
 * A SEND event's details for one request and its answer (`{"http": …}`), so provenance shows what a writer sent and
 * what came back per chunk. Headers are left out: they carry the credentials. Written member by member, in the
 * order JSON.stringify of the object gives, so that a cut body's ellipsis can go in escaped.
 */
export function exchangeDetails(x: HttpExchange): string {
  const request = boundedJson(x.body, REQUEST_KEPT);
  const response = x.response ? boundedJson(fromUtf8(x.response.body.subarray(0, RESPONSE_KEPT * 4)), RESPONSE_KEPT) : 'null';
  const status = JSON.stringify(x.response?.status ?? null);
  const durationMs = JSON.stringify(x.durationMs ?? x.response?.durationMs ?? null);
  return `{"http":{"method":${JSON.stringify(x.method)},"url":${JSON.stringify(x.url)},"status":${status},"request":${request},"response":${response},"error":${JSON.stringify(x.error ?? null)},"durationMs":${durationMs}}}`;
}
