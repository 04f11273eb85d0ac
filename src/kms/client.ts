// Builds the one KMSClient a process should reuse. SDK retries are off: retry.ts owns retrying so the
// deadline bounds the whole call, and the rate limiter sees every attempt.
import { KMSClient } from '@aws-sdk/client-kms';
import type { AwsCredentialIdentity } from '@smithy/types';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface KmsClientOptions {
  region: string;
  /** e.g. http://127.0.0.1:4566 for LocalStack; omit for the real service. */
  endpoint?: string;
  credentials?: AwsCredentialIdentity;
  connectionTimeoutMs?: number;
  /** Socket idle timeout for one request; the vault also aborts attempts that exceed its own timeout. */
  requestTimeoutMs?: number;
  maxSockets?: number;
}

export function createKmsClient(options: KmsClientOptions): KMSClient {
  return new KMSClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: options.connectionTimeoutMs ?? 2_000,
      requestTimeout: options.requestTimeoutMs ?? 5_000,
      httpAgent: { keepAlive: true, maxSockets: options.maxSockets ?? 64 },
      httpsAgent: { keepAlive: true, maxSockets: options.maxSockets ?? 64 },
    }),
  });
}
