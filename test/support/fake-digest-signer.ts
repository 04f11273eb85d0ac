// An in-process DigestSigner for signer unit tests: signs with known private keys (noble, RFC 6979,
// low S) and records every call, so a test can assert exactly what would have reached KMS.
import { createHash } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { encodeEcdsaSignatureDer } from '../../src/kms/der.js';
import { compactSignature, findRecoveryId } from '../../src/crypto/secp256k1.js';
import type { KmsSignature } from '../../src/kms/vault.js';
import type { DigestSigner, WalletKey } from '../../src/signer/types.js';

export interface TestKey {
  keyId: string;
  privateKey: Uint8Array;
  /** 33-byte compressed public key. */
  publicKey: Uint8Array;
  wallet: WalletKey;
}

/** A deterministic key: private key = sha256(label). */
export function testKey(label: string): TestKey {
  const privateKey = Uint8Array.from(createHash('sha256').update(label).digest());
  const publicKey = secp256k1.getPublicKey(privateKey, true);
  const keyId = `fake-key-${label}`;
  return { keyId, privateKey, publicKey, wallet: { keyId, publicKey, walletId: label } };
}

export interface FakeDigestSigner extends DigestSigner {
  calls: { keyId: string; digest: Uint8Array }[];
}

export function fakeDigestSigner(keys: readonly TestKey[]): FakeDigestSigner {
  const calls: FakeDigestSigner['calls'] = [];
  return {
    calls,
    signDigest(keyId: string, digest: Uint8Array, publicKey: Uint8Array): Promise<KmsSignature> {
      calls.push({ keyId, digest: Uint8Array.from(digest) });
      const key = keys.find((k) => k.keyId === keyId);
      if (!key) return Promise.reject(new Error(`fake signer has no key ${keyId}`));
      const signature = secp256k1.Signature.fromBytes(
        secp256k1.sign(digest, key.privateKey, { prehash: false, lowS: true }),
        'compact',
      );
      const { r, s } = signature;
      const point = secp256k1.Point.fromBytes(publicKey);
      const recoveryId = findRecoveryId(digest, r, s, {
        compressed: point.toBytes(true),
        uncompressed: point.toBytes(false),
      });
      if (recoveryId === undefined) return Promise.reject(new Error('public key does not match the key id'));
      return Promise.resolve({
        r,
        s,
        recoveryId,
        der: encodeEcdsaSignatureDer(r, s),
        compact: compactSignature(r, s),
        normalized: false,
      });
    },
  };
}
