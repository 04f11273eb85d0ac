// A nonce gap: an EVM transaction we broadcast waits in the node's pool because a lower nonce of the
// wallet was never signed (its job failed or was given up after reserving it, or Tatum stopped listing
// it) and no job of the wallet holds it any more. The nonce ledger hands such a nonce to the wallet's
// next reservation; until one comes, nothing moves, so the reconciler reports the gap for an operator.
// Not filled automatically with a 0-value self-transfer: that would sign a transaction no withdrawal
// asked for, past four-eyes and policy, and Tatum and the exchange's books would see an outgoing
// transaction they do not know (see the README, "Nonces under crashes").
import type { ChainId } from '../chains/index.js';
import type { JobContext } from './job.js';
import type { SigningJobDoc } from './jobs.js';

/**
 * For a BROADCAST EVM job still unmined: when the wallet's confirmed count is below the job's nonce and
 * some nonce in between is held by no job, logs `nonce-gap` (wallet, missing nonces, waiting job) and
 * returns the missing nonces. One pending-count read and a ledger look-up per nonce in between: done only
 * for jobs unmined for longer than the reconciler's vanishedAfterMs, never per transaction.
 */
export async function reportNonceGap(ctx: JobContext, job: SigningJobDoc): Promise<bigint[]> {
  const chain = job.chain as ChainId;
  const view = ctx.chainViews?.evm(chain);
  if (view === undefined || job.signed === null) return [];
  const { Transaction } = await import('ethers'); // on first use: ethers stays out of the signer's init code
  const tx = Transaction.from(job.signed);
  if (tx.from === null) return [];
  const confirmed = await view.transactionCount(tx.from, 'latest');
  const nonce = BigInt(tx.nonce);
  if (confirmed >= nonce) return [];
  const scope = { chain, network: ctx.network, address: tx.from.toLowerCase() };
  const missing = await ctx.nonces.unheld(scope, confirmed, nonce);
  if (missing.length > 0) {
    ctx.log({
      event: 'nonce-gap',
      id: job._id,
      chain,
      address: scope.address,
      nonce: nonce.toString(),
      confirmed: confirmed.toString(),
      missing: missing.map(String),
    });
  }
  return missing;
}
