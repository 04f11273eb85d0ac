// Every finished job has exactly one final audit record (`<id>:final`). The runner writes it right after the
// job's final state, in a second command; one killed in between (SIGKILL, an OOM, a Lambda timeout) or whose
// audit insert failed leaves a BROADCAST or FAILED job — skipped on sight from then on — without its record.
// The job's final update therefore carries the record itself (`finalAudit`, job-writes.ts), and the
// reconciler copies every record still carried by a job into `signing_audit`, then removes it from the job.
//
// Selected by that marker, not by a window of update times: a write that landed late (its `updatedAt` older
// than a window already looked at), a job whose `updatedAt` keeps moving (confirmation checks), or many jobs
// with one update time cannot slip through. Only records older than `writtenBefore` are taken (their runner
// had a lease to write them itself); a record written meanwhile collides on its _id, so a job never gets two,
// and the copy is the record the runner made, not a reconstruction.
import type { Db } from 'mongodb';
import type { ChainId } from '../chains/index.js';
import { SIGNING_AUDIT, type AuditRecord } from './audit.js';
import type { JobContext } from './job.js';
import { carriedRecord } from './carried-audit.js';
import { duplicates } from './job-writes.js';
import { SIGNING_JOBS, type SigningJobDoc } from './jobs.js';

export interface AuditRepairPage {
  chains: readonly ChainId[];
  /** Records finished before this (a lease ago): their runner is done or gone. */
  writtenBefore: Date;
  /** Most jobs per call; the next call takes the next ones (the copied ones no longer match). */
  limit: number;
  /**
   * Jobs that carry their record without the `carriesAudit` flag (finished by versions before it) instead
   * of the flagged ones. On FerretDB this look-up reads every job of the collection, so the reconciler makes
   * it rarely (loop.ts); on MongoDB the `finalAudit_finishedAt` index serves both.
   */
  unflagged?: boolean;
}

/** Copies the final records jobs still carry into the audit; returns how many jobs it looked at. */
export async function repairFinalAudits(ctx: JobContext, db: Db, page: AuditRepairPage): Promise<number> {
  const jobs = db.collection<SigningJobDoc>(SIGNING_JOBS);
  const flag = page.unflagged === true ? { $exists: false } : (true as const);
  const carrying = await jobs
    .find(
      {
        // A top-level equality (the flag, the network) is what FerretDB 1.24 hands to PostgreSQL
        // (docs.ferretdb.io/pushdown); it filters the rest itself, on the jobs PostgreSQL returned.
        carriesAudit: flag,
        network: ctx.network,
        'finalAudit.finishedAt': { $lt: page.writtenBefore },
        chain: { $in: [...page.chains] },
      },
      { projection: { _id: 1, chain: 1, state: 1, finalAudit: 1 } },
    )
    .sort({ 'finalAudit.finishedAt': 1 })
    .limit(page.limit)
    .toArray();
  const records = carrying.flatMap((job) => (job.finalAudit ? [carriedRecord(job.finalAudit)] : []));
  if (records.length === 0) return 0;
  // Inserted outright, a record already there is a duplicate _id and dropped: one command, and work in the
  // size of the page on every database — a look-up of the page's ids with `$in` reads the whole audit
  // collection on FerretDB 1.24, which pushes down only `_id` equality (bench/ferretdb-lookups.ts).
  const copied = await insertOnce(db, records);
  for (const job of carrying) {
    if (job.finalAudit && copied.has(job.finalAudit._id)) {
      ctx.log({ event: 'audit-repaired', id: job._id, chain: job.chain, state: job.state });
    }
  }
  // Every record is in the audit now: the jobs stop carrying exactly those (a job's record _id is its own),
  // in one command. The _ids serve MongoDB's index; the flag is what FerretDB hands to PostgreSQL, so it
  // reads the carrying jobs rather than every job (an `$in` alone is not pushed down).
  await jobs.updateMany(
    {
      _id: { $in: carrying.map((job) => job._id) },
      carriesAudit: flag,
      'finalAudit._id': { $in: records.map((r) => r._id) },
    },
    { $unset: { finalAudit: '', carriesAudit: '' } },
  );
  return carrying.length;
}

/** Inserts the records; returns the _ids this call inserted (one written meanwhile is not a failure). */
async function insertOnce(db: Db, records: AuditRecord[]): Promise<Set<string>> {
  if (records.length === 0) return new Set();
  try {
    await db.collection<AuditRecord>(SIGNING_AUDIT).insertMany(records, { ordered: false });
    return new Set(records.map((r) => r._id));
  } catch (error) {
    const failed = duplicates(error);
    if (failed.other) throw failed.other;
    return new Set(records.filter((_, n) => !failed.duplicate.has(n)).map((r) => r._id));
  }
}
