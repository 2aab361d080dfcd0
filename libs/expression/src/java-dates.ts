import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import type { ElInstant } from './el-types.js';

/**
 * java.time.format.DateTimeFormatter patterns (Locale.US) over luxon zones: formatting, lenient/strict parsing,
 * Date#toString and Instant#toString printing.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const zoneCache = new Map<string, Zone>();

/** java.time ZoneId.of: region ids, Z, UTC/GMT/UT with or without an offset, +HH[:MM[:SS]]. */
export function resolveZone(id: string): Zone {
  const hit = zoneCache.get(id);
  if (hit) return hit;
  let zone: Zone | null = null;
  if (id === 'Z') zone = FixedOffsetZone.utcInstance;
  else if (id === 'UTC' || id === 'GMT' || id === 'UT') zone = IANAZone.create(id === 'UT' ? 'UTC' : id);
  else {
    const m = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(id);
    if (m) {
      const h = Number(m[2]);
      const mi = Number(m[3] ?? 0);
      if (h <= 18 && mi < 60) zone = FixedOffsetZone.instance((m[1] === '-' ? -1 : 1) * (h * 60 + mi));
    } else if (/^[A-Za-z][A-Za-z0-9~/._+-]+$/.test(id) && IANAZone.isValidZone(id)) zone = IANAZone.create(id);
  }
  if (!zone) throw new Error(`unknown time zone '${id}'`);
  zoneCache.set(id, zone);
  return zone;
}

const isNamedUtc = (zone: Zone) => zone instanceof IANAZone && (zone.name === 'UTC' || zone.name === 'GMT');
const fixedMinutes = (zone: Zone) => zone.offset(0);

function zoneId(zone: Zone): string {
  if (isNamedUtc(zone)) return zone.name;
  if (zone instanceof FixedOffsetZone) return fixedMinutes(zone) === 0 ? 'Z' : offsetText(fixedMinutes(zone) * 60, true, false);
  return zone.name;
}

const SHORT_OVERRIDES: Record<string, string> = {
  'Europe/Istanbul': 'TRT',
  'Asia/Istanbul': 'TRT',
  'Asia/Tokyo': 'JST',
  'Asia/Kolkata': 'IST',
  'Asia/Shanghai': 'CST',
  'Australia/Sydney': 'AEST',
};

function shortZoneName(dt: DateTime, zone: Zone, long: boolean): string {
  if (isNamedUtc(zone)) return long ? (zone.name === 'GMT' ? 'Greenwich Mean Time' : 'Coordinated Universal Time') : zone.name;
  if (zone instanceof FixedOffsetZone) return fixedMinutes(zone) === 0 ? 'Z' : offsetText(fixedMinutes(zone) * 60, true, false);
  if (!long && SHORT_OVERRIDES[zone.name]) return SHORT_OVERRIDES[zone.name]!;
  const fmt = (locale: string) =>
    new Intl.DateTimeFormat(locale, { timeZone: zone.name, timeZoneName: long ? 'long' : 'short' })
      .formatToParts(new Date(dt.toMillis()))
      .find((p) => p.type === 'timeZoneName')?.value ?? zone.name;
  let n = fmt('en-US');
  if (!long && /^GMT[+-]/.test(n)) {
    const gb = fmt('en-GB');
    if (!/^GMT[+-]/.test(gb)) n = gb;
  }
  return n;
}

function offsetText(totalSec: number, colon: boolean, withSeconds: boolean, hoursOnlyIfWhole = false): string {
  const sign = totalSec < 0 ? '-' : '+';
  const a = Math.abs(totalSec);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  const s = a % 60;
  const p = (x: number) => String(x).padStart(2, '0');
  if (hoursOnlyIfWhole && m === 0 && s === 0) return sign + p(h);
  let out = sign + p(h) + (colon ? ':' : '') + p(m);
  if (withSeconds && s !== 0) out += (colon ? ':' : '') + p(s);
  return out;
}

type Token = { lit: string } | { letter: string; count: number };

const patternCache = new Map<string, Token[]>();
const LETTERS = new Set('GuyDMLdQqYwWEecFaBhKkHmsSAnNVvzOXxZp'.split(''));

/** Parses a DateTimeFormatter pattern; throws Error for unknown letters or unclosed quotes. */
export function compilePattern(pattern: string): Token[] {
  const hit = patternCache.get(pattern);
  if (hit) return hit;
  const out: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      const close = pattern.indexOf("'", i + 1);
      if (close === i + 1) {
        out.push({ lit: "'" });
        i += 2;
        continue;
      }
      let text = '';
      let j = i + 1;
      for (;;) {
        const k = pattern.indexOf("'", j);
        if (k < 0) throw new Error(`pattern ends inside a quoted literal: ${pattern}`);
        text += pattern.slice(j, k);
        if (pattern[k + 1] === "'") {
          text += "'";
          j = k + 2;
        } else {
          i = k + 1;
          break;
        }
      }
      out.push({ lit: text });
    } else if (/[A-Za-z]/.test(c)) {
      let n = 1;
      while (pattern[i + n] === c) n++;
      if (!LETTERS.has(c)) throw new Error(`unknown pattern letter '${c}' in '${pattern}'`);
      checkCount(c, n, pattern);
      out.push({ letter: c, count: n });
      i += n;
    } else if (c === '[' || c === ']' || c === '{' || c === '}' || c === '#') {
      if (c === '#' || c === '{' || c === '}') throw new Error(`reserved pattern character '${c}' in '${pattern}'`);
      out.push({ lit: '' });
      i++;
    } else {
      out.push({ lit: c });
      i++;
    }
  }
  if (patternCache.size > 500) patternCache.clear();
  patternCache.set(pattern, out);
  return out;
}

function checkCount(c: string, n: number, pattern: string): void {
  const max: Record<string, number> = { G: 5, M: 5, L: 5, d: 2, Q: 5, q: 5, E: 5, e: 5, c: 5, F: 1, a: 1, h: 2, K: 2, k: 2, H: 2, m: 2, s: 2, D: 3, w: 2, W: 1, V: 2, z: 4, O: 4, X: 5, x: 5, Z: 5, v: 4, B: 5 };
  const lim = max[c];
  if (lim !== undefined && n > lim) throw new Error(`too many pattern letters '${c}' in '${pattern}'`);
  if (c === 'V' && n !== 2) throw new Error(`pattern letter 'V' must be 'VV' in '${pattern}'`);
  if (c === 'O' && n !== 1 && n !== 4) throw new Error(`pattern letter 'O' must be 1 or 4 letters in '${pattern}'`);
}

const pad = (v: number, n: number) => (v < 0 ? '-' + String(-v).padStart(n, '0') : String(v).padStart(n, '0'));

/** US week fields: weeks start on Sunday, week 1 contains January 1. */
function usWeek(dt: DateTime): { weekYear: number; week: number } {
  const dow0 = dt.weekday % 7; // Sunday = 0
  const startOfWeek = dt.startOf('day').minus({ days: dow0 });
  const endOfWeek = startOfWeek.plus({ days: 6 });
  if (endOfWeek.year > dt.year) return { weekYear: endOfWeek.year, week: 1 };
  const jan1 = DateTime.fromObject({ year: dt.year, month: 1, day: 1 }, { zone: dt.zone });
  const firstWeekStart = jan1.minus({ days: jan1.weekday % 7 });
  const week = Math.floor(Math.round(startOfWeek.diff(firstWeekStart, 'days').days) / 7) + 1;
  return { weekYear: dt.year, week };
}

function yearText(y: number, count: number): string {
  if (count === 2) return pad(((y % 100) + 100) % 100, 2);
  return pad(y, count);
}

/** Formats epoch millis plus extra nanos with a DateTimeFormatter pattern in Locale.US. */
export function formatPattern(pattern: string, epochMs: number, nanoOfSecond: number, zone: Zone): string {
  const tokens = compilePattern(pattern);
  const dt = DateTime.fromMillis(epochMs, { zone });
  let out = '';
  for (const t of tokens) {
    if ('lit' in t) {
      out += t.lit;
      continue;
    }
    const n = t.count;
    switch (t.letter) {
      case 'G':
        out += n === 4 ? (dt.year > 0 ? 'Anno Domini' : 'Before Christ') : n === 5 ? (dt.year > 0 ? 'A' : 'B') : dt.year > 0 ? 'AD' : 'BC';
        break;
      case 'u':
        out += yearText(dt.year, n);
        break;
      case 'y':
        out += yearText(dt.year > 0 ? dt.year : 1 - dt.year, n);
        break;
      case 'Y':
        out += yearText(usWeek(dt).weekYear, n);
        break;
      case 'w':
        out += pad(usWeek(dt).week, n);
        break;
      case 'W': {
        const first = dt.startOf('month');
        out += String(Math.floor((dt.day - 1 + (first.weekday % 7)) / 7) + 1);
        break;
      }
      case 'M':
      case 'L':
        out += n <= 2 ? pad(dt.month, n) : n === 3 ? MONTHS[dt.month - 1]!.slice(0, 3) : n === 4 ? MONTHS[dt.month - 1]! : MONTHS[dt.month - 1]![0]!;
        break;
      case 'd':
        out += pad(dt.day, n);
        break;
      case 'D':
        out += pad(dt.ordinal, n);
        break;
      case 'Q':
      case 'q': {
        const q = Math.ceil(dt.month / 3);
        out += n <= 2 ? pad(q, n) : n === 3 ? `Q${q}` : n === 4 ? `${['1st', '2nd', '3rd', '4th'][q - 1]} quarter` : String(q);
        break;
      }
      case 'E':
        out += n <= 3 ? DAYS[dt.weekday - 1]!.slice(0, 3) : n === 4 ? DAYS[dt.weekday - 1]! : DAYS[dt.weekday - 1]![0]!;
        break;
      case 'e':
      case 'c':
        out += n <= 2 ? pad((dt.weekday % 7) + 1, n) : n === 3 ? DAYS[dt.weekday - 1]!.slice(0, 3) : n === 4 ? DAYS[dt.weekday - 1]! : DAYS[dt.weekday - 1]![0]!;
        break;
      case 'F':
        out += String(Math.floor((dt.day - 1) / 7) + 1);
        break;
      case 'a':
        out += dt.hour < 12 ? 'AM' : 'PM';
        break;
      case 'B':
        out += dt.hour < 6 ? 'at night' : dt.hour < 12 ? 'in the morning' : dt.hour < 18 ? 'in the afternoon' : 'in the evening';
        break;
      case 'h':
        out += pad(dt.hour % 12 === 0 ? 12 : dt.hour % 12, n);
        break;
      case 'K':
        out += pad(dt.hour % 12, n);
        break;
      case 'k':
        out += pad(dt.hour === 0 ? 24 : dt.hour, n);
        break;
      case 'H':
        out += pad(dt.hour, n);
        break;
      case 'm':
        out += pad(dt.minute, n);
        break;
      case 's':
        out += pad(dt.second, n);
        break;
      case 'S':
        out += String(nanoOfSecond).padStart(9, '0').slice(0, n).padEnd(n, '0');
        break;
      case 'A':
        out += pad(((dt.hour * 60 + dt.minute) * 60 + dt.second) * 1000 + Math.floor(nanoOfSecond / 1e6), n);
        break;
      case 'n':
        out += pad(nanoOfSecond, n);
        break;
      case 'N':
        out += String(BigInt((dt.hour * 60 + dt.minute) * 60 + dt.second) * 1_000_000_000n + BigInt(nanoOfSecond)).padStart(n, '0');
        break;
      case 'V':
        out += zoneId(zone);
        break;
      case 'v':
      case 'z':
        out += shortZoneName(dt, zone, n === 4);
        break;
      case 'O': {
        const off = dt.offset * 60;
        if (off === 0) out += 'GMT';
        else if (n === 4) out += 'GMT' + offsetText(off, true, true);
        else {
          const a = Math.abs(off);
          const mm = Math.floor((a % 3600) / 60);
          out += 'GMT' + (off < 0 ? '-' : '+') + Math.floor(a / 3600) + (mm ? ':' + pad(mm, 2) : '');
        }
        break;
      }
      case 'X':
      case 'x': {
        const off = dt.offset * 60;
        if (t.letter === 'X' && off === 0) out += 'Z';
        else if (n === 1) out += offsetText(off, false, false, true);
        else out += offsetText(off, n === 3 || n === 5, n >= 4);
        break;
      }
      case 'Z': {
        const off = dt.offset * 60;
        if (n <= 3) out += offsetText(off, false, false);
        else if (n === 4) out += off === 0 ? 'GMT' : 'GMT' + offsetText(off, true, true);
        else out += off === 0 ? 'Z' : offsetText(off, true, true);
        break;
      }
      case 'p':
        break;
    }
  }
  return out;
}

/** java.util.Date#toString in the given zone: `EEE MMM dd HH:mm:ss zzz yyyy`. */
export function dateToJavaString(ms: number, tz: string): string {
  return formatPattern('EEE MMM dd HH:mm:ss zzz yyyy', ms, 0, resolveZone(tz));
}

/** java.time.Instant#toString. */
export function instantToIsoString(i: ElInstant): string {
  const dt = DateTime.fromMillis(i.sec * 1000, { zone: 'UTC' });
  const y = dt.year;
  const yearText = y > 9999 ? '+' + y : y < 0 ? '-' + String(-y).padStart(4, '0') : String(y).padStart(4, '0');
  let s = `${yearText}-${pad(dt.month, 2)}-${pad(dt.day, 2)}T${pad(dt.hour, 2)}:${pad(dt.minute, 2)}:${pad(dt.second, 2)}`;
  if (i.nano) {
    const f = String(i.nano).padStart(9, '0');
    s += '.' + (i.nano % 1_000_000 === 0 ? f.slice(0, 3) : i.nano % 1000 === 0 ? f.slice(0, 6) : f);
  }
  return s + 'Z';
}

// ---------------------------------------------------------------- parsing

export interface ParseOptions {
  readonly strict: boolean;
  readonly caseInsensitive: boolean;
  /** STRICT resolver: reject Feb 30 instead of clamping (SMART). */
  readonly strictResolve?: boolean;
}

interface Parsed {
  year?: number;
  yearOfEra?: number;
  era?: number;
  month?: number;
  day?: number;
  doy?: number;
  hour?: number;
  hour12?: number;
  hour0_11?: number;
  hour1_24?: number;
  ampm?: number;
  minute?: number;
  second?: number;
  nano?: number;
  offsetSec?: number;
  zone?: Zone;
}

const isNumericToken = (t: Token) => !('lit' in t) && 'uyYDMLdQqwWecFhKkHmsSAnN'.includes(t.letter) && !(('MLQqec'.includes(t.letter)) && t.count >= 3);

function fixedWidth(t: Token): number {
  return 'lit' in t ? 0 : t.count;
}

/** Parses `text` fully against `pattern`; throws Error describing the mismatch. */
export function parsePattern(text: string, pattern: string, opts: ParseOptions): Parsed {
  const tokens = compilePattern(pattern);
  const p: Parsed = {};
  let pos = 0;
  const ci = opts.caseInsensitive;
  const fail = (what: string): never => {
    throw new Error(`'${text}' does not match pattern '${pattern}' (${what} at index ${pos})`);
  };
  for (let ti = 0; ti < tokens.length; ti++) {
    const t = tokens[ti]!;
    if ('lit' in t) {
      const seg = text.slice(pos, pos + t.lit.length);
      if (seg === t.lit || (ci && seg.toLowerCase() === t.lit.toLowerCase())) pos += t.lit.length;
      else if (!opts.strict && t.lit === ' ' && false) pos++;
      else fail(`expected '${t.lit}'`);
      continue;
    }
    const { letter, count } = t;
    if (isNumericToken(t)) {
      // adjacent value parsing: reserve digits for directly following numeric tokens
      let reserve = 0;
      let k = ti + 1;
      while (k < tokens.length && isNumericToken(tokens[k]!)) reserve += fixedWidth(tokens[k]!), k++;
      const adjacentFollower = ti > 0 && isNumericToken(tokens[ti - 1]!);
      let min: number;
      let max: number;
      if (letter === 'S') {
        min = opts.strict || adjacentFollower || reserve ? count : 0;
        max = opts.strict || adjacentFollower || reserve ? count : 9;
      } else if (adjacentFollower) {
        min = max = count;
      } else if ((letter === 'y' || letter === 'u' || letter === 'Y') && count === 2) {
        min = opts.strict || reserve ? 2 : 1;
        max = opts.strict || reserve ? 2 : 9;
      } else if (letter === 'y' || letter === 'u' || letter === 'Y') {
        min = opts.strict || reserve ? count : 1;
        max = opts.strict || reserve ? (count === 1 ? 19 : 19) : 19;
        if (count === 1 && opts.strict) min = 1;
      } else if (count === 1) {
        min = 1;
        max = opts.strict || reserve ? 19 : 19;
      } else {
        min = opts.strict || reserve ? count : 1;
        max = opts.strict || reserve ? count : 19;
      }
      let sign = 1;
      if ((letter === 'y' || letter === 'u') && count >= 4 && (text[pos] === '+' || text[pos] === '-')) {
        sign = text[pos] === '-' ? -1 : 1;
        pos++;
      }
      let end = pos;
      while (end < text.length && end - pos < max && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
      if (reserve) {
        let avail = end;
        while (avail < text.length && text.charCodeAt(avail) >= 48 && text.charCodeAt(avail) <= 57) avail++;
        end = Math.min(end, avail - reserve);
      }
      if (end - pos < min) fail(`expected ${min} digit(s) for '${letter.repeat(count)}'`);
      const digits = text.slice(pos, end);
      pos = end;
      const v = Number(digits) * sign;
      switch (letter) {
        case 'y':
          if (count === 2 && digits.length === 2) p.yearOfEra = 2000 + v;
          else p.yearOfEra = v;
          break;
        case 'u':
          p.year = count === 2 && digits.length === 2 ? 2000 + v : v;
          break;
        case 'M':
        case 'L':
          p.month = v;
          break;
        case 'd':
          p.day = v;
          break;
        case 'D':
          p.doy = v;
          break;
        case 'H':
          p.hour = v;
          break;
        case 'h':
          p.hour12 = v;
          break;
        case 'K':
          p.hour0_11 = v;
          break;
        case 'k':
          p.hour1_24 = v;
          break;
        case 'm':
          p.minute = v;
          break;
        case 's':
          p.second = v;
          break;
        case 'S':
          p.nano = Number(digits.padEnd(9, '0').slice(0, 9));
          break;
        case 'n':
          p.nano = v;
          break;
        case 'A': {
          p.hour = Math.floor(v / 3600000);
          p.minute = Math.floor(v / 60000) % 60;
          p.second = Math.floor(v / 1000) % 60;
          p.nano = (v % 1000) * 1e6;
          break;
        }
        default:
          // week-based and day-of-week numbers are parsed but not used to resolve the date
          break;
      }
      continue;
    }
    const rest = text.slice(pos);
    const matchWord = (words: readonly string[]): number => {
      let best = -1;
      let bestLen = 0;
      words.forEach((w, idx) => {
        const seg = rest.slice(0, w.length);
        if ((seg === w || (ci && seg.toLowerCase() === w.toLowerCase())) && w.length > bestLen) {
          best = idx;
          bestLen = w.length;
        }
      });
      if (best >= 0) pos += bestLen;
      return best;
    };
    switch (letter) {
      case 'M':
      case 'L': {
        const names = count === 3 ? MONTHS.map((m) => m.slice(0, 3)) : count === 4 ? MONTHS : MONTHS.map((m) => m[0]!);
        const i = matchWord(names);
        if (i < 0) fail('expected a month name');
        p.month = i + 1;
        break;
      }
      case 'E':
      case 'e':
      case 'c': {
        const names = count <= 3 ? DAYS.map((d) => d.slice(0, 3)) : count === 4 ? DAYS : DAYS.map((d) => d[0]!);
        if (matchWord(names) < 0) fail('expected a day name');
        break;
      }
      case 'a': {
        const i = matchWord(['AM', 'PM']);
        if (i < 0) fail('expected AM or PM');
        p.ampm = i;
        break;
      }
      case 'G': {
        const i = matchWord(count === 4 ? ['Before Christ', 'Anno Domini'] : ['BC', 'AD']);
        if (i < 0) fail('expected an era');
        p.era = i;
        break;
      }
      case 'Q':
      case 'q':
        if (matchWord(['Q1', 'Q2', 'Q3', 'Q4', '1st quarter', '2nd quarter', '3rd quarter', '4th quarter']) < 0) fail('expected a quarter');
        break;
      case 'X':
      case 'x':
      case 'Z':
      case 'O': {
        if ((letter === 'X' || (letter === 'Z' && count === 5)) && (rest[0] === 'Z' || (ci && rest[0] === 'z'))) {
          pos++;
          p.offsetSec = 0;
          break;
        }
        let r = rest;
        if (letter === 'O' || (letter === 'Z' && count === 4)) {
          if (!r.startsWith('GMT')) fail('expected GMT');
          pos += 3;
          r = r.slice(3);
          if (!/^[+-]/.test(r)) {
            p.offsetSec = 0;
            break;
          }
        }
        const m = /^([+-])(\d{2}):?(\d{2})?(?::?(\d{2}))?/.exec(r) ?? /^([+-])(\d{1,2})/.exec(r);
        if (!m) fail('expected an offset');
        pos += m![0].length;
        p.offsetSec = (m![1] === '-' ? -1 : 1) * (Number(m![2]) * 3600 + Number(m![3] ?? 0) * 60 + Number(m![4] ?? 0));
        break;
      }
      case 'V':
      case 'z':
      case 'v': {
        const m = /^[A-Za-z][A-Za-z0-9~/._+-]*/.exec(rest);
        if (!m) fail('expected a time zone');
        let id = m![0];
        let zone: Zone | null = null;
        while (id.length > 0) {
          const z = zoneFromText(id);
          if (z) {
            zone = z;
            break;
          }
          id = id.slice(0, -1);
        }
        if (!zone) fail('unknown time zone');
        pos += id.length;
        p.zone = zone!;
        break;
      }
      default:
        fail(`pattern letter '${letter}' cannot be parsed`);
    }
  }
  if (pos !== text.length) fail('unparsed text found');
  return p;
}

const ZONE_ABBREVIATIONS: Record<string, string> = {
  UTC: 'UTC',
  GMT: 'GMT',
  UT: 'UTC',
  Z: 'UTC',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  CET: 'Europe/Paris',
  CEST: 'Europe/Paris',
  BST: 'Europe/London',
  TRT: 'Europe/Istanbul',
  JST: 'Asia/Tokyo',
};

function zoneFromText(id: string): Zone | null {
  const abbr = ZONE_ABBREVIATIONS[id.toUpperCase()];
  try {
    if (abbr) return resolveZone(abbr === 'UTC' || abbr === 'GMT' ? abbr : abbr);
    if (id.includes('/')) return resolveZone(id);
  } catch {
    return null;
  }
  return null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Resolves parsed fields to epoch millis + nano-of-second; missing fields default to 1970-01-01T00:00. */
export function resolveParsed(p: Parsed, defaultZone: Zone, strictResolve: boolean, zonePrecedence: 'offset-first' | 'zone-arg-first' = 'offset-first'): { ms: number; nano: number } {
  const noYear = p.year === undefined && p.yearOfEra === undefined;
  // without a year, validation must accept Feb 29 (a MonthDay), so check against a leap year
  let year = p.year ?? (p.yearOfEra !== undefined ? (p.era === 0 ? 1 - p.yearOfEra : p.yearOfEra) : strictResolve && noYear ? 2000 : 1970);
  if (!Number.isFinite(year)) year = 1970;
  let month = p.month ?? 1;
  let day = p.day ?? 1;
  if (p.doy !== undefined && p.month === undefined && p.day === undefined) {
    const max = isLeap(year) ? 366 : 365;
    if (p.doy < 1 || p.doy > max) throw new Error(`invalid day of year ${p.doy}`);
    const d = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: 'UTC' }).plus({ days: p.doy - 1 });
    month = d.month;
    day = d.day;
  }
  if (month < 1 || month > 12) throw new Error(`invalid month ${month}`);
  const dim = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > 31) throw new Error(`invalid day of month ${day}`);
  if (day > dim) {
    if (strictResolve) throw new Error(`invalid date: day ${day} of month ${month}`);
    day = dim;
  }
  let hour = p.hour ?? 0;
  if (p.hour === undefined) {
    if (p.hour12 !== undefined) {
      if (p.hour12 < 1 || p.hour12 > 12) throw new Error(`invalid clock hour ${p.hour12}`);
      hour = (p.hour12 % 12) + (p.ampm === 1 ? 12 : 0);
    } else if (p.hour0_11 !== undefined) {
      if (p.hour0_11 > 11) throw new Error(`invalid hour ${p.hour0_11}`);
      hour = p.hour0_11 + (p.ampm === 1 ? 12 : 0);
    } else if (p.hour1_24 !== undefined) hour = p.hour1_24 === 24 ? 0 : p.hour1_24;
  }
  const minute = p.minute ?? 0;
  const second = p.second ?? 0;
  let extraDay = 0;
  if (hour === 24 && minute === 0 && second === 0 && !strictResolve) {
    hour = 0;
    extraDay = 1;
  }
  if (hour > 23 || minute > 59 || second > 59) throw new Error(`invalid time ${hour}:${minute}:${second}`);
  const nano = p.nano ?? 0;
  const ms = Math.floor(nano / 1e6);
  let zone: Zone = defaultZone;
  if (zonePrecedence === 'offset-first' && p.offsetSec !== undefined) zone = FixedOffsetZone.instance(p.offsetSec / 60);
  else if (p.zone) zone = p.zone;
  else if (p.offsetSec !== undefined) zone = FixedOffsetZone.instance(p.offsetSec / 60);
  let dt = DateTime.fromObject({ year, month, day, hour, minute, second, millisecond: ms }, { zone });
  if (!dt.isValid) throw new Error(`invalid date ${year}-${month}-${day}`);
  if (extraDay) dt = dt.plus({ days: 1 });
  return { ms: dt.toMillis(), nano };
}

/** True when local wall-clock fields do not exist in the zone (DST gap). */
export function isInGap(p: Parsed, zone: Zone): boolean {
  if (p.offsetSec !== undefined || zone instanceof FixedOffsetZone) return false;
  const year = p.year ?? p.yearOfEra ?? 1970;
  const hour = p.hour ?? (p.hour12 !== undefined ? (p.hour12 % 12) + (p.ampm === 1 ? 12 : 0) : p.hour0_11 !== undefined ? p.hour0_11 + (p.ampm === 1 ? 12 : 0) : 0);
  const dt = DateTime.fromObject({ year, month: p.month ?? 1, day: p.day ?? 1, hour, minute: p.minute ?? 0, second: p.second ?? 0 }, { zone });
  return dt.isValid && (dt.hour !== hour || dt.minute !== (p.minute ?? 0));
}

// ---------------------------------------------------------------- implicit conversions

const MONTH3 = MONTHS.map((m) => m.slice(0, 3).toLowerCase());

/** Implicit String→Date: digits (epoch ms), Date#toString, or yyyy/MM/dd HH:mm:ss[.SSS] in the default zone. */
export function implicitStringToDateMs(text: string, tz: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^[A-Za-z]{3} ([A-Za-z]{3}) (\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2}) ([A-Za-z0-9+:/_-]+) (\d{1,4})$/.exec(text.trim());
  if (m) {
    const month = MONTH3.indexOf(m[1]!.toLowerCase()) + 1;
    const zone = zoneFromText(m[6]!) ?? (() => {
      try {
        return resolveZone(m[6]!);
      } catch {
        return null;
      }
    })();
    if (month > 0 && zone) {
      const dt = DateTime.fromObject({ year: Number(m[7]), month, day: Number(m[2]), hour: Number(m[3]), minute: Number(m[4]), second: Number(m[5]) }, { zone });
      if (dt.isValid) return dt.toMillis();
    }
  }
  const s = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?$/.exec(text);
  if (s) {
    const dt = DateTime.fromObject(
      { year: Number(s[1]), month: Number(s[2]), day: Number(s[3]), hour: Number(s[4]), minute: Number(s[5]), second: Number(s[6]), millisecond: Number(s[7] ?? 0) },
      { zone: resolveZone(tz) },
    );
    if (dt.isValid) return dt.toMillis();
  }
  return null;
}

/** Implicit String→Instant: digits (epoch ms), ISO instant, ISO offset date-time, RFC-1123. */
export function parseInstantText(text: string, allowDigits: boolean): { sec: number; nano: number } | null {
  if (allowDigits && /^\d+$/.test(text)) {
    const ms = Number(text);
    const sec = Math.floor(ms / 1000);
    return { sec, nano: (ms - sec * 1000) * 1e6 };
  }
  const iso = /^([+-]?\d{4,9})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}(?::\d{2})?)$/i.exec(text);
  if (iso) {
    const off = iso[8]!.toUpperCase() === 'Z' ? 0 : (iso[8]![0] === '-' ? -1 : 1) * (Number(iso[8]!.slice(1, 3)) * 60 + Number(iso[8]!.slice(4, 6)));
    const dt = DateTime.fromObject(
      { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]), hour: Number(iso[4]), minute: Number(iso[5]), second: Number(iso[6] ?? 0) },
      { zone: FixedOffsetZone.instance(off) },
    );
    if (!dt.isValid || dt.day !== Number(iso[3])) return null;
    return { sec: Math.floor(dt.toMillis() / 1000), nano: Number((iso[7] ?? '').padEnd(9, '0')) };
  }
  const rfc = /^(?:[A-Za-z]{3}, )?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (GMT|UT|Z|[+-]\d{4})$/.exec(text);
  if (rfc) {
    const month = MONTH3.indexOf(rfc[2]!.toLowerCase()) + 1;
    if (month < 1) return null;
    const z = rfc[7]!;
    const off = /^[+-]/.test(z) ? (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) : 0;
    const dt = DateTime.fromObject(
      { year: Number(rfc[3]), month, day: Number(rfc[1]), hour: Number(rfc[4]), minute: Number(rfc[5]), second: Number(rfc[6] ?? 0) },
      { zone: FixedOffsetZone.instance(off) },
    );
    if (!dt.isValid) return null;
    return { sec: Math.floor(dt.toMillis() / 1000), nano: 0 };
  }
  return null;
}
