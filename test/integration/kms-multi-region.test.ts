// Multi-Region recovery on LocalStack (4.13 implements ReplicateKey, copying the key material): a wallet
// key created as a multi-Region primary, replicated by `replicatekeys` into a second Region, then used
// there by a vault in that Region — the same key id, the same public key, so the same addresses, and a
// signature made in the replica Region verifies against the primary's public key.
import { randomBytes, randomUUID } from 'node:crypto';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { computeAddress } from 'ethers';
import * as tiny from 'tiny-secp256k1';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKmsClient } from '../../src/kms/client.js';
import { replicateKeys, type ReplicationResult } from '../../src/kms/replicate.js';
import { KmsVault } from '../../src/kms/vault.js';
import { cli } from '../support/cli-harness.js';
import { stackEndpoints } from '../support/stack.js';
import { TEST_CREDENTIALS } from '../../scripts/fixtures/vault.js';

const PRIMARY = 'us-east-1';
const RECOVERY = 'us-west-2';
const APP = `kms-signer-mr-${randomBytes(4).toString('hex')}`;

let endpoint: string;
const client = (region: string) => createKmsClient({ region, endpoint, credentials: TEST_CREDENTIALS });
const vaultIn = (region: string, multiRegion = false) =>
  new KmsVault({ client: client(region), application: APP, multiRegion });

async function collect(replicaRegion: string): Promise<ReplicationResult[]> {
  const out: ReplicationResult[] = [];
  for await (const r of replicateKeys({ kms: client(PRIMARY), application: APP, replicaRegion })) out.push(r);
  return out;
}

beforeAll(() => {
  endpoint = stackEndpoints().awsEndpoint;
});

describe('multi-Region wallet keys', () => {
  let primaryKey: string;
  let singleKey: string;

  it('are created as multi-Region primaries when the option is on, single-Region otherwise', async () => {
    primaryKey = (await vaultIn(PRIMARY, true).createKey({ walletId: randomUUID(), chain: 'ETH' })).keyId;
    singleKey = (await vaultIn(PRIMARY).createKey({ walletId: randomUUID(), chain: 'ETH' })).keyId;
    const meta = (await client(PRIMARY).send(new DescribeKeyCommand({ KeyId: primaryKey }))).KeyMetadata;
    expect(primaryKey).toMatch(/^mrk-/);
    expect(meta).toMatchObject({
      MultiRegion: true,
      KeySpec: 'ECC_SECG_P256K1',
      MultiRegionConfiguration: { MultiRegionKeyType: 'PRIMARY' },
    });
  });

  it('replicate into the recovery Region; single-Region keys are reported, not touched', async () => {
    const results = await collect(RECOVERY);
    expect(results).toEqual(
      expect.arrayContaining([
        {
          keyId: primaryKey,
          outcome: 'replicated',
          replicaArn: expect.stringContaining(`:${RECOVERY}:`) as string,
        },
        { keyId: singleKey, outcome: 'single-region' },
      ]),
    );
    expect(results).toHaveLength(2); // only this application's keys
    // A second run changes nothing.
    expect(await collect(RECOVERY)).toEqual(
      expect.arrayContaining([{ keyId: primaryKey, outcome: 'already-replicated' }]),
    );
  });

  it('sign in the recovery Region with the same key id, public key and address', async () => {
    const primary = await vaultIn(PRIMARY).getPublicKey(primaryKey);
    const replicaVault = vaultIn(RECOVERY);
    const replica = await replicaVault.getPublicKey(primaryKey);
    expect(Buffer.from(replica.compressed).toString('hex')).toBe(
      Buffer.from(primary.compressed).toString('hex'),
    );
    expect(computeAddress(`0x${Buffer.from(replica.compressed).toString('hex')}`)).toBe(
      computeAddress(`0x${Buffer.from(primary.compressed).toString('hex')}`),
    );
    const digest = randomBytes(32);
    const signature = await replicaVault.signDigest(primaryKey, digest, primary);
    expect(tiny.verify(digest, primary.compressed, signature.compact, true)).toBe(true);
    // The replica carries the primary's tags, which the signer's IAM conditions read in that Region.
    expect(await replicaVault.listTags(primaryKey)).toEqual(await vaultIn(PRIMARY).listTags(primaryKey));
  });

  it('`kms-signer replicatekeys` does the same from the command line', async () => {
    const env = {
      AWS_REGION: PRIMARY,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      MONGODB_URI: 'mongodb://127.0.0.1:1/unused', // not contacted: replication needs KMS only
      APP_TAG: APP,
    };
    const out = await cli(['replicatekeys', '--to-region', 'eu-west-1', '--json'], { env });
    expect(out.code).toBe(0);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ReplicationResult);
    expect(lines).toEqual(
      expect.arrayContaining([
        {
          keyId: primaryKey,
          outcome: 'replicated',
          replicaArn: expect.stringContaining(':eu-west-1:') as string,
        },
        { keyId: singleKey, outcome: 'single-region' },
      ]),
    );
    expect(out.stderr).toMatch(
      /1 replicated, 1 single-region → eu-west-1|1 single-region, 1 replicated → eu-west-1/,
    );
    const same = await cli(['replicatekeys', '--to-region', PRIMARY], { env });
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('--to-region: is the primary Region');
  });
});
