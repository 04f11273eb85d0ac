// In-process stand-ins for KMS used only by the benchmarks: a KMSClient whose Sign answers with a DER
// signature precomputed once per digest from a known key (so no KMS latency and almost no signing cost
// is measured), and counters of KMS requests and DigestSigner calls.
import type { KMSClient } from '@aws-sdk/client-kms';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { DigestSigner } from '../src/signer/types.js';

export interface PrecomputedKms {
  client: KMSClient;
  /** KMS requests by command name, e.g. { SignCommand: 3 }. */
  sends: Map<string, number>;
}

interface SentCommand {
  constructor: { name: string };
  input: { Message?: Uint8Array };
}

export function precomputedKms(secretKey: Uint8Array): PrecomputedKms {
  const sends = new Map<string, number>();
  const derByDigest = new Map<string, Uint8Array>();
  const send = (command: SentCommand) => {
    const name = command.constructor.name;
    sends.set(name, (sends.get(name) ?? 0) + 1);
    const digest = command.input.Message;
    if (name !== 'SignCommand' || !digest) return Promise.reject(new Error(`${name} is not emulated`));
    const key = bytesToHex(digest);
    let der = derByDigest.get(key);
    if (!der) {
      der = secp256k1.sign(digest, secretKey, { prehash: false, format: 'der' });
      derByDigest.set(key, der);
    }
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
