// Shared set-up of the TRON signer unit tests: an in-process wallet key and request/assertion helpers.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { expect } from 'vitest';
import { deriveAddress } from '../../../../src/chains/index.js';
import { tronAddressToHex } from '../../../../src/chains/addresses/tron.js';
import { signTronTransaction, type TronSignRequest } from '../../../../src/signer/tron/index.js';
import type { KmsSignature } from '../../../../src/kms/vault.js';
import {
  SigningRefusedError,
  type DigestSigner,
  type RefusalCode,
  type WalletKey,
} from '../../../../src/signer/types.js';

/** Counts calls and signs in-process with a known key; `tamper` mimics a broken KMS path. */
export class FakeDigestSigner implements DigestSigner {
  calls = 0;
  readonly publicKey: Uint8Array;

  constructor(
    private readonly secretKey: Uint8Array,
    private readonly tamper: (signature: KmsSignature) => KmsSignature = (signature) => signature,
  ) {
    this.publicKey = secp256k1.getPublicKey(secretKey, true);
  }

  wallet(keyId = 'fake-key'): WalletKey {
    return { keyId, publicKey: this.publicKey };
  }

  signDigest(_keyId: string, digest: Uint8Array): Promise<KmsSignature> {
    this.calls += 1;
    const bytes = secp256k1.sign(digest, this.secretKey, { prehash: false, format: 'recovered' });
    const { r, s, recovery } = secp256k1.Signature.fromBytes(bytes, 'recovered');
    const compact = bytes.slice(1);
    const der = secp256k1.Signature.fromBytes(compact, 'compact').toBytes('der');
    return Promise.resolve(
      this.tamper({ r, s, recoveryId: recovery === 1 ? 1 : 0, der, compact, normalized: false }),
    );
  }
}

export const secretKey = (label: string): Uint8Array => sha256(new TextEncoder().encode(label));

export const SECRET = secretKey('kms-signer tron unit wallet');
/** The wallet's T… address and its "41…" hex form. */
export const WALLET = deriveAddress('TRON', 'mainnet', new FakeDigestSigner(SECRET).publicKey);
export const WALLET_HEX = tronAddressToHex(WALLET);

export function tronRequest(
  unsigned: TronSignRequest['unsigned'],
  overrides: Partial<Omit<TronSignRequest, 'signer'>> & { signer?: FakeDigestSigner } = {},
): TronSignRequest & { signer: FakeDigestSigner } {
  const signer = overrides.signer ?? new FakeDigestSigner(SECRET);
  return { chain: 'TRON', network: 'mainnet', wallets: [signer.wallet()], unsigned, ...overrides, signer };
}

/** Refused with this code and field, and the signer ("KMS") was never called. */
export async function expectRefused(
  request: TronSignRequest & { signer: FakeDigestSigner },
  code: RefusalCode,
  field: string,
): Promise<SigningRefusedError> {
  const error = await signTronTransaction(request).then(
    () => expect.unreachable('the transaction was signed'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SigningRefusedError);
  expect(error).toMatchObject({ code, field });
  expect(request.signer.calls).toBe(0);
  return error as SigningRefusedError;
}
