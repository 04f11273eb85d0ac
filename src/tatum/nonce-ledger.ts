// The nonce ledger: which EVM nonce a pending transaction without one gets. next = the lowest nonce from
// the node's pending count upward that no job has signed with and no live job has reserved. Both facts are
// inserts against a unique _id — the one atomic operation on FerretDB (src/db/claims.ts) — so concurrent
// jobs of one wallet, in one runner or several, never share a nonce:
//   reserved: a claim `nonce:<chain>:<network>:<address>:<n>` held by the job (released if it fails before
//             signing, so the next job reuses the nonce; expires with the job's lease after a crash);
//   used:     `evm_nonces` {_id: "<chain>:<network>:<address>:<n>"}, written just before the KMS call and
//             removed only if the signing itself fails. A used nonce is never handed out again.
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { ClaimStore, type Claim } from '../db/claims.js';
import { COLLECTIONS } from '../db/documents.js';

const DUPLICATE_KEY = 11000;
/** How far above the node's pending count a reservation looks before giving up (a runaway gap). */
const MAX_AHEAD = 256n;

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
}

interface UsedNonceDoc {
  _id: string;
  jobId: string;
  usedAt: Date;
}

export class NonceTakenError extends Error {
  constructor(scope: NonceScope, nonce: bigint) {
    super(
      `nonce ${nonce} of ${scope.address} on ${scope.chain} was signed by another job; retried next pass`,
    );
    this.name = 'NonceTakenError';
  }
}

export class NonceLedger {
  private readonly claims: ClaimStore;
  private readonly used: Collection<UsedNonceDoc>;

  constructor(
    db: Db,
    private readonly leaseMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.claims = new ClaimStore(db, clock);
    this.used = db.collection<UsedNonceDoc>(COLLECTIONS.evmNonces);
  }

  /** Reserves the lowest free nonce at or above `floor` (the node's pending transaction count). */
  async reserve(scope: NonceScope, jobId: string, floor: bigint): Promise<NonceReservation> {
    for (let nonce = floor; nonce < floor + MAX_AHEAD; nonce++) {
      if (await this.used.findOne({ _id: key(scope, nonce) })) continue;
      const claim = await this.claims.acquire(`nonce:${key(scope, nonce)}`, jobId, this.leaseMs);
      if (claim) return { scope, nonce, claim };
    }
    throw new Error(`no free nonce for ${scope.address} within ${MAX_AHEAD} of the node's count ${floor}`);
  }

  /** Gives a reservation back (its job failed before signing): the next job reuses the nonce. */
  async release(reservation: NonceReservation): Promise<void> {
    await this.claims.release(reservation.claim);
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

  /** The signing failed after markUsed: nothing with this nonce left the process. */
  async unmarkUsed(scope: NonceScope, nonce: bigint, jobId: string): Promise<void> {
    const existing = await this.used.findOne({ _id: key(scope, nonce) });
    if (existing?.jobId === jobId) await this.used.deleteOne({ _id: key(scope, nonce) });
  }
}

function key(scope: NonceScope, nonce: bigint): string {
  return `${scope.chain}:${scope.network}:${scope.address}:${nonce}`;
}
