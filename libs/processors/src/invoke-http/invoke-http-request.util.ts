import { fromUtf8, utf8, type FlowFile } from '@sluice/flow-api';

/** The attributes InvokeHTTP writes; never sent back as request headers (NiFi's ignored set, plus `path`). */
export const STATUS_CODE = 'invokehttp.status.code';
export const STATUS_MESSAGE = 'invokehttp.status.message';
export const RESPONSE_BODY = 'invokehttp.response.body';
export const REQUEST_URL = 'invokehttp.request.url';
export const REQUEST_DURATION = 'invokehttp.request.duration';
export const RESPONSE_URL = 'invokehttp.response.url';
export const TRANSACTION_ID = 'invokehttp.tx.id';
export const REMOTE_DN = 'invokehttp.remote.dn';
export const EXCEPTION_CLASS = 'invokehttp.java.exception.class';
export const EXCEPTION_MESSAGE = 'invokehttp.java.exception.message';

export const IGNORED_REQUEST_ATTRIBUTES = new Set([
  STATUS_CODE, STATUS_MESSAGE, RESPONSE_BODY, REQUEST_URL, RESPONSE_URL, TRANSACTION_ID, REMOTE_DN, EXCEPTION_CLASS, EXCEPTION_MESSAGE, 'path',
]);

/** Methods that carry the FlowFile as their body; every other method (arbitrary ones too) is sent without one. */
export const BODY_METHODS = ['POST', 'PUT', 'PATCH'];

export const FORM_PREFIX = 'post:form:';

/** `post:form:<name>` dynamic properties are form parts, not headers. */
export function formPartName(property: string): string | null {
  return property.startsWith(FORM_PREFIX) ? property.slice(FORM_PREFIX.length) : null;
}

/** HTTP Basic credentials as RFC 7617 encodes them (UTF-8, then Base64). */
export function basicAuthorization(user: string, password: string): string {
  const bytes = utf8(`${user}:${password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/** A multipart/form-data body: the text parts, then the FlowFile's content as the named file part when given. */
export function multipartBody(
  fields: readonly [string, string][],
  file: { name: string; filename: string | null; contentType: string; content: Uint8Array } | null,
  boundary: string,
): { body: Uint8Array; contentType: string } {
  const quote = (s: string) => s.replaceAll('"', '%22').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
  const chunks: Uint8Array[] = [];
  for (const [name, value] of fields) {
    chunks.push(utf8(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    const filename = file.filename === null ? '' : `; filename="${quote(file.filename)}"`;
    chunks.push(utf8(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.name)}"${filename}\r\nContent-Type: ${file.contentType}\r\n\r\n`));
    chunks.push(file.content, utf8('\r\n'));
  }
  chunks.push(utf8(`--${boundary}--\r\n`));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const body = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Attributes from response headers; undici hands header names over in lower case. Blank names and values are skipped. */
export function headerAttributes(headers: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.trim() === '' || value === '') continue;
    out[`${prefix}${name}`] = value;
  }
  return out;
}

/** The charset a Content-Type names, for decoding a body into an attribute; UTF-8 when it names none we know. */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined): string {
  const m = contentType ? /;\s*charset="?([^";\s]+)"?/i.exec(contentType) : null;
  if (m) {
    try {
      return new TextDecoder(m[1]!.toLowerCase()).decode(bytes);
    } catch {
      // an unknown label: fall back to UTF-8 as NiFi does for a missing charset
    }
  }
  return fromUtf8(bytes);
}

/** The last path segment of a URL (URL_PATH naming), or null when the path is empty. */
export function fileNameFromUrl(url: string): string | null {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  if (path.endsWith('/')) path = path.slice(0, -1);
  if (path === '') return null;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || null;
}

/** Java exception class names for the failures NiFi flows route on (`invokehttp.java.exception.class`). */
export function exceptionClass(kind: 'timeout' | 'connection' | 'tooLarge' | 'other' | 'url' | 'expression'): string {
  switch (kind) {
    case 'timeout': return 'java.net.SocketTimeoutException';
    case 'connection': return 'java.net.ConnectException';
    case 'url': return 'java.lang.IllegalArgumentException';
    case 'expression': return 'org.apache.nifi.attribute.expression.language.exception.AttributeExpressionLanguageException';
    default: return 'java.io.IOException';
  }
}

/** Request headers from FlowFile attributes whose names match the pattern (values trimmed, as NiFi sends them). */
export function attributeHeaders(flowFile: FlowFile | null, pattern: RegExp | null): [string, string][] {
  if (!flowFile || !pattern) return [];
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(flowFile.attributes)) {
    const name = key.trim();
    if (IGNORED_REQUEST_ATTRIBUTES.has(name) || !pattern.test(name)) continue;
    out.push([name, value.trim()]);
  }
  return out;
}
