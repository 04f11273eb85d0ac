// The reads of the fake wallet service (fake-wallet-service.ts) over its in-memory wallets: the list
// filters, the ACTIVE ids and counts the signing loop asks for, and a new batch's view.
import { randomUUID } from 'node:crypto';
import type { ChainId, NetworkName } from '../../src/chains/index.js';
import type { BatchView, ListWalletsQuery, WalletService, WalletView } from '../../src/wallets/contract.js';

export type WalletFilter = Omit<ListWalletsQuery, 'cursor' | 'limit'>;

export function matchesQuery(view: WalletView, query: WalletFilter): boolean {
  return (
    (query.userId === undefined || view.userId === query.userId) &&
    (query.chain === undefined || view.chain === query.chain) &&
    (query.network === undefined || view.network === query.network) &&
    (query.status === undefined || view.status === query.status)
  );
}

/** What countActiveWallets / activeSignatureIds see: the ACTIVE wallets of (chain, network), ids ascending. */
export function activeIds(
  views: Iterable<WalletView>,
  chain: ChainId,
  network: NetworkName,
  limit?: number,
): string[] {
  const ids = [...views]
    .filter((view) => matchesQuery(view, { chain, network, status: 'ACTIVE' }))
    .map((view) => view.signatureId)
    .sort();
  return limit === undefined ? ids : ids.slice(0, limit);
}

/** What countActiveWallets sees: per chain asked, its number of ACTIVE wallets on `network`. */
export function activeCounts(
  views: Iterable<WalletView>,
  chains: readonly ChainId[],
  network: NetworkName,
): Map<ChainId, number> {
  const all = [...views];
  return new Map(chains.map((chain) => [chain, activeIds(all, chain, network).length]));
}

/** A batch as startBatch returns it before any wallet is created. */
export function newBatchView(input: Parameters<WalletService['startBatch']>[0], now: Date): BatchView {
  return {
    batchId: randomUUID(),
    ...input,
    created: 0,
    status: 'RUNNING',
    error: null,
    signatureIds: [],
    createdAt: now,
    updatedAt: now,
  };
}
