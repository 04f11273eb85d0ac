// Every finished job has exactly one final audit record (`<id>:final`). A runner writes it right after the
// job's final state; one killed in between (SIGKILL, an OOM, a Lambda timeout) leaves a BROADCAST or FAILED
// job that nothing revisits — final jobs are skipped on sight — without its record (the chaos test saw it).
// The reconciler therefore looks at jobs that became final a lease ago or more (their runner is done or
// gone) and writes the missing record from the job itself, marked as written by `audit-repair`. The insert
// collides with a record written meanwhile, so a job never gets two.
import type { Db } from 'mongodb';
import type { ChainId } from '../chains/index.js';
import { AuditLog, SIGNING_AUDIT, finalAuditId, type AuditRecord } from './audit.js';
import type { JobContext } from './job.js';
import { FINAL_STATES, SIGNING_JOBS, type SigningJobDoc } from './jobs.js';

export interface AuditRepairWindow {
  chains: readonly ChainId[];
  /** Jobs whose last write is in [since, before). */
  since: Date;
  before: Date;
  limit: number;
}

/** Writes the missing final records; returns how far it looked (the next window starts there). */
export async function repairFinalAudits(ctx: JobContext, db: Db, window: AuditRepairWindow): Promise<Date> {
  const jobs = await db
    .collection<SigningJobDoc>(SIGNING_JOBS)
    .find({
      state: { $in: [...FINAL_STATES] },
      chain: { $in: [...window.chains] },
      network: ctx.network,
      updatedAt: { $gte: window.since, $lt: window.before },
    })
    .sort({ updatedAt: 1 })
    .limit(window.limit)
    .toArray();
  const audit = db.collection<AuditRecord>(SIGNING_AUDIT);
  const log = new AuditLog(db);
  // One look-up for the window's records, by _id (the one lookup FerretDB pushes down).
  const recorded = new Set(
    (
      await audit
        .find({ _id: { $in: jobs.map((job) => finalAuditId(job._id)) } }, { projection: { _id: 1 } })
        .toArray()
    ).map((record) => record._id),
  );
  for (const job of jobs) {
    if (recorded.has(finalAuditId(job._id))) continue;
    const written = await log.record({
      pendingId: job._id,
      chain: job.chain,
      network: job.network,
      runner: 'audit-repair',
      wallets: job.signatureIds,
      kmsKeyIds: job.kmsKeyIds ?? [],
      decoded: null,
      digests: job.digests ?? [],
      fourEye: null,
      policy: job.policy,
      txId: job.txId,
      rebroadcast: false,
      startedAt: job.updatedAt,
      outcome: job.state === 'FAILED' ? 'FAILED' : 'BROADCAST',
      error: job.state === 'FAILED' ? job.error : null,
      finishedAt: ctx.clock(),
    });
    if (written) ctx.log({ event: 'audit-repaired', id: job._id, chain: job.chain, state: job.state });
  }
  const last = jobs.at(-1);
  return jobs.length === window.limit && last ? last.updatedAt : window.before;
}
