// Unit set-up shared by the Ed25519 signers' tests: a wallet key and a destination key with known seeds,
// a sign request for the chain on testnet with an in-process counting MessageSigner, and `refusal`, which
// expects a SigningRefusedError with zero Sign calls and returns it.
import { expect } from 'vitest';
import { deriveAddress, type ChainId } from '../../src/chains/index.js';
import {
  SigningRefusedError,
  type MessageSigner,
  type SignedTransaction,
  type WalletKey,
} from '../../src/signer/types.js';
import { countingMessageSigner, ed25519TestKey } from './solana.js';

export interface Ed25519SignRequest<C extends ChainId> {
  chain: C;
  network: 'testnet';
  wallets: WalletKey[];
  unsigned: string;
  options: Record<string, unknown>;
  signer: MessageSigner;
}

/**
 * `label` names the keys (seed = sha256(`<label>-wallet`) / `<label>-destination`); `sign` is the family's
 * sign function; `defaultOptions` are the request options when a test gives none.
 */
export function ed25519UnitSetup<C extends ChainId>(
  chain: C,
  label: string,
  sign: (request: Ed25519SignRequest<C>) => Promise<SignedTransaction>,
  defaultOptions: Record<string, unknown> = {},
) {
  const wallet = ed25519TestKey(`${label}-wallet`);
  const other = ed25519TestKey(`${label}-destination`);
  function request(unsigned: string, options: Record<string, unknown> = defaultOptions) {
    const signer = countingMessageSigner([wallet, other]);
    const req: Ed25519SignRequest<C> = {
      chain,
      network: 'testnet',
      wallets: [wallet.wallet],
      unsigned,
      options,
      signer,
    };
    return { signer, request: req };
  }
  async function refusal(unsigned: string, options?: Record<string, unknown>): Promise<SigningRefusedError> {
    const { signer, request: req } = request(unsigned, options);
    const error = await sign(req).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(signer.calls).toHaveLength(0);
    expect(error).toBeInstanceOf(SigningRefusedError);
    return error as SigningRefusedError;
  }
  return {
    wallet,
    other,
    walletAddress: deriveAddress(chain, 'testnet', wallet.publicKey),
    destination: deriveAddress(chain, 'testnet', other.publicKey),
    request,
    refusal,
  };
}
