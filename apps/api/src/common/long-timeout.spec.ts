import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS } from '@sluice/flow-api';
import { clearLongTimeout, setLongTimeout } from './long-timeout.js';

const DAY = 86_400_000;

describe('setLongTimeout', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires a delay of 29 days once, when it is due, not after 1 ms', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    setLongTimeout(fired, 29 * DAY);
    vi.advanceTimersByTime(1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(29 * DAY - MAX_TIMER_MS - 2);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60 * DAY);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('can be cleared on the way', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const handle = setLongTimeout(fired, 60 * DAY);
    vi.advanceTimersByTime(30 * DAY);
    clearLongTimeout(handle);
    vi.advanceTimersByTime(60 * DAY);
    expect(fired).not.toHaveBeenCalled();
    expect(() => clearLongTimeout(undefined)).not.toThrow();
  });

  it('gives Node no delay it would overflow', async () => {
    const warnings: string[] = [];
    const listener = (w: Error) => void warnings.push(w.name);
    process.on('warning', listener);
    try {
      const handle = setLongTimeout(() => undefined, 2.5e9);
      await new Promise((r) => setTimeout(r, 20));
      clearLongTimeout(handle);
    } finally {
      process.off('warning', listener);
    }
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });
});
