// Ed25519 wallets end to end on LocalStack: the vault's Ed25519 key operations, and SOL wallets created,
// imported (PKCS#8 Ed25519 material) and exported with the key spec the chain registry names.
import { CreateKeyCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { ed25519 } from '@noble/curves/ed25519.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveAddress } from '../../src/chains/index.js';
import { InvalidInputError, KmsKeyUnusableError } from '../../src/kms/errors.js';
import { ED25519_ADDRESS_VECTORS } from '../vectors/ed25519-address-vectors.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

let env: WalletTestEnv;

beforeAll(async () => {
  env = await walletTestEnv();
});
afterAll(async () => {
  await env.close();
});

const solInput = () => ({
  userId: `ed25519-${randomUUID()}`,
  chain: 'SOL' as const,
  asset: 'SOL',
  network: 'testnet' as const,
});

describe('KmsVault with ECC_NIST_EDWARDS25519 keys', () => {
  it('creates an Ed25519 key, reads its public key and signs messages that @noble/curves verifies', async () => {
    const { keyId } = await env.vault.createKey({
      walletId: randomUUID(),
      chain: 'SOL',
      keySpec: 'ECC_NIST_EDWARDS25519',
    });
    expect((await env.vault.describeKey(keyId)).keySpec).toBe('ECC_NIST_EDWARDS25519');
    const { publicKey, spkiDer } = await env.vault.getEd25519PublicKey(keyId);
    expect(spkiDer).toHaveLength(44);
    for (const length of [1, 200, 4096]) {
      const message = randomBytes(length);
      const { signature } = await env.vault.signMessage(keyId, message, publicKey);
      expect(ed25519.verify(signature, message, publicKey)).toBe(true);
    }
  });

  it('refuses a message over 4,096 bytes and a wrong public key before or after KMS', async () => {
    const { keyId } = await env.vault.createKey({
      walletId: randomUUID(),
      chain: 'SOL',
      keySpec: 'ECC_NIST_EDWARDS25519',
    });
    const { publicKey } = await env.vault.getEd25519PublicKey(keyId);
    await expect(env.vault.signMessage(keyId, randomBytes(4097), publicKey)).rejects.toThrow(
      InvalidInputError,
    );
    const otherKey = ed25519.getPublicKey(ed25519.utils.randomSecretKey());
    await expect(env.vault.signMessage(keyId, randomBytes(32), otherKey)).rejects.toMatchObject({
      code: 'SIGNATURE_NOT_VERIFIED',
    });
  });

  it('keeps the key specs apart: no Ed25519 reads or signatures from secp256k1 keys, and vice versa', async () => {
    const secp = await env.vault.createKey({ walletId: randomUUID(), chain: 'ETH' });
    const ed = await env.vault.createKey({
      walletId: randomUUID(),
      chain: 'SOL',
      keySpec: 'ECC_NIST_EDWARDS25519',
    });
    await expect(env.vault.getEd25519PublicKey(secp.keyId)).rejects.toThrow(KmsKeyUnusableError);
    await expect(env.vault.getPublicKey(ed.keyId)).rejects.toThrow(/expected ECC_SECG_P256K1/);
    const edKey = (await env.vault.getEd25519PublicKey(ed.keyId)).publicKey;
    // KMS itself refuses ED25519_SHA_512 on the secp256k1 key (InvalidKeyUsageException).
    await expect(env.vault.signMessage(secp.keyId, randomBytes(32), edKey)).rejects.toMatchObject({
      reason: 'wrong-key-usage',
    });
  });
});

describe('SOL wallets', () => {
  it('are created with an Ed25519 key and a base58 address of its public key', async () => {
    const { wallet } = await env.service.createWallet(solInput());
    expect(wallet.keySpec).toBe('ECC_NIST_EDWARDS25519');
    expect(wallet.publicKey).toMatch(/^[0-9a-f]{64}$/);
    const described = await env.kms.send(new DescribeKeyCommand({ KeyId: wallet.kmsKeyId }));
    expect(described.KeyMetadata?.KeySpec).toBe('ECC_NIST_EDWARDS25519');
    const publicKey = Uint8Array.from(Buffer.from(wallet.publicKey, 'hex'));
    expect(wallet.address).toBe(deriveAddress('SOL', 'testnet', publicKey));
    expect(wallet.addresses).toEqual([{ format: 'solana', address: wallet.address }]);
  });

  it('import the published web3.js seed into an EXTERNAL Ed25519 key with its published address', async () => {
    const vector = ED25519_ADDRESS_VECTORS.find((v) => v.network === 'testnet')!;
    const seed = Uint8Array.from(Buffer.from(vector.seedHex, 'hex'));
    const wallet = await env.service.importWallet(solInput(), seed);
    expect(seed.every((b) => b === 0)).toBe(true);
    expect(wallet).toMatchObject({
      address: vector.address,
      keyOrigin: 'EXTERNAL',
      keySpec: 'ECC_NIST_EDWARDS25519',
    });
    const described = await env.kms.send(new DescribeKeyCommand({ KeyId: wallet.kmsKeyId }));
    expect(described.KeyMetadata).toMatchObject({ KeySpec: 'ECC_NIST_EDWARDS25519', Origin: 'EXTERNAL' });
    const message = randomBytes(100);
    const publicKey = Uint8Array.from(Buffer.from(wallet.publicKey, 'hex'));
    const { signature } = await env.vault.signMessage(wallet.kmsKeyId, message, publicKey);
    // Ed25519 is deterministic: KMS, holding the imported seed, signs exactly as the seed does.
    expect(Buffer.from(signature)).toEqual(
      Buffer.from(ed25519.sign(message, Uint8Array.from(Buffer.from(vector.seedHex, 'hex')))),
    );
  });

  it('refuse a 64-byte keypair as import material', async () => {
    await expect(env.service.importWallet(solInput(), new Uint8Array(64).fill(8))).rejects.toMatchObject({
      field: 'privateKey',
    });
  });

  it('never activate with a KMS key of the wrong spec', async () => {
    // A secp256k1 key cannot serve a SOL wallet: the public-key read refuses it.
    const created = await env.kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY' }),
    );
    await expect(
      env.vault.getWalletPublicKey(created.KeyMetadata!.KeyId!, 'ECC_NIST_EDWARDS25519'),
    ).rejects.toMatchObject({ reason: 'wrong-key-spec' });
  });
});
