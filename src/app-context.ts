// Wiring for the API and the CLI: the shared core (MongoDB, migrations, the KMS client, one rate limiter
// and the vault: core-context.ts) and the wallet service on top of it.
import type { KMSClient } from '@aws-sdk/client-kms';
import type { Db, MongoClient } from 'mongodb';
import type { AppConfig } from './config/index.js';
import type { MigrationRunResult } from './db/index.js';
import type { KmsVault, SignRateDecision } from './kms/index.js';
import { createCoreContext, type CoreContextOptions } from './core-context.js';
import {
  createWalletService,
  flowNodeFrom,
  type KmsWalletService,
  type WalletHooks,
} from './wallets/index.js';

export { resolveMongoUri } from './core-context.js';

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

export interface AppContextOptions extends CoreContextOptions {
  /** Tests: fault injection around CreateKey. */
  hooks?: WalletHooks;
  /** Where KMS_SIGNER_RPC_<CHAIN> is read (FLOW registrations check the Flow node); default process.env. */
  chainEnv?: Readonly<Record<string, string | undefined>>;
}

export async function createAppContext(
  config: AppConfig,
  options: AppContextOptions = {},
): Promise<AppContext> {
  const core = await createCoreContext(config, options);
  try {
    const { db, vault, kms, rateLimiter } = core;
    const walletService = createWalletService({
      db,
      vault,
      kms,
      application: config.application,
      rateLimiter,
      createKeysPerSecond: config.kms.createKeyRate,
      maxQueuedBatchKeys: config.batchMaxQueuedKeys,
      ...(options.hooks ? { hooks: options.hooks } : {}),
      flowNode: flowNodeFrom(options.chainEnv ?? process.env),
    });
    let closed: Promise<void> | undefined;
    const close = () =>
      (closed ??= (async () => {
        await walletService.close();
        await core.close();
      })());
    const { mongo, signRate, migrations } = core;
    return { config, mongo, db, kms, vault, signRate, walletService, migrations, close };
  } catch (error) {
    await core.close().catch(() => undefined);
    throw error;
  }
}
