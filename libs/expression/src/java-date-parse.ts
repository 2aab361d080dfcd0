import { DateTime, FixedOffsetZone, type Zone } from 'luxon';
import { compilePattern, DAYS, MONTHS, resolveZone, type Token } from './java-dates.js';

/** Parsing text against java.time.format.DateTimeFormatter patterns (Locale.US), lenient or strict, and resolving the fields. */

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
