import { maskAttributes, redactText } from './redaction.js';

/** Shorter values would mask ordinary words; such secrets are still masked by their shape where it shows. */
const MIN_LENGTH = 6;
const CAPACITY = 2000;

/**
 * The secret values this server has seen (sensitive parameters and properties as they are opened, tokens as the
 * Login step hands them on), so that logs, bulletins, execution errors and test output can mask them wherever they
 * appear, including inside URLs. Only the newest values are kept: tokens rotate.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();
  private pattern: RegExp | null = null;
  private dirty = false;

  add(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < MIN_LENGTH) return;
    if (this.values.has(value)) {
      this.values.delete(value);
      this.values.add(value);
      return;
    }
    this.values.add(value);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.values.add(encoded);
    while (this.values.size > CAPACITY) this.values.delete(this.values.values().next().value!);
    this.dirty = true;
  }

  /** Registers the Login step's credentials among a FlowFile's attributes (cheap: only `token.*` and the ERP header). */
  addAttributes(attributes: Readonly<Record<string, string>>): void {
    for (const k in attributes) {
      if (k.startsWith('token.') || k === 'erp.auth.header.value') this.add(attributes[k]);
    }
  }

  /** Attributes as the API shows them: credentials masked by name, and by value or shape inside any other value. */
  redactAttributes(attributes: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = { ...maskAttributes(attributes) };
    for (const k in out) out[k] = this.redact(out[k]!);
    return out;
  }

  redact(text: string): string {
    if (typeof text !== 'string') return text;
    if (this.dirty) {
      this.dirty = false;
      // Longest first, so a secret that contains another is masked whole.
      const sorted = [...this.values].sort((a, b) => b.length - a.length);
      this.pattern = sorted.length ? new RegExp(sorted.map(escape).join('|'), 'g') : null;
    }
    return redactText(text, this.pattern);
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
