// A pending transaction the chain's decoder refused is FAILED and reported once — remembered by the job. But
// Tatum may correct the entry under the same id; like the entries that do not even parse (invalid-entries.ts),
// a refused one is therefore remembered with a hash of what was refused (`refusedPayload` on the job), and a
// different entry under that id reopens the job: looked at again, signed if now valid, reported again if
// refused again. Only refusals are reopened — a job that signed, broadcast, or failed for another reason
// (policy, four-eyes, give-up) stays final. Each round of a reopened job has its own final audit record.
import { payloadHash } from './invalid-entries.js';
import type { SigningJobDoc } from './jobs.js';
import type { PendingTransaction } from './types.js';

/** sha256 of what Tatum asks to sign (every field but the id and a completion txId). */
export function pendingHash(pending: PendingTransaction): string {
  const { chain, serializedTransaction, hashes, index, signatures, withdrawalId } = pending;
  return payloadHash({ chain, serializedTransaction, hashes, index, signatures, withdrawalId });
}

/** True when `job` was FAILED by a refusal of another entry than `pending`: it is looked at again. */
export function reopens(job: SigningJobDoc | null | undefined, pending: PendingTransaction): boolean {
  if (job?.state !== 'FAILED' || typeof job.refusedPayload !== 'string') return false;
  return job.refusedPayload !== pendingHash(pending);
}
