// Known-answer tests end to end: each published private key is imported into LocalStack KMS
// (`_custom_key_material_`), the public key is read back through the vault (DER SPKI parsing and point
// validation included) and the derived address must equal the published one. Sources are cited per
// vector in test/vectors/address-vectors.ts (BIP-173, BIP-143/49/84, EIP-55, CashAddr spec, Trust Wallet
// Core, bitcoinjs-lib, libwally, Dogecoin/Litecoin Core, tronweb, anvil).
import { randomBytes } from 'node:crypto';
import * as tiny from 'tiny-secp256k1';
import { beforeAll, describe, expect, it } from 'vitest';
import { chainKeySpec, deriveAddress, listChains, validateAddress } from '../../src/chains/index.js';
import type { KmsPublicKey, KmsVault } from '../../src/kms/vault.js';
import { createKeyWithPrivateKey } from '../support/kms-fixtures.js';
import { kmsClientFor, stackEndpoints } from '../support/stack.js';
import { testVault } from '../../scripts/fixtures/vault.js';
import { ADDRESS_VECTORS } from '../vectors/address-vectors.js';

const keys = new Map<string, { keyId: string; publicKey: KmsPublicKey }>();
let vault: KmsVault;

beforeAll(async () => {
  const endpoints = stackEndpoints();
  vault = testVault(endpoints.awsEndpoint);
  const kms = kmsClientFor(endpoints);
  for (const privateKeyHex of new Set(ADDRESS_VECTORS.map((v) => v.privateKeyHex))) {
    const keyId = await createKeyWithPrivateKey(kms, Buffer.from(privateKeyHex, 'hex'));
    keys.set(privateKeyHex, { keyId, publicKey: await vault.getPublicKey(keyId) });
  }
});

describe('published addresses from KMS-held keys', () => {
  it.each(ADDRESS_VECTORS.map((v) => [`${v.chain} ${v.network} ${v.format} ${v.address}`, v] as const))(
    '%s',
    (_name, vector) => {
      const { publicKey } = keys.get(vector.privateKeyHex)!;
      expect(deriveAddress(vector.chain, vector.network, publicKey.compressed, vector.format)).toBe(
        vector.address,
      );
      expect(deriveAddress(vector.chain, vector.network, publicKey.uncompressed, vector.format)).toBe(
        vector.address,
      );
      expect(validateAddress(vector.chain, vector.network, vector.address)).toMatchObject({ valid: true });
    },
  );

  it('every imported key signs through the vault and libsecp256k1 verifies it', async () => {
    for (const { keyId, publicKey } of keys.values()) {
      const digest = randomBytes(32);
      const signature = await vault.signDigest(keyId, digest, publicKey);
      expect(tiny.verify(digest, publicKey.compressed, signature.compact, true)).toBe(true);
    }
  });

  it('covers every secp256k1 chain with derived addresses (Ed25519 chains: kms-ed25519 and derive tests; FLOW: chain-assigned)', () => {
    const secp256k1Chains = listChains().filter(
      (c) => chainKeySpec(c.id) === 'ECC_SECG_P256K1' && c.addressFormats.length > 0,
    );
    expect(new Set(ADDRESS_VECTORS.map((v) => v.chain))).toEqual(new Set(secp256k1Chains.map((c) => c.id)));
  });
});
