// The signing loop's writes to a held job, grouped across the jobs of a runner (src/util/group-commit.ts):
// per batch at most one insertMany of signed bytes (`signed_transactions`, insert-once), one bulkWrite of
// fenced job updates (`signing_jobs`) and one insertMany of audit records (`signing_audit`), in that
// order — so a job's SIGNED state is never written before its bytes are stored, and its audit record only
// once its update went through. Every guarantee of the single writes holds per job: the bytes are inserted
// against the job's _id (first bytes win; a later signer gets the stored ones back), each update is
// conditional on the writer's claim generation (`fence`) and one that matched nothing is a lost lease, a
// second final audit record of a job collides on its _id and is dropped.
//
// A job's final state and its final audit record are two commands, so a runner killed between them (or an
// audit insert that fails) would leave a final job — never looked at again — without its record. The final
// record therefore also goes into the job's own update (`finalAudit`, the same document and command as the
// state): it cannot be lost, and the reconciler copies what is still there into `signing_audit`
// (audit-repair.ts).
import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Db } from 'mongodb';
import { COLLECTIONS } from '../db/documents.js';
import { GroupCommit } from '../util/group-commit.js';
import { SIGNING_AUDIT, isFinalOutcome, type AuditRecord } from './audit.js';
import { carryAudit } from './carried-audit.js';
import { LeaseLostError } from './errors.js';
import type { SignedTransactionDoc, SigningJobDoc } from './jobs.js';

const DUPLICATE_KEY = 11000;

export type JobSet = Partial<Omit<SigningJobDoc, '_id'>>;

export interface JobWrite {
  id: string;
  /** The writer's claim generation: the update matches only a job no later claim has written. */
  generation: number;
  set: JobSet;
  /** Bytes to store once before `set` is written; the stored bytes (ours or earlier ones) go into `set`. */
  bytes?: SignedTransactionDoc;
  audit?: AuditRecord;
}

/** What was written: `set` as stored (with the winning bytes); whether the audit record was new. */
export interface JobWritten {
  set: JobSet;
  audited: boolean;
}

export interface JobWriterOptions {
  windowMs: number;
  maxBatch: number;
  /** Batches written at the same time; each job waits for its write before its next one. */
  maxInFlight: number;
  /** True when every job that could still write is already waiting (send now rather than wait). */
  flushNow: (waiting: number) => boolean;
}

/** Indexes of a bulk write's failed items, and the first error that is not a duplicate key. */
export function duplicates(error: unknown): { duplicate: Set<number>; other: Error | undefined } {
  if (!(error instanceof MongoBulkWriteError)) throw error;
  const duplicate = new Set<number>();
  let other: Error | undefined;
  for (const w of [error.writeErrors].flat()) {
    if (w.code === DUPLICATE_KEY) duplicate.add(w.index);
    else other ??= new Error(`write failed: ${w.errmsg ?? `code ${w.code}`}`);
  }
  return { duplicate, other };
}

export class JobWriter {
  private readonly batches: GroupCommit<JobWrite, JobWritten>;
  private readonly jobs: Collection<SigningJobDoc>;
  private readonly signed: Collection<SignedTransactionDoc>;
  private readonly audit: Collection<AuditRecord>;

  constructor(db: Db, options: JobWriterOptions) {
    this.jobs = db.collection<SigningJobDoc>(COLLECTIONS.signingJobs);
    this.signed = db.collection<SignedTransactionDoc>(COLLECTIONS.signedTransactions);
    this.audit = db.collection<AuditRecord>(SIGNING_AUDIT);
    this.batches = new GroupCommit((writes) => this.writeBatch(writes), options);
  }

  write(write: JobWrite): Promise<JobWritten> {
    return this.batches.add(write);
  }

  /** The number of waiting writers changed: the queued writes may go now. */
  poke(): void {
    this.batches.poke();
  }

  private async writeBatch(writes: JobWrite[]): Promise<(JobWritten | Error)[]> {
    const results: (JobWritten | Error)[] = writes.map((w) => ({ set: w.set, audited: false }));
    await this.storeBytes(writes, results);
    await this.updateJobs(writes, results);
    await this.insertAudits(writes, results);
    return results;
  }

  /** Inserts every batch member's bytes once; where a job's bytes were stored before, those go into its set. */
  private async storeBytes(writes: JobWrite[], results: (JobWritten | Error)[]): Promise<void> {
    const withBytes = writes.flatMap((w, index) => (w.bytes ? [{ w, index, bytes: w.bytes }] : []));
    if (withBytes.length === 0) return;
    let duplicate = new Set<number>();
    try {
      await this.signed.insertMany(
        withBytes.map((b) => b.bytes),
        { ordered: false },
      );
    } catch (error) {
      const failed = duplicates(error);
      if (failed.other) {
        for (const b of withBytes) results[b.index] = failed.other;
        return;
      }
      duplicate = failed.duplicate;
    }
    const earlier = withBytes.filter((_, n) => duplicate.has(n));
    if (earlier.length === 0) return;
    const ids = earlier.map((b) => b.bytes._id);
    const stored = new Map((await this.signed.find({ _id: { $in: ids } }).toArray()).map((d) => [d._id, d]));
    for (const { w, index } of earlier) {
      const first = stored.get(w.id);
      if (!first) {
        results[index] = new Error(`signed transaction ${w.id} disappeared`);
        continue;
      }
      const { signed, txId, digests, kmsKeyIds, signedAt } = first;
      results[index] = { set: { ...w.set, signed, txId, digests, kmsKeyIds, signedAt }, audited: false };
    }
  }

  /** One fenced update per job; a job a later claim has written is a lost lease for its writer. */
  private async updateJobs(writes: JobWrite[], results: (JobWritten | Error)[]): Promise<void> {
    const live = writes.flatMap((w, index) => {
      const result = results[index];
      return result instanceof Error || result === undefined ? [] : [{ w, index, result }];
    });
    if (live.length === 0) return;
    const operations: AnyBulkWriteOperation<SigningJobDoc>[] = live.map(({ w, result }) => ({
      updateOne: {
        filter: { _id: w.id, fence: { $not: { $gt: w.generation } } },
        update: {
          $set:
            w.audit && isFinalOutcome(w.audit.outcome)
              ? { ...result.set, finalAudit: carryAudit(w.audit), carriesAudit: true }
              : result.set,
        },
      },
    }));
    const outcome = await this.jobs.bulkWrite(operations, { ordered: false });
    if (outcome.matchedCount === live.length) return;
    // Which ones matched nothing: those whose job carries a later fence (or is gone).
    const ids = live.map(({ w }) => w.id);
    const fences = new Map(
      (await this.jobs.find({ _id: { $in: ids } }, { projection: { fence: 1 } }).toArray()).map((d) => [
        d._id,
        d.fence ?? 0,
      ]),
    );
    for (const { w, index } of live) {
      const fence = fences.get(w.id);
      if (fence === undefined || fence > w.generation) {
        results[index] = new LeaseLostError(w.id, 'is fenced by a later claim');
      }
    }
  }

  /** Audit records of the writes that went through; a second final record of a job is dropped. */
  private async insertAudits(writes: JobWrite[], results: (JobWritten | Error)[]): Promise<void> {
    const records = writes.flatMap((w, index) => {
      const result = results[index];
      return w.audit && result !== undefined && !(result instanceof Error)
        ? [{ index, record: w.audit, result }]
        : [];
    });
    if (records.length === 0) return;
    let duplicate = new Set<number>();
    try {
      await this.audit.insertMany(
        records.map((r) => r.record),
        { ordered: false },
      );
    } catch (error) {
      // The job updates went through: a failed insert fails only the writes that carried a record (a final
      // one is still on its job, `finalAudit`, for the reconciler), never another job's write in the batch —
      // e.g. a SIGNED write whose bytes and state are stored, which must go on to its broadcast.
      const failed =
        error instanceof MongoBulkWriteError
          ? duplicates(error)
          : {
              duplicate: new Set<number>(),
              other: error instanceof Error ? error : new Error(String(error)),
            };
      if (failed.other) {
        for (const r of records) results[r.index] = failed.other;
        return;
      }
      duplicate = failed.duplicate;
    }
    records.forEach((r, n) => {
      r.result.audited = !duplicate.has(n);
    });
  }
}
