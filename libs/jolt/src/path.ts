/**
 * Spec-key machinery shared by shift and modify: key classification, star matching, `&`/`$` references,
 * `@(N,path)` lookups and the walked-path stack they are evaluated on.
 */
import { JoltSpecError, JoltTransformError } from './errors.js';
import { getOwn, isObject, javaString, parseIndex, isJavaDouble } from './json.js';

/** The walked path: one level per matched key, root first. Parallel arrays keep the hot path allocation-light. */
export class Walk {
  datas: unknown[] = [];
  subs: string[][] = [];
  counts: number[] = [];
  depth = 0;
  context: unknown = undefined;

  push(data: unknown, sub: string[]): void {
    const d = this.depth++;
    this.datas[d] = data;
    this.subs[d] = sub;
    this.counts[d] = 0;
  }

  pop(): void {
    this.depth--;
  }

  level(up: number): number {
    const i = this.depth - 1 - up;
    if (i < 0) throw new JoltTransformError(`reference goes ${up} levels up, but the walked path is only ${this.depth} deep`);
    return i;
  }

  subkey(up: number, m: number): string {
    const s = this.subs[this.level(up)]!;
    if (m >= s.length) throw new JoltTransformError(`reference &(${up},${m}) asks for capture ${m}, but the key "${s[0]}" has ${s.length - 1}`);
    return s[m]!;
  }
}

export interface Ref { readonly up: number; readonly m: number }

export type KeyKind = 'at' | 'starAll' | 'array' | 'transpose' | 'dollar' | 'amp' | 'star' | 'hash' | 'literal';

/** `\x` becomes `x`. */
export function removeEscapes(k: string): string {
  if (!k.includes('\\')) return k;
  let out = '';
  for (let i = 0; i < k.length; i++) {
    const c = k[i]!;
    if (c === '\\' && i + 1 < k.length) { out += k[i + 1]; i++; } else out += c;
  }
  return out;
}

/** `\x` pairs deleted, so escaped characters take no part in classification. */
export function removeEscapedChars(k: string): string {
  if (!k.includes('\\')) return k;
  let out = '';
  for (let i = 0; i < k.length; i++) {
    const c = k[i]!;
    if (c === '\\') i++;
    else out += c;
  }
  return out;
}

export function classifyKey(raw: string): { kind: KeyKind; text: string } {
  const probe = removeEscapedChars(raw);
  const text = removeEscapes(raw);
  let kind: KeyKind;
  if (probe === '@') kind = 'at';
  else if (probe === '*') kind = 'starAll';
  else if (probe.startsWith('[')) kind = 'array';
  else if (probe.startsWith('@') || probe.includes('@(')) kind = 'transpose';
  else if (probe.includes('@')) kind = 'transpose';
  else if (probe.includes('$')) kind = 'dollar';
  else if (probe.includes('[')) kind = 'array';
  else if (probe.includes('&')) kind = 'amp';
  else if (probe.includes('*')) kind = 'star';
  else if (probe.includes('#')) kind = 'hash';
  else kind = 'literal';
  return { kind, text: kind === 'literal' || kind === 'star' ? text : raw };
}

// ---------------------------------------------------------------- stars

export type StarMatcher = (key: string) => string[] | null;

export function starCount(pattern: string): number {
  let n = 0;
  for (let i = 0; i < pattern.length; i++) if (pattern.charCodeAt(i) === 42) n++;
  return n;
}

/** Each `*` takes at least one character, non-greedily left to right; other characters are literal. */
export function compileStar(pattern: string): StarMatcher {
  const parts = pattern.split('*');
  if (parts.length === 1) return (k) => (k === pattern ? [k] : null);
  if (parts.length === 2) {
    const pre = parts[0]!;
    const suf = parts[1]!;
    const min = pre.length + suf.length + 1;
    if (pre === '' && suf === '') return (k) => (k.length > 0 ? [k, k] : null);
    return (k) => {
      if (k.length < min || !k.startsWith(pre) || !k.endsWith(suf)) return null;
      return [k, k.slice(pre.length, k.length - suf.length)];
    };
  }
  const esc = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  const re = new RegExp(`^${esc.slice(0, -1).join('([\\s\\S]+?)')}([\\s\\S]+)${esc[esc.length - 1]}$`);
  return (k) => {
    const m = re.exec(k);
    if (!m) return null;
    const out = new Array<string>(m.length);
    out[0] = k;
    for (let i = 1; i < m.length; i++) out[i] = m[i]!;
    return out;
  };
}

// ---------------------------------------------------------------- references

/** Parses a reference body after `&` or `$` at `pos`; returns the ref and the index after it. */
export function parseRef(s: string, pos: number, where: string, sigil: string): { ref: Ref; end: number } {
  if (s[pos] === '(') {
    const close = s.indexOf(')', pos);
    if (close < 0) throw new JoltSpecError(where, `unbalanced parenthesis in reference "${s}"`);
    const body = s.slice(pos + 1, close);
    const parts = body.split(',');
    if (parts.length > 2) throw new JoltSpecError(where, `reference ${sigil}(${body}) takes at most two numbers`);
    const nums = parts.map((p) => {
      const t = p.trim();
      if (!/^\d+$/.test(t)) throw new JoltSpecError(where, `reference ${sigil}(${body}) must hold non-negative integers`);
      return Number(t);
    });
    return { ref: { up: nums[0]!, m: nums[1] ?? 0 }, end: close + 1 };
  }
  let e = pos;
  while (e < s.length && s.charCodeAt(e) >= 48 && s.charCodeAt(e) <= 57) e++;
  return { ref: { up: e > pos ? Number(s.slice(pos, e)) : 0, m: 0 }, end: e };
}

/** Literal text mixed with `&` references, e.g. `photo-&(1,1)-url`. */
export type AmpTemplate = ReadonlyArray<string | Ref>;

export function parseAmp(text: string, where: string): AmpTemplate {
  const out: (string | Ref)[] = [];
  let lit = '';
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) { lit += text[i + 1]; i += 2; continue; }
    if (c === '&') {
      if (lit) { out.push(lit); lit = ''; }
      const { ref, end } = parseRef(text, i + 1, where, '&');
      out.push(ref);
      i = end;
      continue;
    }
    lit += c;
    i++;
  }
  if (lit) out.push(lit);
  return out;
}

export function ampCanonical(t: AmpTemplate): string {
  return t.map((p) => (typeof p === 'string' ? p : `&(${p.up},${p.m})`)).join('');
}

export function evalAmp(t: AmpTemplate, walk: Walk): string {
  if (t.length === 1) {
    const p = t[0]!;
    return typeof p === 'string' ? p : walk.subkey(p.up, p.m);
  }
  let s = '';
  for (const p of t) s += typeof p === 'string' ? p : walk.subkey(p.up, p.m);
  return s;
}

// ---------------------------------------------------------------- lookup paths

export type LookupSeg =
  | { readonly k: 'key'; readonly key: string }
  | { readonly k: 'amp'; readonly t: AmpTemplate }
  | { readonly k: 'index'; readonly i: number }
  | { readonly k: 'indexAmp'; readonly t: AmpTemplate }
  | { readonly k: 'transpose'; readonly tp: Transpose };

export interface Transpose { readonly up: number; readonly path: readonly LookupSeg[]; readonly canonical: string }

/**
 * Splits a dot path on unescaped dots, keeping `@(...)` groups whole and giving `[` an implied dot before it.
 * Escapes are kept for the caller's classification.
 */
export function splitDotPath(s: string, where: string): string[] {
  const segs: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      cur += c + (s[i + 1] ?? '');
      i++;
    } else if (c === '@' && s[i + 1] === '(') {
      const close = s.indexOf(')', i);
      if (close < 0) throw new JoltSpecError(where, `unbalanced parenthesis in "${s}"`);
      cur += s.slice(i, close + 1);
      i = close;
    } else if (c === '.') {
      segs.push(cur);
      cur = '';
    } else if (c === '[' && cur !== '' && !cur.endsWith('@')) {
      segs.push(cur);
      cur = '[';
    } else cur += c;
  }
  segs.push(cur);
  return segs;
}

function parseLookupSeg(seg: string, where: string, allowTranspose: boolean): LookupSeg {
  const probe = removeEscapedChars(seg);
  if (probe.startsWith('[')) {
    if (!probe.endsWith(']')) throw new JoltSpecError(where, `array index "${seg}" must end with "]"`);
    const body = seg.slice(1, -1);
    if (/^\d+$/.test(body)) return { k: 'index', i: Number(body) };
    if (body.startsWith('&')) return { k: 'indexAmp', t: parseAmp(body, where) };
    throw new JoltSpecError(where, `array index "${seg}" in a lookup path must be a number or an & reference`);
  }
  if (probe.includes('@')) {
    if (allowTranspose && probe.startsWith('@')) return { k: 'transpose', tp: parseTranspose(seg, where, false) };
    throw new JoltSpecError(where, `"@" is not allowed inside the lookup path segment "${seg}"`);
  }
  if (probe.includes('*')) throw new JoltSpecError(where, `"*" is not allowed in the lookup path segment "${seg}"`);
  if (probe.includes('&')) return { k: 'amp', t: parseAmp(seg, where) };
  return { k: 'key', key: removeEscapes(seg) };
}

export function parseLookupPath(path: string, where: string, allowTranspose: boolean): LookupSeg[] {
  if (path === '') return [];
  return splitDotPath(path, where).map((s) => parseLookupSeg(s, where, allowTranspose));
}

/** `@`, `@N`, `@path`, `@(N)`, `@(path)`, `@(N,path)`. */
export function parseTranspose(text: string, where: string, allowNested: boolean): Transpose {
  if (!text.startsWith('@')) throw new JoltSpecError(where, `"${text}": "@" must start the key`);
  let up = 0;
  let path = '';
  if (text[1] === '(') {
    if (!text.endsWith(')')) throw new JoltSpecError(where, `"${text}": text after the closing parenthesis`);
    const body = text.slice(2, -1);
    const comma = body.indexOf(',');
    if (comma >= 0) {
      const n = body.slice(0, comma).trim();
      if (!/^\d+$/.test(n)) throw new JoltSpecError(where, `"${text}": the level must be a non-negative integer`);
      up = Number(n);
      path = body.slice(comma + 1).trim();
    } else if (/^\s*\d+\s*$/.test(body)) up = Number(body.trim());
    else path = body.trim();
  } else {
    const rest = text.slice(1);
    if (/^\d+$/.test(rest)) up = Number(rest);
    else path = rest;
  }
  if (path.includes('[]')) throw new JoltSpecError(where, `"${text}": "[]" is not allowed in a lookup path`);
  const segs = parseLookupPath(path, where, allowNested);
  return { up, path: segs, canonical: `@(${up},${path})` };
}

function segKey(seg: LookupSeg, walk: Walk): string | number | undefined {
  switch (seg.k) {
    case 'key': return seg.key;
    case 'amp': return evalAmp(seg.t, walk);
    case 'index': return seg.i;
    case 'indexAmp': {
      const i = parseIndex(evalAmp(seg.t, walk));
      return i < 0 ? undefined : i;
    }
    case 'transpose': {
      const v = evalTranspose(seg.tp, walk);
      return v === undefined ? undefined : coerceKey(v);
    }
  }
}

/** Follows a lookup path from `start`; `undefined` means absent (distinct from a present null). */
export function readPath(start: unknown, path: readonly LookupSeg[], walk: Walk): unknown {
  let cur = start;
  for (const seg of path) {
    const k = segKey(seg, walk);
    if (k === undefined) return undefined;
    if (typeof k === 'number') {
      if (!Array.isArray(cur) || k >= cur.length) return undefined;
      cur = cur[k];
    } else {
      if (!isObject(cur)) return undefined;
      cur = getOwn(cur, k);
      if (cur === undefined) return undefined;
    }
  }
  return cur;
}

export function evalTranspose(tp: Transpose, walk: Walk): unknown {
  return readPath(walk.datas[walk.level(tp.up)], tp.path, walk);
}

/** Data used as a key: numbers by their integer part, booleans and strings as text; anything else cancels. */
export function coerceKey(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isJavaDouble(v)) return String(Math.trunc(v.value));
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.trunc(v)) : undefined;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

/** Java `toString` text of a scalar offered as a key. */
export function scalarKey(v: unknown): string {
  return javaString(v);
}
