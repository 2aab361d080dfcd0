import type { ProvenanceEvent } from '@sluice/flow-core';
import { maskAttributes } from './redaction.js';
import type { SecretRegistry } from './secret-registry.js';
import { yieldToLoop } from '../common/slices.js';

/** Attributes that carry error text (login.error, erp.error, log.error.script_error, …) may quote a URL with a token. */
const ERROR_TEXT = /error|exception|message/i;

/**
 * Provenance as it is stored and as executions see it: credential attributes masked, error texts and transit URIs
 * redacted. The Login step's tokens are learnt first, so a token quoted inside a later error is masked too.
 */
export function redactEvents(events: readonly ProvenanceEvent[], secrets: SecretRegistry): ProvenanceEvent[] {
  for (const e of events) secrets.addAttributes(e.attributes);
  return events.map((e) => redactEvent(e, secrets));
}

/** Time redactEventsSliced may hold the event loop before it lets it turn. */
const SLICE_MS = 10;

/**
 * The same as redactEvents, with the event loop let turn every SLICE_MS: a session that sent a large batch in many
 * requests commits one event per request with its exchange in `details`, megabytes of text for the patterns.
 */
export async function redactEventsSliced(events: readonly ProvenanceEvent[], secrets: SecretRegistry): Promise<ProvenanceEvent[]> {
  for (const e of events) secrets.addAttributes(e.attributes);
  const out: ProvenanceEvent[] = [];
  let sliceStart = performance.now();
  for (const e of events) {
    out.push(redactEvent(e, secrets));
    if (performance.now() - sliceStart >= SLICE_MS) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
  return out;
}

function redactEvent(e: ProvenanceEvent, secrets: SecretRegistry): ProvenanceEvent {
  let attributes = maskAttributes(e.attributes);
  for (const k in attributes) {
    const v = attributes[k]!;
    if (v && ERROR_TEXT.test(k)) {
      const safe = secrets.redact(v);
      if (safe !== v) attributes = { ...attributes, [k]: safe };
    }
  }
  const transitUri = typeof e.transitUri === 'string' ? secrets.redact(e.transitUri) : e.transitUri;
  const details = typeof e.details === 'string' ? secrets.redact(e.details) : e.details;
  if (attributes === e.attributes && transitUri === e.transitUri && details === e.details) return e;
  return { ...e, attributes, details, ...(transitUri === undefined ? {} : { transitUri }) };
}
