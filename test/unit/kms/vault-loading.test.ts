// The vault's DER codec (asn1.js with bn.js) and Ed25519 curve checks (@noble/curves) load on first use:
// its methods import them (src/kms/vault.ts), so a module graph that only builds a vault — the signer
// Lambda's init — parses neither. Each test imports a fresh module graph (vi.resetModules) and records
// which of the packages got evaluated: none at import, each by the method that needs it.
import { ed25519 } from '@noble/curves/ed25519.js';
import { randomBytes } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import * as tiny from 'tiny-secp256k1';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeEd25519Spki } from '../../../src/kms/der.js';
import { createFakeKms } from '../../support/fake-kms.js';

const loaded = new Set<string>();

type VaultModule = typeof import('../../../src/kms/vault.js');

describe('the vault loads DER and Ed25519 code on first use', () => {
  let vaultModule: VaultModule;
  beforeEach(async () => {
    vi.resetModules();
    loaded.clear();
    // Pass-through mocks that record the first evaluation of each module in the fresh graph.
    vi.doMock('../../../src/kms/der.js', async (importOriginal) => {
      loaded.add('der');
      return importOriginal();
    });
    vi.doMock('../../../src/kms/ed25519.js', async (importOriginal) => {
      loaded.add('ed25519');
      return importOriginal();
    });
    vaultModule = await import('../../../src/kms/vault.js');
    await import('../../../src/kms/index.js');
  });

  it('loads neither at import (the KMS barrel included)', () => {
    expect([...loaded]).toEqual([]);
  });

  it('loads DER, not Ed25519, to read a secp256k1 key from KMS', async () => {
    const fake = createFakeKms();
    const key = await new vaultModule.KmsVault({ client: fake.client }).getPublicKey('k-1');
    expect(Buffer.from(key.uncompressed)).toEqual(Buffer.from(fake.publicKey));
    expect([...loaded]).toEqual(['der']);
  });

  it('loads DER, not Ed25519, to check a secp256k1 signature', async () => {
    const fake = createFakeKms();
    const digest = new Uint8Array(32).fill(7);
    const signature = await new vaultModule.KmsVault({ client: fake.client }).signDigest(
      'k-1',
      digest,
      fake.publicKey,
    );
    expect(tiny.verify(digest, fake.publicKey, signature.compact)).toBe(true);
    expect([...loaded]).toEqual(['der']);
  });

  it('loads both to read an Ed25519 key from KMS', async () => {
    const seed = randomBytes(32);
    const publicKey = ed25519.getPublicKey(seed);
    const vault = new vaultModule.KmsVault({ client: ed25519Kms(seed) });
    expect(Buffer.from((await vault.getEd25519PublicKey('k-1')).publicKey)).toEqual(Buffer.from(publicKey));
    expect([...loaded].sort()).toEqual(['der', 'ed25519']);
  });

  it('loads the Ed25519 checks to sign with an Ed25519 key', async () => {
    const seed = randomBytes(32);
    const publicKey = ed25519.getPublicKey(seed);
    const message = randomBytes(40);
    const vault = new vaultModule.KmsVault({ client: ed25519Kms(seed) });
    const { signature } = await vault.signMessage('k-1', message, publicKey);
    expect(ed25519.verify(signature, message, publicKey)).toBe(true);
    expect(loaded).toContain('ed25519');
  });
});

/** GetPublicKey and Sign of one Ed25519 key. */
function ed25519Kms(seed: Uint8Array): KMSClient {
  const client = {
    send(command: unknown) {
      if (command instanceof GetPublicKeyCommand) {
        return Promise.resolve({
          KeySpec: 'ECC_NIST_EDWARDS25519',
          KeyUsage: 'SIGN_VERIFY',
          PublicKey: encodeEd25519Spki(ed25519.getPublicKey(seed)),
        });
      }
      if (command instanceof SignCommand) {
        return Promise.resolve({ Signature: ed25519.sign(command.input.Message as Uint8Array, seed) });
      }
      return Promise.reject(new Error('not scripted'));
    },
  };
  return client as unknown as KMSClient;
}
