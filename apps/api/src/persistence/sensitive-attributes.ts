import { SecretBox } from '../secrets/secret-box.js';

/** FlowFile attributes that carry credentials (the login step's tokens and the ERP header built from them). */
export const SENSITIVE_ATTRIBUTES: readonly string[] = ['token.omnitron', 'token.erp', 'erp.auth.header.value'];

/** Attributes as stored: credentials sealed, so a copied database does not hand out live tokens. */
export function sealAttributes(attributes: Readonly<Record<string, string>>, box: SecretBox | undefined): string {
  if (!box || !SENSITIVE_ATTRIBUTES.some((k) => attributes[k] !== undefined)) return JSON.stringify(attributes);
  const out: Record<string, string> = { ...attributes };
  for (const k of SENSITIVE_ATTRIBUTES) if (out[k] !== undefined && out[k] !== '') out[k] = box.seal(out[k]);
  return JSON.stringify(out);
}

export function openAttributes(stored: string, box: SecretBox | undefined): Record<string, string> {
  const attributes = JSON.parse(stored) as Record<string, string>;
  if (!box) return attributes;
  for (const k of SENSITIVE_ATTRIBUTES) {
    const v = attributes[k];
    // A value sealed with another key is dropped: the step then logs in again instead of failing on it.
    if (v !== undefined && SecretBox.isSealed(v)) {
      try {
        attributes[k] = box.open(v);
      } catch {
        delete attributes[k];
      }
    }
  }
  return attributes;
}

/** Attributes for provenance, which keeps history but never needs the credentials themselves. */
export function redactAttributes(attributes: Readonly<Record<string, string>>): string {
  if (!SENSITIVE_ATTRIBUTES.some((k) => attributes[k] !== undefined)) return JSON.stringify(attributes);
  const out: Record<string, string> = { ...attributes };
  for (const k of SENSITIVE_ATTRIBUTES) if (out[k] !== undefined) out[k] = '***';
  return JSON.stringify(out);
}
