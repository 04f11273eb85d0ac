// The scheduled maintenance invocation of the API function (src/api/maintenance.ts): which events are
// scheduled ones, and the sweep loop's ending conditions, with a fake clock.
import { describe, expect, it } from 'vitest';
import { isScheduledEvent, runMaintenance } from '../../../src/api/maintenance.js';

describe('isScheduledEvent', () => {
  it('accepts an EventBridge scheduled event and nothing an HTTP request can look like', () => {
    expect(isScheduledEvent({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} })).toBe(
      true,
    );
    expect(isScheduledEvent({ version: '2.0', rawPath: '/v1/wallets', requestContext: {} })).toBe(false);
    expect(isScheduledEvent({ source: 'aws.events', 'detail-type': 'Other' })).toBe(false);
    expect(isScheduledEvent({ body: '{"source":"aws.events","detail-type":"Scheduled Event"}' })).toBe(false);
    expect(isScheduledEvent(null)).toBe(false);
  });
});

function fakeClock(startMs: number) {
  let remaining = startMs;
  return {
    remainingMs: () => remaining,
    sleep: (ms: number) => {
      remaining -= ms;
      return Promise.resolve();
    },
  };
}

describe('runMaintenance', () => {
  it('resumes, then waits while jobs remain, and ends as soon as none is unfinished', async () => {
    const clock = fakeClock(29_000);
    const left = [2, 2, 1, 0];
    const result = await runMaintenance(
      {
        resumeUnfinished: () => Promise.resolve({ batches: 1, operations: 1 }),
        countUnfinished: () => Promise.resolve(left.shift() ?? 0),
      },
      { ...clock, sweepEveryMs: 1_000 },
    );
    expect(result).toEqual({ sweeps: 3, resumed: { batches: 3, operations: 3 }, unfinished: 0 });
  });

  it('does nothing when nothing is unfinished', async () => {
    let resumes = 0;
    const result = await runMaintenance(
      {
        resumeUnfinished: () => {
          resumes++;
          return Promise.resolve({ batches: 0, operations: 0 });
        },
        countUnfinished: () => Promise.resolve(0),
      },
      fakeClock(29_000),
    );
    expect(result.sweeps).toBe(0);
    expect(resumes).toBe(0);
  });

  it('stops before the time runs short, leaving the rest to the next invocation', async () => {
    const clock = fakeClock(29_000);
    const result = await runMaintenance(
      {
        resumeUnfinished: () => Promise.resolve({ batches: 0, operations: 1 }),
        countUnfinished: () => Promise.resolve(1),
      },
      { ...clock, sweepEveryMs: 5_000, marginMs: 5_000 },
    );
    // 29 s: sweeps at 29, 24, 19, 14 s left (each needs margin + one period = 10 s); then 9 s < 10 s.
    expect(result).toEqual({ sweeps: 4, resumed: { batches: 0, operations: 4 }, unfinished: 1 });
    expect(clock.remainingMs()).toBe(9_000);
  });
});
