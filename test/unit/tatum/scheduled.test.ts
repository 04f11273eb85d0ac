// The Lambda side: passes repeat every period while time remains, and no job starts unless a whole job
// budget still fits in the invocation's remaining time.
import { describe, expect, it } from 'vitest';
import { runScheduledPasses } from '../../../src/tatum/scheduled.js';
import type { PassResult } from '../../../src/tatum/loop.js';
import { loadLoopEnv, loadTatumConfig } from '../../../src/tatum/config.js';

describe('runScheduledPasses', () => {
  it('repeats passes until the remaining time is within the job budget; jobs ask before starting', async () => {
    let now = 0;
    const limit = 60_000;
    const clock = { getRemainingTimeInMillis: () => limit - now };
    const jobStarts: number[] = [];
    const loop = {
      runPass: (canStart: () => boolean): Promise<PassResult> => {
        // Three jobs of 4 s each, started only while canStart() holds.
        for (let i = 0; i < 3 && canStart(); i++) {
          jobStarts.push(now);
          now += 4_000;
        }
        return Promise.resolve({ results: [], reported: [], chainErrors: [] });
      },
    };
    const sleep = (ms: number) => {
      now += ms;
      return Promise.resolve();
    };
    const result = await runScheduledPasses(loop, clock, { periodMs: 5_000, jobBudgetMs: 15_000 }, sleep);
    expect(result.passes).toBeGreaterThan(1);
    // Every job started with more than the budget left, so it could finish before the timeout.
    for (const start of jobStarts) expect(limit - start).toBeGreaterThan(15_000);
    expect(now).toBeLessThanOrEqual(limit);
  });

  it('does nothing when the invocation starts with less than a job budget', async () => {
    let passes = 0;
    const loop = {
      runPass: () => {
        passes++;
        return Promise.resolve({ results: [], reported: [], chainErrors: [] });
      },
    };
    const result = await runScheduledPasses(
      loop,
      { getRemainingTimeInMillis: () => 10_000 },
      { periodMs: 5_000, jobBudgetMs: 15_000 },
    );
    expect(result.passes).toBe(0);
    expect(passes).toBe(0);
  });
});

describe('Tatum configuration', () => {
  it('needs exactly one of TATUM_API_KEY and TATUM_API_KEY_SECRET_ARN', () => {
    expect(() => loadTatumConfig({})).toThrow(/TATUM_API_KEY/);
    expect(() => loadTatumConfig({ TATUM_API_KEY: 'k', TATUM_API_KEY_SECRET_ARN: 'arn' })).toThrow(
      /only one/,
    );
    expect(loadTatumConfig({ TATUM_API_KEY: 'k' })).toMatchObject({
      apiUrl: 'https://api.tatum.io',
      apiKey: 'k',
    });
    const viaSecret = loadTatumConfig({
      TATUM_API_URL: 'http://127.0.0.1:1',
      TATUM_API_KEY_SECRET_ARN: 'arn:x',
    });
    expect(viaSecret).toMatchObject({ apiUrl: 'http://127.0.0.1:1', apiKeySecretArn: 'arn:x' });
    expect(() => loadTatumConfig({ TATUM_API_KEY: 'k', TATUM_API_URL: 'nope' })).toThrow(/TATUM_API_URL/);
  });

  it('reads the loop settings for the Lambda handler', () => {
    expect(loadLoopEnv({ SIGNER_CHAINS: 'eth,btc', SIGNER_TESTNET: 'true' })).toMatchObject({
      chains: ['ETH', 'BTC'],
      testnet: true,
      periodSeconds: 5,
      jobBudgetMs: 15_000,
      externalUrlMethod: 'GET',
    });
    expect(() => loadLoopEnv({ SIGNER_CHAINS: 'ETH,DOT' })).toThrow(/unknown chain DOT/);
    expect(loadLoopEnv({}).reportRetriesAfterMs).toBe(3_600_000);
    expect(loadLoopEnv({ SIGNER_REPORT_RETRIES_AFTER_SECONDS: '600' }).reportRetriesAfterMs).toBe(600_000);
    expect(loadLoopEnv({ SIGNER_REPORT_RETRIES_AFTER_SECONDS: '0' }).reportRetriesAfterMs).toBe(Infinity);
    expect(() => loadLoopEnv({ SIGNER_REPORT_RETRIES_AFTER_SECONDS: '-1' })).toThrow(
      /SIGNER_REPORT_RETRIES_AFTER_SECONDS/,
    );
    expect(loadLoopEnv({})).toMatchObject({ network: 'mainnet', testnet: false });
    expect(loadLoopEnv({ SIGNER_TESTNET: '1' })).toMatchObject({ network: 'testnet', testnet: true });
    // SIGNER_NETWORK wins over SIGNER_TESTNET.
    expect(loadLoopEnv({ SIGNER_NETWORK: 'regtest', SIGNER_TESTNET: 'false' })).toMatchObject({
      network: 'regtest',
    });
    expect(loadLoopEnv({ SIGNER_NETWORK: 'mainnet', SIGNER_TESTNET: 'true' })).toMatchObject({
      network: 'mainnet',
      testnet: false,
    });
    expect(() => loadLoopEnv({ SIGNER_NETWORK: 'devnet' })).toThrow(/^SIGNER_NETWORK: /);
  });

  it('reads the concurrency and the wallet-list refresh, with defaults sized for the Sign quota', () => {
    expect(loadLoopEnv({})).toMatchObject({
      concurrency: 32,
      walletRefreshMs: 60_000,
      writeBatchesInFlight: 2,
    });
    expect(loadLoopEnv({ SIGNER_WRITE_BATCHES: '1' })).toMatchObject({ writeBatchesInFlight: 1 });
    for (const bad of ['0', '9', '1.5', 'many']) {
      expect(() => loadLoopEnv({ SIGNER_WRITE_BATCHES: bad })).toThrow(/^SIGNER_WRITE_BATCHES: /);
    }
    expect(loadLoopEnv({ SIGNER_CONCURRENCY: '64', SIGNER_WALLET_REFRESH_SECONDS: '0' })).toMatchObject({
      concurrency: 64,
      walletRefreshMs: 0,
    });
    for (const bad of ['-1', '1.5', '3601', 'soon']) {
      expect(() => loadLoopEnv({ SIGNER_WALLET_REFRESH_SECONDS: bad })).toThrow(
        /^SIGNER_WALLET_REFRESH_SECONDS: /,
      );
    }
  });
});
