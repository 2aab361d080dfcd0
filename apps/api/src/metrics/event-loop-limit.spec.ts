import { describe, expect, it } from 'vitest';
import { BLOCK_BUCKETS_S } from './event-loop-monitor.js';
import { referenceJobCpuMs, REFERENCE_JOB_CPU_MS, scaledLimit } from './event-loop.testing.js';

describe('event-loop limits scaled to the machine', () => {
  it('is the limit itself on a machine as fast as the reference, or faster', () => {
    expect(scaledLimit(100, REFERENCE_JOB_CPU_MS)).toMatchObject({ seconds: 0.1, factor: 1 });
    expect(scaledLimit(100, REFERENCE_JOB_CPU_MS / 3)).toMatchObject({ seconds: 0.1, factor: 1 });
  });

  it('grows with the machine’s time for the reference job, rounded down to a bound of the histogram', () => {
    expect(scaledLimit(100, REFERENCE_JOB_CPU_MS * 1.5).seconds).toBe(0.15);
    expect(scaledLimit(100, REFERENCE_JOB_CPU_MS * 1.4).seconds).toBe(0.125);
    expect(scaledLimit(100, REFERENCE_JOB_CPU_MS * 1.99).seconds).toBe(0.15);
    expect(scaledLimit(100, REFERENCE_JOB_CPU_MS * 2).seconds).toBe(0.2);
    expect(scaledLimit(100, REFERENCE_JOB_CPU_MS * 12).seconds).toBe(1);
    expect(scaledLimit(150, REFERENCE_JOB_CPU_MS).seconds).toBe(0.15);
    const limit = scaledLimit(100, REFERENCE_JOB_CPU_MS * 1.7);
    expect(BLOCK_BUCKETS_S).toContain(limit.seconds);
    expect(limit.factor).toBeCloseTo(1.7);
    expect(limit.text).toContain('limit 150 ms');
  });

  it('measures the reference job on this machine', async () => {
    const ms = await referenceJobCpuMs(5);
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThan(10_000);
  });
});
