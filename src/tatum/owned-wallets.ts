// The loop signs only with keys of this deployment: every wallet (and index key) it resolves is checked
// against the KMS key's Application tag (src/wallets/key-ownership.ts) before the signer sees it. A wallet
// whose key belongs to another application, has no tag, or cannot be read by our role is refused with a
// WalletResolutionError — a permanent FAILED, reported once — and nothing is signed.
import type { KeyOwnership, KeyOwnershipAnswer } from '../wallets/key-ownership.js';
import type { WalletReads } from '../wallets/loop-reads.js';
import { isPending } from '../db/documents.js';
import { WalletResolutionError } from './errors.js';

/** What the loop reads of the wallet service (SigningLoopOptions.wallets). */
type LoopWallets = WalletReads;

const REASONS: Record<Exclude<KeyOwnershipAnswer, { ours: true }>['reason'], string> = {
  'other-application': 'is tagged for another application',
  untagged: 'has no Application tag',
  'not-readable': 'cannot be read by this deployment (not its Application tag)',
  'not-found': 'does not exist in KMS',
};

/** `wallets` with every resolved key checked for this deployment's Application tag. */
export function ownedWallets(wallets: LoopWallets, ownership: KeyOwnership): LoopWallets {
  const check = async (walletId: string, kmsKeyId: string) => {
    if (isPending(kmsKeyId)) return; // no key yet: resolve-wallets refuses the wallet by its status
    const answer = await ownership.check(kmsKeyId);
    if (!answer.ours) {
      throw new WalletResolutionError(
        `wallet ${walletId}: its KMS key ${REASONS[answer.reason]}, not Application=${ownership.application}; not signed`,
      );
    }
  };
  // Every read the loop makes is listed (no spread): a read added later cannot slip past the check.
  return {
    countActiveWallets: (...args) => wallets.countActiveWallets(...args),
    activeSignatureIds: (...args) => wallets.activeSignatureIds(...args),
    // A page read keeps only the wallets that pass; the job's own getWallet then refuses the others.
    getWallets: async (signatureIds) => {
      const owned = new Map<string, Awaited<ReturnType<LoopWallets['getWallet']>>>();
      for (const [signatureId, view] of await wallets.getWallets(signatureIds)) {
        const passes = await check(signatureId, view.kmsKeyId).then(
          () => true,
          () => false,
        );
        if (passes) owned.set(signatureId, view);
      }
      return owned;
    },
    getWallet: async (signatureId: string) => {
      const view = await wallets.getWallet(signatureId);
      await check(signatureId, view.kmsKeyId);
      return view;
    },
    existingAddress: async (signatureId: string, index: number) => {
      const key = await wallets.existingAddress(signatureId, index);
      if (key !== null) await check(signatureId, key.kmsKeyId);
      return key;
    },
  };
}
