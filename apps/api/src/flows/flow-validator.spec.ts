import { FlowDocumentSchema } from '@sluice/contracts';
import { CronSchedule } from '@sluice/flow-core';
import { describe, expect, it } from 'vitest';
import { validateFlow } from './flow-validator.js';

const withSchedule = (value: string) =>
  FlowDocumentSchema.parse({ name: 'scheduled', processors: [], connections: [], integration: { schedule: { type: 'cron', value } } });

const scheduleIssues = (value: string) => validateFlow(withSchedule(value)).issues.filter((i) => i.field === 'integration.schedule.value');

describe('flow schedule validation', () => {
  it('accepts what the schedule runs: Quartz expressions with seconds, day-of-week names and a year', () => {
    for (const value of ['0 0 12 ? * MON-FRI', '0 30 6 ? * 2-6', '0 0 0 1 1 ? 2099', '*/5 * * * *']) expect(scheduleIssues(value), value).toEqual([]);
  });

  it('reads day-of-week numbers as the schedule does: Quartz counts Sunday as 1', () => {
    expect(scheduleIssues('0 0 9 ? * 7')).toEqual([]);
    // 2030-01-05 is a Saturday: Quartz's 7.
    const next = new CronSchedule('0 0 9 ? * 7', 'UTC').next(Date.UTC(2030, 0, 1));
    expect(new Date(next!).toISOString()).toBe('2030-01-05T09:00:00.000Z');
  });

  it('refuses what the schedule cannot run, naming the field', () => {
    const [issue] = scheduleIssues('0 0 25 * * ?');
    expect(issue).toMatchObject({ field: 'integration.schedule.value', code: 'invalid' });
    expect(issue!.message).toMatch(/^Schedule: '.*' is not a cron expression/);
    expect(scheduleIssues('0 0 0 1 1 ? 20x9')[0]!.message).toContain('bad year field');
  });
});
