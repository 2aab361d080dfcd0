import { describe, expect, it } from 'vitest';
import { checkCron, CronSchedule } from './cron-schedule.js';

const at = (iso: string) => Date.parse(iso);
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

describe('CronSchedule', () => {
  it('reads five fields as Unix cron, minute first', () => {
    const c = new CronSchedule('*/15 * * * *');
    expect(iso(c.next(at('2026-01-01T10:07:00Z')))).toBe('2026-01-01T10:15:00.000Z');
  });

  it('returns the first fire time strictly after the given instant', () => {
    const c = new CronSchedule('0 * * * *');
    expect(iso(c.next(at('2026-01-01T10:00:00Z')))).toBe('2026-01-01T11:00:00.000Z');
  });

  it('reads six fields as Quartz, seconds first, with 1 = Sunday', () => {
    // NiFi's "every Monday at 02:30:15": Quartz day-of-week 2 is Monday.
    const c = new CronSchedule('15 30 2 ? * 2');
    expect(iso(c.next(at('2026-01-01T00:00:00Z')))).toBe('2026-01-05T02:30:15.000Z');
  });

  it('honours a Quartz year field', () => {
    const c = new CronSchedule('0 0 0 1 1 ? 2028');
    expect(iso(c.next(at('2026-06-01T00:00:00Z')))).toBe('2028-01-01T00:00:00.000Z');
  });

  it('uses the given time zone', () => {
    const c = new CronSchedule('0 0 9 * * ?', 'Europe/Istanbul');
    expect(iso(c.next(at('2026-01-01T00:00:00Z')))).toBe('2026-01-01T06:00:00.000Z');
  });

  it('rejects bad expressions with a clear message', () => {
    expect(() => new CronSchedule('* *')).toThrow("'* *' is not a cron expression: expected 5 to 7 fields, got 2");
    expect(checkCron('0 0 0 1 1 ? 20x8')).toMatch(/bad year field '20x8'/);
    expect(checkCron('61 * * * *')).toMatch(/is not a cron expression/);
    expect(checkCron('0 0 12 * * ?')).toBeNull();
  });
});
