// Tatum's KMS wire protocol as the signing loop sees it (../shared/reference/tatum-protocol.md §2–3).
// The client (client.ts) implements TatumKmsApi over HTTP; tests and the demo point it at the sandbox.
import type { ChainId } from '../chains/index.js';

/** A transaction Tatum queued for signing (PendingTransaction / TransactionKMS). */
export interface PendingTransaction {
  /** 24-hex id of the pending transaction; what broadcast/error calls send back as `signatureId`. */
  id: string;
  chain: string;
  /** Chain-specific unsigned payload (bitcore JSON, web3 JSON, TronWeb JSON, BCH "hex:[amounts]"). */
  serializedTransaction: string;
  /** Wallet signature ids (our WalletView.signatureId), in input order for UTXO chains. */
  hashes: string[];
  /** Account chains: key index of hashes[0] (mnemonic semantics). */
  index?: number;
  /** UTXO chains: wallet + key index per input funded from an indexed wallet. */
  signatures?: { id: string; index: number }[];
  /** Present for off-chain (ledger) withdrawals: broadcast goes to /v3/offchain/withdrawal/broadcast. */
  withdrawalId?: string;
  /** Present once completed. */
  txId?: string;
}

export interface BroadcastResult {
  txId: string;
  /** Off-chain withdrawals only: false means the broadcast succeeded but the withdrawal needs completing. */
  completed?: boolean;
}

export interface TatumKmsApi {
  /**
   * POST /v3/kms/pending/{chain}, at most 500 signature ids per call and 25,000 per chain (split here).
   * Entries that fail validation come back in `invalid` (never signed), so the loop can report them.
   */
  fetchPending(chain: ChainId, signatureIds: readonly string[]): Promise<PendingFetch>;
  /** Chain broadcast (POST /v3/{bitcoin|ethereum|…}/broadcast {txData, signatureId: pending.id}) or the
   *  off-chain withdrawal broadcast when the pending transaction has a withdrawalId. */
  broadcast(pending: PendingTransaction, signed: string): Promise<BroadcastResult>;
  /**
   * GET /v3/kms/{id} (§2.3): the pending transaction as Tatum holds it now — with `txId` once a broadcast
   * completed it — or null when Tatum does not know the id (403 kms.missing).
   */
  getTransaction(id: string): Promise<PendingTransaction | null>;
  /** POST /v3/tatum/kms/batch {errors: [{signatureId: pending.id, error}]}; one call per pass. */
  reportErrors(errors: readonly { signatureId: string; error: string }[]): Promise<void>;
  /** Tatum's FLOW proposer/payer service (absent in clients that cannot serve FLOW). */
  flow?: TatumFlowApi;
}

/**
 * Tatum's FLOW endpoints, as tatum-js packages/tatum-flow src/blockchain/flow.ts calls them
 * (tatum-protocol.md §2.8): Tatum holds the proposal keys and the payer account of FLOW transactions.
 */
export interface TatumFlowApi {
  /** GET /v3/flow/proposal/{isPayer} → {address, keyId}: a proposal key (false; held until released) or the payer. */
  signKey(isPayer: boolean): Promise<{ address: string; keyId: number }>;
  /** POST /v3/flow/sign {data: <message hex>, isPayer} → {signature} (r‖s hex) of that key. */
  sign(data: string, isPayer: boolean): Promise<string>;
  /**
   * POST /v3/flow/broadcast {txData, signatureId?, proposalKey?}: with proposalKey it releases that proposal
   * key (txData = the sent transaction's id, '' when nothing was sent); with signatureId it completes the
   * pending transaction with the Flow transaction id.
   */
  broadcast(body: { txData: string; signatureId?: string; proposalKey?: number }): Promise<{ txId?: string }>;
}

/** A pending-transaction entry Tatum returned that does not match PendingTransaction. */
export interface InvalidPendingTransaction {
  /** The entry's `id` when it is a 24-hex string (so an error can be reported against it). */
  id?: string;
  /** e.g. `hashes: expected array, received undefined`. */
  issues: string[];
  raw: unknown;
}

export interface PendingFetch {
  pending: PendingTransaction[];
  invalid: InvalidPendingTransaction[];
}
