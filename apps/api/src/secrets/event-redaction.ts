import type { ProvenanceEvent } from '@sluice/flow-core';
import { maskAttributes } from './redaction.js';
import type { SecretRegistry } from './secret-registry.js';

/** Attributes that carry error text (login.error, erp.error, log.error.script_error, …) may quote a URL with a token. */
const ERROR_TEXT = /error|exception|message/i;

/**
 * Provenance as it is stored and as executions see it: credential attributes masked, error texts and transit URIs
 * redacted. The Login step's tokens are learnt first, so a token quoted inside a later error is masked too.
 */
export function redactEvents(events: readonly ProvenanceEvent[], secrets: SecretRegistry): ProvenanceEvent[] {
  for (const e of events) secrets.addAttributes(e.attributes);
  return events.map((e) => {
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
  });
}
