// A chain's pending transactions run as jobs, with the database work of starting them done per page
// instead of per job: one insertMany of first claims, one of new CLAIMED jobs and one query for the jobs
// claimed before, if any (final ones are skipped; JobStore.claimMany), one query for the wallets the page
// names. Pages are claimed as the running jobs need them — the next one while the current one still has
// `concurrency` jobs to start — so claims are never held long before their jobs start, and jobs claimed
// but not started (the pass ran out of time) are released at once.
import type { ChainId } from '../chains/index.js';
import type { WalletView } from '../wallets/contract.js';
import { jobError, runClaimed, type JobContext, type JobResult } from './job.js';
import { isFinal, type JobClaim } from './jobs.js';
import { reopens } from './refused-payloads.js';
import type { PendingTransaction } from './types.js';

/** A started job's result, or the job claimed and waiting for a worker. */
type Slot = { result: JobResult } | { held: JobClaim; ctx: JobContext };

export interface PageSettings {
  concurrency: number;
  /** Jobs claimed at once (default: 2 × concurrency, at least 16, at most 256). */
  pageSize?: number;
  canStart: () => boolean;
}

function isHeld(claimed: JobClaim | null | 'skipped' | Error | undefined): claimed is JobClaim {
  return claimed !== undefined && claimed !== null && claimed !== 'skipped' && !(claimed instanceof Error);
}

/** Every wallet a pending transaction names (hashes and signatures[].id). */
function signatureIdsOf(pending: PendingTransaction): string[] {
  return [...new Set([...pending.hashes, ...(pending.signatures ?? []).map((s) => s.id)])];
}

/** The context's wallet reads, answering getWallet from the page's one query where it can. */
function withWallets(ctx: JobContext, views: Map<string, WalletView>): JobContext {
  const wallets = ctx.wallets;
  return {
    ...ctx,
    wallets: {
      getWallet: (id) => {
        const view = views.get(id);
        return view ? Promise.resolve(view) : wallets.getWallet(id);
      },
      existingAddress: (id, index) => wallets.existingAddress(id, index),
    },
  };
}

/** Claims one page: results for the jobs that will not run (final, busy, failed claim), held ones otherwise. */
async function claimPage(
  ctx: JobContext,
  chain: ChainId,
  page: readonly PendingTransaction[],
): Promise<Slot[]> {
  try {
    const claimed = await ctx.jobs.claimMany(
      page.map((p) => ({
        id: p.id,
        init: {
          chain,
          network: ctx.network,
          signatureIds: signatureIdsOf(p),
          ...(p.withdrawalId === undefined ? {} : { withdrawalId: p.withdrawalId }),
        },
      })),
      ctx.runnerId,
      // A final job is left alone, unless Tatum re-queued a refused payload changed (refused-payloads.ts).
      (stored, n) => isFinal(stored.state) && !reopens(stored, page[n] as PendingTransaction),
    );
    const heldIds = page.filter((_, n) => isHeld(claimed[n]));
    const views = ctx.wallets.getWallets
      ? await ctx.wallets
          .getWallets(heldIds.flatMap(signatureIdsOf))
          .catch(() => new Map<string, WalletView>())
      : new Map<string, WalletView>();
    const pageCtx = withWallets(ctx, views);
    return page.map((p, n): Slot => {
      const base = { id: p.id, chain };
      const held = claimed[n];
      if (held === 'skipped') return { result: { ...base, outcome: 'SKIPPED' } };
      if (held === null || held === undefined) return { result: { ...base, outcome: 'BUSY' } };
      if (held instanceof Error) return { result: jobError(ctx, chain, p, held) };
      return { held, ctx: pageCtx };
    });
  } catch (error) {
    return page.map((p) => ({ result: jobError(ctx, chain, p, error) }));
  }
}

/**
 * Runs `pending` as jobs, at most `concurrency` at a time; results in the order of `pending`. Jobs not
 * started once `canStart` answers false have no result (they stay pending for the next pass).
 */
export async function runPending(
  ctx: JobContext,
  chain: ChainId,
  pending: readonly PendingTransaction[],
  settings: PageSettings,
): Promise<JobResult[]> {
  const { concurrency, canStart } = settings;
  const pageSize = settings.pageSize ?? Math.min(256, Math.max(16, 2 * concurrency));
  const slots: (Slot | undefined)[] = new Array<Slot | undefined>(pending.length);
  const results: (JobResult | undefined)[] = new Array<JobResult | undefined>(pending.length);
  let claimedUpTo = 0;
  let claiming: Promise<void> | undefined;
  let next = 0;
  const claimNext = (): Promise<void> => {
    claiming ??= (async () => {
      const from = claimedUpTo;
      const page = pending.slice(from, from + pageSize);
      claimedUpTo = from + page.length;
      const claimed = await claimPage(ctx, chain, page);
      claimed.forEach((slot, k) => (slots[from + k] = slot));
    })().finally(() => (claiming = undefined));
    return claiming;
  };
  const worker = async (): Promise<void> => {
    while (next < pending.length && canStart()) {
      const index = next++;
      while (index >= claimedUpTo || slots[index] === undefined) await claimNext();
      // Keep the next page coming while this one still has jobs to start.
      if (claimedUpTo < pending.length && claimedUpTo - index <= concurrency) void claimNext();
      const slot = slots[index]; // the loop above waited for it
      slots[index] = undefined;
      results[index] =
        'result' in slot
          ? slot.result
          : await runClaimed(slot.ctx, chain, pending[index] as PendingTransaction, slot.held);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, pending.length)) }, worker));
  await claiming;
  // Claimed, never started: let them go now rather than at the end of their lease.
  const unstarted = slots.flatMap((slot) => (slot && 'held' in slot ? [slot.held] : []));
  await ctx.jobs.releaseMany(unstarted).catch(() => undefined);
  return results.flatMap((r) => (r === undefined ? [] : [r]));
}
