// Completes a Tatum EVM payload the way the reference daemon does (tatum-protocol.md §4.5–4.7), made safe:
// every value comes from the trusted chain view, never from a guess. chainId is the registry's (the node
// must agree); missing gas = eth_estimateGas × 1.2 under a ceiling (a revert fails the job with its
// reason, before any KMS call); missing or 0 gasPrice = eth_gasPrice (the fee cap still applies); missing
// nonce = the nonce ledger over the node's pending count (read once per wallet per 3 s; a retried job,
// whose earlier reservation may have lapsed below the ledger's cursor, walks from that floor). An explicit
// nonce below the confirmed count is refused as already used. The completed payload then goes through
// the signer's one decode like any other.
import { loadAddressCode, type ChainId, type NetworkName } from '../chains/index.js';
import { EvmRevertError, type ChainViews } from '../chain-view/index.js';
import { evmCompletionGaps } from '../signer/evm/index.js';
import type { PrepareTransactionRequest, WalletKey } from '../signer/index.js';
import { JobFailure } from './errors.js';
import {
  NoFreeNonceError,
  type NonceLedger,
  type NonceReservation,
  type NonceScope,
} from './nonce-ledger.js';

/** Estimates are raised by this margin: state can change between estimate and inclusion. */
const GAS_MARGIN_PERCENT = 120n;
/** No completed transaction may ask for more gas than this (a runaway estimate is a refusal, not a fee). */
const GAS_CEILING = 3_000_000n;

/** What was completed, from where: stored on the job and in the audit record. */
export type Completion = Record<string, { value: string; from: string }>;

export interface CompletedPayload {
  unsigned: string;
  completion: Completion;
  /** The nonce the transaction will carry, to be marked used just before signing. */
  nonce: { scope: NonceScope; value: bigint; reservation?: NonceReservation } | undefined;
  /** What the signer needs besides the payload (SOL: the fresh blockhash; EGLD: options.nonce; FLOW: the account). */
  request?: Pick<PrepareTransactionRequest, 'recentBlockhash' | 'options' | 'flowAccount'>;
  /** Gives back what the completion took from Tatum (FLOW: the proposal key) when nothing gets broadcast. */
  release?: () => Promise<void>;
}

export interface CompletionContext {
  chain: ChainId;
  network: NetworkName;
  jobId: string;
  wallets: WalletKey[];
  unsigned: string;
  views: ChainViews | undefined;
  ledger: NonceLedger;
  /** The nonce an earlier attempt of this job settled on (kept on the job): reused, never re-reserved. */
  earlierNonce: bigint | undefined;
  /** The job ran before: a nonce its earlier attempt reserved may have lapsed below the ledger's cursor. */
  retry?: boolean;
}

export async function completeEvmPayload(ctx: CompletionContext): Promise<CompletedPayload> {
  // The gap check derives the sender's address; nothing before it in a job needs the EVM address code.
  await loadAddressCode([ctx.chain]);
  const gaps = evmCompletionGaps({
    chain: ctx.chain,
    network: ctx.network,
    wallets: ctx.wallets,
    unsigned: ctx.unsigned,
  });
  const view = ctx.views?.evm(ctx.chain);
  // Nothing to complete (a used explicit nonce is then refused by the node at broadcast), or nothing to
  // complete from: the signer decides (it refuses what is missing).
  if (gaps === undefined || view === undefined || (!gaps.gas && !gaps.gasPrice && !gaps.nonce)) {
    return { unsigned: ctx.unsigned, completion: {}, nonce: undefined };
  }
  const scope = { chain: ctx.chain, network: ctx.network, address: gaps.from.toLowerCase() };
  await view.checkChainId();

  const payload = JSON.parse(ctx.unsigned) as Record<string, unknown>;
  const completion: Completion = {};
  if (gaps.gas) {
    const estimate = await estimateGas(() => view.estimateGas({ from: gaps.from, ...gaps.call }));
    const gas = (estimate * GAS_MARGIN_PERCENT) / 100n;
    if (gas > GAS_CEILING) throw new JobFailure(`estimated gas ${gas} is above the ceiling ${GAS_CEILING}`);
    delete payload.gasLimit;
    payload.gas = gas.toString();
    completion.gas = { value: gas.toString(), from: `eth_estimateGas ${estimate} × ${GAS_MARGIN_PERCENT}%` };
  }
  if (gaps.gasPrice) {
    const price = await view.gasPrice();
    payload.gasPrice = price.toString();
    completion.gasPrice = { value: price.toString(), from: 'eth_gasPrice' };
  }
  let reservation: NonceReservation | undefined;
  let nonce: bigint;
  const earlier = ctx.earlierNonce;
  // A nonce another job signed with meanwhile is not ours any more (NonceTakenError would repeat forever).
  const reuse =
    gaps.givenNonce === undefined &&
    earlier !== undefined &&
    (await ctx.ledger.usableBy(scope, earlier, ctx.jobId));
  if (reuse) {
    nonce = earlier;
    payload.nonce = nonce.toString();
    completion.nonce = { value: nonce.toString(), from: 'an earlier attempt of this job' };
  } else if (gaps.givenNonce === undefined) {
    reservation = await reserveNonce(
      ctx.ledger,
      scope,
      ctx.jobId,
      () => view.transactionCount(gaps.from, 'pending'),
      ctx.retry === true,
    );
    nonce = reservation.nonce;
    payload.nonce = nonce.toString();
    const floor = `node pending count ${reservation.floor}, read ${reservation.floorAgeMs} ms before`;
    const walk = ctx.retry === true ? ', a retry: walked from the floor' : '';
    completion.nonce = { value: nonce.toString(), from: `nonce ledger (${floor}${walk})` };
  } else {
    nonce = gaps.givenNonce;
    const confirmed = await view.transactionCount(gaps.from, 'latest');
    if (nonce < confirmed) {
      throw new JobFailure(
        `nonce ${nonce} is already used: ${gaps.from} has ${confirmed} confirmed transactions`,
      );
    }
  }
  const completed = JSON.stringify(payload);
  return {
    unsigned: completed,
    completion,
    nonce: { scope, value: nonce, ...(reservation ? { reservation } : {}) },
  };
}

async function reserveNonce(
  ledger: NonceLedger,
  scope: NonceScope,
  jobId: string,
  readFloor: () => Promise<bigint>,
  retry: boolean,
): Promise<NonceReservation> {
  try {
    return await ledger.reserve(scope, jobId, readFloor, { retry });
  } catch (error) {
    // A runaway gap: wait for the chain to catch up, never FAILED.
    if (error instanceof NoFreeNonceError) throw new JobFailure(error.message, true, { cause: error });
    throw error;
  }
}

async function estimateGas(call: () => Promise<bigint>): Promise<bigint> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof EvmRevertError) throw new JobFailure(error.message, false, { cause: error });
    throw error;
  }
}
