// A FAILED job is reported to Tatum (POST /v3/tatum/kms/batch, tatum-protocol.md §2.6) at the end of the
// pass that failed it. That call can fail (Tatum 5xx/429, a network error) and the runner can die before
// making it; since the job is final, no later pass would look at it again. So the FAILED write itself marks
// the job `unreported` (jobs.ts, same update as the state), the mark is removed only once Tatum accepted a
// report naming the job, and the reconciler reports every job still marked a lease after its FAILED write
// (its own runner has had its chance). In effect once: a job is re-reported only while no report of it was
// accepted — except when Tatum's acceptance itself is lost on the way back (or the runner dies between the
// acceptance and removing the mark), which nobody can tell from a failure; Tatum then hears it twice.
import type { Db } from 'mongodb';
import type { ChainId, NetworkName } from '../chains/index.js';
import type { TatumApiError } from './errors.js';
import { SIGNING_JOBS, type ReportRefusal, type SigningJobDoc } from './jobs.js';

export interface FailureReport {
  signatureId: string;
  error: string;
}

export class FailureReports {
  private readonly jobs;

  constructor(
    db: Db,
    private readonly network: NetworkName,
  ) {
    this.jobs = db.collection<SigningJobDoc>(SIGNING_JOBS);
  }

  /** FAILED jobs of `chains` written before `before` whose report Tatum has not accepted, oldest first. */
  async overdue(chains: readonly ChainId[], before: Date, limit: number): Promise<FailureReport[]> {
    const jobs = await this.jobs
      .find(
        {
          unreported: true,
          state: 'FAILED',
          chain: { $in: [...chains] },
          network: this.network,
          updatedAt: { $lt: before },
        },
        { projection: { _id: 1, error: 1 } },
      )
      .sort({ updatedAt: 1 })
      .limit(limit)
      .toArray();
    return jobs.map((job) => ({ signatureId: job._id, error: job.error ?? 'failed' }));
  }

  /** Tatum accepted a report naming these ids: their jobs are reported. */
  async accepted(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.jobs.updateMany({ _id: { $in: [...ids] }, unreported: true }, { $unset: { unreported: '' } });
  }

  /** Tatum refused the report of job `id` sent alone: never sent again, the answer kept on the job. */
  async refused(id: string, refusal: TatumApiError, at: Date): Promise<void> {
    const reportRefused: ReportRefusal = { status: refusal.status ?? 0, ...refusal.answer, at };
    await this.jobs.updateOne(
      { _id: id, unreported: true },
      { $unset: { unreported: '' }, $set: { reportRefused } },
    );
  }
}
