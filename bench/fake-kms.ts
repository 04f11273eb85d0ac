// In-process stand-ins for KMS used only by the benchmarks: a KMSClient whose Sign answers from a small
// pool of real DER signatures precomputed per digest (random k, and S left high half the time as KMS
// does), so recovery ids and low-S folding vary like real traffic while almost no signing cost is
// measured; and counters of KMS requests and DigestSigner calls.
import type { KMSClient } from '@aws-sdk/client-kms';
import { ed25519 } from '@noble/curves/ed25519.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { encodeEcdsaSignatureDer } from '../src/kms/der.js';
import { CURVE_ORDER } from '../src/crypto/secp256k1.js';
import type { DigestSigner } from '../src/signer/types.js';

export interface PrecomputedKms {
  client: KMSClient;
  /** KMS requests by command name, e.g. { SignCommand: 3 }. */
  sends: Map<string, number>;
}

interface SentCommand {
  constructor: { name: string };
  input: { Message?: Uint8Array; SigningAlgorithm?: string };
}

/** `count` DER signatures of `digest`: random k; every second one with S negated (high S), like KMS. */
export function kmsLikeSignatures(digest: Uint8Array, secretKey: Uint8Array, count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, n) => {
    const { r, s } = secp256k1.Signature.fromBytes(
      secp256k1.sign(digest, secretKey, { prehash: false, extraEntropy: true }),
      'compact',
    );
    return encodeEcdsaSignatureDer(r, n % 2 === 1 ? CURVE_ORDER - s : s);
  });
}

/**
 * `ed25519Seed`: Ed25519 Sign requests (ED25519_SHA_512, RAW) are answered with that key's signature of the
 * message, computed once per message (Ed25519 is deterministic, so KMS would return the same bytes).
 */
export function precomputedKms(
  secretKey: Uint8Array,
  variants = 16,
  ed25519Seed?: Uint8Array,
): PrecomputedKms {
  const sends = new Map<string, number>();
  const pools = new Map<string, { signatures: Uint8Array[]; next: number }>();
  const ed25519Signatures = new Map<string, Uint8Array>();
  const send = (command: SentCommand) => {
    const name = command.constructor.name;
    sends.set(name, (sends.get(name) ?? 0) + 1);
    const digest = command.input.Message;
    if (name !== 'SignCommand' || !digest) return Promise.reject(new Error(`${name} is not emulated`));
    const key = bytesToHex(digest);
    if (command.input.SigningAlgorithm === 'ED25519_SHA_512' && ed25519Seed) {
      const signature = ed25519Signatures.get(key) ?? ed25519.sign(digest, ed25519Seed);
      ed25519Signatures.set(key, signature);
      return Promise.resolve({ Signature: signature, SigningAlgorithm: 'ED25519_SHA_512' });
    }
    let pool = pools.get(key);
    if (!pool) {
      pool = { signatures: kmsLikeSignatures(digest, secretKey, variants), next: 0 };
      pools.set(key, pool);
    }
    const der = pool.signatures[pool.next % variants];
    pool.next += 1;
    return Promise.resolve({ Signature: der, SigningAlgorithm: 'ECDSA_SHA_256' });
  };
  return { client: { send } as unknown as KMSClient, sends };
}

export interface CountingSigner extends DigestSigner {
  calls: number;
}

export function countingSigner(inner: DigestSigner): CountingSigner {
  const counting: CountingSigner = {
    calls: 0,
    signDigest(keyId, digest, publicKey) {
      counting.calls += 1;
      return inner.signDigest(keyId, digest, publicKey);
    },
  };
  return counting;
}
