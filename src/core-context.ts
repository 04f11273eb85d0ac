// Wiring every process shares: connect to MongoDB (the URI from the config or Secrets Manager), run the
// migrations, build the KMS client, one rate limiter and the vault. The API and the CLI add the wallet
// service on top (app-context.ts); the signing loop (src/tatum/daemon.ts) needs only this and the
// loop's wallet reads, so the signer Lambda's init code leaves the wallet service out (issue 16).
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

export interface CoreContext {
  config: AppConfig;
  mongo: MongoClient;
  db: Db;
  kms: KMSClient;
  vault: KmsVault;
  /** The limiter the vault uses (the wallet service's imports share its CreateKey budget). */
  rateLimiter: KmsRateLimiter;
  /** The Sign rate this process paces itself at, and where it comes from (src/kms/sign-quota.ts). */
  signRate: SignRateDecision;
  /** What the start-up migration run did (and what the server supports, in results[1]). */
  migrations: MigrationRunResult;
  /** Closes MongoDB and the KMS client. Idempotent. */
  close(): Promise<void>;
}

export interface CoreContextOptions {
  /** Every retried KMS failure (throttling, 5xx, timeouts), for logs and the throttling alarm. */
  onKmsRetry?: (event: KmsRetryEvent) => void;
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

/** Connects and migrates, then builds the KMS side; MongoDB is closed again when anything here throws. */
export async function createCoreContext(
  config: AppConfig,
  options: CoreContextOptions = {},
): Promise<CoreContext> {
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
    let closed: Promise<void> | undefined;
    const close = () =>
      (closed ??= (async () => {
        await mongo.close();
        kms.destroy();
      })());
    return { config, mongo, db, kms, vault, rateLimiter, signRate, migrations, close };
  } catch (error) {
    await mongo.close().catch(() => undefined);
    throw error;
  }
}
