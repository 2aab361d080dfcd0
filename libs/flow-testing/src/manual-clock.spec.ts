import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock.js';

describe('ManualClock', () => {
  it('starts at the given instant and moves only when advanced', async () => {
    const clock = new ManualClock(1000);
    expect(clock.now()).toBe(1000);
    await clock.advance(250);
    expect(clock.now()).toBe(1250);
    clock.set(5000);
    expect(clock.now()).toBe(5000);
  });

  it('fires due timers in time order (ties in creation order) and each sees its own time', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 30);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`b1@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`b2@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`late@${clock.now()}`), 100);
    expect(clock.nextTimerAt()).toBe(10);
    await clock.advance(50);
    expect(fired).toEqual(['a@10', 'b1@20', 'b2@20', 'c@30']);
    expect(clock.now()).toBe(50);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(50);
    expect(fired.at(-1)).toBe('late@100');
    expect(clock.pendingTimers).toBe(0);
  });

  it('fires timers that other timers arm within the same advance', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    const tick = () => {
      fired.push(clock.now());
      clock.setTimeout(tick, 10);
    };
    clock.setTimeout(tick, 10);
    await clock.advance(35);
    expect(fired).toEqual([10, 20, 30]);
  });

  it('does not fire cleared timers', async () => {
    const clock = new ManualClock(0);
    let fired = false;
    const handle = clock.setTimeout(() => (fired = true), 5);
    clock.clearTimeout(handle);
    await clock.advance(10);
    expect(fired).toBe(false);
    expect(clock.nextTimerAt()).toBeNull();
  });

  it('lets promise chains a timer starts settle before the next timer fires', async () => {
    const clock = new ManualClock(0);
    const order: string[] = [];
    clock.setTimeout(() => {
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => order.push('first settled'));
    }, 1);
    clock.setTimeout(() => order.push('second fired'), 2);
    await clock.advance(2);
    expect(order).toEqual(['first settled', 'second fired']);
  });

  it('reports a busy loop of zero-delay timers instead of hanging', async () => {
    const clock = new ManualClock(0);
    const spin = () => clock.setTimeout(spin, 0);
    spin();
    await expect(clock.advance(1)).rejects.toThrow(/without time passing/);
  });
});
