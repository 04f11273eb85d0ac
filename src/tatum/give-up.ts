// Temporary causes (KMS throttled or down, MongoDB, a node, Tatum 5xx/429, the four-eyes service) are
// retried silently, because Tatum turns every report into a KMS_FAILED_TX webhook to the exchange. But a
// withdrawal that has not gone out for a long time is something the exchange must hear about: a job that
// has been retrying for longer than `reportRetriesAfterMs` is failed once, with its last reason (which names
// the dependency), and reported.
//
// Only a job that was never signed is given up: state CLAIMED and no bytes in signed_transactions. A SIGNED
// job's bytes may already be on the chain (a lost answer, a killed runner) — reporting it failed could make
// the exchange pay the withdrawal twice — so it keeps being settled by the look-up and the reconciler and is
// never reported. The FAILED write is made under a fresh claim, which fences every older runner: one whose
// KMS call or store stalled can no longer write SIGNED, so it never broadcasts. For the same reason the
// EVM nonce the job had marked used is given back: no bytes with it can ever be broadcast.
import type { Db } from 'mongodb';
import type { ChainId } from '../chains/index.js';
import { errorMessage } from '../util/error-message.js';
import type { JobContext, JobResult } from './job.js';
import { SIGNED_TRANSACTIONS, type SigningJobDoc } from './jobs.js';

/**
 * One hour. Long enough to ride out what an operator would call a temporary outage (a KMS throttling
 * burst, a MongoDB fail-over, a Tatum incident, a four-eyes deploy) without a false KMS_FAILED_TX, short
 * enough that a withdrawal stuck for an hour reaches the exchange's support queue the same hour.
 */
export const DEFAULT_REPORT_RETRIES_AFTER_MS = 60 * 60 * 1000;

/**
 * The RETRY results of a pass, with every job retried for longer than `afterMs` (and never signed)
 * turned into FAILED (recorded on the job, in the audit, and returned for the report). Never throws:
 * whatever goes wrong leaves the result as it was, for the next pass.
 */
export async function giveUpOnOldRetries(
  ctx: JobContext,
  db: Db,
  results: readonly JobResult[],
  afterMs: number,
): Promise<JobResult[]> {
  const out: JobResult[] = [];
  for (const result of results) {
    if (result.outcome !== 'RETRY' || !Number.isFinite(afterMs)) {
      out.push(result);
      continue;
    }
    try {
      out.push((await giveUp(ctx, db, result, afterMs)) ?? result);
    } catch (error) {
      ctx.log({ event: 'give-up-failed', id: result.id, chain: result.chain, error: errorMessage(error) });
      out.push(result);
    }
  }
  return out;
}

function neverSigned(job: SigningJobDoc | null): job is SigningJobDoc {
  return job !== null && job.state === 'CLAIMED' && job.signed === null;
}

async function giveUp(ctx: JobContext, db: Db, result: JobResult, afterMs: number) {
  const job = await ctx.jobs.get(result.id);
  const now = ctx.clock();
  if (!neverSigned(job) || now.getTime() - job.createdAt.getTime() < afterMs) return undefined;
  const held = await ctx.jobs.claim(job._id, ctx.runnerId, {
    chain: job.chain,
    network: job.network,
    signatureIds: job.signatureIds,
    ...(job.withdrawalId === undefined ? {} : { withdrawalId: job.withdrawalId }),
  });
  if (!held) return undefined;
  try {
    // Under our claim (every older one fenced out): still never signed, and no bytes stored?
    const bytes = await db.collection(SIGNED_TRANSACTIONS).findOne({ _id: job._id as never });
    if (!neverSigned(held.job) || bytes !== null) return undefined;
    const minutes = Math.floor((now.getTime() - job.createdAt.getTime()) / 60_000);
    const last = result.error ?? job.error ?? 'a temporary error';
    const error = `not signed after retrying for ${minutes} min; last temporary error: ${last}`;
    await ctx.jobs.update(
      held,
      job._id,
      { state: 'FAILED', error },
      {
        pendingId: job._id,
        chain: job.chain,
        network: job.network,
        runner: ctx.runnerId,
        wallets: job.signatureIds,
        kmsKeyIds: [],
        decoded: null,
        digests: [],
        fourEye: null,
        policy: job.policy,
        txId: null,
        rebroadcast: false,
        startedAt: now,
        outcome: 'FAILED',
        error,
        finishedAt: ctx.clock(),
      },
    );
    // Nothing with the job's nonce can be broadcast any more: the wallet's next job takes it.
    await ctx.nonces.releaseJob(job._id);
    ctx.log({ event: 'job-gave-up', id: job._id, chain: job.chain, minutes, error });
    return { id: job._id, chain: job.chain as ChainId, outcome: 'FAILED' as const, error };
  } finally {
    await ctx.jobs.release(held).catch(() => undefined);
  }
}
