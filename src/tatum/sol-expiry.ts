// A SOL transaction can land only while the cluster's block height is at most its blockhash's
// lastValidBlockHeight (Solana, "Transaction Confirmation & Expiration": https://solana.com/docs/advanced/
// confirmation). Once the finalized height is past it and the cluster knows no transaction with our
// signature, the stored bytes can never execute, however often they are re-sent: nothing was spent.
// Proven only in that order — the finalized height first, then the signature looked up with the whole
// history searched: every block up to lastValidBlockHeight was final before the look-up, so a transaction
// that landed in one of them shows. Nothing is re-signed here (a new signature needs a new blockhash and
// a new decision; see the README).
import type { SolanaChainView } from '../chain-view/index.js';
import type { SigningJobDoc } from './jobs.js';

export interface SolExpiry {
  /** The finalized block height that proved it. */
  blockHeight: number;
  lastValidBlockHeight: number;
}

/** The lastValidBlockHeight of the blockhash the job's bytes were signed with (complete-sol.ts). */
export function storedLastValidBlockHeight(job: Pick<SigningJobDoc, 'completion'>): number | undefined {
  const stored = job.completion?.lastValidBlockHeight?.value;
  // Jobs completed before the field existed carry the height in the blockhash's `from` text only.
  const text = stored ?? /valid to height (\d+)/.exec(job.completion?.recentBlockhash?.from ?? '')?.[1];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** The expiry when proven; undefined while the bytes may still land (or the job has no stored height). */
export async function provenSolExpiry(
  view: SolanaChainView,
  job: Pick<SigningJobDoc, 'txId' | 'completion'>,
): Promise<SolExpiry | undefined> {
  const lastValidBlockHeight = storedLastValidBlockHeight(job);
  if (lastValidBlockHeight === undefined || job.txId === null) return undefined;
  const blockHeight = await view.blockHeight();
  if (blockHeight <= lastValidBlockHeight) return undefined;
  if ((await view.signatureStatus(job.txId)) !== null) return undefined;
  return { blockHeight, lastValidBlockHeight };
}

/** The FAILED reason of a SIGNED job whose bytes expired unlanded (reported to Tatum as it is). */
export function expiryReason(expiry: SolExpiry): string {
  return (
    `blockhash expired at block height ${expiry.blockHeight} (valid to ${expiry.lastValidBlockHeight}) ` +
    'before the transaction landed; nothing was spent'
  );
}
