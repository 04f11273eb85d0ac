import { DisabledException, KMSInvalidStateException, NotFoundException } from '@aws-sdk/client-kms';
import { randomBytes } from 'node:crypto';
import * as tiny from 'tiny-secp256k1';
import { describe, expect, it } from 'vitest';
import { encodeEcdsaSignatureDer, encodeSecp256k1Spki } from '../../../src/kms/der.js';
import {
  InvalidInputError,
  KmsKeyUnusableError,
  KmsUnavailableError,
  MalformedKmsResponseError,
  SignatureVerificationError,
} from '../../../src/kms/errors.js';
import { CURVE_ORDER } from '../../../src/crypto/secp256k1.js';
import { KmsVault } from '../../../src/kms/vault.js';
import { awsError, createFakeKms } from '../../support/fake-kms.js';

const fastRetry = { baseDelayMs: 1, maxDelayMs: 5, deadlineMs: 2_000, maxAttempts: 4 };
const meta = { $metadata: {} };

describe('KmsVault.signDigest (fake KMS)', () => {
  it('folds a high S, returns the recovery id and a signature libsecp256k1 accepts', async () => {
    const fake = createFakeKms({ forceHighS: true });
    const vault = new KmsVault({ client: fake.client });
    const digest = randomBytes(32);
    const signature = await vault.signDigest('k1', digest, fake.publicKey);
    expect(signature.normalized).toBe(true);
    expect(signature.s <= CURVE_ORDER / 2n).toBe(true);
    expect(tiny.verify(digest, fake.publicKey, signature.compact, true)).toBe(true);
    const recovered = tiny.recover(digest, signature.compact, signature.recoveryId, false);
    expect(Buffer.from(recovered!).equals(Buffer.from(fake.publicKey))).toBe(true);
    expect(fake.calls.map((c) => c.input.MessageType)).toEqual(['DIGEST']);
    expect(fake.calls[0]!.input.SigningAlgorithm).toBe('ECDSA_SHA_256');
  });

  it.each([0, 31, 33, 64])('rejects a %i-byte digest without calling KMS', async (length) => {
    const fake = createFakeKms();
    const vault = new KmsVault({ client: fake.client });
    await expect(vault.signDigest('k1', new Uint8Array(length), fake.publicKey)).rejects.toThrow(
      new InvalidInputError('digest', `must be exactly 32 bytes, got ${length}`),
    );
    expect(fake.calls).toHaveLength(0);
  });

  it('rejects an invalid stored public key without calling KMS', async () => {
    const fake = createFakeKms();
    const vault = new KmsVault({ client: fake.client });
    await expect(
      vault.signDigest('k1', randomBytes(32), Uint8Array.from([2, ...new Uint8Array(32).fill(0xff)])),
    ).rejects.toThrow(/publicKey: not a point on the secp256k1 curve/);
    await expect(vault.signDigest('', randomBytes(32), fake.publicKey)).rejects.toThrow(/keyId: must be/);
    expect(fake.calls).toHaveLength(0);
  });

  it('refuses a signature that does not match the wallet key', async () => {
    const fake = createFakeKms();
    const vault = new KmsVault({ client: fake.client });
    const otherKey = tiny.pointFromScalar(randomBytes(32), false)!;
    await expect(vault.signDigest('k1', randomBytes(32), otherKey)).rejects.toThrow(
      SignatureVerificationError,
    );
  });

  it('rejects malformed DER and out-of-range scalars from KMS', async () => {
    const fake = createFakeKms();
    const vault = new KmsVault({ client: fake.client });
    fake.on('SignCommand', () => ({ Signature: Uint8Array.from([0x30, 0x03, 0x02, 0x01]) }));
    await expect(vault.signDigest('k1', randomBytes(32), fake.publicKey)).rejects.toThrow(
      /KMS key k1: ECDSA signature DER has 4 bytes/,
    );
    fake.on('SignCommand', () => ({ Signature: encodeEcdsaSignatureDer(CURVE_ORDER, 5n) }));
    await expect(vault.signDigest('k1', randomBytes(32), fake.publicKey)).rejects.toThrow(
      MalformedKmsResponseError,
    );
    fake.on('SignCommand', () => ({}));
    await expect(vault.signDigest('k1', randomBytes(32), fake.publicKey)).rejects.toThrow(
      /returned no Signature/,
    );
  });

  it('retries throttling, then succeeds', async () => {
    const fake = createFakeKms();
    const vault = new KmsVault({ client: fake.client, retry: fastRetry });
    fake.failFirst('SignCommand', 2, () => awsError('ThrottlingException', 'Rate exceeded', 400));
    await vault.signDigest('k1', randomBytes(32), fake.publicKey);
    expect(fake.calls).toHaveLength(3);
  });

  it('gives up with KmsUnavailableError after maxAttempts', async () => {
    const fake = createFakeKms();
    const vault = new KmsVault({ client: fake.client, retry: fastRetry });
    fake.on('SignCommand', () => {
      throw awsError('ThrottlingException', 'Rate exceeded', 400);
    });
    const error = await vault.signDigest('k1', randomBytes(32), fake.publicKey).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KmsUnavailableError);
    expect((error as Error).message).toMatch(
      /KMS Sign on key k1 failed after 4 attempt\(s\).*ThrottlingException/,
    );
    expect(fake.calls).toHaveLength(4);
  });

  it.each([
    [new NotFoundException({ message: 'Key does not exist', ...meta }), 'not-found', /does not exist/],
    [new DisabledException({ message: 'disabled', ...meta }), 'disabled', /is disabled/],
    [
      new KMSInvalidStateException({ message: 'pending deletion', ...meta }),
      'invalid-state',
      /not in a usable state/,
    ],
  ])('fails at once on %s', async (kmsError, reason, text) => {
    const fake = createFakeKms();
    const vault = new KmsVault({ client: fake.client, retry: fastRetry });
    fake.on('SignCommand', () => {
      throw kmsError;
    });
    const error = await vault.signDigest('my-key', randomBytes(32), fake.publicKey).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KmsKeyUnusableError);
    expect((error as KmsKeyUnusableError).reason).toBe(reason);
    expect((error as Error).message).toMatch(/^KMS key my-key /);
    expect((error as Error).message).toMatch(text);
    expect(fake.calls).toHaveLength(1);
  });
});

describe('KmsVault.getPublicKey (fake KMS)', () => {
  it('returns compressed and uncompressed keys', async () => {
    const fake = createFakeKms();
    const key = await new KmsVault({ client: fake.client }).getPublicKey('k1');
    expect(Buffer.from(key.uncompressed).equals(Buffer.from(fake.publicKey))).toBe(true);
    expect(Buffer.from(key.compressed).equals(Buffer.from(tiny.pointCompress(fake.publicKey, true)))).toBe(
      true,
    );
  });

  it('refuses a key of another spec', async () => {
    const fake = createFakeKms();
    fake.on('GetPublicKeyCommand', () => ({
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      PublicKey: new Uint8Array(),
    }));
    await expect(new KmsVault({ client: fake.client }).getPublicKey('k1')).rejects.toThrow(
      /KMS key k1 has the wrong key spec or key usage for this wallet: expected ECC_SECG_P256K1 \/ SIGN_VERIFY, it is ECC_NIST_P256 \/ SIGN_VERIFY/,
    );
  });

  it('refuses a point that is not on the curve', async () => {
    const fake = createFakeKms();
    const bad = Uint8Array.from(fake.publicKey);
    bad[64] = bad[64]! ^ 1;
    fake.on('GetPublicKeyCommand', () => ({
      KeySpec: 'ECC_SECG_P256K1',
      KeyUsage: 'SIGN_VERIFY',
      PublicKey: encodeSecp256k1Spki(bad),
    }));
    await expect(new KmsVault({ client: fake.client }).getPublicKey('k1')).rejects.toThrow(
      /KMS key k1: public key from KMS is invalid: not a point on the secp256k1 curve/,
    );
  });
});

describe('KmsVault key lifecycle input checks (fake KMS)', () => {
  it.each([0, 6, 31, 7.5])('refuses a pending window of %s days without calling KMS', async (days) => {
    const fake = createFakeKms();
    await expect(new KmsVault({ client: fake.client }).scheduleKeyDeletion('k1', days)).rejects.toThrow(
      /pendingWindowInDays: must be a whole number of days from 7 to 30/,
    );
    expect(fake.calls).toHaveLength(0);
  });

  it('defaults the pending window to 30 days', async () => {
    const fake = createFakeKms();
    await new KmsVault({ client: fake.client }).scheduleKeyDeletion('k1');
    expect(fake.calls[0]!.input.PendingWindowInDays).toBe(30);
  });

  it('writes the application, wallet and chain tags and refuses to let extra tags override them', async () => {
    const fake = createFakeKms();
    const vault = new KmsVault({ client: fake.client, application: 'acme-signer' });
    const { keyId } = await vault.createKey({ walletId: 'w-1', chain: 'BTC', tags: { Team: 'payments' } });
    expect(fake.calls[0]!.input).toMatchObject({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY' });
    // No tags at CreateKey (src/kms/key-ownership.ts): one TagResource on the new key carries them all.
    expect(fake.calls[0]!.input).not.toHaveProperty('Tags');
    expect(fake.calls[1]!.command).toBe('TagResourceCommand');
    expect(fake.calls[1]!.input).toMatchObject({
      KeyId: keyId,
      Tags: expect.arrayContaining([
        { TagKey: 'Application', TagValue: 'acme-signer' },
        { TagKey: 'WalletId', TagValue: 'w-1' },
        { TagKey: 'Chain', TagValue: 'BTC' },
        { TagKey: 'Team', TagValue: 'payments' },
      ]) as unknown,
    });
    await expect(vault.createKey({ walletId: 'w-2', chain: 'BTC', tags: { WalletId: 'x' } })).rejects.toThrow(
      /tags.WalletId: is reserved/,
    );
    await expect(vault.createKey({ walletId: '', chain: 'BTC' })).rejects.toThrow(/walletId: must be 1-256/);
    await expect(vault.createKey({ walletId: 'w', chain: 'BTC', alias: 'alias/aws/x' })).rejects.toThrow(
      /alias:/,
    );
    expect(fake.calls).toHaveLength(2);
  });

  it('creates keys with the ownership key policy when an owner role is configured', async () => {
    const fake = createFakeKms();
    const ownerRoleArn = 'arn:aws:iam::123456789012:role/kms-signer-api';
    const vault = new KmsVault({
      client: fake.client,
      application: 'kms-signer-prod',
      keyOwnerRoleArn: ownerRoleArn,
    });
    await vault.createKey({ walletId: 'w-1', chain: 'ETH' });
    const input = fake.calls[0]!.input as { Policy: string; BypassPolicyLockoutSafetyCheck: boolean };
    expect(input.BypassPolicyLockoutSafetyCheck).toBe(true);
    const policy = JSON.parse(input.Policy) as { Statement: { Sid: string; Principal: { AWS: string } }[] };
    expect(policy.Statement.map((s) => s.Principal.AWS)).toEqual([
      'arn:aws:iam::123456789012:root',
      ownerRoleArn,
      ownerRoleArn,
    ]);
    expect(() =>
      new KmsVault({ client: fake.client, keyOwnerRoleArn: 'arn:aws:iam::1:user/x' }).ownershipParams(),
    ).toThrow(/must be an IAM role ARN/);
  });

  it('withdraws a new key it could not tag (7-day deletion) and reports the tagging error', async () => {
    const fake = createFakeKms();
    const vault = new KmsVault({ client: fake.client, retry: fastRetry });
    fake.failFirst('TagResourceCommand', 10, () => awsError('AccessDeniedException', 'not authorized', 400));
    await expect(vault.createKey({ walletId: 'w-1', chain: 'ETH' })).rejects.toBeInstanceOf(
      KmsKeyUnusableError,
    );
    const names = fake.calls.map((c) => c.command);
    expect(names).toEqual(['CreateKeyCommand', 'TagResourceCommand', 'ScheduleKeyDeletionCommand']);
    expect(fake.calls[2]!.input).toMatchObject({ PendingWindowInDays: 7 });
  });
});

describe('KmsVault retry reporting (fake KMS)', () => {
  it('reports every retried throttle with the operation, key and attempt, and nothing for success', async () => {
    const fake = createFakeKms();
    const events: unknown[] = [];
    const vault = new KmsVault({
      client: fake.client,
      retry: fastRetry,
      onRetry: (event) => events.push(event),
    });
    fake.failFirst('SignCommand', 2, () => awsError('ThrottlingException', 'Rate exceeded', 400));
    await vault.signDigest('k1', randomBytes(32), fake.publicKey);
    expect(events).toEqual([
      { operation: 'Sign', keyId: 'k1', attempt: 1, error: 'ThrottlingException: Rate exceeded' },
      { operation: 'Sign', keyId: 'k1', attempt: 2, error: 'ThrottlingException: Rate exceeded' },
    ]);
  });

  it('does not report a non-retryable failure as a retry', async () => {
    const fake = createFakeKms();
    const events: unknown[] = [];
    const vault = new KmsVault({
      client: fake.client,
      retry: fastRetry,
      onRetry: (event) => events.push(event),
    });
    fake.on('SignCommand', () => {
      throw new NotFoundException({ message: 'gone', ...meta });
    });
    await expect(vault.signDigest('k1', randomBytes(32), fake.publicKey)).rejects.toThrow(
      KmsKeyUnusableError,
    );
    expect(events).toEqual([]);
  });
});
