// The operators' read-only view of the signing loop's jobs (`kms-signer jobs`): public fields only — no
// signed bytes, digests or policy internals — newest first.
import type { Db } from 'mongodb';
import { SIGNING_JOBS, type JobState, type SigningJobDoc } from './jobs.js';

export interface JobSummary {
  id: string;
  chain: string;
  network: string;
  state: JobState;
  txId: string | null;
  nonce: string | null;
  confirmations?: number;
  attempts: number;
  broadcastAttempts: number;
  error: string | null;
  unseenSince: string | null;
  signedAt: string | null;
  broadcastAt: string | null;
  updatedAt: string;
}

const iso = (value: Date | null | undefined) => (value ? value.toISOString() : null);

export class SigningJobsView {
  constructor(private readonly db: Db) {}

  async list(query: { state?: JobState; chain?: string; limit: number }): Promise<JobSummary[]> {
    const jobs = await this.db
      .collection<SigningJobDoc>(SIGNING_JOBS)
      .find({
        ...(query.state === undefined ? {} : { state: query.state }),
        ...(query.chain === undefined ? {} : { chain: query.chain }),
      })
      .sort({ updatedAt: -1 })
      .limit(query.limit)
      .toArray();
    return jobs.map((job) => ({
      id: job._id,
      chain: job.chain,
      network: job.network,
      state: job.state,
      txId: job.txId,
      nonce: job.nonce ?? null,
      ...(job.confirmations === undefined ? {} : { confirmations: job.confirmations }),
      attempts: job.attempts,
      broadcastAttempts: job.broadcastAttempts,
      error: job.error,
      unseenSince: iso(job.unseenSince),
      signedAt: iso(job.signedAt),
      broadcastAt: iso(job.broadcastAt),
      updatedAt: job.updatedAt.toISOString(),
    }));
  }
}
