// Property test over 520 real LocalStack KMS signatures: every one must be low-S, verify with
// libsecp256k1 (tiny-secp256k1, not the code under test) against the digest and the public key,
// recover to the public key with the returned recovery id, and be strict BIP-66 DER (bitcoinjs-lib).
import { randomBytes, randomUUID } from 'node:crypto';
import { script } from 'bitcoinjs-lib';
import * as tiny from 'tiny-secp256k1';
import { beforeAll, describe, expect, it } from 'vitest';
import { CURVE_ORDER } from '../../src/crypto/secp256k1.js';
import type { KmsPublicKey, KmsSignature, KmsVault } from '../../src/kms/vault.js';
import { mapLimit } from '../../src/util/map-limit.js';
import { stackEndpoints } from '../support/stack.js';
import { testVault } from '../../scripts/fixtures/vault.js';

const KEYS = 4;
const SIGNATURES_PER_KEY = 130;
const CONCURRENCY = 16;

let vault: KmsVault;
beforeAll(() => {
  vault = testVault(stackEndpoints().awsEndpoint);
});

describe('KMS signatures (property)', () => {
  it(`${KEYS * SIGNATURES_PER_KEY} signatures are low-S, verify independently and carry the right recovery id`, async () => {
    const keys: { keyId: string; publicKey: KmsPublicKey }[] = [];
    for (let i = 0; i < KEYS; i++) {
      const { keyId } = await vault.createKey({ walletId: randomUUID(), chain: 'ETH' });
      keys.push({ keyId, publicKey: await vault.getPublicKey(keyId) });
    }
    const jobs = keys.flatMap((key) =>
      Array.from({ length: SIGNATURES_PER_KEY }, () => ({ ...key, digest: randomBytes(32) })),
    );
    const results = await mapLimit(jobs, CONCURRENCY, async (job) => ({
      job,
      signature: await vault.signDigest(job.keyId, job.digest, job.publicKey),
    }));

    const seen = { normalized: 0, recoveryIds: new Set<number>(), shortR: 0 };
    for (const { job, signature } of results) {
      assertSignature(job.digest, job.publicKey, signature);
      if (signature.normalized) seen.normalized += 1;
      if (signature.r < 1n << 248n) seen.shortR += 1;
      seen.recoveryIds.add(signature.recoveryId);
    }
    expect(results).toHaveLength(KEYS * SIGNATURES_PER_KEY);
    // KMS uses random k, so about half come back high-S: the normalisation path is really exercised.
    expect(seen.normalized).toBeGreaterThan(results.length / 4);
    expect(seen.normalized).toBeLessThan((results.length * 3) / 4);
    expect([...seen.recoveryIds].sort()).toEqual([0, 1]);
  });
});

function assertSignature(digest: Uint8Array, publicKey: KmsPublicKey, signature: KmsSignature): void {
  expect(signature.s <= CURVE_ORDER / 2n).toBe(true);
  // strict = true makes libsecp256k1 reject high-S.
  expect(tiny.verify(digest, publicKey.uncompressed, signature.compact, true)).toBe(true);
  const recovered = tiny.recover(digest, signature.compact, signature.recoveryId, false);
  expect(recovered && Buffer.from(recovered).equals(Buffer.from(publicKey.uncompressed))).toBe(true);
  // bitcoinjs-lib enforces BIP-66 strict DER when decoding a script signature.
  const decoded = script.signature.decode(Uint8Array.from([...signature.der, 0x01]));
  expect(Buffer.from(decoded.signature).equals(Buffer.from(signature.compact))).toBe(true);
}
