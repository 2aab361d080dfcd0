import { SECRET_MASK } from '@sluice/contracts';

/** What the API shows instead of a secret (the contract's mask); a save that sends it back keeps the stored value. */
export const MASK = SECRET_MASK;

/**
 * Attribute names whose values are credentials: the Login step's `token.*` and `erp.auth.header.value`, and
 * anything named like a password, secret, key or token.
 */
const SENSITIVE_NAME =
  /^token\.|^erp\.auth\.header\.value$|(^|[._\-\s])(password|passwd|pwd|secret|client[._-]?secret|api[._-]?key|apikey|access[._-]?token|refresh[._-]?token|auth[._-]?token|session[._-]?token|authorization|credentials?|private[._-]?key)($|[._\-\s])/i;

export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

/** The attributes with credential values masked; the same object when there is nothing to mask. */
export function maskAttributes<T extends Readonly<Record<string, string>>>(attributes: T): T {
  let out: Record<string, string> | null = null;
  for (const k in attributes) {
    if (isSensitiveName(k) && attributes[k]) (out ??= { ...attributes })[k] = MASK;
  }
  return (out ?? attributes) as T;
}

/**
 * Credentials that show in text by their shape: in URLs, headers and JSON. Each with text every match contains,
 * looked for first: scanning a chunk's request body with the URL and JSON patterns costs far more than the test.
 */
const PATTERNS: [RegExp, string, (text: string) => boolean][] = [
  // user:password@ in URLs
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/@:'"]+):[^\s/@'"]*@/gi, `$1:${MASK}@`, (t) => t.includes('@')],
  // query and form parameters named like credentials
  [/([?&;](?:[a-z0-9_.-]*?(?:token|api[_-]?key|apikey|password|passwd|secret|signature|sig|auth|key)))=[^&\s#'"]+/gi, `$1=${MASK}`, (t) => t.includes('=')],
  // Authorization headers, however they are printed
  [/(authorization["']?\s*[:=]\s*["']?)(?:(?:bearer|token|basic|apikey)\s+)?[^\s"',;}]+/gi, `$1${MASK}`, always],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]{12,}/g, `Bearer ${MASK}`, always],
  // JSON members holding credentials (an Omnitron login reply is {"key": "..."})
  [
    /("(?:[a-z0-9_.-]*?(?:password|passwd|secret|token|api[_-]?key|apikey))"|"key")(\s*:\s*")(?:[^"\\]|\\.)*"/gi,
    `$1$2${MASK}"`,
    (t) => /passw(?:or)?d|secret|token|api[_-]?key|"key"/i.test(t),
  ],
  // ASP.NET cookieless sessions carry the ERP token in the path: /(S(token))/
  [/\(S\([^)\s]+\)\)/g, `(S(${MASK}))`, always],
];

function always(): boolean {
  return true;
}

/** Masks known secret values and credential-shaped text. */
export function redactText(text: string, known?: RegExp | null): string {
  let out = known ? text.replace(known, MASK) : text;
  for (const [re, replacement, mayMatch] of PATTERNS) if (mayMatch(out)) out = out.replace(re, replacement);
  return out;
}
