// Before stored bytes are broadcast again — after a crash, a lost or timed-out answer, or a refusal such
// as "already known" — the loop asks whether they were broadcast already: the chain's node where a chain
// view exists (EVM, Bitcoin family), then Tatum's own record of the pending transaction (GET /v3/kms/{id},
// which carries txId once a broadcast completed it). Signed bytes are never signed again either way.
import type { TransactionStatusView } from '../chain-view/index.js';
import type { SigningJobDoc } from './jobs.js';
import type { TatumKmsApi } from './types.js';

export type BroadcastEvidence =
  { seen: false } | { seen: true; txId: string; from: 'chain' | 'tatum'; confirmations: number };

export async function findBroadcast(
  api: Pick<TatumKmsApi, 'getTransaction'>,
  /** The job's chain on its node (ChainViews.transactions), where one exists. */
  view: TransactionStatusView | undefined,
  job: Pick<SigningJobDoc, '_id' | 'txId'>,
): Promise<BroadcastEvidence> {
  if (view !== undefined && job.txId !== null) {
    const status = await view.transactionStatus(job.txId);
    if (status.state !== 'unknown') {
      const confirmations = status.state === 'mined' ? status.confirmations : 0;
      return { seen: true, txId: job.txId, from: 'chain', confirmations };
    }
    // Not (or no longer) on the node: Tatum may still have completed it — then it is not ours to resend
    // through Tatum (the reconciler hands the bytes to the node instead).
  }
  const entry = await api.getTransaction(job._id);
  if (entry?.txId === undefined) return { seen: false };
  return { seen: true, txId: entry.txId, from: 'tatum', confirmations: 0 };
}
