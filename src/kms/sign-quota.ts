// The Sign rate of one process: its share of the account's KMS quota for ECC cryptographic operations.
// Sign, Verify and DeriveSharedSecret on every ECC key of an account and Region share one quota,
// "Cryptographic operations (ECC and SM2) request rate", 1,000 requests/s by default and adjustable
// (docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html; older text said 300). Every
// runner of a deployment paces itself at quota / runners, so together they stay under it.
//
// The applied value (after a quota increase) is read from Service Quotas with GetServiceQuota
// (ServiceCode "kms" and the quota's code, which `aws service-quotas list-service-quotas --service-code
// kms` lists) when KMS_SIGN_QUOTA_CODE is set and the role may; otherwise, or if the call fails, the
// configured KMS_SIGN_QUOTA is used. KMS_SIGN_RATE overrides all of it with a fixed rate.

export interface SignQuotaSettings {
  signRate: number;
  signQuota: { rateOverride: boolean; perSecond: number; runners: number; quotaCode: string | undefined };
}

export interface SignRateDecision {
  /** Sign requests per second this process may send. */
  perSecond: number;
  /** Where the rate comes from. */
  source: 'KMS_SIGN_RATE' | 'service-quotas' | 'KMS_SIGN_QUOTA';
  /** The quota shared by all runners (absent for KMS_SIGN_RATE). */
  quota?: number;
  runners: number;
  /** Why Service Quotas could not be read (the configured quota was used instead). */
  quotaError?: string;
}

/** Returns the applied value of a KMS quota, or undefined when Service Quotas has none. */
export type QuotaReader = (quotaCode: string) => Promise<number | undefined>;

export async function resolveSignRate(
  settings: SignQuotaSettings,
  readQuota?: QuotaReader,
): Promise<SignRateDecision> {
  const { rateOverride, perSecond, runners, quotaCode } = settings.signQuota;
  if (rateOverride) return { perSecond: settings.signRate, source: 'KMS_SIGN_RATE', runners };
  let quotaError: string | undefined;
  if (quotaCode !== undefined && readQuota) {
    try {
      const applied = await readQuota(quotaCode);
      if (applied !== undefined && Number.isFinite(applied) && applied > 0) {
        return { perSecond: applied / runners, source: 'service-quotas', quota: applied, runners };
      }
      quotaError = `Service Quotas returned no value for kms/${quotaCode}`;
    } catch (error) {
      quotaError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
  return {
    perSecond: perSecond / runners,
    source: 'KMS_SIGN_QUOTA',
    quota: perSecond,
    runners,
    ...(quotaError !== undefined ? { quotaError } : {}),
  };
}

/** How long start-up waits for Service Quotas (e.g. unreachable from private subnets without an endpoint). */
const QUOTA_READ_TIMEOUT_MS = 3000;

/**
 * Reads an applied KMS quota with GetServiceQuota. The client is loaded on first use: a process without
 * KMS_SIGN_QUOTA_CODE never loads it.
 */
export function serviceQuotasReader(aws: { region: string; endpoint: string | undefined }): QuotaReader {
  return async (quotaCode) => {
    const { GetServiceQuotaCommand, ServiceQuotasClient } = await import('@aws-sdk/client-service-quotas');
    const client = new ServiceQuotasClient({
      region: aws.region,
      maxAttempts: 2,
      ...(aws.endpoint !== undefined ? { endpoint: aws.endpoint } : {}),
    });
    try {
      const { Quota } = await client.send(
        new GetServiceQuotaCommand({ ServiceCode: 'kms', QuotaCode: quotaCode }),
        { abortSignal: AbortSignal.timeout(QUOTA_READ_TIMEOUT_MS) },
      );
      return Quota?.Value;
    } finally {
      client.destroy();
    }
  };
}
