// The exactly-once state machine of the signing loop, one document per Tatum pending transaction in
// `signing_jobs` (keyed by the pending id):
//
//   (none) ──claim──▶ CLAIMED ──sign, store bytes──▶ SIGNED ──broadcast ok──▶ BROADCAST (done)
//                        │                              │
//                        └──refused / denied / error──▶ FAILED (reason)   ◀── permanent broadcast error
//
// Only the holder of the job's claim (src/db/claims.ts: an insert against a unique _id, the one
// operation that is atomic on FerretDB) writes the job, so the job document itself never needs a
// conditional update. The claim is a lease: a runner that dies mid-job blocks the job only until the
// lease expires. Before every write the holder makes sure it still holds the lease — without a round
// trip while more than half of it remains, else by renewing it — and stops if it was lost. The signed
// bytes are stored BEFORE broadcasting; a SIGNED job is only ever re-broadcast with those same bytes.
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { ClaimStore, type Claim } from '../db/claims.js';
import { COLLECTIONS } from '../db/documents.js';
import type { SignedDigest } from '../signer/index.js';
import { LeaseLostError } from './errors.js';
import type { PolicyDecision } from './policy.js';

export const SIGNING_JOBS = COLLECTIONS.signingJobs;

export type JobState = 'CLAIMED' | 'SIGNED' | 'BROADCAST' | 'FAILED';

export interface SigningJobDoc {
  _id: string;
  chain: string;
  network: string;
  state: JobState;
  /** Wallet signature ids that sign (hashes + signatures[].id). */
  signatureIds: string[];
  /** Processing attempts (claims taken). */
  attempts: number;
  owner: string;
  policy: PolicyDecision | null;
  /** EVM: the nonce this job signs with (decimal), settled before signing and reused by a retry. */
  nonce?: string;
  /** What the loop completed in the payload (gas, gasPrice, nonce) and from where. */
  completion?: Record<string, { value: string; from: string }>;
  signed: string | null;
  txId: string | null;
  digests: SignedDigest[] | null;
  kmsKeyIds: string[] | null;
  /** Value the transaction moves out, per wallet and asset (base units, decimal), for daily limits. */
  spend: { wallet: string; asset: string; amount: string }[];
  signedAt: Date | null;
  broadcastAt: Date | null;
  broadcastAttempts: number;
  /** FAILED: why; otherwise the last retryable error, if any. */
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const DUPLICATE_KEY = 11000;

export interface JobClaim {
  claim: Claim;
  job: SigningJobDoc;
}

export class JobStore {
  private readonly jobs: Collection<SigningJobDoc>;
  private readonly claims: ClaimStore;

  constructor(
    db: Db,
    private readonly leaseMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.jobs = db.collection<SigningJobDoc>(SIGNING_JOBS);
    this.claims = new ClaimStore(db, clock);
  }

  get(id: string): Promise<SigningJobDoc | null> {
    return this.jobs.findOne({ _id: id });
  }

  /**
   * Takes the job for this runner: null when another runner holds it. Creates the CLAIMED document on
   * first sight (an insert, returned as written); a job seen before is taken over and read back.
   */
  async claim(
    id: string,
    owner: string,
    init: Pick<SigningJobDoc, 'chain' | 'network' | 'signatureIds'>,
  ): Promise<JobClaim | null> {
    const claim = await this.claims.acquire(claimName(id), owner, this.leaseMs);
    if (!claim) return null;
    try {
      const now = this.clock();
      try {
        const job: SigningJobDoc = {
          _id: id,
          ...init,
          state: 'CLAIMED',
          attempts: 1,
          owner,
          policy: null,
          signed: null,
          txId: null,
          digests: null,
          kmsKeyIds: null,
          spend: [],
          signedAt: null,
          broadcastAt: null,
          broadcastAttempts: 0,
          error: null,
          createdAt: now,
          updatedAt: now,
        };
        // The _id is unique and we hold the claim: what we inserted is the whole document.
        await this.jobs.insertOne(job);
        return { claim, job };
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      }
      // Seen before (a retry, or a runner that lost its lease or died): count this attempt, read it back.
      await this.jobs.updateOne({ _id: id }, { $set: { owner, updatedAt: now }, $inc: { attempts: 1 } });
      const job = await this.jobs.findOne({ _id: id });
      if (!job) throw new Error(`signing job ${id} disappeared`);
      return { claim, job };
    } catch (error) {
      await this.claims.release(claim).catch(() => undefined);
      throw error;
    }
  }

  /** Writes fields of a job this runner holds; throws LeaseLostError when the lease is gone. */
  async update(held: JobClaim, id: string, set: Partial<Omit<SigningJobDoc, '_id'>>): Promise<SigningJobDoc> {
    if (!(await this.claims.renewIfDue(held.claim, this.leaseMs))) throw new LeaseLostError(id);
    const updatedAt = this.clock();
    const result = await this.jobs.updateOne({ _id: id }, { $set: { ...set, updatedAt } });
    if (result.matchedCount === 0) throw new Error(`signing job ${id} disappeared`);
    // Only the claim holder writes the job, so the stored document is the held one plus this change.
    held.job = { ...held.job, ...set, updatedAt };
    return held.job;
  }

  /**
   * Lets the job go. A finished job (BROADCAST or FAILED) is never worked on again — the loop skips it
   * on sight — so its claim is left to lapse instead: one write fewer, and holding longer is never less
   * safe (a runner that read the job just before it finished gets BUSY rather than claiming it).
   */
  release(held: JobClaim): Promise<void> {
    if (held.job.state === 'BROADCAST' || held.job.state === 'FAILED') return Promise.resolve();
    return this.claims.release(held.claim);
  }

  /** Sum of `asset` that jobs of `wallet` signed since `since` (SIGNED or BROADCAST; FAILED ones after signing too). */
  async spentSince(wallet: string, asset: string, since: Date, exceptId: string): Promise<bigint> {
    let total = 0n;
    const cursor = this.jobs.find({ signatureIds: wallet, signedAt: { $gte: since } });
    for await (const job of cursor) {
      if (job._id === exceptId || job.signed === null) continue;
      for (const s of job.spend) if (s.wallet === wallet && s.asset === asset) total += BigInt(s.amount);
    }
    return total;
  }

  /**
   * What the daily limit of `asset` counts for a transaction spending from `wallets`: the most any one
   * of them signed in the day before `now` (jobs other than `exceptId`).
   */
  async spentToday(wallets: readonly string[], asset: string, now: Date, exceptId: string): Promise<bigint> {
    const since = new Date(now.getTime() - DAY_MS);
    let max = 0n;
    for (const wallet of wallets) {
      const spent = await this.spentSince(wallet, asset, since, exceptId);
      if (spent > max) max = spent;
    }
    return max;
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

function claimName(id: string): string {
  return `signing-job:${id}`;
}
