// The EVM final check reuses the vault's recovery (issue 16): a signature object the vault proved is not
// recovered a second time when ethers decodes exactly the proven digest, r, s and yParity from the wire;
// anything else — another signer, a proven object changed afterwards, a proof for another digest — is
// recovered from the wire as before and refused when it is not the wallet's.
import { computeAddress, hexlify, Transaction } from 'ethers';
import * as tiny from 'tiny-secp256k1';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { libsecp256k1 } from '../../../../src/crypto/libsecp256k1.js';
import type { KmsSignature } from '../../../../src/crypto/signature.js';
import { SignatureVerificationError } from '../../../../src/kms/errors.js';
import { KmsVault } from '../../../../src/kms/vault.js';
import { signEvmTransaction } from '../../../../src/signer/evm/index.js';
import type { DigestSigner, WalletKey } from '../../../../src/signer/types.js';
import { createFakeKms } from '../../../support/fake-kms.js';
import { recoverIndependently } from '../../../support/evm-recover.js';
import { evmRequest, recordingSigner, tatumPayload, WALLET_ADDRESS } from './fixtures.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function vaultWallet() {
  const fake = createFakeKms({ forceHighS: true });
  const vault = new KmsVault({ client: fake.client });
  const wallet: WalletKey = {
    keyId: 'k-reuse',
    publicKey: tiny.pointCompress(fake.publicKey, true),
    walletId: 'reuse',
  };
  const request = (signer: DigestSigner, overrides: Record<string, unknown> = {}) => ({
    chain: 'ETH' as const,
    network: 'mainnet' as const,
    wallets: [wallet],
    signer,
    unsigned: tatumPayload(overrides),
  });
  return { vault, fake, request };
}

/** Counts libsecp256k1's recoveries: compressed ones are the vault's id search, uncompressed the final check's. */
function countRecoveries() {
  return {
    vault: vi.spyOn(libsecp256k1(), 'recoverPublicKeyCompressed'),
    finalCheck: vi.spyOn(libsecp256k1(), 'recoverPublicKeyUncompressed'),
  };
}

describe('EVM final check and the vault’s recovery', () => {
  it('signs with the vault in one or two recoveries in all, none of them in the final check', async () => {
    const { vault, fake, request } = vaultWallet();
    const recoveries = countRecoveries();
    for (let nonce = 0; nonce < 8; nonce++) {
      const before = recoveries.vault.mock.calls.length;
      const result = await signEvmTransaction(request(vault, { nonce }));
      expect(recoveries.vault.mock.calls.length - before).toBeGreaterThanOrEqual(1);
      expect(recoveries.vault.mock.calls.length - before).toBeLessThanOrEqual(2);
      // Still what a node would see: the wire bytes recover (without our code) to the vault's key.
      expect(recoverIndependently(result.signed).sender).toBe(computeAddress(hexlify(fake.publicKey)));
      expect(result.txId).toBe(Transaction.from(result.signed).hash);
    }
    expect(recoveries.finalCheck).not.toHaveBeenCalled();
    expect(fake.calls.filter((c) => c.command === 'SignCommand')).toHaveLength(8);
  });

  it('recovers from the wire when the signature comes from another DigestSigner', async () => {
    const recoveries = countRecoveries();
    const result = await signEvmTransaction(evmRequest(recordingSigner(), tatumPayload()));
    expect(Transaction.from(result.signed).from).toBe(WALLET_ADDRESS);
    expect(recoveries.finalCheck).toHaveBeenCalledTimes(1);
  });

  it('refuses a proven signature whose recovery id was changed on the same object afterwards', async () => {
    const { vault, request } = vaultWallet();
    const flipping: DigestSigner = {
      async signDigest(keyId, digest, publicKey) {
        const signature = await vault.signDigest(keyId, digest, publicKey);
        signature.recoveryId = signature.recoveryId === 0 ? 1 : 0;
        return signature;
      },
    };
    const recoveries = countRecoveries();
    await expect(signEvmTransaction(request(flipping))).rejects.toThrow(
      /recovers to 0x[0-9a-fA-F]{40}, not the wallet address/,
    );
    expect(recoveries.finalCheck).toHaveBeenCalledTimes(1);
  });

  it('refuses a proven signature handed out again for another transaction', async () => {
    const { vault, request } = vaultWallet();
    let first: KmsSignature | undefined;
    const replaying: DigestSigner = {
      async signDigest(keyId, digest, publicKey) {
        first ??= await vault.signDigest(keyId, digest, publicKey);
        return first;
      },
    };
    await signEvmTransaction(request(replaying, { nonce: 1 }));
    const recoveries = countRecoveries();
    await expect(signEvmTransaction(request(replaying, { nonce: 2 }))).rejects.toThrow(
      SignatureVerificationError,
    );
    expect(recoveries.finalCheck).toHaveBeenCalledTimes(1);
  });
});
