// The signature ids the signing loop sends to Tatum per chain — the ACTIVE wallets of (chain, network) —
// kept between passes: listing 25,000 wallets took seconds every pass, for every chain (bench
// fetch-scale). A stale list never gets anything signed: every job re-reads its wallets and refuses any
// that is not ACTIVE (resolve-wallets.ts). Staleness only delays a new wallet's transactions, and lets a
// wallet disabled meanwhile have its transactions fetched and refused, for at most the refresh interval.
import type { ChainId, NetworkName } from '../chains/index.js';
import type { WalletService } from '../wallets/contract.js';
import { checkNetwork } from '../wallets/validation.js';
import { MAX_SIGNATURE_IDS_PER_CHAIN, tooManySignatureIds } from './limits.js';

/** How long the lists are reused: 12 daemon passes of 5 s; about one scheduled Lambda invocation. */
export const DEFAULT_WALLET_REFRESH_MS = 60_000;

/**
 * A count this fast (MongoDB counts from the index: milliseconds) is repeated every pass and a changed
 * number re-lists that chain at once; a slower one (FerretDB 1.24 scans the collection) only at refresh.
 */
export const CHEAP_COUNT_MS = 100;

export type ActiveWalletSource = Pick<WalletService, 'countActiveWallets' | 'activeSignatureIds'>;

interface Listing {
  /** null: above Tatum's limit, so not listed. */
  ids: readonly string[] | null;
  count: number;
}

export class ActiveWalletIds {
  private readonly listings = new Map<ChainId, Listing>();
  private refreshedAt = Number.NEGATIVE_INFINITY;
  private cheapCount = false;
  /** Chains without `network` (e.g. ETH on regtest): each refused with its own reason, never counted. */
  private readonly unsupported = new Map<ChainId, string>();
  private readonly listable: readonly ChainId[];

  constructor(
    private readonly wallets: ActiveWalletSource,
    private readonly chains: readonly ChainId[],
    private readonly network: NetworkName,
    private readonly refreshMs: number,
    private readonly now: () => number,
  ) {
    // NaN would never expire: the lists would be kept for good.
    if (!(refreshMs >= 0)) throw new Error(`walletRefreshMs must be a number ≥ 0, got ${refreshMs}`);
    // One chain without the network used to fail the whole count, and every chain then reported that
    // first chain's refusal ("… for ETH" on BTC, BCH …): now each such chain carries its own.
    for (const chain of chains) {
      try {
        checkNetwork(chain, network);
      } catch (error) {
        this.unsupported.set(chain, error instanceof Error ? error.message : String(error));
      }
    }
    this.listable = chains.filter((chain) => !this.unsupported.has(chain));
  }

  /**
   * Once per pass: lists every chain again once the interval has passed since the last listing
   * finished (so a listing slower than the interval still leaves passes in between), or, with cheap
   * counts, the chains whose count changed.
   */
  async update(): Promise<void> {
    if (this.now() - this.refreshedAt >= this.refreshMs) {
      await this.relist(await this.count(), this.listable);
      this.refreshedAt = this.now();
    } else if (this.cheapCount) {
      const counts = await this.count();
      await this.relist(
        counts,
        this.listable.filter((chain) => counts.get(chain) !== this.listings.get(chain)?.count),
      );
    }
  }

  /** The ids of `chain` as of the last update; throws above Tatum's limit (they were not listed). */
  ids(chain: ChainId): readonly string[] {
    const unsupported = this.unsupported.get(chain);
    if (unsupported !== undefined) throw new Error(unsupported);
    const listing = this.listings.get(chain);
    if (!listing) throw new Error(`the ${chain} wallets have not been listed yet`);
    if (listing.ids === null) throw new Error(tooManySignatureIds(chain, listing.count));
    return listing.ids;
  }

  private async count(): Promise<Map<ChainId, number>> {
    const startedAt = this.now();
    const counts = await this.wallets.countActiveWallets(this.listable, this.network);
    this.cheapCount = this.now() - startedAt <= CHEAP_COUNT_MS;
    return counts;
  }

  private async relist(counts: Map<ChainId, number>, chains: readonly ChainId[]): Promise<void> {
    for (const chain of chains) {
      let count = counts.get(chain) ?? 0;
      let ids: readonly string[] | null = count === 0 ? [] : null;
      if (count > 0 && count <= MAX_SIGNATURE_IDS_PER_CHAIN) {
        // One over the limit at most: wallets created since the count cannot make this read unbounded.
        const listed = await this.wallets.activeSignatureIds(
          chain,
          this.network,
          MAX_SIGNATURE_IDS_PER_CHAIN + 1,
        );
        count = listed.length;
        if (count <= MAX_SIGNATURE_IDS_PER_CHAIN) ids = listed;
      }
      this.listings.set(chain, { ids, count });
    }
  }
}
