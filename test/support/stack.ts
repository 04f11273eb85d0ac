// Access to the stand-ins started by test/setup/stack.ts, and clients pointed at them.
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { inject } from 'vitest';
import type { StackEndpoints } from '../../scripts/stack/index.js';
import type {} from '../setup/stack.js'; // the ProvidedContext declaration for inject('stack')

export type { StackEndpoints } from '../../scripts/stack/index.js';

/** Explicit credentials/region, so the SDK never walks the default chain (IMDS is not loopback). */
const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
} as const;

export function stackEndpoints(): StackEndpoints {
  return inject('stack');
}

export function kmsClientFor(endpoints: Pick<StackEndpoints, 'awsEndpoint'>): KMSClient {
  return new KMSClient({ ...LOCAL_AWS, endpoint: endpoints.awsEndpoint });
}

export function secretsManagerClientFor(
  endpoints: Pick<StackEndpoints, 'awsEndpoint'>,
): SecretsManagerClient {
  return new SecretsManagerClient({ ...LOCAL_AWS, endpoint: endpoints.awsEndpoint });
}

/** The environment a kms-signer process (CLI, daemon, handler) needs to reach the stack's LocalStack and FerretDB. */
export function stackProcessEnv(
  target: { database: string; appTag: string },
  overrides: Record<string, string> = {},
): Record<string, string> {
  const { awsEndpoint, mongoUri } = stackEndpoints();
  return {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    MONGODB_URI: mongoUri,
    MONGODB_DB: target.database,
    APP_TAG: target.appTag,
    ...overrides,
  };
}
