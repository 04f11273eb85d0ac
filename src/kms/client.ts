// Builds the one KMSClient a process should reuse. SDK retries are off: retry.ts owns retrying so the
// deadline bounds the whole call, and the rate limiter sees every attempt.
import { KMSClient } from '@aws-sdk/client-kms';
import type { AwsCredentialIdentity } from '@smithy/types';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DEFAULT_RETRY_POLICY } from './retry.js';

export interface KmsClientOptions {
  region: string;
  /** e.g. http://127.0.0.1:4566 for LocalStack; omit for the real service. */
  endpoint?: string;
  credentials?: AwsCredentialIdentity;
  connectionTimeoutMs?: number;
  /**
   * Upper bound for one HTTP request, from sending to the response head: the request is destroyed and
   * fails with a retryable TimeoutError. Defaults to the retry policy's attempt timeout.
   */
  requestTimeoutMs?: number;
  maxSockets?: number;
}

export function createKmsClient(options: KmsClientOptions): KMSClient {
  return new KMSClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: 1,
    // One resolved middleware stack per command class instead of one per send (the vault passes no
    // per-call options, which would bypass the cache). Middleware must therefore be added to this
    // client before its first request of a command (src/wallets/pacing.ts swaps its pacer instead).
    cacheMiddleware: true,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: options.connectionTimeoutMs ?? 2_000,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_RETRY_POLICY.attemptTimeoutMs,
      // Without it @smithy/node-http-handler 4.14 only logs "[WARN] a request has exceeded the configured
      // … requestTimeout" and lets the request hang (dist-cjs/index.js, setRequestTimeout).
      throwOnRequestTimeout: true,
      httpAgent: { keepAlive: true, maxSockets: options.maxSockets ?? 64 },
      httpsAgent: { keepAlive: true, maxSockets: options.maxSockets ?? 64 },
    }),
  });
}
