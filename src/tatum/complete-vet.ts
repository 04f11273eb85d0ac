// Completes a Tatum VET payload the way tatum-kms does through thorify (tatum-protocol.md §4.14), made
// safe: blockRef = the first 8 bytes of the best block of a node whose genesis is the registry's; a
// missing gas = intrinsic gas (@vechain/sdk-core) + the node's execution gas (POST /accounts/*) × 1.2
// under a ceiling — a reverting call fails the job with the node's reason. chainTag always comes from the
// registry inside the signer. The completed payload then goes through the signer's one decode.
import { Transaction } from '@vechain/sdk-core';

import { deriveAddress, loadAddressCode, type NetworkName } from '../chains/index.js';
import type { ChainViews } from '../chain-view/index.js';
import type { WalletKey } from '../signer/index.js';
import type { Completion, CompletedPayload } from './complete-evm.js';
import { JobFailure } from './errors.js';

const GAS_MARGIN_PERCENT = 120n;
const GAS_CEILING = 1_000_000n;

export interface VetCompletionContext {
  network: NetworkName;
  wallets: WalletKey[];
  unsigned: string;
  views: ChainViews | undefined;
}

export async function completeVetPayload(ctx: VetCompletionContext): Promise<CompletedPayload> {
  const unchanged = { unsigned: ctx.unsigned, completion: {}, nonce: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(ctx.unsigned);
  } catch {
    return unchanged; // the signer refuses it with the reason
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return unchanged;
  const payload = parsed as Record<string, unknown>;
  const needsBlockRef = payload.blockRef === undefined || payload.blockRef === null;
  const needsGas = payload.gas === undefined || payload.gas === null;
  const wallet = ctx.wallets[0];
  if ((!needsBlockRef && !needsGas) || wallet === undefined) return unchanged;
  const view = ctx.views?.vet();
  if (view === undefined) {
    throw new JobFailure(
      'the VET payload needs blockRef/gas and no VeChain node is configured (KMS_SIGNER_RPC_VET)',
      true,
    );
  }
  await view.checkGenesis();
  const completion: Completion = {};
  if (needsBlockRef) {
    payload.blockRef = await view.bestBlockRef();
    completion.blockRef = { value: payload.blockRef as string, from: 'GET /blocks/best' };
  }
  if (needsGas) {
    const clause = callOf(payload);
    if (clause === undefined) return unchanged; // the signer refuses the malformed field with its reason
    await loadAddressCode(['VET']);
    const caller = deriveAddress('VET', ctx.network, wallet.publicKey);
    const executed = await view.executionGas(caller, clause);
    if (executed.revert !== undefined)
      throw new JobFailure(`the VET transaction would revert: ${executed.revert}`);
    const intrinsic = Transaction.intrinsicGas([{ ...clause, value: clause.value.toString() }]).wei;
    const gas = intrinsic + (BigInt(executed.gasUsed) * GAS_MARGIN_PERCENT) / 100n;
    if (gas > GAS_CEILING) throw new JobFailure(`estimated gas ${gas} is above the ceiling ${GAS_CEILING}`);
    payload.gas = Number(gas);
    completion.gas = {
      value: gas.toString(),
      from: `intrinsic ${intrinsic} + POST /accounts/* ${executed.gasUsed} × ${GAS_MARGIN_PERCENT}%`,
    };
  }
  return { unsigned: JSON.stringify(payload), completion, nonce: undefined };
}

/** The payload's one clause for the node's simulation; undefined when a field is malformed. */
function callOf(payload: Record<string, unknown>): { to: string; value: bigint; data: string } | undefined {
  const { to, value, data } = payload;
  if (typeof to !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(to)) return undefined;
  if (
    data !== undefined &&
    data !== null &&
    (typeof data !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(data))
  )
    return undefined;
  let amount = 0n;
  try {
    if (value !== undefined && value !== null) amount = BigInt(value as string | number);
  } catch {
    return undefined;
  }
  if (amount < 0n) return undefined;
  return { to, value: amount, data: typeof data === 'string' ? data : '0x' };
}
