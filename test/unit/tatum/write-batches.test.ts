import { describe, expect, it } from 'vitest';
import { MAX_WRITES_PER_BATCH, WRITE_BATCHES_IN_FLIGHT, writeBatchesFor } from '../../../src/tatum/jobs.js';

describe('writeBatchesFor (the loop job-write batches in flight when not configured)', () => {
  it('keeps two batches up to 64 running jobs, as before', () => {
    expect([1, 16, 32, 64].map(writeBatchesFor)).toEqual([2, 2, 2, 2]);
  });

  it('adds a batch per 32 running jobs beyond, so no write waits only for a free batch', () => {
    expect([65, 96, 128, 192, 256].map(writeBatchesFor)).toEqual([3, 3, 4, 6, 8]);
    for (const concurrency of [65, 100, 128, 200, 256]) {
      expect(writeBatchesFor(concurrency) * MAX_WRITES_PER_BATCH).toBeGreaterThanOrEqual(concurrency);
    }
  });

  it('never exceeds the configurable maximum', () => {
    expect(writeBatchesFor(257)).toBe(WRITE_BATCHES_IN_FLIGHT.max);
    expect(writeBatchesFor(10_000)).toBe(WRITE_BATCHES_IN_FLIGHT.max);
  });
});
