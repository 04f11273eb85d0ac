// The KMS side of the throughput benchmark on its own: KmsVault.signDigest (Sign limiter, retries,
// low-S, recovery id, verification) as fast as `concurrency` callers can go, against the same KMS
// emulator, without the loop's database work. It shows what the quota, the latency, the limiter and
// this process's CPU allow when the database is not the bottleneck.
import { randomBytes } from 'node:crypto';
import { KmsVault } from '../src/kms/index.js';
import { testKey } from '../scripts/fixtures/fake-digest-signer.js';
import { mapLimit } from '../src/util/map-limit.js';
import { testKmsClient } from '../scripts/fixtures/vault.js';
import { epochMs } from './kms-emulator.js';
import type { StartStandIns } from './stand-ins.js';
import { summarize } from './stats.js';

export interface VaultRateOptions {
  startStandIns: StartStandIns;
  kmsLatencyMs: number;
  quotaRps: number;
  limiterRps: number;
  concurrency: number;
  signatures: number;
}

export interface VaultRate {
  limiterRps: number;
  concurrency: number;
  signatures: number;
  wallMs: number;
  signaturesPerSecond: number;
  quotaShare: number;
  signMs: { p50: number; p99: number };
  throttled: number;
  retries: number;
  loopThreadBusy: number;
  /** Mean lateness of the emulator's answers (its own thread's delay), ms. */
  emulatorLateMs: number;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export async function runVaultRate(options: VaultRateOptions): Promise<VaultRate> {
  const key = testKey('vault-rate');
  const standIns = await options.startStandIns({
    keys: [{ keyId: key.keyId, privateKey: key.privateKey }],
    latencyMs: options.kmsLatencyMs,
    quotaRps: options.quotaRps,
  });
  const kms = testKmsClient(standIns.kmsUrl);
  let retries = 0;
  const vault = new KmsVault({
    client: kms,
    rateLimits: { sign: options.limiterRps },
    onRetry: () => retries++,
  });
  try {
    const digests = Array.from({ length: options.signatures }, () => randomBytes(32));
    const elu = performance.eventLoopUtilization();
    const startedAt = epochMs();
    const samples = await mapLimit(digests, options.concurrency, async (digest) => {
      const start = performance.now();
      await vault.signDigest(key.keyId, digest, key.publicKey);
      return (performance.now() - start) * 1000;
    });
    const wallMs = epochMs() - startedAt;
    const loopThreadBusy = performance.eventLoopUtilization(elu).utilization;
    const { kms: stats } = await standIns.snapshot();
    const timing = summarize(samples);
    const rate = options.signatures / (wallMs / 1000);
    return {
      limiterRps: options.limiterRps,
      concurrency: options.concurrency,
      signatures: options.signatures,
      wallMs: Math.round(wallMs),
      signaturesPerSecond: round(rate),
      quotaShare: round(rate / options.quotaRps, 3),
      signMs: { p50: round(timing.medianUs / 1000), p99: round(timing.p99Us / 1000) },
      throttled: stats.throttled,
      retries,
      loopThreadBusy: round(loopThreadBusy, 3),
      emulatorLateMs: round(stats.meanLateMs, 2),
    };
  } finally {
    kms.destroy();
    await standIns.close();
  }
}
