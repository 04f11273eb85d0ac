// The wallet reads the signing loop makes (SigningLoopOptions.wallets), on their own: the signer Lambda
// and the CLI daemon need only these five, so they build them here instead of the whole wallet service
// (creation, batches, imports, key administration), which then stays out of the signer's init code
// (issue 16). The service answers the same five through this module, so both speak with one voice.
import type { WalletService } from './contract.js';
import type { WalletCollections } from './context.js';
import { translated } from './errors.js';
import { existingAddress } from './keys.js';
import { activeSignatureIds, countActiveWallets, getWallet, getWallets } from './queries.js';

/** What the loop reads of the wallet service. */
export type WalletReads = Pick<
  WalletService,
  'getWallet' | 'getWallets' | 'existingAddress' | 'countActiveWallets' | 'activeSignatureIds'
>;

/** The loop's reads on `collections` (collectionsOf(db) in context.ts), errors as WalletErrors. */
export function walletReads(collections: WalletCollections): WalletReads {
  return {
    getWallet: (signatureId) => translated(() => getWallet(collections, signatureId)),
    getWallets: (signatureIds) => translated(() => getWallets(collections, signatureIds)),
    existingAddress: (signatureId, index) =>
      translated(() => existingAddress(collections, signatureId, index)),
    countActiveWallets: (chains, network) =>
      translated(() => countActiveWallets(collections, chains, network)),
    activeSignatureIds: (chain, network, limit) =>
      translated(() => activeSignatureIds(collections, chain, network, limit)),
  };
}
