// Tatum's EGLD payload has no nonce: `{from, to, value, data?, gasPrice, gasLimit}` (tatum-js v1
// src/transaction/egld.ts `signEgldKMSTransaction`, which takes the nonce from Tatum's
// `GET /v3/egld/transaction/count/{address}` at signing time). Here it comes from the trusted
// MultiversX gateway (`GET /address/{bech32}/nonce`, chain id checked) through the nonce ledger, exactly
// as EVM nonces do (nonce-ledger.ts): jobs of one wallet never share a nonce, a nonce is marked used just
// before the KMS call, and a retried job keeps the nonce it settled on. The gateway form (which names its
// own nonce) passes unchanged; the signer refuses what is malformed.
import { deriveAddress, loadAddressCode } from '../chains/index.js';
import type { CompletedPayload, CompletionContext } from './complete-evm.js';
import { JobFailure } from './errors.js';
import type { NonceReservation } from './nonce-ledger.js';

/** The EVM completion's context (the chain is always EGLD). */
export type EgldCompletionContext = Omit<CompletionContext, 'chain'>;

export async function completeEgldPayload(ctx: EgldCompletionContext): Promise<CompletedPayload> {
  const unchanged = { unsigned: ctx.unsigned, completion: {}, nonce: undefined };
  const wallet = ctx.wallets[0];
  if (!isTatumForm(ctx.unsigned) || wallet === undefined) return unchanged;
  await loadAddressCode(['EGLD']);
  const address = deriveAddress('EGLD', ctx.network, wallet.publicKey);
  const scope = { chain: 'EGLD', network: ctx.network, address };
  let nonce: bigint;
  let from: string;
  let reservation: NonceReservation | undefined;
  if (ctx.earlierNonce !== undefined) {
    nonce = ctx.earlierNonce;
    from = 'an earlier attempt of this job';
  } else {
    const view = ctx.views?.multiversx();
    if (view === undefined) {
      throw new JobFailure(
        "Tatum's EGLD payload has no nonce and no MultiversX gateway is configured (KMS_SIGNER_RPC_EGLD)",
        true,
      );
    }
    reservation = await ctx.ledger.reserve(scope, ctx.jobId, () => view.accountNonce(address));
    nonce = reservation.nonce;
    from = `nonce ledger (gateway account nonce ${reservation.floor})`;
  }
  return {
    unsigned: ctx.unsigned,
    completion: { nonce: { value: nonce.toString(), from } },
    nonce: { scope, value: nonce, ...(reservation ? { reservation } : {}) },
    request: { options: { nonce } },
  };
}

/** Tatum's form names `from`/`to` and no nonce; anything else is left to the signer's one decode. */
function isTatumForm(unsigned: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(unsigned);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  return 'from' in parsed && !('nonce' in parsed) && !('sender' in parsed) && !('receiver' in parsed);
}
