// Shared fixtures of the EVM signer unit tests: a known key behind the shared fake DigestSigner
// (scripts/fixtures/fake-digest-signer.ts), wrapped to record recovery ids and optionally tamper with the
// result, and a Tatum-style legacy payload (tatum-protocol.md §4.5: from 0, decimal wei strings).
import { computeAddress, hexlify } from 'ethers';
import type { ChainId, NetworkName } from '../../../../src/chains/index.js';
import type { KmsSignature } from '../../../../src/kms/vault.js';
import type { EvmSignRequest } from '../../../../src/signer/evm/index.js';
import type { DigestSigner } from '../../../../src/signer/types.js';
import { fakeDigestSigner, testKey, type TestKey } from '../../../../scripts/fixtures/fake-digest-signer.js';

export const KEY = testKey('kms-signer evm unit tests');
export const OTHER_KEY = testKey('kms-signer evm unit tests: someone else');
export const WALLET_ADDRESS = computeAddress(hexlify(KEY.privateKey));
export const RECIPIENT = '0x8ba1f109551bD432803012645Ac136ddd64DBA72';

export function tatumPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    from: 0,
    to: RECIPIENT,
    value: '1000000000000000',
    data: '0x',
    gas: '21000',
    gasPrice: '20000000000',
    nonce: 3,
    ...overrides,
  };
}

export const EIP1559_FEES = { maxFeePerGas: '30000000000', maxPriorityFeePerGas: '1500000000' };

export interface RecordingSigner extends DigestSigner {
  /** Every digest that reached the fake KMS. */
  calls: { keyId: string; digest: Uint8Array }[];
  /** The recovery id of every signature handed out (before any tampering). */
  recoveryIds: number[];
}

/**
 * A fake KMS that signs with `signWith` whatever wallet the request names (KEY unless a test wants a
 * signature from the wrong key), and lets `tamper` alter the result as a broken KMS path would.
 */
export function recordingSigner(
  tamper: (signature: KmsSignature) => KmsSignature = (signature) => signature,
  signWith: TestKey = KEY,
): RecordingSigner {
  const inner = fakeDigestSigner([signWith]);
  const recoveryIds: number[] = [];
  return {
    calls: inner.calls,
    recoveryIds,
    async signDigest(_keyId, digest) {
      const signature = await inner.signDigest(signWith.keyId, digest, signWith.publicKey);
      recoveryIds.push(signature.recoveryId);
      return tamper(signature);
    },
  };
}

export function evmRequest(
  signer: DigestSigner,
  unsigned: string | object,
  chain: ChainId = 'ETH',
  network: NetworkName = 'mainnet',
): EvmSignRequest {
  return { chain, network, wallets: [KEY.wallet], signer, unsigned };
}
