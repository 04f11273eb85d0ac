// Builds a KmsVault (and its client) against a LocalStack-compatible endpoint with test credentials.
import type { KMSClient } from '@aws-sdk/client-kms';
import { createKmsClient } from '../../src/kms/client.js';
import { KmsVault, type KmsVaultOptions } from '../../src/kms/vault.js';

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export function testKmsClient(endpoint: string): KMSClient {
  return createKmsClient({ region: 'us-east-1', endpoint, credentials: TEST_CREDENTIALS });
}

export function testVault(endpoint: string, options: Omit<KmsVaultOptions, 'client'> = {}): KmsVault {
  return new KmsVault({ client: testKmsClient(endpoint), ...options });
}
