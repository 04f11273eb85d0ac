// The wallet keys a request allows to sign, reduced to what script matching needs: the compressed
// public key (Bitcoin-family scripts always use it) and its HASH160.
import { parsePublicKey } from '../../chains/index.js';
import { hash160 } from '../../crypto/hash160.js';
import type { WalletKey } from '../types.js';
import { refuse } from '../types.js';
import { equalBytes } from './scripts.js';

export interface PreparedWallet {
  /** Position in the request's `wallets`. */
  index: number;
  keyId: string;
  /** 33-byte compressed public key. */
  publicKey: Uint8Array;
  pubkeyHash: Uint8Array;
  /** walletId when given, else keyId: used in messages. */
  label: string;
}

export function prepareWallets(wallets: unknown): PreparedWallet[] {
  if (!Array.isArray(wallets) || wallets.length === 0) {
    refuse('INVALID_REQUEST', 'wallets', 'at least one wallet key is needed to sign');
  }
  return (wallets as unknown[]).map((wallet, index) => prepareWallet(wallet, index));
}

function prepareWallet(wallet: unknown, index: number): PreparedWallet {
  const field = `wallets[${index}]`;
  const { keyId, publicKey, walletId } = (wallet ?? {}) as Partial<WalletKey>;
  if (typeof keyId !== 'string' || keyId.trim() === '') {
    refuse('INVALID_REQUEST', `${field}.keyId`, 'must be a non-empty KMS key id');
  }
  let compressed: Uint8Array;
  try {
    compressed = parsePublicKey(publicKey as Uint8Array).compressed;
  } catch (error) {
    refuse('INVALID_REQUEST', `${field}.publicKey`, (error as Error).message);
  }
  return {
    index,
    keyId,
    publicKey: compressed,
    pubkeyHash: hash160(compressed),
    label: typeof walletId === 'string' && walletId !== '' ? walletId : keyId,
  };
}

/** The first wallet whose compressed public key hashes to `pubkeyHash`. */
export function walletByHash(
  wallets: readonly PreparedWallet[],
  pubkeyHash: Uint8Array,
): PreparedWallet | undefined {
  return wallets.find((wallet) => equalBytes(wallet.pubkeyHash, pubkeyHash));
}
