// Completes a Tatum FLOW payload the way tatum-js `flowSignKMSTransaction` does through FCL, made safe
// (tatum-protocol.md §2.8, §4.15): Tatum's `{type, body}` is read field by field (signer/flow/tatum-order.ts)
// and becomes OUR Cadence 1.0 transfer; the reference block is the access node's latest sealed block; the
// proposer is the proposal key Tatum hands out (GET /v3/flow/proposal/false, held by Tatum until released),
// its sequence number read from the node (as FCL resolves it); the payer is Tatum's (GET
// /v3/flow/proposal/true); the wallet's registered account key is the one authorizer. Any failure after
// the proposal key was taken releases it (POST /v3/flow/broadcast {txData: '', proposalKey}, as tatum-js
// does when fcl.send throws). The built transaction then goes through the signer's one decode.
import { getFamilyChain, type NetworkName } from '../chains/index.js';
import type { ChainViews } from '../chain-view/index.js';
import type { FlowAccountKey } from '../signer/flow/index.js';
import { flowTransferVoucher, parseTatumFlowPayload } from '../signer/flow/tatum-order.js';
import { flowAddress } from '../signer/flow/voucher.js';
import { refuse } from '../signer/types.js';
import type { CompletedPayload } from './complete-evm.js';
import { JobFailure } from './errors.js';
import type { TatumKmsApi } from './types.js';

export interface FlowCompletionContext {
  network: NetworkName;
  unsigned: string;
  views: ChainViews | undefined;
  api: Pick<TatumKmsApi, 'flow'>;
  /** The wallet record's Flow account (registration); undefined when the wallet has none. */
  account: FlowAccountKey | undefined;
  walletId: string;
}

export async function completeFlowPayload(ctx: FlowCompletionContext): Promise<CompletedPayload> {
  const order = parseTatumFlowPayload(ctx.unsigned);
  const { account } = ctx;
  if (account === undefined) {
    throw new JobFailure(`wallet ${ctx.walletId} has no registered Flow account (register one first)`);
  }
  if (order.account !== account.address) {
    refuse(
      'SENDER_NOT_OURS',
      'body.account',
      `is ${order.account}; the wallet's Flow account is ${account.address}`,
    );
  }
  const view = ctx.views?.flow();
  if (view === undefined) {
    throw new JobFailure('FLOW needs a Flow access node and none is configured (KMS_SIGNER_RPC_FLOW)', true);
  }
  const tatum = ctx.api.flow;
  if (tatum === undefined) throw new JobFailure("the Tatum client does not serve Tatum's FLOW endpoints");
  // The node first: when it is down no proposal key is taken.
  const refBlock = await view.sealedBlockId();
  const payer = await tatum.signKey(true);
  const proposer = await tatum.signKey(false);
  const release = async () => {
    await tatum.broadcast({ txData: '', proposalKey: proposer.keyId }).catch(() => undefined);
  };
  try {
    const proposerAddress = flowAddress(proposer.address, 'proposalKey.address');
    const sequenceNum = await view.sequenceNumber(proposerAddress, proposer.keyId);
    const proposalKey = { address: proposerAddress, keyId: proposer.keyId, sequenceNum };
    const payerAddress = flowAddress(payer.address, 'payer');
    const { params } = getFamilyChain('flow', 'FLOW', ctx.network);
    const voucher = flowTransferVoucher(order, { refBlock, proposalKey, payer: payerAddress }, params);
    const from = 'Tatum GET /v3/flow/proposal';
    return {
      unsigned: JSON.stringify(voucher),
      completion: {
        refBlock: { value: refBlock, from: 'access node GET /v1/blocks?height=sealed' },
        proposalKey: {
          value: `${proposerAddress} key ${proposer.keyId} sequence ${sequenceNum}`,
          from: `${from}/false; sequence from access node GET /v1/accounts`,
        },
        payer: { value: payerAddress, from: `${from}/true` },
      },
      nonce: undefined,
      request: { flowAccount: account },
      release,
    };
  } catch (error) {
    await release();
    throw error;
  }
}
