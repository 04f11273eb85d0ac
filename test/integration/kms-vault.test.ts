// The vault against LocalStack KMS: key creation, tags, public keys, signing and the key lifecycle.
import { CreateKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { randomBytes, randomUUID } from 'node:crypto';
import * as tiny from 'tiny-secp256k1';
import { beforeAll, describe, expect, it } from 'vitest';
import { KmsKeyUnusableError, SignatureVerificationError } from '../../src/kms/errors.js';
import type { KmsPublicKey, KmsVault } from '../../src/kms/vault.js';
import { stackEndpoints } from '../support/stack.js';
import { testKmsClient, testVault } from '../../scripts/fixtures/vault.js';

let vault: KmsVault;
let endpoint: string;

beforeAll(() => {
  endpoint = stackEndpoints().awsEndpoint;
  vault = testVault(endpoint);
});

async function newWalletKey(): Promise<{ keyId: string; publicKey: KmsPublicKey }> {
  const { keyId } = await vault.createKey({ walletId: randomUUID(), chain: 'BTC' });
  return { keyId, publicKey: await vault.getPublicKey(keyId) };
}

async function expectSignable(keyId: string, publicKey: KmsPublicKey): Promise<void> {
  const digest = randomBytes(32);
  const signature = await vault.signDigest(keyId, digest, publicKey);
  expect(tiny.verify(digest, publicKey.compressed, signature.compact, true)).toBe(true);
}

describe('KmsVault on LocalStack', () => {
  it('creates a tagged ECC_SECG_P256K1 SIGN_VERIFY key with an alias', async () => {
    const walletId = randomUUID();
    const alias = `alias/kms-signer-test/${walletId}`;
    const { keyId, arn } = await vault.createKey({ walletId, chain: 'ETH', alias });
    expect(arn).toContain(keyId);
    const description = await vault.describeKey(keyId);
    expect(description).toMatchObject({
      keySpec: 'ECC_SECG_P256K1',
      keyUsage: 'SIGN_VERIFY',
      state: 'Enabled',
    });
    expect(await vault.listTags(keyId)).toEqual({
      Application: 'kms-signer',
      WalletId: walletId,
      Chain: 'ETH',
    });
    // The alias resolves to the same key.
    const viaAlias = await vault.getPublicKey(alias);
    const direct = await vault.getPublicKey(keyId);
    expect(Buffer.from(viaAlias.compressed).equals(Buffer.from(direct.compressed))).toBe(true);
    expect(direct.spkiDer).toHaveLength(88);
  });

  it('creates a key with the ownership key policy, then tags it (issue 13: no tags at CreateKey)', async () => {
    const ownerRoleArn = 'arn:aws:iam::000000000000:role/kms-signer-api';
    const owned = testVault(endpoint, { keyOwnerRoleArn: ownerRoleArn, application: 'kms-signer-dev' });
    const walletId = randomUUID();
    const { keyId } = await owned.createKey({ walletId, chain: 'ETH' });
    expect(await owned.listTags(keyId)).toEqual({
      Application: 'kms-signer-dev',
      WalletId: walletId,
      Chain: 'ETH',
    });
    const { Policy } = await testKmsClient(endpoint).send(
      new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }),
    );
    const policy = JSON.parse(Policy!) as { Statement: { Sid: string; Principal: { AWS: string } }[] };
    expect(policy.Statement.map((s) => [s.Sid, s.Principal.AWS])).toEqual([
      ['EnableIamPolicies', 'arn:aws:iam::000000000000:root'],
      ['TagOnceByTheCreatingRole', ownerRoleArn],
      ['WithdrawUntaggedKeyByTheCreatingRole', ownerRoleArn],
    ]);
    expect((await owned.describeKey(keyId)).state).toBe('Enabled');
  });

  it('walks the lifecycle: disable, enable, schedule deletion (7 days), cancel, enable', async () => {
    const { keyId, publicKey } = await newWalletKey();
    await expectSignable(keyId, publicKey);

    await vault.disableKey(keyId);
    expect((await vault.describeKey(keyId)).state).toBe('Disabled');
    await expect(vault.signDigest(keyId, randomBytes(32), publicKey)).rejects.toMatchObject({
      reason: 'disabled',
      message: expect.stringContaining(`KMS key ${keyId} is disabled`) as unknown,
    });

    await vault.enableKey(keyId);
    await expectSignable(keyId, publicKey);

    const deletionDate = await vault.scheduleKeyDeletion(keyId, 7);
    const sixDays = Date.now() + 6 * 24 * 3600 * 1000;
    expect(deletionDate!.getTime()).toBeGreaterThan(sixDays);
    const pending = await vault.describeKey(keyId);
    expect(pending.state).toBe('PendingDeletion');
    await expect(vault.signDigest(keyId, randomBytes(32), publicKey)).rejects.toMatchObject({
      reason: 'invalid-state',
    });

    await vault.cancelKeyDeletion(keyId);
    expect((await vault.describeKey(keyId)).state).toBe('Disabled'); // KMS leaves cancelled keys disabled
    await vault.enableKey(keyId);
    await expectSignable(keyId, publicKey);
  });

  it('names the key when it does not exist', async () => {
    const missing = randomUUID();
    const error = await vault
      .signDigest(missing, randomBytes(32), (await newWalletKey()).publicKey)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KmsKeyUnusableError);
    expect((error as KmsKeyUnusableError).reason).toBe('not-found');
    expect((error as Error).message).toContain(`KMS key ${missing} does not exist`);
    await expect(vault.getPublicKey(missing)).rejects.toThrow(`KMS key ${missing} does not exist`);
  });

  it('refuses keys of another spec or usage', async () => {
    const raw = testKmsClient(endpoint);
    const p256 = await raw.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    const p256Id = p256.KeyMetadata!.KeyId!;
    await expect(vault.getPublicKey(p256Id)).rejects.toThrow(
      `KMS key ${p256Id} has the wrong key spec or key usage for this wallet: expected ECC_SECG_P256K1 / SIGN_VERIFY, it is ECC_NIST_P256 / SIGN_VERIFY`,
    );
    // Signing with a P-256 key "works" in KMS, but the result cannot match a secp256k1 wallet key.
    const wallet = await newWalletKey();
    await expect(vault.signDigest(p256Id, randomBytes(32), wallet.publicKey)).rejects.toThrow(
      SignatureVerificationError,
    );

    const symmetric = await raw.send(
      new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }),
    );
    const symmetricId = symmetric.KeyMetadata!.KeyId!;
    await expect(vault.getPublicKey(symmetricId)).rejects.toBeInstanceOf(KmsKeyUnusableError);
    const error = await vault
      .signDigest(symmetricId, randomBytes(32), wallet.publicKey)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KmsKeyUnusableError);
    expect((error as Error).message).toContain(symmetricId);
  });

  it('refuses a digest of the wrong length before calling KMS', async () => {
    const { keyId, publicKey } = await newWalletKey();
    await expect(vault.signDigest(keyId, randomBytes(20), publicKey)).rejects.toThrow(
      'digest: must be exactly 32 bytes, got 20',
    );
  });
});
