// The API Lambda's scheduled maintenance invocation (src/handlers/api.ts → src/api/maintenance.ts) on
// LocalStack KMS + FerretDB: a wallet status change whose process stopped (PAUSED, wallet still locked) is
// resumed and finished by one EventBridge-shaped invocation of the real handler, built from the
// environment like on AWS.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_KMS_RATE_LIMITS, KmsRateLimiter } from '../../src/kms/index.js';
import type { MaintenanceResult } from '../../src/api/maintenance.js';
import { stackEndpoints } from '../support/stack.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

let env: WalletTestEnv;

beforeAll(async () => {
  env = await walletTestEnv();
});

afterAll(async () => {
  await env.close();
});

const SCHEDULED_EVENT = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-12-03T14:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/WalletMaintenance'],
  detail: {},
};

it('a scheduled invocation resumes a PAUSED wallet operation and stays until it is finished', async () => {
  const { wallet } = await env.service.createWallet({
    userId: 'maintenance',
    chain: 'ETH',
    asset: 'ETH',
    network: 'mainnet',
  });
  const keyIds = [wallet.kmsKeyId];
  for (let index = 1; index <= 3; index++) {
    keyIds.push((await env.service.getAddress(wallet.signatureId, index)).kmsKeyId);
  }
  // A process that started the change and stopped after its first key (what a frozen Lambda leaves).
  const slow = env.newService(
    {},
    { rateLimiter: new KmsRateLimiter({ ...DEFAULT_KMS_RATE_LIMITS, keyAdmin: 1 }) },
  );
  const started = await slow.startWalletOperation(wallet.signatureId, 'disable');
  await slow.close();
  expect((await env.service.getWalletOperation(wallet.signatureId, started.operationId)).status).toBe(
    'PAUSED',
  );

  const { awsEndpoint, mongoUri } = stackEndpoints();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: awsEndpoint,
    MONGODB_URI: mongoUri,
    MONGODB_DB: env.db.databaseName,
    APP_TAG: env.application,
  });
  const { handler } = await import('../../src/handlers/api.js');
  const deadline = Date.now() + 29_000;
  const result = (await handler(
    SCHEDULED_EVENT as never,
    {
      getRemainingTimeInMillis: () => deadline - Date.now(),
    } as never,
  )) as MaintenanceResult;

  expect(result).toMatchObject({ resumed: { operations: 1 }, unfinished: 0 });
  expect(await env.service.getWalletOperation(wallet.signatureId, started.operationId)).toMatchObject({
    status: 'COMPLETED',
    done: 4,
  });
  expect((await env.service.getWallet(wallet.signatureId)).status).toBe('DISABLED');
  const states = await Promise.all(keyIds.map(async (id) => (await env.vault.describeKey(id)).state));
  expect(states).toEqual(keyIds.map(() => 'Disabled'));
}, 90_000);
