import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import type { ElInstant } from './el-types.js';

/**
 * java.time.format.DateTimeFormatter patterns (Locale.US) over luxon zones: compiling and formatting them,
 * Date#toString and Instant#toString printing. Parsing is in java-date-parse.ts.
 */

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

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

export type Token = { lit: string } | { letter: string; count: number };

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
