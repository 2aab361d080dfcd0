/** FlowFile attributes that carry credentials: the login step's tokens (`token.*`) and the ERP header built from them. */
export const isCredentialAttribute = (name: string): boolean => name.startsWith('token.') || name === 'erp.auth.header.value';

/** Attributes for provenance, which keeps history but never needs the credentials themselves. */
export function redactAttributes(attributes: Readonly<Record<string, string>>): string {
  let out: Record<string, string> | null = null;
  for (const k in attributes) if (isCredentialAttribute(k)) (out ??= { ...attributes })[k] = '***';
  return JSON.stringify(out ?? attributes);
}
