// Wiring for the API and the CLI: connect to MongoDB (the URI from the config or Secrets Manager), run
// the migrations, build the KMS client, one rate limiter, the vault and the wallet service.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { Db, MongoClient } from 'mongodb';
import { mongoUriFromSecret, SecretCache, type AppConfig } from './config/index.js';
import { connectMongo, runMigrations, type MigrationRunResult } from './db/index.js';
import {
  createKmsClient,
  DEFAULT_KMS_RATE_LIMITS,
  KmsRateLimiter,
  KmsVault,
  resolveSignRate,
  serviceQuotasReader,
  type KmsRetryEvent,
  type SignRateDecision,
} from './kms/index.js';
import { ChainViews } from './chain-view/index.js';
import { createWalletService, type KmsWalletService, type WalletHooks } from './wallets/index.js';

export interface AppContext {
  config: AppConfig;
  mongo: MongoClient;
  db: Db;
  kms: KMSClient;
  vault: KmsVault;
  /** The Sign rate this process paces itself at, and where it comes from (src/kms/sign-quota.ts). */
  signRate: SignRateDecision;
  walletService: KmsWalletService;
  /** What the start-up migration run did (and what the server supports, in results[1]). */
  migrations: MigrationRunResult;
  /** Pauses running batches, closes MongoDB and the KMS client. Idempotent. */
  close(): Promise<void>;
}

export interface AppContextOptions {
  /** Tests: fault injection around CreateKey. */
  hooks?: WalletHooks;
  /** Every retried KMS failure (throttling, 5xx, timeouts), for logs and the throttling alarm. */
  onKmsRetry?: (event: KmsRetryEvent) => void;
  /** Where KMS_SIGNER_RPC_<CHAIN> is read (FLOW registrations check the Flow node); default process.env. */
  chainEnv?: Readonly<Record<string, string | undefined>>;
}

/** Resolves the MongoDB URI: MONGODB_URI as given, or the secret behind MONGODB_URI_SECRET_ARN. */
export async function resolveMongoUri(config: AppConfig, secrets?: SecretCache): Promise<string> {
  if (config.mongo.uri !== undefined) return config.mongo.uri;
  const arn = config.mongo.uriSecretArn;
  if (arn === undefined) throw new Error('MONGODB_URI: set MONGODB_URI or MONGODB_URI_SECRET_ARN');
  const cache =
    secrets ??
    new SecretCache({
      client: new SecretsManagerClient({
        region: config.aws.region,
        ...(config.aws.endpoint ? { endpoint: config.aws.endpoint } : {}),
      }),
      ttlMs: config.secretsCacheTtlMs,
    });
  return mongoUriFromSecret(await cache.get(arn));
}

export async function createAppContext(
  config: AppConfig,
  options: AppContextOptions = {},
): Promise<AppContext> {
  const mongo = await connectMongo(await resolveMongoUri(config));
  try {
    const db = mongo.db(config.mongo.dbName);
    const migrations = await runMigrations(db);
    const kms = createKmsClient({ region: config.aws.region, endpoint: config.aws.endpoint });
    const { quotaCode } = config.kms.signQuota;
    const signRate = await resolveSignRate(
      config.kms,
      quotaCode === undefined ? undefined : serviceQuotasReader(config.aws),
    );
    const rateLimiter = new KmsRateLimiter({
      ...DEFAULT_KMS_RATE_LIMITS,
      sign: signRate.perSecond,
      createKey: config.kms.createKeyRate,
    });
    const vault = new KmsVault({
      client: kms,
      application: config.application,
      rateLimiter,
      multiRegion: config.kms.multiRegionKeys,
      ...(config.kms.keyOwnerRoleArn !== undefined ? { keyOwnerRoleArn: config.kms.keyOwnerRoleArn } : {}),
      ...(options.onKmsRetry ? { onRetry: options.onKmsRetry } : {}),
    });
    const walletService = createWalletService({
      db,
      vault,
      kms,
      application: config.application,
      rateLimiter,
      createKeysPerSecond: config.kms.createKeyRate,
      maxQueuedBatchKeys: config.batchMaxQueuedKeys,
      ...(options.hooks ? { hooks: options.hooks } : {}),
      flowNode: (network) => new ChainViews({ network, env: options.chainEnv ?? process.env }).flow(),
    });
    let closed: Promise<void> | undefined;
    const close = () =>
      (closed ??= (async () => {
        await walletService.close();
        await mongo.close();
        kms.destroy();
      })());
    return { config, mongo, db, kms, vault, signRate, walletService, migrations, close };
  } catch (error) {
    await mongo.close().catch(() => undefined);
    throw error;
  }
}
