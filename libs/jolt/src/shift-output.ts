/** Shift's output paths: parsing `a.&1.b[#2]` and writing a value there the way Jolt's ShiftrTraversr does. */
import { JoltSpecError } from './errors.js';
import { getOwn, isObject, parseIndex, setOwn, type JsonObject } from './json.js';
import {
  coerceKey, evalAmp, parseAmp, parseRef, parseTranspose, readPath, removeEscapedChars, removeEscapes, splitDotPath, Walk,
  type AmpTemplate, type Transpose,
} from './path.js';

const APPEND = -1;

export type OutSeg =
  | { readonly k: 'key'; readonly key: string }
  | { readonly k: 'amp'; readonly t: AmpTemplate }
  | { readonly k: 'tkey'; readonly tp: Transpose }
  | { readonly k: 'append' }
  | { readonly k: 'idx'; readonly i: number }
  | { readonly k: 'idxAmp'; readonly t: AmpTemplate }
  | { readonly k: 'idxHash'; readonly up: number }
  | { readonly k: 'idxT'; readonly tp: Transpose };

export class OutPath {
  readonly keys: (string | number)[];
  readonly isStatic: boolean;
  constructor(readonly segs: readonly OutSeg[]) {
    this.keys = new Array(segs.length);
    this.isStatic = segs.every((s) => s.k === 'key' || s.k === 'idx' || s.k === 'append');
    if (this.isStatic) segs.forEach((s, i) => { this.keys[i] = s.k === 'key' ? s.key : s.k === 'idx' ? s.i : APPEND; });
  }

  /** Fills `keys`; false when a data-derived key cancels the write. */
  evaluate(walk: Walk): boolean {
    if (this.isStatic) return true;
    const segs = this.segs;
    const keys = this.keys;
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i]!;
      switch (s.k) {
        case 'key': keys[i] = s.key; break;
        case 'amp': keys[i] = evalAmp(s.t, walk); break;
        case 'tkey': {
          const v = readPath(walk.datas[walk.level(s.tp.up)], s.tp.path, walk);
          const k = v === undefined ? undefined : coerceKey(v);
          if (k === undefined) return false;
          keys[i] = k;
          break;
        }
        case 'append': keys[i] = APPEND; break;
        case 'idx': keys[i] = s.i; break;
        case 'idxAmp': {
          const n = parseIndex(evalAmp(s.t, walk));
          if (n < 0) return false;
          keys[i] = n;
          break;
        }
        case 'idxHash': keys[i] = walk.counts[walk.level(s.up)]!; break;
        case 'idxT': {
          const v = readPath(walk.datas[walk.level(s.tp.up)], s.tp.path, walk);
          const k = v === undefined ? undefined : coerceKey(v);
          const n = k === undefined ? -1 : parseIndex(k);
          if (n < 0) return false;
          keys[i] = n;
          break;
        }
      }
    }
    return true;
  }
}

function padTo(a: unknown[], n: number): void {
  while (a.length < n) a.push(null);
}

/** Jolt's ShiftrTraversr: create missing containers, drop on type mismatch, turn collisions into lists. */
export function writeOut(holder: JsonObject, keys: readonly (string | number)[], value: unknown): void {
  let cur: unknown = holder;
  const last = keys.length - 1;
  for (let i = 0; i < last; i++) {
    const k = keys[i]!;
    const nextArr = typeof keys[i + 1] === 'number';
    let child: unknown;
    if (typeof k === 'number') {
      if (!Array.isArray(cur)) return;
      if (k === APPEND) {
        child = nextArr ? [] : {};
        cur.push(child);
        cur = child;
        continue;
      }
      child = k < cur.length ? cur[k] : undefined;
      if (child === undefined || child === null) {
        child = nextArr ? [] : {};
        padTo(cur, k);
        cur[k] = child;
      }
    } else {
      if (!isObject(cur)) return;
      child = getOwn(cur, k);
      if (child === undefined || child === null) {
        child = nextArr ? [] : {};
        setOwn(cur, k, child);
      }
    }
    if (nextArr ? !Array.isArray(child) : !isObject(child)) return;
    cur = child;
  }
  const k = keys[last]!;
  if (typeof k === 'number') {
    if (!Array.isArray(cur)) return;
    if (k === APPEND || k >= cur.length) {
      if (k !== APPEND) padTo(cur, k);
      cur.push(value);
      return;
    }
    const existing = cur[k];
    if (existing === null || existing === undefined) cur[k] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else cur[k] = [existing, value];
    return;
  }
  if (!isObject(cur)) return;
  const existing = getOwn(cur, k);
  if (existing === null || existing === undefined) setOwn(cur, k, value);
  else if (Array.isArray(existing)) existing.push(value);
  else setOwn(cur, k, [existing, value]);
}

function parseOutSeg(seg: string, where: string, text: string): OutSeg {
  const probe = removeEscapedChars(seg);
  if (probe === '@') throw new JoltSpecError(where, `output path "${text}": '.@.' is not valid on the right-hand side`);
  if (probe.startsWith('[')) {
    if (!probe.endsWith(']') || probe.indexOf('[', 1) >= 0 || probe.indexOf(']') !== probe.length - 1) {
      throw new JoltSpecError(where, `output path "${text}": array segment "${seg}" needs exactly one "[" and one closing "]"`);
    }
    const body = seg.slice(1, -1);
    if (body === '') return { k: 'append' };
    if (/^\d+$/.test(body)) return { k: 'idx', i: Number(body) };
    if (body.startsWith('&')) {
      const { ref, end } = parseRef(body, 1, where, '&');
      if (end !== body.length) throw new JoltSpecError(where, `output path "${text}": bad index reference "${seg}"`);
      return { k: 'idxAmp', t: [ref] };
    }
    if (body.startsWith('#')) {
      const n = body.slice(1).replace(/^\((\d+)\)$/, '$1');
      if (!/^\d+$/.test(n)) throw new JoltSpecError(where, `output path "${text}": "${seg}" must be [#N] with N a non-negative integer`);
      return { k: 'idxHash', up: Number(n) };
    }
    if (body.startsWith('@')) return { k: 'idxT', tp: parseTranspose(body, where, false) };
    throw new JoltSpecError(where, `output path "${text}": array index "${seg}" must be [], [n], [&N], [#N] or [@(N,path)]`);
  }
  if (probe.startsWith('@')) return { k: 'tkey', tp: parseTranspose(seg, where, false) };
  if (probe.includes('@')) throw new JoltSpecError(where, `output path "${text}": "@" must start the segment "${seg}"`);
  if (probe.includes('[') || probe.includes(']')) throw new JoltSpecError(where, `output path "${text}": misplaced bracket in "${seg}"`);
  if (probe.includes('&')) return { k: 'amp', t: parseAmp(seg, where) };
  if (probe.includes('*')) throw new JoltSpecError(where, `output path "${text}": "*" is not valid on the right-hand side`);
  if (probe.includes('$')) throw new JoltSpecError(where, `output path "${text}": "$" is not valid on the right-hand side`);
  if (probe.includes('#')) throw new JoltSpecError(where, `output path "${text}": "#" is only valid inside "[...]" on the right-hand side`);
  return { k: 'key', key: removeEscapes(seg) };
}

export function parseOutputPath(text: string, where: string): OutPath {
  const segs: OutSeg[] = [{ k: 'key', key: 'root' }];
  if (text.trim() !== '') {
    if (text.includes('*') && !text.includes('\\*')) throw new JoltSpecError(where, `output path "${text}": "*" is not valid on the right-hand side`);
    if (text.includes('$') && !text.includes('\\$')) throw new JoltSpecError(where, `output path "${text}": "$" is not valid on the right-hand side`);
    for (const s of splitDotPath(text, where)) {
      if (s === '') throw new JoltSpecError(where, `output path "${text}" has an empty segment`);
      segs.push(parseOutSeg(s, where, text));
    }
  }
  return new OutPath(segs);
}
