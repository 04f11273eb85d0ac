// The trusted read-only view of a Solana cluster through its JSON-RPC API: the genesis hash (checked
// once against the registry's, so a devnet node can never feed a mainnet wallet) and a recent
// blockhash. Tatum's SOL payload carries a placeholder blockhash that the signer must replace: tatum-js
// v2 solana.kms.ts sets `transaction.recentBlockhash = undefined` and lets web3.js `sendTransaction`
// fetch the latest one from the node; its external-fee-payer path asks `getLatestBlockhash('finalized')`
// (solana.utils.ts). We ask for the finalized one too: a blockhash of a block that a fork drops makes
// the transaction invalid. Solana RPC docs: getLatestBlockhash → {context, value: {blockhash,
// lastValidBlockHeight}}; getGenesisHash → base58 string.
//
// It also settles our transactions (src/tatum/reconcile.ts, sol-expiry.ts). Solana RPC docs:
// getSignatureStatuses (https://solana.com/docs/rpc/http/getsignaturestatuses) → {context, value: [null |
// {slot, confirmations: number | null, err: object | null, confirmationStatus: "processed" | "confirmed" |
// "finalized" | null}]}; without `searchTransactionHistory` only the recent status cache is searched, so we
// always ask with it. getBlockHeight (https://solana.com/docs/rpc/http/getblockheight) with
// {commitment: "finalized"} → a u64. Solana's "Transaction Confirmation & Expiration" guide
// (https://solana.com/docs/advanced/confirmation) and @solana/kit's BlockhashLifetimeConstraint: a
// transaction can land only until the network passes the blockhash's `lastValidBlockHeight`; the
// "Retrying Transactions" guide (https://solana.com/docs/advanced/retry): re-sending the same signed bytes
// is safe, and before re-signing one must make sure the first transaction's blockhash has expired.
// A node that errs or answers anything else is a ChainUnavailableError: the job waits (RETRY).
import * as z from 'zod';
import { ChainUnavailableError, JsonRpcError } from './errors.js';
import type { JsonRpcClient } from './json-rpc.js';
import type { TransactionStatus, TransactionStatusView } from './transaction-status.js';

/** base58 of 32 bytes: 32–44 characters of the Bitcoin alphabet (the signer decodes it exactly). */
const BASE58_HASH = z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/, 'expected a base58 32-byte hash');
const latestBlockhash = z.object({
  context: z.object({ slot: z.number().int().nonnegative() }),
  value: z.object({
    blockhash: BASE58_HASH,
    lastValidBlockHeight: z.number().int().nonnegative(),
  }),
});

/** A transaction signature (its txid): base58 of 64 bytes, 64–88 characters. */
const SIGNATURE = z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/, 'expected a base58 signature');
const SLOT = z.number().int().nonnegative();
const signatureStatuses = z.object({
  context: z.object({ slot: SLOT }),
  value: z.tuple([
    z
      .object({
        slot: SLOT,
        err: z.unknown(),
        confirmationStatus: z.enum(['processed', 'confirmed', 'finalized']).nullable(),
      })
      .nullable(),
  ]),
});

/** What the cluster says about one of our signatures; null from signatureStatus when it knows none. */
export interface SolanaSignatureStatus {
  slot: number;
  confirmationStatus: 'processed' | 'confirmed' | 'finalized' | null;
  /** The transaction landed but failed (the fee is spent): the node's error object as JSON. */
  err: string | null;
}

export interface SolanaBlockhash {
  blockhash: string;
  /** The genesis hash of the node the blockhash came from (the signer checks it against the wallet's). */
  genesisHash: string;
  slot: number;
  lastValidBlockHeight: number;
}

export class SolanaChainView implements TransactionStatusView {
  private genesisChecked: Promise<void> | undefined;

  constructor(
    private readonly rpc: JsonRpcClient,
    private readonly genesisHash: string,
    private readonly label: string,
  ) {}

  /** getGenesisHash must be the registry's; asked once per process (again after a failure). */
  checkGenesis(): Promise<void> {
    this.genesisChecked ??= this.rpc.call('getGenesisHash', [], BASE58_HASH).then((genesis) => {
      if (genesis !== this.genesisHash) {
        throw new ChainUnavailableError(`${this.label}: genesis ${genesis}, expected ${this.genesisHash}`);
      }
    });
    this.genesisChecked.catch(() => {
      this.genesisChecked = undefined;
    });
    return this.genesisChecked;
  }

  /** A finalized recent blockhash of this cluster. */
  async recentBlockhash(): Promise<SolanaBlockhash> {
    await this.checkGenesis();
    const answer = await this.rpc.call('getLatestBlockhash', [{ commitment: 'finalized' }], latestBlockhash);
    const { isBlockhash } = await import('@solana/kit'); // loaded only where SOL is signed
    if (!isBlockhash(answer.value.blockhash)) {
      throw new ChainUnavailableError(`${this.label}: getLatestBlockhash answered a malformed blockhash`);
    }
    return {
      blockhash: answer.value.blockhash,
      genesisHash: this.genesisHash,
      slot: answer.context.slot,
      lastValidBlockHeight: answer.value.lastValidBlockHeight,
    };
  }

  /** getSignatureStatuses with the whole history searched; null when the cluster knows the signature not. */
  async signatureStatus(signature: string): Promise<SolanaSignatureStatus | null> {
    const asked = SIGNATURE.parse(signature);
    await this.checkGenesis();
    const params = [[asked], { searchTransactionHistory: true }];
    const [status] = (await this.ask('getSignatureStatuses', params, signatureStatuses)).value;
    if (status === null) return null;
    const err = status.err === null || status.err === undefined ? null : JSON.stringify(status.err);
    return { slot: status.slot, confirmationStatus: status.confirmationStatus, err };
  }

  /** The cluster's finalized block height (the height a blockhash's lastValidBlockHeight is compared with). */
  async blockHeight(): Promise<number> {
    await this.checkGenesis();
    return this.ask('getBlockHeight', [{ commitment: 'finalized' }], SLOT);
  }

  /**
   * For the settling code: finalized = mined with 1 confirmation (SOL's depth is "finalized": a rooted
   * block is not rolled back, and the node counts no depth past it); processed or confirmed = pending.
   */
  async transactionStatus(txId: string): Promise<TransactionStatus> {
    const status = await this.signatureStatus(txId);
    if (status === null) return { state: 'unknown' };
    if (status.confirmationStatus !== 'finalized') return { state: 'pending' };
    return { state: 'mined', confirmations: 1, ...(status.err === null ? {} : { failed: status.err }) };
  }

  /** sendTransaction of stored wire bytes (hex) as base64; answers the signature. */
  async sendRawTransaction(signed: string): Promise<string> {
    await this.checkGenesis();
    const wire = Buffer.from(signed, 'hex').toString('base64');
    return this.ask('sendTransaction', [wire, { encoding: 'base64' }], SIGNATURE);
  }

  /** One call; a node's error object is an outage too here (nothing is decided on it). */
  private async ask<T>(method: string, params: readonly unknown[], schema: z.ZodType<T>): Promise<T> {
    try {
      return await this.rpc.call(method, params, schema);
    } catch (error) {
      if (!(error instanceof JsonRpcError)) throw error;
      throw new ChainUnavailableError(`${this.label}: ${error.message}`, { cause: error });
    }
  }
}
