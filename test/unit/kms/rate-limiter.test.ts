// The per-class KMS limiter paces at the configured rate, no faster (KMS would throttle) and no slower
// (the quota is what users pay throughput for). Fake timers make the clock exact.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_KMS_RATE_LIMITS, KmsRateLimiter } from '../../../src/kms/rate-limiter.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Schedules `count` Sign tasks at once and returns the clock time each one started at. */
async function startTimes(perSecond: number, count: number): Promise<number[]> {
  const limiter = new KmsRateLimiter({ ...DEFAULT_KMS_RATE_LIMITS, sign: perSecond });
  const starts: number[] = [];
  const all = Promise.all(
    Array.from({ length: count }, () =>
      limiter.schedule('sign', () => {
        starts.push(Date.now());
        return Promise.resolve();
      }),
    ),
  );
  await vi.runAllTimersAsync();
  await all;
  return starts;
}

/** The most starts in any half-open window [t, t + 1000 ms). */
function busiestSecond(starts: readonly number[]): number {
  let most = 0;
  for (const [i, start] of starts.entries()) {
    const inWindow = starts.slice(i).filter((t) => t < start + 1000).length;
    most = Math.max(most, inWindow);
  }
  return most;
}

describe('KmsRateLimiter', () => {
  it('sustains the full 300 Sign/s: 900 queued calls take 3 s and no second holds more than 300', async () => {
    const starts = await startTimes(300, 900);
    const span = (starts.at(-1) ?? 0) - (starts[0] ?? 0);
    expect(span).toBeGreaterThanOrEqual(2990);
    expect(span).toBeLessThanOrEqual(3010);
    expect(busiestSecond(starts)).toBeLessThanOrEqual(300);
  });

  it('paces a rate below one per second instead of rounding it up', async () => {
    const starts = await startTimes(0.5, 3);
    expect((starts[2] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(4000);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses the rate %s', (rate) => {
    expect(() => new KmsRateLimiter({ ...DEFAULT_KMS_RATE_LIMITS, sign: rate })).toThrow(RangeError);
  });
});
