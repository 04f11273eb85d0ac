// Maps a pending transaction's wallet references (hashes[] + index, signatures[].id/index) to our KMS
// keys, refusing anything we must not sign with: unknown wallets, wallets that are not ACTIVE
// (disabled, pending deletion, still creating) and wallets of another chain or network.
import { getChain, type ChainId, type NetworkName } from '../chains/index.js';
import type { WalletKey } from '../signer/index.js';
import type { FlowAccountKey } from '../signer/flow/index.js';
import { WalletError, type WalletService, type WalletView } from '../wallets/contract.js';
import { WalletResolutionError } from './errors.js';
import type { PendingTransaction } from './types.js';

export interface ResolvedWallets {
  /** Keys in the order the signer needs them (positional for BCH inputs). */
  keys: WalletKey[];
  /** Distinct wallet signature ids. */
  signatureIds: string[];
  kmsKeyIds: string[];
  /** Every address of every signing key (change detection for UTXO chains). */
  ownAddresses: string[];
  /** FLOW: the account and key index the wallet's key is registered with (wallet registration). */
  flowAccount?: FlowAccountKey;
}

type Wallets = Pick<WalletService, 'getWallet' | 'existingAddress'>;

export async function resolveWallets(
  wallets: Wallets,
  pending: PendingTransaction,
  chain: ChainId,
  network: NetworkName,
): Promise<ResolvedWallets> {
  const refs: { id: string; index: number | undefined }[] = [];
  const family = getChain(chain).family;
  if (family === 'bitcoin') {
    for (const id of pending.hashes) refs.push({ id, index: undefined });
    for (const s of pending.signatures ?? []) refs.push({ id: s.id, index: s.index });
  } else {
    if (pending.hashes.length !== 1 || pending.hashes[0] === undefined) {
      throw new WalletResolutionError(
        `${chain} needs exactly one wallet in hashes, got ${pending.hashes.length}`,
      );
    }
    refs.push({ id: pending.hashes[0], index: pending.index });
  }
  if (refs.length === 0) throw new WalletResolutionError('the pending transaction names no wallet');

  const views = new Map<string, WalletView>();
  const keys: WalletKey[] = [];
  const ownAddresses: string[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    let view = views.get(ref.id);
    if (!view) {
      view = await loadWallet(wallets, ref.id);
      if (view.status !== 'ACTIVE') throw new WalletResolutionError(`wallet ${ref.id} is ${view.status}`);
      if (view.chain !== chain || view.network !== network) {
        throw new WalletResolutionError(
          `wallet ${ref.id} is ${view.chain}/${view.network}, the transaction is ${chain}/${network}`,
        );
      }
      views.set(ref.id, view);
    }
    const key =
      ref.index === undefined || ref.index === 0
        ? { kmsKeyId: view.kmsKeyId, publicKey: view.publicKey, addresses: view.addresses }
        : await existingKey(wallets, ref.id, ref.index);
    const slot = `${ref.id}#${ref.index ?? 0}`;
    // UTXO chains other than BCH sign by script match: one entry per key. BCH signs by position.
    if (chain !== 'BCH' && seen.has(slot)) continue;
    seen.add(slot);
    keys.push({
      keyId: key.kmsKeyId,
      publicKey: Uint8Array.from(Buffer.from(key.publicKey, 'hex')),
      walletId: ref.id,
    });
    ownAddresses.push(...key.addresses.map((a) => a.address));
  }
  const flow = [...views.values()][0]?.flowAccount;
  return {
    ...(flow ? { flowAccount: flow } : {}),
    keys,
    signatureIds: [...views.keys()],
    kmsKeyIds: [...new Set(keys.map((k) => k.keyId))],
    ownAddresses: [...new Set(ownAddresses)],
  };
}

/** Keys are created only through the wallet API and CLI, never because Tatum names an index. */
async function existingKey(wallets: Wallets, id: string, index: number) {
  const key = await wallets.existingAddress(id, index);
  if (key === null) {
    throw new WalletResolutionError(
      `wallet ${id} has no key for index ${index}; index keys are created only through the wallet API or CLI`,
    );
  }
  return key;
}

async function loadWallet(wallets: Wallets, id: string): Promise<WalletView> {
  try {
    return await wallets.getWallet(id);
  } catch (error) {
    if (error instanceof WalletError && (error.code === 'NOT_FOUND' || error.code === 'VALIDATION')) {
      throw new WalletResolutionError(`wallet ${id} is unknown`);
    }
    throw error;
  }
}
