// What Tatum no longer lists is still ours to finish. Once a broadcast reached Tatum it stops returning the
// pending transaction, so a runner that died between the broadcast and the BROADCAST write, or whose
// answer was lost, would leave the job SIGNED for good. Each pass therefore also (1) takes over SIGNED
// jobs no runner has touched for a lease and settles them like any SIGNED job — look the txid up, mark
// it, or broadcast the stored bytes — and (2) follows BROADCAST jobs on chains with a view until they are
// CONFIRMED at the configured depth, handing the stored bytes to the node again when it no longer knows
// them (a dropped transaction would leave a gap every later nonce of the wallet waits behind).
import type { TransactionStatusView } from '../chain-view/index.js';
import { getChain, type ChainId } from '../chains/index.js';
import { errorMessage } from '../util/error-message.js';
import { mapLimit } from '../util/map-limit.js';
import { processJob, type JobContext, type JobResult } from './job.js';
import { jobModules } from './job-modules.js';
import type { SigningJobDoc } from './jobs.js';
import { reportNonceGap } from './nonce-gaps.js';
import type { PendingTransaction } from './types.js';

export interface ReconcileSettings {
  chains: readonly ChainId[];
  /** A SIGNED job untouched for this long is taken over (the job lease). */
  leaseMs: number;
  /** How often one BROADCAST job is looked up on its chain. */
  checkEveryMs: number;
  /** A BROADCAST transaction the node does not know after this long is handed to the node again. */
  vanishedAfterMs: number;
  depth: (chain: ChainId) => number;
  /** Jobs of each kind looked at per pass. */
  limit: number;
  concurrency: number;
}

export async function reconcile(ctx: JobContext, settings: ReconcileSettings): Promise<JobResult[]> {
  const now = ctx.clock().getTime();
  const stale = await ctx.jobs.staleSigned(
    settings.chains,
    ctx.network,
    new Date(now - settings.leaseMs),
    settings.limit,
  );
  const settled = await mapLimit(stale, settings.concurrency, (job) =>
    processJob(ctx, job.chain as ChainId, pendingOf(job)),
  );
  for (const result of settled) ctx.log({ event: 'reconciled', ...result });
  // Each chain's view resolved once: it picks the chains to follow and serves their jobs.
  const views = new Map<ChainId, TransactionStatusView>();
  for (const chain of settings.chains) {
    const view = ctx.chainViews?.transactions(chain);
    if (view !== undefined) views.set(chain, view);
  }
  if (views.size > 0) {
    const open = await ctx.jobs.unconfirmed(
      [...views.keys()],
      ctx.network,
      new Date(now - settings.checkEveryMs),
      settings.limit,
    );
    await mapLimit(open, settings.concurrency, (job) =>
      followBroadcast(ctx, settings, views.get(job.chain as ChainId), job),
    );
  }
  return settled;
}

/** What the loop needs of Tatum's entry to broadcast a job's stored bytes (never to sign: no payload). */
function pendingOf(job: SigningJobDoc): PendingTransaction {
  return {
    id: job._id,
    chain: job.chain,
    serializedTransaction: '',
    hashes: job.signatureIds,
    ...(job.withdrawalId === undefined ? {} : { withdrawalId: job.withdrawalId }),
  };
}

async function followBroadcast(
  ctx: JobContext,
  settings: ReconcileSettings,
  view: TransactionStatusView | undefined,
  job: SigningJobDoc,
): Promise<void> {
  const chain = job.chain as ChainId;
  if (view === undefined || job.txId === null) return;
  const checkedAt = ctx.clock();
  try {
    const status = await view.transactionStatus(job.txId);
    if (status.state === 'mined') {
      const confirmed = status.confirmations >= settings.depth(chain);
      const failed = status.failed === undefined ? {} : { failedOnChain: status.failed };
      await ctx.jobs.recordChainView(
        job._id,
        { confirmations: status.confirmations, checkedAt, unseenSince: null, ...failed },
        confirmed,
      );
      // Landed but failed (SOL `err`; the fee is spent): Tatum completed it, so it is recorded and logged
      // for an operator, like any mined transaction it still settles as CONFIRMED.
      if (status.failed !== undefined && job.failedOnChain === undefined) {
        ctx.log({ event: 'failed-on-chain', id: job._id, chain, txId: job.txId, error: status.failed });
      }
      if (confirmed)
        ctx.log({
          event: 'confirmed',
          id: job._id,
          chain,
          txId: job.txId,
          confirmations: status.confirmations,
        });
      return;
    }
    if (status.state === 'pending') {
      await ctx.jobs.recordChainView(job._id, { confirmations: 0, checkedAt, unseenSince: null }, false);
      // Unmined for long: an EVM transaction may be waiting behind a lower nonce nobody signs.
      const waiting = checkedAt.getTime() - (job.broadcastAt?.getTime() ?? 0);
      if (waiting >= settings.vanishedAfterMs && getChain(chain).family === 'evm') {
        await reportNonceGap(ctx, job);
      }
      return;
    }
    if (await neverLands(ctx, job, checkedAt)) return;
    const unseenSince = job.unseenSince ?? checkedAt;
    await ctx.jobs.recordChainView(job._id, { confirmations: 0, checkedAt, unseenSince }, false);
    const broadcastAt = job.broadcastAt?.getTime() ?? 0;
    if (checkedAt.getTime() - broadcastAt < settings.vanishedAfterMs || job.signed === null) return;
    // The same bytes again (same txid): nothing new is signed. Reported so an operator sees the gap.
    ctx.log({
      event: 'broadcast-vanished',
      id: job._id,
      chain,
      txId: job.txId,
      nonce: job.nonce ?? null,
      unseenSince,
    });
    await view.sendRawTransaction(job.signed);
  } catch (error) {
    ctx.log({ event: 'confirmation-check-failed', id: job._id, chain, error: errorMessage(error) });
  }
}

/**
 * SOL: a broadcast the cluster does not know, whose blockhash expired (sol-expiry.ts), never landed and
 * never will. Tatum completed it with our txId, so nothing is reported to Tatum: the job is FAILED with
 * `expiredUnlanded` and a `broadcast-expired` line for an operator (metric and alarm BroadcastsExpired).
 */
async function neverLands(ctx: JobContext, job: SigningJobDoc, checkedAt: Date): Promise<boolean> {
  const view = getChain(job.chain as ChainId).family === 'solana' ? ctx.chainViews?.solana() : undefined;
  if (view === undefined) return false;
  const { expiryReason, provenSolExpiry } = await jobModules.solExpiryProof();
  const expiry = await provenSolExpiry(view, job);
  if (expiry === undefined) return false;
  const error = `broadcast as ${job.txId ?? '?'} but never landed: ${expiryReason(expiry)}`;
  await ctx.jobs.recordNeverLanded(job._id, { checkedAt, error });
  ctx.log({ event: 'broadcast-expired', id: job._id, chain: job.chain, txId: job.txId, ...expiry });
  return true;
}
