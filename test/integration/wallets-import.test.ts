// importWallet: key material wrapped with RSAES_OAEP_SHA_256 and imported into an EXTERNAL KMS key; the
// addresses are those of the original key, and KMS signs with it.
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { randomBytes, randomUUID } from 'node:crypto';
import * as tiny from 'tiny-secp256k1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WalletDoc } from '../../src/db/index.js';
import { newWalletDoc } from '../../src/wallets/create.js';
import { WalletError } from '../../src/wallets/index.js';
import { keysTaggedWith, walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

// anvil / hardhat account 0 (a public test key).
const ANVIL_KEY_0 = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const ANVIL_ADDRESS_0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const CURVE_ORDER = 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141';

let env: WalletTestEnv;

beforeAll(async () => {
  env = await walletTestEnv();
});
afterAll(async () => {
  await env.close();
});

const ethInput = () => ({
  userId: `importer-${randomUUID()}`,
  chain: 'ETH' as const,
  asset: 'ETH',
  network: 'mainnet' as const,
});

describe('importWallet', () => {
  it('imports a known key: its address, an EXTERNAL key, signatures that verify, the buffer zeroed', async () => {
    const privateKey = Uint8Array.from(Buffer.from(ANVIL_KEY_0, 'hex'));
    const input = ethInput();
    const wallet = await env.service.importWallet(input, privateKey);
    expect(privateKey.every((b) => b === 0)).toBe(true);

    expect(wallet).toMatchObject({
      status: 'ACTIVE',
      keyOrigin: 'EXTERNAL',
      address: ANVIL_ADDRESS_0,
      chain: 'ETH',
    });
    const { KeyMetadata } = await env.kms.send(new DescribeKeyCommand({ KeyId: wallet.kmsKeyId }));
    expect(KeyMetadata).toMatchObject({
      Origin: 'EXTERNAL',
      KeySpec: 'ECC_SECG_P256K1',
      KeyState: 'Enabled',
    });
    expect(KeyMetadata?.ExpirationModel).toBe('KEY_MATERIAL_DOES_NOT_EXPIRE');
    const expectedPublicKey = Buffer.from(
      tiny.pointFromScalar(Buffer.from(ANVIL_KEY_0, 'hex'), true)!,
    ).toString('hex');
    expect(wallet.publicKey).toBe(expectedPublicKey);

    const digest = randomBytes(32);
    const kmsPublicKey = await env.vault.getPublicKey(wallet.kmsKeyId);
    const signature = await env.vault.signDigest(wallet.kmsKeyId, digest, kmsPublicKey);
    expect(tiny.verify(digest, Buffer.from(wallet.publicKey, 'hex'), signature.compact, true)).toBe(true);

    expect(await keysTaggedWith(env.kms, env.application, wallet.signatureId)).toEqual([
      {
        keyId: wallet.kmsKeyId,
        tags: expect.objectContaining({
          Application: env.application,
          Chain: 'ETH',
          Network: 'mainnet',
        }) as unknown,
      },
    ]);
    expect(await env.service.getWallet(wallet.signatureId)).toEqual(wallet);

    // The same key again on the same chain and network is a conflict, found before KMS is called.
    const again = await env.service
      .importWallet(ethInput(), Uint8Array.from(Buffer.from(ANVIL_KEY_0, 'hex')))
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(WalletError);
    expect(again).toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses bad key material and extra indexes without writing anything', async () => {
    const before = await env.db.collection('wallets').countDocuments();
    const bad: [Uint8Array, string][] = [
      [new Uint8Array(32), 'privateKey'],
      [Uint8Array.from(Buffer.from(CURVE_ORDER, 'hex')), 'privateKey'],
      [randomBytes(31), 'privateKey'],
      [randomBytes(33), 'privateKey'],
    ];
    for (const [key, field] of bad) {
      const error = await env.service.importWallet(ethInput(), key).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'VALIDATION', field });
      expect(key.every((b) => b === 0)).toBe(true);
    }
    const withIndex = await env.service
      .importWallet({ ...ethInput(), index: 2 }, randomBytes(32))
      .catch((e: unknown) => e);
    expect(withIndex).toMatchObject({ code: 'VALIDATION', field: 'index' });
    const badChain = await env.service
      .importWallet({ ...ethInput(), asset: 'BTC' }, randomBytes(32))
      .catch((e: unknown) => e);
    expect(badChain).toMatchObject({ code: 'VALIDATION', field: 'asset' });
    expect(await env.db.collection('wallets').countDocuments()).toBe(before);
  });

  it('an import that died before its key existed is removed by reconcile (the key material is gone)', async () => {
    const crashy = env.newService({
      hooks: {
        beforeCreateKey: () => {
          throw new Error('simulated crash');
        },
      },
    });
    const input = ethInput();
    await expect(crashy.importWallet(input, randomBytes(32))).rejects.toThrow('simulated crash');
    // importWallet cleans up after itself when it survives the failure…
    expect(await env.db.collection('wallets').countDocuments({ userId: input.userId })).toBe(0);

    // …and reconcile does when the process died: a CREATING EXTERNAL record cannot be finished.
    const signatureId = randomUUID();
    const normalized = { ...input, label: null, index: null };
    const orphan = newWalletDoc(signatureId, normalized, new Date(Date.now() - 60_000), {
      keyOrigin: 'EXTERNAL',
    });
    await env.db.collection<WalletDoc>('wallets').insertOne(orphan);
    const report = await env.service.reconcile({ graceSeconds: 0 });
    expect(report.unfinished).toContainEqual({ signatureId, action: 'unfinished import removed' });
    expect(await env.db.collection('wallets').countDocuments({ _id: signatureId as never })).toBe(0);
  });
});
