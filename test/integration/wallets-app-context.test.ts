// createAppContext end to end: configuration from the environment, the MongoDB URI from Secrets
// Manager, migrations at start-up, a working wallet service; and no secret in connection errors.
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config/index.js';
import { MIGRATIONS } from '../../src/db/index.js';
import { secretsManagerClientFor, stackEndpoints } from '../support/stack.js';
import { randomSuffix } from '../support/wallets.js';

const contexts: AppContext[] = [];
const VERSIONS = MIGRATIONS.map((m) => m.version);

afterAll(async () => {
  for (const ctx of contexts) {
    await ctx.db.dropDatabase().catch(() => undefined);
    await ctx.close();
  }
});

const baseEnv = () => ({
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL: stackEndpoints().awsEndpoint,
  MONGODB_DB: `wallets_${randomSuffix()}`,
  APP_TAG: `kms-signer-test-${randomSuffix()}`,
});

describe('createAppContext', () => {
  it('reads the MongoDB URI from Secrets Manager, migrates, and serves wallets', async () => {
    const endpoints = stackEndpoints();
    const secret = await secretsManagerClientFor(endpoints).send(
      new CreateSecretCommand({
        Name: `kms-signer/mongo-${randomSuffix()}`,
        SecretString: JSON.stringify({ uri: endpoints.mongoUri }),
      }),
    );
    const config = loadConfig({ ...baseEnv(), MONGODB_URI_SECRET_ARN: secret.ARN! });
    const ctx = await createAppContext(config);
    contexts.push(ctx);
    expect(ctx.migrations.applied).toEqual(VERSIONS);
    expect(await ctx.walletService.health()).toEqual({ mongo: 'ok', kms: 'ok' });

    const { wallet } = await ctx.walletService.createWallet({
      userId: 'ctx',
      chain: 'LTC',
      asset: 'LTC',
      network: 'mainnet',
    });
    expect(wallet.address).toMatch(/^ltc1q/);
    expect(await ctx.vault.listTags(wallet.kmsKeyId)).toMatchObject({ Application: config.application });

    // A second process on the same database finds the migrations done.
    const second = await createAppContext(config);
    contexts.push(second);
    expect(second.migrations).toMatchObject({ applied: [], alreadyDone: VERSIONS });
    expect((await second.walletService.getWallet(wallet.signatureId)).address).toBe(wallet.address);
  });

  it('never puts the password of an unreachable MongoDB in the error', async () => {
    const password = 'Sup3r-Secret-Passw0rd';
    const config = loadConfig({
      ...baseEnv(),
      MONGODB_URI: `mongodb://admin:${password}@127.0.0.1:9/?serverSelectionTimeoutMS=300`,
    });
    const error = await createAppContext(config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const text = `${(error as Error).message} ${String((error as Error).stack)}`;
    expect(text).not.toContain(password);
    expect(text).not.toContain('admin:');
    expect((error as Error).message).toMatch(/^MongoDB: cannot connect/);
  });

  it('a second context on a fresh database also works with MONGODB_URI directly', async () => {
    const ctx = await createAppContext(loadConfig({ ...baseEnv(), MONGODB_URI: stackEndpoints().mongoUri }));
    contexts.push(ctx);
    expect(ctx.mongo).toBeInstanceOf(MongoClient);
    expect((await ctx.walletService.report()).totals.wallets).toBe(0);
  });
});
