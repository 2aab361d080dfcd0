import { CronExpressionParser } from 'cron-parser';

/**
 * A cron schedule. Five fields are Unix cron (minute first); six or seven are Quartz (seconds first,
 * optional year, day-of-week 1-7 with 1 = Sunday), as NiFi uses.
 */
export class CronSchedule {
  private readonly expression: string;
  private readonly years: ((year: number) => boolean) | null;

  constructor(text: string, private readonly timeZone = 'UTC') {
    const fields = text.trim().split(/\s+/);
    if (fields.length < 5 || fields.length > 7) throw new Error(`'${text}' is not a cron expression: expected 5 to 7 fields, got ${fields.length}`);
    if (fields.length >= 6) {
      fields[5] = quartzDayOfWeek(fields[5]!);
    }
    this.years = fields.length === 7 ? yearMatcher(fields[6]!, text) : null;
    this.expression = fields.slice(0, 6).join(' ');
    // Parse once now so a bad expression fails at construction with a clear message.
    this.next(0);
  }

  /** The first fire time strictly after `after` (epoch millis), or null when there is none. */
  next(after: number): number | null {
    let from = after;
    for (let i = 0; i < 1000; i++) {
      let it;
      try {
        it = CronExpressionParser.parse(this.expression, { currentDate: new Date(from), tz: this.timeZone });
      } catch (e) {
        throw new Error(`'${this.expression}' is not a cron expression: ${(e as Error).message}`);
      }
      let t: number;
      try {
        t = it.next().getTime();
      } catch {
        return null;
      }
      if (!this.years || this.years(new Date(t).getUTCFullYear())) return t;
      from = t;
    }
    return null;
  }
}

/** For validation: null when the text is a usable cron expression, else the reason. */
export function checkCron(text: string): string | null {
  try {
    new CronSchedule(text);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

function quartzDayOfWeek(field: string): string {
  // Quartz counts Sunday as 1; Unix cron as 0.
  return field.replace(/\d+/g, (n, offset: number, whole: string) => {
    const before = whole[offset - 1];
    if (before === '/' || before === '#') return n;
    const v = Number(n);
    return v >= 1 && v <= 7 ? String(v - 1) : n;
  });
}

function yearMatcher(field: string, text: string): (year: number) => boolean {
  if (field === '*' || field === '?') return () => true;
  const parts = field.split(',').map((part) => {
    const m = /^(\d{4})(?:-(\d{4}))?(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`'${text}' is not a cron expression: bad year field '${field}'`);
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : m[3] ? 9999 : from;
    const step = m[3] ? Number(m[3]) : 1;
    return (y: number) => y >= from && y <= to && (y - from) % step === 0;
  });
  return (y) => parts.some((p) => p(y));
}
