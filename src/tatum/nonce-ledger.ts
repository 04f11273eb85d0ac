// The nonce ledger: which EVM nonce a pending transaction without one gets. next = the lowest nonce from
// the node's pending count upward that no job has signed with and no live job has reserved. Both facts are
// inserts against a unique _id — the one atomic operation on FerretDB (src/db/claims.ts) — so concurrent
// jobs of one wallet, in one runner or several, never share a nonce:
//   reserved: a claim `nonce:<chain>:<network>:<address>:<n>` held by the job (released if it fails before
//             signing, so the next job reuses the nonce; expires with the job's lease after a crash);
//   used:     `evm_nonces` {_id: "<chain>:<network>:<address>:<n>"}, written just before the KMS call and
//             removed only if the signing itself fails. A used nonce is never handed out again.
// Cost: the node's pending count is read once per wallet per floorTtlMs, not per transaction. Between two
// reads a per-wallet cursor remembers where the last walk stopped, so a reservation costs one used-nonce
// lookup and one claim insert instead of a walk from the floor over every nonce already in flight; the
// reservations of one wallet in this process run one at a time, so they never collide with each other.
// The cursor is only a hint: uniqueness still comes from the inserts above. Each fresh read restarts the
// walk at the floor, which finds any gap (a nonce another runner reserved and gave back or let expire: the
// node's pending count stops at such a gap); nonces this process gives back are handed out first.
// Crashes: a job whose runner died mid-way comes back as a retry (its claim on the nonce lapses with its
// lease, or is still live under its own name). A retry never walks on from a cursor — the cursor may be
// past the lapsed nonce, and the wallet's later nonces would then wait behind a gap nobody fills — but
// walks again from the floor (read ≤ floorTtlMs ago: no extra RPC call) and takes the lowest free nonce,
// its own live claim included. So every nonce
// below the highest signed one belongs to a job that signs it, or is free and taken by the wallet's next
// reservation; where no job is left to take it, the reconciler reports the gap (nonce-gaps.ts).
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { ClaimStore, type Claim } from '../db/claims.js';
import { COLLECTIONS } from '../db/documents.js';

const DUPLICATE_KEY = 11000;
/** How far above the node's pending count a reservation looks before giving up (a runaway gap). */
const MAX_AHEAD = 256n;
/** How long one read of a wallet's pending count serves its reservations. */
export const DEFAULT_NONCE_FLOOR_TTL_MS = 3_000;

export interface NonceScope {
  chain: string;
  network: string;
  /** The wallet address, lowercase. */
  address: string;
}

export interface NonceReservation {
  scope: NonceScope;
  nonce: bigint;
  claim: Claim;
  /** The node's pending count the walk started from, and how long ago it was read. */
  floor: bigint;
  floorAgeMs: number;
}

export interface ReserveOptions {
  /**
   * The job ran before (crashed, lease lost, or retried): the walk starts at the floor, not the cursor,
   * and a nonce the job itself still holds a live claim on is taken back.
   */
  retry?: boolean;
}

export interface NonceLedgerOptions {
  /** How long one pending-count read serves a wallet (default DEFAULT_NONCE_FLOOR_TTL_MS; 0 = every time). */
  floorTtlMs?: number;
  /** Milliseconds for the floor's age (default Date.now). */
  now?: () => number;
}

interface UsedNonceDoc {
  _id: string;
  jobId: string;
  usedAt: Date;
}

/** Where a wallet's next walk starts, since its pending count was last read. */
interface Cursor {
  floor: bigint;
  readAt: number;
  /** Every nonce in [floor, next) was found used or reserved since the read. */
  next: bigint;
  /** Nonces below `next` this process reserved and gave back: handed out first. */
  returned: Set<bigint>;
}

export class NonceTakenError extends Error {
  constructor(scope: NonceScope, nonce: bigint) {
    super(
      `nonce ${nonce} of ${scope.address} on ${scope.chain} was signed by another job; retried next pass`,
    );
    this.name = 'NonceTakenError';
  }
}

/** Every nonce within the look-ahead is taken: the chain has to catch up first (retried, never FAILED). */
export class NoFreeNonceError extends Error {
  constructor(scope: NonceScope, floor: bigint) {
    super(`no free nonce for ${scope.address} within ${MAX_AHEAD} of the node's pending count ${floor}`);
    this.name = 'NoFreeNonceError';
  }
}

export class NonceLedger {
  private readonly claims: ClaimStore;
  private readonly used: Collection<UsedNonceDoc>;
  private readonly cursors = new Map<string, Cursor>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly floorTtlMs: number;
  private readonly now: () => number;

  constructor(
    db: Db,
    private readonly leaseMs: number,
    private readonly clock: () => Date = () => new Date(),
    options: NonceLedgerOptions = {},
  ) {
    this.claims = new ClaimStore(db, clock);
    this.used = db.collection<UsedNonceDoc>(COLLECTIONS.evmNonces);
    this.floorTtlMs = options.floorTtlMs ?? DEFAULT_NONCE_FLOOR_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * Reserves the lowest free nonce at or above the node's pending count (`readFloor`, asked at most once
   * per floorTtlMs per wallet, and once more when the look-ahead is exhausted).
   */
  reserve(
    scope: NonceScope,
    jobId: string,
    readFloor: () => Promise<bigint>,
    options: ReserveOptions = {},
  ): Promise<NonceReservation> {
    const wallet = scopeKey(scope);
    const retry = options.retry === true;
    return this.oneAtATime(wallet, async () => {
      let cursor = this.cursors.get(wallet);
      let fresh = false;
      if (cursor === undefined || this.now() - cursor.readAt >= this.floorTtlMs) {
        cursor = await this.readCursor(wallet, readFloor);
        fresh = true;
      } else if (retry) {
        // The floor is recent (a lapsed nonce is at or above it: it was never broadcast); walk from it.
        cursor.next = cursor.floor;
        cursor.returned.clear();
      }
      let found = await this.walk(scope, jobId, cursor, retry);
      if (found === undefined && !fresh) {
        cursor = await this.readCursor(wallet, readFloor);
        found = await this.walk(scope, jobId, cursor, retry);
      }
      if (found === undefined) throw new NoFreeNonceError(scope, cursor.floor);
      return { scope, ...found, floor: cursor.floor, floorAgeMs: this.now() - cursor.readAt };
    });
  }

  /** Gives a reservation back (its job failed before signing): the next job reuses the nonce. */
  async release(reservation: NonceReservation): Promise<void> {
    await this.claims.release(reservation.claim);
    const cursor = this.cursors.get(scopeKey(reservation.scope));
    const { nonce } = reservation;
    if (cursor !== undefined && nonce >= cursor.floor && nonce < cursor.next) cursor.returned.add(nonce);
  }

  /** Records that `jobId` signs with `nonce`; NonceTakenError when another job already did. */
  async markUsed(scope: NonceScope, nonce: bigint, jobId: string): Promise<void> {
    try {
      await this.used.insertOne({ _id: key(scope, nonce), jobId, usedAt: this.clock() });
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      const existing = await this.used.findOne({ _id: key(scope, nonce) });
      if (existing?.jobId !== jobId) throw new NonceTakenError(scope, nonce);
    }
  }

  /**
   * May `jobId` sign with `nonce` again (a retry reusing the nonce it settled on)? Not when another job
   * has signed with it meanwhile (this job's reservation had expired): then the retry reserves anew.
   */
  async usableBy(scope: NonceScope, nonce: bigint, jobId: string): Promise<boolean> {
    const existing = await this.used.findOne({ _id: key(scope, nonce) });
    return existing === null || existing.jobId === jobId;
  }

  /** The signing failed after markUsed: nothing with this nonce left the process. */
  async unmarkUsed(scope: NonceScope, nonce: bigint, jobId: string): Promise<void> {
    const existing = await this.used.findOne({ _id: key(scope, nonce) });
    if (existing?.jobId === jobId) await this.used.deleteOne({ _id: key(scope, nonce) });
  }

  /** A job given up before it was signed: every nonce it marked used is free again (the walk finds the gap). */
  async releaseJob(jobId: string): Promise<void> {
    await this.used.deleteMany({ jobId });
    // Its nonce may lie below a cursor of this process: every wallet reads its floor again first.
    this.cursors.clear();
  }

  /**
   * The nonces in [from, to) of a wallet that no job has signed with and none holds a live claim on:
   * nobody will sign them, so a transaction at `to` or above waits behind them (a gap).
   */
  async unheld(scope: NonceScope, from: bigint, to: bigint): Promise<bigint[]> {
    const free: bigint[] = [];
    for (let nonce = from; nonce < to && nonce < from + MAX_AHEAD; nonce++) {
      if (await this.used.findOne({ _id: key(scope, nonce) })) continue;
      if ((await this.claims.holder(`nonce:${key(scope, nonce)}`)) === null) free.push(nonce);
    }
    return free;
  }

  /** A fresh pending count: the walk restarts there, so gaps below the old cursor are found again. */
  private async readCursor(wallet: string, readFloor: () => Promise<bigint>): Promise<Cursor> {
    const floor = await readFloor();
    const cursor: Cursor = { floor, readAt: this.now(), next: floor, returned: new Set() };
    this.cursors.set(wallet, cursor);
    return cursor;
  }

  /** Given-back nonces first, then upward from the cursor, within the look-ahead. */
  private async walk(
    scope: NonceScope,
    jobId: string,
    cursor: Cursor,
    retry: boolean,
  ): Promise<{ nonce: bigint; claim: Claim } | undefined> {
    for (const nonce of [...cursor.returned].sort((a, b) => (a < b ? -1 : 1))) {
      cursor.returned.delete(nonce);
      const claim = await this.tryReserve(scope, jobId, nonce, retry);
      if (claim) return { nonce, claim };
    }
    for (; cursor.next < cursor.floor + MAX_AHEAD; cursor.next++) {
      const nonce = cursor.next;
      const claim = await this.tryReserve(scope, jobId, nonce, retry);
      if (claim) {
        cursor.next++;
        return { nonce, claim };
      }
    }
    return undefined;
  }

  /** The nonce's claim for `jobId`; null if used or held by another job. A retry takes back its own. */
  private async tryReserve(
    scope: NonceScope,
    jobId: string,
    nonce: bigint,
    ownClaimToo: boolean,
  ): Promise<Claim | null> {
    if (await this.used.findOne({ _id: key(scope, nonce) })) return null;
    const name = `nonce:${key(scope, nonce)}`;
    const claim = await this.claims.acquire(name, jobId, this.leaseMs);
    if (claim !== null || !ownClaimToo) return claim;
    // A retry before its earlier attempt's claim lapsed: the nonce is still this job's.
    const holder = await this.claims.holder(name);
    if (holder?.owner !== jobId) return null;
    return { name, generation: holder.generation, owner: holder.owner, until: holder.until };
  }

  /** Runs the reservations of one wallet in this process one after another. */
  private oneAtATime<T>(wallet: string, work: () => Promise<T>): Promise<T> {
    const result = (this.queues.get(wallet) ?? Promise.resolve()).then(work);
    const tail = result.catch(() => undefined);
    this.queues.set(wallet, tail);
    void tail.then(() => {
      if (this.queues.get(wallet) === tail) this.queues.delete(wallet);
    });
    return result;
  }
}

function scopeKey(scope: NonceScope): string {
  return `${scope.chain}:${scope.network}:${scope.address}`;
}

function key(scope: NonceScope, nonce: bigint): string {
  return `${scopeKey(scope)}:${nonce}`;
}
