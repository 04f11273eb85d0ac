// Serialises the jobs of a wallet whose chain has a daily limit, from the daily-total check to the SIGNED
// write: two jobs of one wallet checked side by side would each see the other's spend missing and could
// together exceed the limit (more likely since the loop runs 32 jobs at once). Within a process, jobs of
// a wallet queue on an in-memory chain; across processes (two Lambdas, a daemon and a Lambda) a claim
// per wallet (insert against a unique _id, atomic on FerretDB too) keeps one holder at a time.
import type { Db } from 'mongodb';
import { ClaimStore, type Claim } from '../db/claims.js';
import { WalletBusyError } from './errors.js';

export interface SpendLockOptions {
  /** Claim lifetime: a crashed holder blocks the wallet at most this long. */
  leaseMs: number;
  /** How long to wait for another process's job of the same wallet before giving up (WalletBusyError). */
  waitMs?: number;
  pollMs?: number;
  clock?: () => Date;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SpendLocks {
  private readonly claims: ClaimStore;
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    db: Db,
    private readonly owner: string,
    private readonly options: SpendLockOptions,
  ) {
    this.claims = new ClaimStore(db, options.clock);
  }

  /** Runs `work` while holding every wallet in `wallets` (taken in sorted order, so no deadlock). */
  async hold<T>(wallets: readonly string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(wallets)].sort();
    const unlocks: (() => void)[] = [];
    const held: Claim[] = [];
    try {
      for (const wallet of sorted) {
        unlocks.push(await this.lockLocally(wallet));
        held.push(await this.claim(wallet));
      }
      return await work();
    } finally {
      for (const claim of held) await this.claims.release(claim).catch(() => undefined);
      for (const unlock of unlocks.reverse()) unlock();
    }
  }

  private async claim(wallet: string): Promise<Claim> {
    const deadline = Date.now() + (this.options.waitMs ?? 10_000);
    for (;;) {
      const claim = await this.claims.acquire(`wallet-spend:${wallet}`, this.owner, this.options.leaseMs);
      if (claim) return claim;
      if (Date.now() >= deadline) throw new WalletBusyError(wallet);
      await sleep(this.options.pollMs ?? 100);
    }
  }

  /** Waits for this process's earlier jobs of `wallet`; returns the function that lets the next one in. */
  private async lockLocally(wallet: string): Promise<() => void> {
    const previous = this.tails.get(wallet) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(wallet, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(wallet) === tail) this.tails.delete(wallet);
    };
  }
}
