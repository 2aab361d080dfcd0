/**
 * Flow parameter references (`#{name}`) in property values, resolved as NiFi resolves them before a value is
 * validated or used: textually, with `##{` as the escape for a literal `#{` (each pair of `#` is one literal `#`).
 */

export interface ParameterSubstitution {
  /** The value with every defined reference replaced and escapes collapsed. */
  readonly text: string;
  /** Names referenced in the value, in order, without duplicates. */
  readonly references: readonly string[];
  /** Referenced names the parameters do not define; their `#{name}` stays in `text`. */
  readonly missing: readonly string[];
}

const REFERENCE = /(#+)\{([^{}]*)\}/g;

/** Replaces `#{name}` references; with `parameters` absent every reference counts as missing. */
export function substituteParameters(text: string, parameters?: Readonly<Record<string, string>>): ParameterSubstitution {
  if (!text.includes('#{')) return { text, references: [], missing: [] };
  const references: string[] = [];
  const missing: string[] = [];
  const out = text.replace(REFERENCE, (_whole, hashes: string, rawName: string) => {
    const literal = '#'.repeat(Math.floor(hashes.length / 2));
    if (hashes.length % 2 === 0) return `${literal}{${rawName}}`;
    const name = rawName.trim();
    if (!references.includes(name)) references.push(name);
    const value = parameters?.[name];
    if (value === undefined) {
      if (!missing.includes(name)) missing.push(name);
      return `${literal}#{${rawName}}`;
    }
    return literal + value;
  });
  return { text: out, references, missing };
}

/** Whether the value holds a parameter reference (not just an escaped `##{`). */
export function hasParameterReference(text: string): boolean {
  return text.includes('#{') && substituteParameters(text).references.length > 0;
}
