// A wallet service on the test stack: its own database (wallets_<random>) and its own Application tag,
// so test files can run in parallel against one LocalStack and one FerretDB without seeing each other's
// wallets or keys.
import { ListKeysCommand, ListResourceTagsCommand, type KMSClient } from '@aws-sdk/client-kms';
import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { runMigrations } from '../../src/db/index.js';
import { KmsVault, type KmsVaultOptions } from '../../src/kms/index.js';
import {
  createWalletService,
  type KmsWalletService,
  type WalletServiceDeps,
} from '../../src/wallets/index.js';
import { mapLimit } from '../../src/util/map-limit.js';
import { stackEndpoints } from './stack.js';
import { testKmsClient } from '../../scripts/fixtures/vault.js';

export interface WalletTestEnv {
  db: Db;
  mongo: MongoClient;
  kms: KMSClient;
  vault: KmsVault;
  application: string;
  service: KmsWalletService;
  /** Another service instance (another "process") on the same database and application. */
  newService(
    overrides?: Partial<WalletServiceDeps>,
    vaultOptions?: Omit<KmsVaultOptions, 'client' | 'application'>,
  ): KmsWalletService;
  close(): Promise<void>;
}

export const randomSuffix = (): string => randomBytes(6).toString('hex');

export async function walletTestEnv(overrides: Partial<WalletServiceDeps> = {}): Promise<WalletTestEnv> {
  const endpoints = stackEndpoints();
  const mongo = await MongoClient.connect(endpoints.mongoUri, { serverSelectionTimeoutMS: 5_000 });
  const db = mongo.db(`wallets_${randomSuffix()}`);
  await runMigrations(db);
  const application = `kms-signer-test-${randomSuffix()}`;
  const services: KmsWalletService[] = [];
  const kms = testKmsClient(endpoints.awsEndpoint);
  const vault = new KmsVault({ client: kms, application });
  const newService: WalletTestEnv['newService'] = (more = {}, vaultOptions = {}) => {
    const client = more.kms ?? kms;
    const service = createWalletService({
      db,
      kms: client,
      vault: more.vault ?? new KmsVault({ client, application, ...vaultOptions }),
      application,
      ...overrides,
      ...more,
    });
    services.push(service);
    return service;
  };
  const service = newService();
  return {
    db,
    mongo,
    kms,
    vault,
    application,
    service,
    newService,
    close: async () => {
      await Promise.allSettled(services.map((s) => s.close()));
      await db.dropDatabase().catch(() => undefined);
      await mongo.close();
    },
  };
}

const foreignKeys = new Set<string>();

/** Ids of the KMS keys tagged Application=`application`, WalletId=`walletId` (any KeyIndex). */
export async function keysTaggedWith(
  kms: KMSClient,
  application: string,
  walletId: string,
): Promise<{ keyId: string; tags: Record<string, string> }[]> {
  const found: { keyId: string; tags: Record<string, string> }[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListKeysCommand({ Limit: 1000, Marker: marker }));
    const candidates = (page.Keys ?? []).map((k) => k.KeyId ?? '').filter((id) => id && !foreignKeys.has(id));
    await mapLimit(candidates, 8, async (keyId) => {
      const { Tags = [] } = await kms.send(new ListResourceTagsCommand({ KeyId: keyId }));
      const tags = Object.fromEntries(Tags.map((t) => [t.TagKey ?? '', t.TagValue ?? '']));
      if (tags.Application !== application) {
        foreignKeys.add(keyId); // tags never change: no need to read them again
        return;
      }
      if (tags.WalletId === walletId) found.push({ keyId, tags });
    });
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return found;
}
