// The FLOW "broadcast", as tatum-js `sendTransaction` (packages/tatum-flow src/transaction/flow.ts) and
// tatum-kms (src/signatures.ts, Currency.FLOW) do it, from the stored transaction that carries our payload
// signature: Tatum's proposer signs the payload (POST /v3/flow/sign {data, isPayer: false}) unless it is
// also the payer, Tatum's payer signs the envelope last (isPayer: true), the transaction goes to the Flow
// access node (FCL's fcl.send), we wait for its result (FCL's onceSealed), release the proposal key
// (POST /v3/flow/broadcast {txData: txId, proposalKey}; txData '' when it never reached the node) and
// complete the pending transaction with the Flow transaction id (POST /v3/flow/broadcast {txData: txId,
// signatureId}). The id must be the one we compute from the signed transaction.
//
// Tatum's signatures are new on every countersigning, and so is the transaction id; the proposal key's
// sequence number (covered by our payload signature) lets at most one of them execute. Each id is recorded
// on the job before it is sent, so after a crash or a lost answer the look-up asks the node about every
// id we sent before anything is sent again — a transfer that went through is never reported as failed.
import { ChainUnavailableError, type FlowChainView } from '../chain-view/index.js';
import {
  flowEnvelopeMessage,
  flowPayloadMessage,
  flowTransactionId,
  parseFlowVoucher,
  type FlowVoucher,
} from '../signer/flow/index.js';
import { flowAddress } from '../signer/flow/voucher.js';
import { TatumApiError } from './errors.js';
import type { BroadcastResult, PendingTransaction, TatumFlowApi, TatumKmsApi } from './types.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Adds Tatum's proposer (payload) and payer (envelope) signatures to our signed voucher. */
async function countersign(tatum: TatumFlowApi, voucher: FlowVoucher): Promise<FlowVoucher> {
  const { proposalKey: proposer, payer } = voucher;
  let signed = voucher;
  if (proposer.address !== payer) {
    const sig = await tatum.sign(hex(flowPayloadMessage(voucher)), false);
    // The proposer's first: signers are numbered proposer, payer, authorizers (Flow's signer list).
    const ours = voucher.payloadSigs;
    signed = {
      ...voucher,
      payloadSigs: [{ address: proposer.address, keyId: proposer.keyId, sig }, ...ours],
    };
  }
  const payerKey = await tatum.signKey(true);
  if (flowAddress(payerKey.address, 'payer') !== payer) {
    throw new TatumApiError(
      `Tatum's FLOW payer is now ${payerKey.address}, the transaction names ${payer}`,
      200,
      false,
    );
  }
  const sig = await tatum.sign(hex(flowEnvelopeMessage(signed)), true);
  return { ...signed, envelopeSigs: [{ address: payer, keyId: payerKey.keyId, sig }] };
}

function tatumFlow(api: Pick<TatumKmsApi, 'flow'>): TatumFlowApi {
  if (api.flow === undefined)
    throw new TatumApiError("the Tatum client does not serve Tatum's FLOW endpoints", undefined, false);
  return api.flow;
}

function flowNode(view: FlowChainView | undefined): FlowChainView {
  if (view === undefined)
    throw new ChainUnavailableError('no Flow access node is configured (KMS_SIGNER_RPC_FLOW)');
  return view;
}

export async function broadcastFlow(
  api: Pick<TatumKmsApi, 'flow'>,
  flowView: FlowChainView | undefined,
  pending: PendingTransaction,
  signed: string,
  /** Stores the id on the job (fenced) before the transaction may reach the node. */
  recordSent: (txId: string) => Promise<void>,
): Promise<BroadcastResult> {
  const tatum = tatumFlow(api);
  const view = flowNode(flowView);
  const voucher = parseFlowVoucher(signed);
  const proposalKey = voucher.proposalKey.keyId;
  const final = await countersign(tatum, voucher);
  const txId = flowTransactionId(final);
  let sentId: string;
  try {
    await recordSent(txId);
    sentId = await view.send(final);
  } catch (error) {
    await tatum.broadcast({ txData: '', proposalKey }).catch(() => undefined);
    throw error;
  }
  let result;
  try {
    if (sentId !== txId)
      throw new TatumApiError(`the access node answered id ${sentId}, ours is ${txId}`, 200, false);
    result = await view.final(txId);
  } finally {
    await tatum.broadcast({ txData: sentId, proposalKey }).catch(() => undefined);
  }
  if (result.statusCode !== 0 || result.status === 'Expired') {
    const why = result.errorMessage || result.status;
    throw new TatumApiError(`the Flow transaction ${txId} failed on chain: ${why}`, 200, false);
  }
  const completed = await tatum.broadcast({ txData: txId, signatureId: pending.id });
  return { txId: completed.txId ?? txId };
}

/** The first of the job's sent ids the node executed successfully, if any (see the header). */
export async function findFlowExecuted(
  view: FlowChainView | undefined,
  sentIds: readonly string[],
): Promise<string | undefined> {
  if (sentIds.length === 0) return undefined;
  const node = flowNode(view);
  for (const id of sentIds) if (await node.executedSuccessfully(id)) return id;
  return undefined;
}

/** A sent transaction found executed after a crash: release the proposal key, complete it at Tatum. */
export async function completeFoundFlow(
  api: Pick<TatumKmsApi, 'flow'>,
  pending: PendingTransaction,
  proposalKey: number,
  txId: string,
): Promise<void> {
  const tatum = tatumFlow(api);
  await tatum.broadcast({ txData: txId, proposalKey }).catch(() => undefined);
  await tatum.broadcast({ txData: txId, signatureId: pending.id });
}
