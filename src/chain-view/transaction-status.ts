// What a chain says about one of our transaction ids: unknown to the node, waiting in its mempool, or
// mined with a number of confirmations (the block holding it counts as 1). The loop uses it to settle a
// broadcast whose answer was lost, to confirm broadcast jobs, and to notice a broadcast that vanished.
// `failed`: mined but failed on the chain (the fee is spent), where the view can tell (SOL: `err`).
export type TransactionStatus =
  { state: 'unknown' } | { state: 'pending' } | { state: 'mined'; confirmations: number; failed?: string };

export interface TransactionStatusView {
  transactionStatus(txId: string): Promise<TransactionStatus>;
  /** Hands the stored signed bytes to the node again (the same transaction: same id). */
  sendRawTransaction(signed: string): Promise<string>;
}
