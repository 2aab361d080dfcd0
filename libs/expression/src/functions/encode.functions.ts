import { JSONPath } from 'jsonpath-plus';
import { zoneOf, type Value } from '../el-types.js';
import { toStr, toWhole } from '../el-values.js';
import { evalError } from '../expression-error.js';
import { DIGESTS, sha1, md5, toHex } from '../java-digest.js';
import { javaDoubleToString } from '../java-number.js';
import * as T from '../java-text.js';
import { define, subj, type Compiled } from './function-table.js';
import { str, strArg, stringFn } from './helpers.js';

const emptyOnNull = (name: string, desc: string, f: (s: string) => string) =>
  stringFn(name, [], 'String', desc, (s) => {
    if (s === null) return '';
    try {
      return f(s);
    } catch (e) {
      throw evalError(name, (e as Error).message);
    }
  });
emptyOnNull('escapeJson', 'Escapes for a JSON string (non-ASCII as \\uXXXX).', T.escapeJson);
emptyOnNull('unescapeJson', 'Reverses escapeJson.', T.unescapeJson);
emptyOnNull('escapeXml', 'Escapes XML 1.0 special characters.', T.escapeXml);
emptyOnNull('unescapeXml', 'Reverses escapeXml.', T.unescapeXml);
emptyOnNull('escapeCsv', 'Quotes a CSV value when it contains a comma, quote or line break.', T.escapeCsv);
emptyOnNull('unescapeCsv', 'Reverses escapeCsv.', T.unescapeCsv);
emptyOnNull('escapeHtml3', 'Escapes HTML 3.2 entities.', T.escapeHtml3);
emptyOnNull('unescapeHtml3', 'Reverses escapeHtml3.', T.unescapeHtml3);
emptyOnNull('escapeHtml4', 'Escapes HTML 4 entities.', T.escapeHtml4);
emptyOnNull('unescapeHtml4', 'Reverses escapeHtml4.', T.unescapeHtml4);

const nullOnNull = (name: string, desc: string, f: (s: string) => string) =>
  stringFn(name, [], 'String', desc, (s) => {
    if (s === null) return null;
    try {
      return f(s);
    } catch (e) {
      throw evalError(name, (e as Error).message);
    }
  });
nullOnNull('urlEncode', 'URL form encoding in UTF-8 (space becomes +).', T.urlEncode);
nullOnNull('urlDecode', 'Decodes URL form encoding in UTF-8.', T.urlDecode);
nullOnNull('base64Encode', 'Base64 of the UTF-8 bytes.', T.base64Encode);
nullOnNull('base64Decode', 'Decodes Base64 into UTF-8 text.', T.base64Decode);

stringFn('hash', ['algorithm'], 'String', 'Lower-case hex digest (MD5, SHA-1, SHA-256, SHA-512...).', (s, [alg]) => {
  const f = alg === null ? undefined : DIGESTS[alg.toUpperCase()];
  if (!f) throw evalError('hash', `unsupported hash algorithm '${alg}'`);
  if (s === null) return null;
  return toHex(f(T.toUtf8(s)));
});

function parseUuid(text: string, fn: string): Uint8Array {
  const hex = text.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex) || !/^[0-9a-fA-F]{1,8}-[0-9a-fA-F]{1,4}-[0-9a-fA-F]{1,4}-[0-9a-fA-F]{1,4}-[0-9a-fA-F]{1,12}$/.test(text)) {
    throw evalError(fn, `invalid namespace UUID '${text}'`);
  }
  return Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
}

function nameUuid(fn: string, version: 3 | 5, digest: (b: Uint8Array) => Uint8Array): void {
  stringFn(fn, ['namespace'], 'String', `RFC 4122 version-${version} UUID of the namespace and the subject.`, (s, [ns]) => {
    if (s === null) return null;
    const nsBytes = ns === null ? new Uint8Array(16) : parseUuid(ns, fn);
    const name = T.toUtf8(s);
    const buf = new Uint8Array(16 + name.length);
    buf.set(nsBytes);
    buf.set(name, 16);
    const h = digest(buf).slice(0, 16);
    h[6] = (h[6]! & 0x0f) | (version << 4);
    h[8] = (h[8]! & 0x3f) | 0x80;
    const x = toHex(h);
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
  });
}
nameUuid('UUID3', 3, md5);
nameUuid('UUID5', 5, sha1);

define({
  name: 'UUID',
  position: 'head',
  minArgs: 0,
  maxArgs: 0,
  returns: 'String',
  pure: false,
  signature: 'UUID() → String',
  description: 'A random version-4 UUID.',
  build: () => () => {
    const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
    if (c?.randomUUID) return c.randomUUID();
    const h = Array.from({ length: 16 }, () => Math.floor(Math.random() * 256));
    h[6] = (h[6]! & 0x0f) | 0x40;
    h[8] = (h[8]! & 0x3f) | 0x80;
    const x = toHex(Uint8Array.from(h));
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
  },
});

const hostFn = (name: string, desc: string, pick: (h: NonNullable<import('../el-types.js').EvalContext['host']>, args: Value[]) => string | undefined, maxArgs = 0) =>
  define({
    name,
    position: 'head',
    minArgs: 0,
    maxArgs,
    returns: 'String',
    pure: false,
    signature: `${name}(${maxArgs ? 'fullyQualified?' : ''}) → String`,
    description: desc,
    build: (_s, args) => (ctx) => (ctx.host ? (pick(ctx.host, args.map((a) => a.ev(ctx))) ?? null) : null),
  });
hostFn('hostname', 'Host name supplied by the engine (optionally fully qualified).', (h, [fq]) => (fq === true || fq === 'true' ? (h.fqdn ?? h.hostname) : h.hostname), 1);
hostFn('ip', 'IP address supplied by the engine.', (h) => h.ip);
hostFn('thread', 'Name of the worker running the evaluation, supplied by the engine.', (h) => h.threadName);

define({
  name: 'getStateValue',
  position: 'head',
  minArgs: 1,
  maxArgs: 1,
  returns: 'String',
  pure: false,
  signature: 'getStateValue(key) → String',
  description: "A value from the component's state; null when absent.",
  build: (_s, [k]) => (ctx) => {
    const key = strArg(k!, ctx);
    if (key === null || !ctx.state) return null;
    const v = ctx.state[key];
    return typeof v === 'string' ? v : null;
  },
});

define({
  name: 'getUri',
  position: 'head',
  minArgs: 7,
  maxArgs: 7,
  returns: 'String',
  signature: 'getUri(scheme, userInfo, host, port, path, query, fragment) → String',
  description: 'Builds a URI like java.net.URI, percent-encoding illegal characters; null leaves a part out.',
  build: (_s, args) => (ctx) => {
    const [scheme, userInfo, host, portV, path, query, fragment] = args.map((a) => a.ev(ctx));
    let port = -1;
    if (portV !== null && portV !== undefined) {
      const p = typeof portV === 'bigint' ? portV : typeof portV === 'string' && /^[+-]?\d+$/.test(portV.trim()) ? BigInt(portV.trim()) : null;
      if (p === null) throw evalError('getUri', `port '${toStr(portV, 'UTC')}' is not a whole number`);
      port = Number(p);
    }
    const s = (v: Value | undefined) => (v === null || v === undefined ? null : toStr(v, zoneOf(ctx)));
    return T.buildUri(s(scheme), s(userInfo), s(host), port, s(path), s(query), s(fragment));
  },
});

// ---------------------------------------------------------------- JSON path (Jayway semantics over jsonpath-plus)

function validatePath(path: string): void {
  if (!path.startsWith('$') && !path.startsWith('@')) throw new Error(`JSON path '${path}' must start with '$'`);
  if (/\.\.$/.test(path) || /\.$/.test(path)) throw new Error(`JSON path '${path}' is incomplete`);
}

/** A path such as `$.a.b[0]` names one place (Jayway's "definite" path); wildcards, scans, filters and unions do not. */
export const isDefiniteJsonPath = (path: string): boolean => !/\.\.|\*|\[\?|\[[^\]]*[,:]/.test(path);

function printJson(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? String(v) : javaDoubleToString(v);
  if (typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function parseDoc(s: string | null, fn: string): unknown {
  if (s === null || s.trim() === '') throw evalError(fn, 'subject is null or empty, not JSON');
  try {
    return JSON.parse(s);
  } catch (e) {
    throw evalError(fn, `subject is not valid JSON: ${(e as Error).message}`);
  }
}

function pathArg(a: Compiled, fn: string, fail: (m: string) => never): (ctx: Parameters<Compiled['ev']>[0]) => string {
  if (a.isConst && typeof a.value === 'string') {
    try {
      validatePath(a.value);
    } catch (e) {
      fail((e as Error).message);
    }
    const p = a.value;
    return () => p;
  }
  return (ctx) => {
    const p = strArg(a, ctx);
    if (p === null) throw evalError(fn, 'JSON path is null');
    try {
      validatePath(p);
    } catch (e) {
      throw evalError(fn, (e as Error).message);
    }
    return p;
  };
}

function query(doc: unknown, path: string, fn: string): { values: unknown[]; pointers: { parent: unknown; key: string | number }[] } {
  try {
    const res = JSONPath({ path, json: doc as object, wrap: true, resultType: 'all', eval: 'safe' }) as { value: unknown; parent: unknown; parentProperty: string | number }[];
    return { values: res.map((r) => r.value), pointers: res.map((r) => ({ parent: r.parent, key: r.parentProperty })) };
  } catch (e) {
    throw evalError(fn, `invalid JSON path '${path}': ${(e as Error).message}`);
  }
}

/**
 * The values a JSON path selects in a parsed document (Jayway's reading, as NiFi's JSON processors use it): for a
 * definite path at most one value, none when it leads nowhere; for an indefinite one the list of matches.
 */
export function queryJsonPath(doc: unknown, path: string): { readonly definite: boolean; readonly values: unknown[] } {
  validatePath(path);
  const definite = isDefiniteJsonPath(path);
  if (path === '$') return { definite, values: [doc] };
  try {
    const values = JSONPath({ path, json: doc as object, wrap: true, eval: 'safe' }) as unknown[];
    return { definite, values };
  } catch (e) {
    throw new Error(`invalid JSON path '${path}': ${(e as Error).message}`);
  }
}

/**
 * The one value a path leads to, or undefined when it leads nowhere: the reading of response fields (a token, a
 * next link, a row array). `$` may be left out (`a.b[0]`), and an empty path is the whole document.
 */
export function readJsonPath(doc: unknown, path: string): unknown {
  const full = fullJsonPath(path);
  if (full === '$') return doc;
  const problem = checkJsonPath(full);
  if (problem) throw new Error(`invalid JSON path: ${problem}`);
  return queryJsonPath(doc, full).values[0];
}

/**
 * The steps of a definite path as readJsonPath reads it (`a[0]['b c']` → `['a', 0, 'b c']`, indices as numbers), to
 * build a document that holds a value there; null for a path that is invalid or names no single place.
 */
export function jsonPathSteps(path: string): (string | number)[] | null {
  const full = fullJsonPath(path);
  if (full === '$') return [];
  if (checkJsonPath(full) !== null || !isDefiniteJsonPath(full)) return null;
  return JSONPath.toPathArray(full)
    .slice(1)
    .map((step) => (/^\d+$/.test(step) ? Number(step) : step));
}

/** `$` may be left out of a response-field path, and an empty one is the whole document. */
function fullJsonPath(path: string): string {
  const p = path.trim();
  if (p === '' || p === '$') return '$';
  return p.startsWith('$') ? p : p.startsWith('[') ? `$${p}` : `$.${p}`;
}

/** Why a JSON path cannot be used, or null. */
export function checkJsonPath(path: string): string | null {
  if (path.trim() === '') return 'the JSON path is empty';
  try {
    validatePath(path);
    let depth = 0;
    for (const ch of path) {
      if (ch === '[') depth++;
      else if (ch === ']' && --depth < 0) return `'${path}' has a ']' without its '['`;
    }
    if (depth !== 0) return `'${path}' has a '[' that is never closed`;
    queryJsonPath({}, path);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

const jsonValue = (v: Value): unknown => (typeof v === 'bigint' ? Number(v) : v === null ? null : typeof v === 'object' ? toStr(v, 'UTC') : v);

define({
  name: 'jsonPath',
  position: 'chain',
  minArgs: 1,
  maxArgs: 1,
  returns: 'String',
  signature: 'jsonPath(path) → String',
  description: 'Evaluates a JSON path against the subject JSON; missing gives "".',
  build: (s, [a], site) => {
    const e = subj(s);
    const path = pathArg(a!, 'jsonPath', site.fail);
    return (ctx) => {
      const doc = parseDoc(str(e, ctx), 'jsonPath');
      const p = path(ctx);
      const { values } = query(doc, p, 'jsonPath');
      if (isDefiniteJsonPath(p)) {
        if (values.length === 0) return '';
        const v = values[0];
        return Array.isArray(v) && v.length === 1 && (v[0] === null || typeof v[0] !== 'object') ? printJson(v[0]) : printJson(v);
      }
      if (values.length === 1 && (values[0] === null || typeof values[0] !== 'object')) return printJson(values[0]);
      return JSON.stringify(values);
    };
  },
});

function mutate(name: string, sig: string, desc: string, nArgs: number, apply: (doc: unknown, p: { parent: unknown; key: string | number }, vals: unknown[]) => 'empty' | void): void {
  define({
    name,
    position: 'chain',
    minArgs: nArgs,
    maxArgs: nArgs,
    returns: 'String',
    signature: sig,
    description: desc,
    build: (s, args, site) => {
      const e = subj(s);
      const path = pathArg(args[0]!, name, site.fail);
      return (ctx) => {
        const doc = parseDoc(str(e, ctx), name);
        const p = path(ctx);
        const vals = args.slice(1).map((a) => jsonValue(a.ev(ctx)));
        if (p === '$' && name !== 'jsonPathPut') return JSON.stringify(doc);
        const { pointers } = query(doc, p, name);
        if (p === '$') {
          if (apply(doc, { parent: null, key: '$' }, vals) === 'empty') return '';
          return JSON.stringify(doc);
        }
        for (const ptr of [...pointers].reverse()) {
          if (apply(doc, ptr, vals) === 'empty') return '';
        }
        return JSON.stringify(doc);
      };
    },
  });
}

mutate('jsonPathDelete', 'jsonPathDelete(path) → String', 'Removes what the path selects and returns the JSON.', 1, (_doc, { parent, key }) => {
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[String(key)];
});
mutate('jsonPathSet', 'jsonPathSet(path, value) → String', 'Sets the value at the path and returns the JSON.', 2, (_doc, { parent, key }, [v]) => {
  if (parent && typeof parent === 'object') (parent as Record<string | number, unknown>)[key] = v;
});
mutate('jsonPathAdd', 'jsonPathAdd(path, value) → String', 'Appends the value to the array at the path; "" when the target is not an array.', 2, (_doc, { parent, key }, [v]) => {
  const target = (parent as Record<string | number, unknown>)[key];
  if (!Array.isArray(target)) return 'empty';
  target.push(v);
});
mutate('jsonPathPut', 'jsonPathPut(path, key, value) → String', 'Puts key/value into the object at the path and returns the JSON.', 3, (doc, { parent, key }, [k, v]) => {
  const target = key === '$' && parent === null ? doc : (parent as Record<string | number, unknown>)[key];
  if (target && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[String(k)] = v;
});

export { toWhole };
