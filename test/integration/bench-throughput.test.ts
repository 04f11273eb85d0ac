// The throughput benchmark's machinery against real parts (bench/throughput-run.ts): the signing loop,
// KmsVault, the Tatum client and FerretDB from the test stack, with the KMS emulator and the Tatum
// sandbox in a worker thread as `npm run bench` runs them. With the vault's limiter above the emulator's
// quota, the emulator must throttle and never accept more than its quota in a second, and the loop must
// still broadcast every transaction exactly once, with no failure and signatures that recover to the
// wallets' addresses.
import { describe, expect, it } from 'vitest';
import { startWorkerStandIns } from '../../bench/stand-ins.js';
import { runThroughput } from '../../bench/throughput-run.js';
import { stackEndpoints } from '../support/stack.js';

const QUOTA_RPS = 5;
const TRANSACTIONS = 40;

describe('throughput benchmark', () => {
  it('throttles above the quota, and the loop still signs every transaction once, verifiably', async () => {
    const run = await runThroughput({
      mongoUri: stackEndpoints().mongoUri,
      startStandIns: startWorkerStandIns,
      kmsLatencyMs: 5,
      quotaRps: QUOTA_RPS,
      limiterRps: 4 * QUOTA_RPS,
      transactions: TRANSACTIONS,
      concurrency: 8,
      wallets: 10,
    });

    expect(run.kms.throttled).toBeGreaterThan(0);
    expect(run.vaultRetries.throttling).toBe(run.kms.throttled);
    expect(run.peakWindow).toBeLessThanOrEqual(QUOTA_RPS);
    expect(run.kms.otherRequests).toEqual({});

    expect(run).toMatchObject({ done: TRANSACTIONS, unfinished: 0, failed: 0, chainErrors: 0 });
    expect(run).toMatchObject({ exactlyOnce: true, doubleSigns: 0, signatures: TRANSACTIONS });
    expect(run.verified).toEqual({ checked: TRANSACTIONS, ok: TRANSACTIONS });
    // KMS returns the high S about half the time; the vault folds it (2^-40 odds of none at all).
    expect(run.kms.highS).toBeGreaterThan(0);
  });
});
