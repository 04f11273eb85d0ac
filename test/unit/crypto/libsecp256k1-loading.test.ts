// libsecp256k1 is instantiated on first use (src/crypto/libsecp256k1.ts), not at import. The test set-up
// loads it in advance (test/setup/address-code.ts); here each test imports a fresh module graph
// (vi.resetModules), where it is not loaded, to prove each load point in front of its synchronous users.
import * as tiny from 'tiny-secp256k1';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Collection } from 'mongodb';
import type { FlowAccountReader } from '../../../src/wallets/flow-registration.js';
import type { ServiceContext } from '../../../src/wallets/context.js';
import type { WalletDoc } from '../../../src/db/index.js';
import { createFakeKms } from '../../support/fake-kms.js';

const NOT_LOADED = /libsecp256k1 is not loaded yet/;
const WALLET_ID = '6f1c2a9e-3b7d-4c58-9e21-0a4b5c6d7e8f';

type PublicKeyModule = typeof import('../../../src/crypto/public-key.js');

describe('libsecp256k1 on first use', () => {
  let keys: PublicKeyModule;
  const fake = createFakeKms();
  beforeEach(async () => {
    vi.resetModules();
    keys = await import('../../../src/crypto/public-key.js');
  });

  it('is not there before a load point ran: parsing a key says so', () => {
    expect(() => keys.parsePublicKey(fake.publicKey)).toThrow(NOT_LOADED);
  });

  it('is loaded by the vault before it parses a key from KMS', async () => {
    const { KmsVault } = await import('../../../src/kms/vault.js');
    const key = await new KmsVault({ client: fake.client }).getPublicKey('k-1');
    expect(Buffer.from(key.compressed)).toEqual(Buffer.from(tiny.pointCompress(fake.publicKey, true)));
  });

  it('is loaded by the vault before it checks a signature (recovery id search)', async () => {
    const { KmsVault } = await import('../../../src/kms/vault.js');
    const digest = new Uint8Array(32).fill(7);
    const signature = await new KmsVault({ client: fake.client }).signDigest('k-1', digest, fake.publicKey);
    expect(tiny.verify(digest, fake.publicKey, signature.compact)).toBe(true);
  });

  it('is loaded with the address code of secp256k1 chains only', async () => {
    const chains = await import('../../../src/chains/index.js');
    await chains.loadAddressCode(['SOL']); // Ed25519: no curve code needed
    expect(() => keys.parsePublicKey(fake.publicKey)).toThrow(NOT_LOADED);
    await chains.loadAddressCode(['FLOW']); // its address code needs none, its signer does
    expect(keys.parsePublicKey(fake.publicKey).uncompressed).toEqual(fake.publicKey);
  });

  it('is loaded by Flow account registration before it compares the node’s key', async () => {
    const { registerFlowAccount } = await import('../../../src/wallets/flow-registration.js');
    const address = '0x01cf0e2f2f715450';
    const xy = Buffer.from(fake.publicKey.subarray(1)).toString('hex');
    const node: FlowAccountReader = {
      account: () =>
        Promise.resolve({
          keys: [
            {
              index: 0,
              publicKey: xy,
              signingAlgorithm: 'ECDSA_secp256k1',
              hashingAlgorithm: 'SHA3_256',
              weight: 1000,
              revoked: false,
              sequenceNumber: 0,
            },
          ],
        }),
    };
    const view = await registerFlowAccount(
      flowWalletContext(),
      WALLET_ID,
      { address, keyIndex: 0 },
      () => node,
    );
    expect(view).toMatchObject({ address, flowAccount: { keyIndex: 0 } });
  });

  /** One ACTIVE FLOW wallet not registered yet, in a collection that applies `$set`. */
  function flowWalletContext(): ServiceContext {
    const now = new Date('2026-12-04T00:00:00Z');
    const doc = {
      _id: WALLET_ID,
      signatureId: WALLET_ID,
      userId: 'user-1',
      chain: 'FLOW',
      asset: 'FLOW',
      network: 'testnet',
      label: null,
      status: 'ACTIVE',
      address: `pending:${WALLET_ID}`,
      addresses: [],
      publicKey: Buffer.from(fake.publicKey).toString('hex'),
      kmsKeyId: 'k-1',
      kmsKeyArn: 'arn:aws:kms:us-east-1:0:key/k-1',
      keyOrigin: 'AWS_KMS',
      deletionDate: null,
      createdAt: now,
      updatedAt: now,
    } as unknown as WalletDoc;
    const wallets = {
      findOne: () => Promise.resolve({ ...doc }),
      updateOne: (_filter: unknown, update: { $set: Partial<WalletDoc> }) => {
        Object.assign(doc, update.$set);
        return Promise.resolve({ matchedCount: 1, modifiedCount: 1 });
      },
    } as unknown as Collection<WalletDoc>;
    return { wallets, clock: () => now } as unknown as ServiceContext;
  }
});
