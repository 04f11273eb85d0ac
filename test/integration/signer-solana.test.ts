// SOL end to end: a Tatum-style payload for a wallet whose Ed25519 key lives in (LocalStack) KMS is
// prepared, signed with one ED25519_SHA_512 + RAW Sign call and executed by LiteSVM, an in-process
// Solana runtime (npm `litesvm`) that verifies the signature and moves the lamports. Hostile payloads
// are refused with zero Sign calls.
import { FailedTransactionMetadata, LiteSVM } from 'litesvm';
import { type Address, lamports } from '@solana/kit';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAINS, deriveAddress } from '../../src/chains/index.js';
import type { KmsVault } from '../../src/kms/vault.js';
import { prepareSolanaTransaction, signSolanaTransaction } from '../../src/signer/solana/index.js';
import type { WalletKey } from '../../src/signer/types.js';
import { stackEndpoints } from '../support/stack.js';
import {
  compileLegacyMessage,
  countingMessageSigner,
  decodeWireTransaction,
  ed25519TestKey,
  tatumSolPayload,
  transferSol,
} from '../support/solana.js';
import { testVault } from '../../scripts/fixtures/vault.js';

// LiteSVM has no cluster identity; the blockhash source stands in for a devnet node (SOL "testnet").
const DEVNET_GENESIS = CHAINS.SOL.networks.testnet.genesisHash;
const SOL = 1_000_000_000n;

let vault: KmsVault;
let walletKey: WalletKey;
let walletAddress: string;

beforeAll(async () => {
  vault = testVault(stackEndpoints().awsEndpoint);
  const { keyId } = await vault.createKey({
    walletId: randomUUID(),
    chain: 'SOL',
    keySpec: 'ECC_NIST_EDWARDS25519',
  });
  const { publicKey } = await vault.getEd25519PublicKey(keyId);
  walletKey = { keyId, publicKey, walletId: 'sol-kms' };
  walletAddress = deriveAddress('SOL', 'testnet', publicKey);
});

function balance(svm: LiteSVM, address: string): bigint {
  return svm.getBalance(address as Address) ?? 0n;
}

describe('SOL signed with a KMS Ed25519 key', () => {
  it('transfers lamports on LiteSVM: the destination gains the amount, the wallet pays amount + 5,000 fee', async () => {
    const svm = new LiteSVM();
    svm.airdrop(walletAddress as Address, lamports(2n * SOL));
    const destination = ed25519TestKey(`dest-${randomUUID()}`).address;
    const amount = 123_456_789n;
    const signer = countingMessageSigner(vault);

    const prepared = await prepareSolanaTransaction({
      chain: 'SOL',
      network: 'testnet',
      wallets: [walletKey],
      unsigned: tatumSolPayload(
        compileLegacyMessage(walletAddress, [transferSol(walletAddress, destination, amount)]),
      ),
      recentBlockhash: { blockhash: svm.latestBlockhash(), genesisHash: DEVNET_GENESIS },
    });
    expect(prepared.transfers).toEqual([{ asset: 'native', to: destination, amount }]);
    const before = balance(svm, walletAddress);
    const signed = await prepared.sign(signer);
    expect(signer.calls).toHaveLength(1);

    const result = svm.sendTransaction(decodeWireTransaction(signed.signed));
    expect(result instanceof FailedTransactionMetadata ? String(result.err()) : 'ok').toBe('ok');
    expect(balance(svm, destination)).toBe(amount);
    expect(before - balance(svm, walletAddress)).toBe(amount + (prepared.fee ?? -1n));
    expect(prepared.fee).toBe(5000n);
  });

  it('is rejected by the runtime when the signature is not the wallet key’s (LiteSVM checks it)', async () => {
    const svm = new LiteSVM();
    svm.airdrop(walletAddress as Address, lamports(SOL));
    const destination = ed25519TestKey(`dest-${randomUUID()}`).address;
    const signed = await signSolanaTransaction({
      chain: 'SOL',
      network: 'testnet',
      wallets: [walletKey],
      unsigned: tatumSolPayload(
        compileLegacyMessage(walletAddress, [transferSol(walletAddress, destination, 1000n)]),
      ),
      recentBlockhash: { blockhash: svm.latestBlockhash(), genesisHash: DEVNET_GENESIS },
      signer: vault,
    });
    const wire = Buffer.from(signed.signed, 'hex');
    wire[10] = (wire[10] ?? 0) ^ 1; // inside the 64-byte signature
    const result = svm.sendTransaction(decodeWireTransaction(wire.toString('hex')));
    expect(result).toBeInstanceOf(FailedTransactionMetadata);
    expect(balance(svm, destination)).toBe(0n);
  });

  it('refuses hostile payloads with zero Sign calls', async () => {
    const svm = new LiteSVM();
    const stranger = ed25519TestKey('stranger').address;
    const destination = ed25519TestKey('dest').address;
    const blockhash = svm.latestBlockhash();
    const signer = countingMessageSigner(vault);
    const base = {
      chain: 'SOL' as const,
      network: 'testnet' as const,
      wallets: [walletKey],
      recentBlockhash: { blockhash, genesisHash: DEVNET_GENESIS },
      signer,
    };
    const good = compileLegacyMessage(walletAddress, [transferSol(walletAddress, destination, 1n)]);
    const hostile = [
      {
        ...base,
        unsigned: tatumSolPayload(good),
        recentBlockhash: { blockhash, genesisHash: CHAINS.SOL.networks.mainnet.genesisHash },
      },
      {
        ...base,
        unsigned: tatumSolPayload(
          compileLegacyMessage(stranger, [transferSol(walletAddress, destination, 1n)]),
        ),
      },
      {
        ...base,
        unsigned: tatumSolPayload(
          compileLegacyMessage(walletAddress, [transferSol(stranger, destination, 1n)]),
        ),
      },
      { ...base, unsigned: JSON.stringify({ txData: Buffer.alloc(4097, 1).toString('hex') }) },
      {
        ...base,
        unsigned: tatumSolPayload(
          compileLegacyMessage(walletAddress, [
            transferSol(walletAddress, destination, 1n),
            { program: 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr', accounts: [], data: Uint8Array.of(1) },
          ]),
        ),
      },
    ];
    for (const request of hostile) {
      await expect(signSolanaTransaction(request)).rejects.toMatchObject({ name: 'SigningRefusedError' });
    }
    expect(signer.calls).toHaveLength(0);
  });
});
