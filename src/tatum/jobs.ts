// The exactly-once state machine of the signing loop, one document per Tatum pending transaction in
// `signing_jobs` (keyed by the pending id):
//
//   (none) ──claim──▶ CLAIMED ──sign, store bytes──▶ SIGNED ──broadcast ok──▶ BROADCAST ──depth──▶ CONFIRMED
//                        │                              │       (or found on the chain / at Tatum)
//                        └──refused / denied / error──▶ FAILED (reason)   ◀── permanent broadcast error
//
// Only the holder of the job's claim (src/db/claims.ts: an insert against a unique _id, the one
// operation that is atomic on FerretDB) writes the job. The claim is a lease: a runner that dies mid-job
// blocks the job only until the lease expires. Before every write the holder makes sure it still holds the
// lease — without a round trip while more than half of it remains, else by renewing it — and every write
// is fenced by the claim's generation (`fence`): a runner whose write stalled past its lease, while a
// later claim took the job over, has its late write rejected and stops. The signed bytes are stored
// BEFORE broadcasting, first in `signed_transactions` by an insert against the job's id — atomic even on
// FerretDB, so the first runner's bytes win for good — and a SIGNED job is only ever re-broadcast with
// those same bytes.
import { MongoBulkWriteError, type Collection, type Db } from 'mongodb';
import { ClaimStore, type Claim } from '../db/claims.js';
import { COLLECTIONS } from '../db/documents.js';
import type { SignedDigest } from '../signer/index.js';
import { auditRecord, type AuditRecord } from './audit.js';
import type { CarriedAudit } from './carried-audit.js';
import { LeaseLostError } from './errors.js';
import { JobWriter, type JobSet } from './job-writes.js';
import type { PolicyDecision } from './policy.js';

export const SIGNING_JOBS = COLLECTIONS.signingJobs;

export const SIGNED_TRANSACTIONS = COLLECTIONS.signedTransactions;

export const JOB_STATES = ['CLAIMED', 'SIGNED', 'BROADCAST', 'CONFIRMED', 'FAILED'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** States in which nothing more is ever done to a job (the loop skips it on sight). */
export const FINAL_STATES: readonly JobState[] = ['BROADCAST', 'CONFIRMED', 'FAILED'];

export function isFinal(state: JobState | undefined): boolean {
  return state !== undefined && FINAL_STATES.includes(state);
}

/** Tatum's answer to a job's error report it refused (HTTP status, its errorCode and message). */
export interface ReportRefusal {
  status: number;
  errorCode?: string;
  message?: string;
  at: Date;
}

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
  /** Claim generation of the last writer; a write from an older generation is rejected (fencing). */
  fence?: number;
  /** Off-chain (ledger) withdrawals: where the broadcast goes, also when reconciled without Tatum's entry. */
  withdrawalId?: string;
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
  /** Confirmations the chain showed for txId when last looked (BROADCAST/CONFIRMED jobs with a chain view). */
  confirmations?: number;
  confirmedAt?: Date | null;
  /** When the chain was last asked about txId (reconcile.ts paces its look-ups with it). */
  checkedAt?: Date | null;
  /** A BROADCAST transaction the chain did not know any more (dropped, or a nonce gap) since then. */
  unseenSince?: Date | null;
  /** Mined but failed on the chain (SOL `err` as JSON): the fee is spent, the transfer did not happen. */
  failedOnChain?: string;
  /**
   * FAILED with proof that its bytes can never land (SOL blockhash expired, sol-expiry.ts): nothing was
   * spent, so daily limits do not count it. After BROADCAST (Tatum took the txId) it is not reported to
   * Tatum, which completed the pending transaction; before, it is reported like any failure.
   */
  expiredUnlanded?: true;
  /**
   * FLOW: ids of the countersigned transactions handed to the access node, recorded before each send.
   * Tatum's signatures make each id new, so after a crash these are what the look-up asks the node about.
   */
  flowSentIds?: string[];
  /** FAILED: why; otherwise the last retryable error, if any. */
  error: string | null;
  /**
   * The job's final audit record, written in the same update as its final state and removed once the
   * record is in `signing_audit`: a runner killed between the two commands leaves it here, and the
   * reconciler copies it over (audit-repair.ts). Carried as its BSON bytes (carried-audit.ts); jobs finished
   * before session 27 carry the plain document.
   */
  finalAudit?: CarriedAudit | AuditRecord;
  /**
   * Set with `finalAudit` and removed with it: the reconciler selects carrying jobs by this top-level flag,
   * an equality FerretDB pushes down to PostgreSQL, where a nested date makes FerretDB read every job of the
   * collection (audit-repair.ts). Jobs finished before session 28 carry their record without it.
   */
  carriesAudit?: true;
  /** FAILED and Tatum has not yet accepted its error report (set with the FAILED state; failure-reports.ts). */
  unreported?: true;
  /** FAILED and Tatum refused its error report sent alone: not sent again (report-sender.ts). */
  reportRefused?: ReportRefusal;
  /** FAILED by the decoder's refusal of this entry (hash): another entry under the id reopens the job. */
  refusedPayload?: string | null;
  /** Times the job was reopened for a corrected entry (refused-payloads.ts); absent = never. */
  round?: number;
  createdAt: Date;
  updatedAt: Date;
}

const DUPLICATE_KEY = 11000;

export interface JobClaim {
  claim: Claim;
  job: SigningJobDoc;
}

/** The bytes of a signed job, written once (SIGNED_TRANSACTIONS, keyed by the job id). */
export interface SignedTransactionDoc {
  _id: string;
  signed: string;
  txId: string | null;
  digests: SignedDigest[];
  kmsKeyIds: string[];
  generation: number;
  owner: string;
  signedAt: Date;
}

export type SignedFields = Pick<SigningJobDoc, 'spend' | 'signedAt'> &
  Pick<SignedTransactionDoc, 'signed' | 'txId' | 'digests' | 'kmsKeyIds'>;

/** Matches a job no later claim has written (documents written before fencing have no `fence`). */
function fencedBy(generation: number) {
  return { fence: { $not: { $gt: generation } } };
}

/** How the job writes of a runner are grouped (job-writes.ts); see SigningLoopOptions.writeWindowMs. */
export interface JobWriteBatching {
  /** Longest a write waits for others (ms; default 20). */
  windowMs?: number;
  /** Most writes per batch (default MAX_WRITES_PER_BATCH). */
  maxBatch?: number;
  /** Batches written at the same time (default DEFAULT_WRITE_BATCHES_IN_FLIGHT). */
  inFlight?: number;
}

/**
 * Most job writes in one batch, so at most this many update statements in one command. FerretDB 1.24 holds
 * one pooled backend connection per update statement until its command ends: over PostgreSQL one bulkWrite
 * of 51 updates, or three concurrent ones of 20, hang it for good with its default pool of 50 (measured
 * 2026-12-04; `pool_max_conns` in `--postgresql-url` raises it), and over SQLite (the test stack) one of 100
 * does (test/integration/job-write-batches.test.ts). Real MongoDB has no such limit; 32 costs it one more
 * command per 32 concurrent jobs.
 */
export const MAX_WRITES_PER_BATCH = 32;

/**
 * Job-write batches a runner writes at the same time. Each job waits for its own write before its next
 * step, so two batches never hold writes of one job and each job's writes stay in order. On FerretDB 1.24
 * over PostgreSQL a second batch doubled the job updates per second (it applies a bulkWrite's updates one
 * by one, ≈ 5–10 ms each; bench/issue-16-loop-profile.md) and holds up to 2 × MAX_WRITES_PER_BATCH pooled
 * connections; real MongoDB applies a batch in a few milliseconds.
 */
export const DEFAULT_WRITE_BATCHES_IN_FLIGHT = 2;
export const WRITE_BATCHES_IN_FLIGHT = { min: 1, max: 8 } as const;

/**
 * The loop's batches in flight when not configured: enough that no job's write waits for a free batch (a
 * running job has at most one write waiting, so `concurrency` writes fill concurrency / MAX_WRITES_PER_BATCH
 * batches), at least DEFAULT_WRITE_BATCHES_IN_FLIGHT. At concurrency 128 over FerretDB/PostgreSQL, 4 batches
 * did 210–227 tx/s where 2 did 195 (bench/issue-16-loop-profile.md, session 27).
 */
export function writeBatchesFor(concurrency: number): number {
  const filled = Math.ceil(concurrency / MAX_WRITES_PER_BATCH);
  return Math.min(WRITE_BATCHES_IN_FLIGHT.max, Math.max(DEFAULT_WRITE_BATCHES_IN_FLIGHT, filled));
}

export type ClaimInit = Pick<SigningJobDoc, 'chain' | 'network' | 'signatureIds' | 'withdrawalId'>;

export class JobStore {
  private readonly jobs: Collection<SigningJobDoc>;
  private readonly claims: ClaimStore;
  private readonly writer: JobWriter;
  /** Jobs of this store running right now (`working`): when all of them wait on a write, it goes at once. */
  private running = 0;

  constructor(
    db: Db,
    private readonly leaseMs: number,
    private readonly clock: () => Date = () => new Date(),
    batching: JobWriteBatching = {},
  ) {
    this.jobs = db.collection<SigningJobDoc>(SIGNING_JOBS);
    this.claims = new ClaimStore(db, clock);
    this.writer = new JobWriter(db, {
      windowMs: batching.windowMs ?? 20,
      maxBatch: batching.maxBatch ?? MAX_WRITES_PER_BATCH,
      maxInFlight: batching.inFlight ?? DEFAULT_WRITE_BATCHES_IN_FLIGHT,
      flushNow: (waiting) => waiting >= this.running,
    });
  }

  get(id: string): Promise<SigningJobDoc | null> {
    return this.jobs.findOne({ _id: id });
  }

  /** The stored jobs among `ids`, in one query. */
  async getMany(ids: readonly string[]): Promise<Map<string, SigningJobDoc>> {
    if (ids.length === 0) return new Map();
    const found = await this.jobs.find({ _id: { $in: [...ids] } }).toArray();
    return new Map(found.map((job) => [job._id, job]));
  }

  /** Runs one job's work; while every running job waits on a write, the write does not wait for others. */
  async working<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.writer.poke();
    }
  }

  /**
   * Takes the job for this runner: null when another runner holds it. Creates the CLAIMED document on
   * first sight (an insert, returned as written); a job seen before is taken over and read back.
   */
  async claim(id: string, owner: string, init: ClaimInit): Promise<JobClaim | null> {
    const [result] = await this.claimMany([{ id, init }], owner);
    if (result instanceof Error) throw result;
    return result === 'skipped' ? null : (result ?? null);
  }

  /**
   * claim for a page of jobs: first claims in one insertMany, the new CLAIMED documents in another. Only a
   * job whose first claim was there already can be stored, so only those are read — in one query, none for
   * a page of new jobs (FerretDB 1.24 reads a whole collection for an `$in`: bench/ferretdb-lookups.ts) —
   * and a stored one `skip` accepts is left alone ('skipped', no claim taken); the others are taken over one
   * by one. Per job, in order: the held job, 'skipped', null (another runner holds it) or the error that
   * stopped its claim (the claim is then released).
   */
  async claimMany(
    entries: readonly { id: string; init: ClaimInit }[],
    owner: string,
    skip: (stored: SigningJobDoc, index: number) => boolean = () => false,
  ): Promise<(JobClaim | null | 'skipped' | Error)[]> {
    const firsts = await this.claims.insertFirst(
      entries.map((e) => claimName(e.id)),
      owner,
      this.leaseMs,
    );
    const now = this.clock();
    // A first claim (generation 1) means no runner ever wrote the job: insert it (unless it is there anyway).
    const fresh = new Map(
      entries.flatMap((entry, index) => {
        const claim = firsts[index];
        return claim !== undefined && claim !== 'seen'
          ? [[index, { claim, job: newJob(entry.id, entry.init, owner, claim, now) }] as const]
          : [];
      }),
    );
    let inserted: Set<string>;
    let stored: Map<string, SigningJobDoc>;
    try {
      inserted = await this.insertNew([...fresh.values()].map((f) => f.job));
      stored = await this.getMany(entries.filter((_, index) => firsts[index] === 'seen').map((e) => e.id));
    } catch (error) {
      await this.claims.releaseMany([...fresh.values()].map((f) => f.claim)).catch(() => undefined);
      throw error;
    }
    return Promise.all(
      entries.map(async (entry, index): Promise<JobClaim | null | 'skipped' | Error> => {
        const first = firsts[index];
        const fresher = fresh.get(index);
        if (fresher && inserted.has(fresher.job._id)) return { claim: fresher.claim, job: fresher.job };
        const job = stored.get(entry.id);
        if (first === 'seen' && job !== undefined && skip(job, index)) return 'skipped';
        const claim =
          first === 'seen' || first === undefined
            ? await this.claims.acquireLater(claimName(entry.id), owner, this.leaseMs)
            : first;
        if (!claim) return null;
        try {
          return { claim, job: await this.takeOver(entry, owner, claim, now) };
        } catch (error) {
          await this.claims.release(claim).catch(() => undefined);
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
  }

  /** Inserts new CLAIMED jobs in one command; returns the ids inserted (a duplicate was there already). */
  private async insertNew(jobs: SigningJobDoc[]): Promise<Set<string>> {
    const inserted = new Set(jobs.map((job) => job._id));
    if (jobs.length === 0) return inserted;
    try {
      await this.jobs.insertMany(jobs, { ordered: false });
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      for (const w of [error.writeErrors].flat()) {
        if (w.code !== DUPLICATE_KEY) throw error;
        inserted.delete(jobs[w.index]?._id ?? '');
      }
    }
    return inserted;
  }

  /** A job seen before (a retry, or a runner that lost its lease or died): fence out older claims, read it. */
  private async takeOver(
    entry: { id: string; init: ClaimInit },
    owner: string,
    claim: Claim,
    now: Date,
  ): Promise<SigningJobDoc> {
    const { id } = entry;
    const generation = claim.generation;
    const fence = () =>
      this.jobs.updateOne(
        { _id: id, ...fencedBy(generation) },
        { $set: { owner, fence: generation, updatedAt: now }, $inc: { attempts: 1 } },
      );
    let taken = await fence();
    if (taken.matchedCount === 0 && (await this.jobs.findOne({ _id: id })) === null) {
      // The runner of an earlier claim died between its claim insert and its job insert: nothing was
      // done for the job, so it starts here (else every later claim would be "fenced" for good).
      const created = newJob(id, entry.init, owner, claim, now);
      if ((await this.insertNew([created])).has(id)) return created;
      taken = await fence(); // that runner had only stalled and inserted it just now: fence it out
    }
    if (taken.matchedCount === 0) throw new LeaseLostError(id, 'is fenced by a later claim');
    const job = await this.jobs.findOne({ _id: id });
    if (!job) throw new Error(`signing job ${id} disappeared`);
    return job;
  }

  /** Throws LeaseLostError unless this runner still holds the job (a round trip only past half the lease). */
  async checkLease(held: JobClaim, id: string): Promise<void> {
    if (!(await this.claims.renewIfDue(held.claim, this.leaseMs))) throw new LeaseLostError(id);
  }

  /**
   * Writes fields of a job this runner holds, with the job's audit record if given (both grouped with
   * other jobs' writes: job-writes.ts); throws LeaseLostError when the lease is gone or a later claim has
   * written the job (the write is fenced by this claim's generation).
   */
  async update(
    held: JobClaim,
    id: string,
    set: JobSet,
    audit?: Omit<AuditRecord, '_id'>,
  ): Promise<SigningJobDoc> {
    await this.checkLease(held, id);
    const updatedAt = this.clock();
    // A FAILED job is to be reported to Tatum, until it accepted the report (failure-reports.ts).
    const report = set.state === 'FAILED' ? { unreported: true as const } : {};
    const written = await this.writer.write({
      id,
      generation: held.claim.generation,
      set: { ...set, ...report, updatedAt },
      ...(audit ? { audit: auditRecord(audit) } : {}),
    });
    // Only the claim holder writes the job, so the stored document is the held one plus this change.
    held.job = { ...held.job, ...written.set };
    return held.job;
  }

  /**
   * Stores freshly signed bytes: inserted once into signed_transactions, then the job moves to SIGNED
   * (with `extra` fields). When another runner's bytes are already there (its claim expired mid-write,
   * ours took over), those are the job's bytes: the job is stored with them and ours are thrown away
   * unbroadcast.
   */
  async storeSigned(
    held: JobClaim,
    id: string,
    fields: SignedFields,
    extra: JobSet = {},
  ): Promise<SigningJobDoc> {
    await this.checkLease(held, id);
    const signedAt = fields.signedAt ?? this.clock();
    const bytes: SignedTransactionDoc = {
      _id: id,
      signed: fields.signed,
      txId: fields.txId,
      digests: fields.digests,
      kmsKeyIds: fields.kmsKeyIds,
      generation: held.claim.generation,
      owner: held.claim.owner,
      signedAt,
    };
    const { signed, txId, digests, kmsKeyIds } = fields;
    const written = await this.writer.write({
      id,
      generation: held.claim.generation,
      bytes,
      set: {
        ...extra,
        state: 'SIGNED',
        signed,
        txId,
        digests,
        kmsKeyIds,
        spend: fields.spend,
        signedAt,
        error: null,
        updatedAt: this.clock(),
      },
    });
    held.job = { ...held.job, ...written.set };
    return held.job;
  }

  /** Jobs to reconcile: SIGNED ones no runner touched since `staleBefore`, oldest first. */
  staleSigned(chains: readonly string[], network: string, staleBefore: Date, limit: number) {
    return this.jobs
      .find({ state: 'SIGNED', chain: { $in: [...chains] }, network, updatedAt: { $lt: staleBefore } })
      .sort({ updatedAt: 1 })
      .limit(limit)
      .toArray();
  }

  /** BROADCAST jobs of `chains` not looked up on the chain since `checkedBefore`. */
  unconfirmed(chains: readonly string[], network: string, checkedBefore: Date, limit: number) {
    return this.jobs
      .find({
        state: 'BROADCAST',
        chain: { $in: [...chains] },
        network,
        $or: [{ checkedAt: { $exists: false } }, { checkedAt: null }, { checkedAt: { $lt: checkedBefore } }],
      })
      .sort({ broadcastAt: 1 })
      .limit(limit)
      .toArray();
  }

  /**
   * What the chain showed for a BROADCAST job (no claim needed: only a BROADCAST job is written, and only
   * these fields; CONFIRMED when `confirmed`).
   */
  async recordChainView(
    id: string,
    set: Pick<SigningJobDoc, 'confirmations' | 'checkedAt' | 'unseenSince' | 'failedOnChain'>,
    confirmed: boolean,
  ): Promise<void> {
    const now = this.clock();
    await this.jobs.updateOne(
      { _id: id, state: 'BROADCAST' },
      { $set: { ...set, updatedAt: now, ...(confirmed ? { state: 'CONFIRMED', confirmedAt: now } : {}) } },
    );
  }

  /** A BROADCAST job whose transaction can never land (reconcile.ts): FAILED, not to be reported. */
  async recordNeverLanded(id: string, set: { checkedAt: Date; error: string }): Promise<void> {
    const now = this.clock();
    await this.jobs.updateOne(
      { _id: id, state: 'BROADCAST' },
      { $set: { ...set, state: 'FAILED', expiredUnlanded: true, updatedAt: now } },
    );
  }

  /**
   * Lets the job go. A finished job (BROADCAST, CONFIRMED or FAILED) is never worked on again — the loop skips it
   * on sight — so its claim is left to lapse instead: one write fewer, and holding longer is never less
   * safe (a runner that read the job just before it finished gets BUSY rather than claiming it).
   */
  release(held: JobClaim): Promise<void> {
    if (isFinal(held.job.state)) return Promise.resolve();
    return this.claims.release(held.claim);
  }

  /** release for jobs claimed but never started (the pass ran out of time), in one command. */
  releaseMany(held: readonly JobClaim[]): Promise<void> {
    return this.claims.releaseMany(held.filter((h) => !isFinal(h.job.state)).map((h) => h.claim));
  }

  /** Sum of `asset` that jobs of `wallet` signed since `since` (SIGNED or BROADCAST; FAILED ones after signing too). */
  async spentSince(wallet: string, asset: string, since: Date, exceptId: string): Promise<bigint> {
    let total = 0n;
    const cursor = this.jobs.find({ signatureIds: wallet, signedAt: { $gte: since } });
    for await (const job of cursor) {
      // Bytes proven never to land spent nothing; any other signed job counts, final or not.
      if (job._id === exceptId || job.signed === null || job.expiredUnlanded === true) continue;
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

function newJob(id: string, init: ClaimInit, owner: string, claim: Claim, now: Date): SigningJobDoc {
  return {
    _id: id,
    ...init,
    state: 'CLAIMED',
    attempts: 1,
    owner,
    fence: claim.generation,
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
}

function claimName(id: string): string {
  return `signing-job:${id}`;
}
