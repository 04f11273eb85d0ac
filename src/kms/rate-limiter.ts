// Client-side pacing that keeps each KMS request class under its per-second quota, so a burst of
// signatures queues here instead of being throttled (and retried) by KMS. Quotas are per account and
// Region and shared by every process: give each process its share.
import pThrottle from 'p-throttle';

export type KmsRequestClass = 'sign' | 'createKey' | 'getPublicKey' | 'describeKey' | 'keyAdmin' | 'alias';

export type KmsRateLimits = Record<KmsRequestClass, number>;

/**
 * Defaults from the AWS KMS quota table (see ../shared/reference/aws-kms-signing.md §1):
 * cryptographic operations on ECC keys 1,000 rps, shared by every process of the account and Region
 * (the current table; older text said 300 — sign-quota.ts reads the applied value and shares it out),
 * CreateKey 5, CreateAlias 5. GetPublicKey
 * and DescribeKey are documented at 2,000 rps but were 5/100 in older tables, so we stay well below.
 * Enable/Disable/ScheduleKeyDeletion/CancelKeyDeletion share a conservative 5 rps.
 */
export const DEFAULT_KMS_RATE_LIMITS: KmsRateLimits = {
  sign: 1000,
  createKey: 5,
  getPublicKey: 100,
  describeKey: 100,
  keyAdmin: 5,
  alias: 5,
};

export class KmsRateLimiter {
  private readonly gates: Record<KmsRequestClass, <T>(task: () => Promise<T>) => Promise<T>>;

  constructor(readonly limits: KmsRateLimits = DEFAULT_KMS_RATE_LIMITS) {
    const gate = (perSecond: number) => {
      if (!Number.isFinite(perSecond) || perSecond <= 0) {
        throw new RangeError(
          `KMS rate limit must be a positive number of requests per second, got ${perSecond}`,
        );
      }
      // One start every 1000/perSecond ms. p-throttle's strict mode with {limit: N, interval: 1000} spaces
      // saturated calls ceil(1000/N) ms apart, which caps 300/s at 250/s (bench/results/throughput.md);
      // one call per fractional interval paces at the full rate, and keeps rates below 1/s (0.5 = one
      // start every 2 s) instead of rounding them up to 1/s.
      const throttled = pThrottle({ limit: 1, interval: 1000 / perSecond, strict: true })(
        (task: () => Promise<unknown>) => task(),
      );
      return <T>(task: () => Promise<T>) => throttled(task) as Promise<T>;
    };
    this.gates = {
      sign: gate(limits.sign),
      createKey: gate(limits.createKey),
      getPublicKey: gate(limits.getPublicKey),
      describeKey: gate(limits.describeKey),
      keyAdmin: gate(limits.keyAdmin),
      alias: gate(limits.alias),
    };
  }

  /** Runs `task` as soon as its request class has room under the quota. */
  schedule<T>(requestClass: KmsRequestClass, task: () => Promise<T>): Promise<T> {
    return this.gates[requestClass](task);
  }
}
