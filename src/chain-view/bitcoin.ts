// The trusted read-only view of a Bitcoin-family chain: previous transactions by txid (getrawtransaction,
// verbose 0), checked to hash to the txid asked for, cached (a transaction never changes once it has a txid).
import * as z from 'zod';
import { ChainUnavailableError, JsonRpcError } from './errors.js';
import type { JsonRpcClient } from './json-rpc.js';
import type { TransactionStatus, TransactionStatusView } from './transaction-status.js';

const CACHE_LIMIT = 10_000;
const rawTransaction = z.string().regex(/^(?:[0-9a-f]{2})+$/i, 'expected raw transaction hex');
// getrawtransaction verbose: `confirmations` is absent (or 0) while the transaction is in the mempool.
const verboseTransaction = z.object({
  txid: z.string().regex(/^[0-9a-f]{64}$/i),
  confirmations: z.number().int().nonnegative().optional(),
});
const TXID = z.string().regex(/^[0-9a-f]{64}$/i, 'expected a txid');
/** bitcoind and btcd: RPC_INVALID_ADDRESS_OR_KEY, "No such mempool or blockchain transaction". */
const NO_SUCH_TRANSACTION = -5;

export class BitcoinChainView implements TransactionStatusView {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly rpc: JsonRpcClient,
    private readonly label: string,
  ) {}

  async previousTransaction(txid: string): Promise<string> {
    const cached = this.cache.get(txid);
    if (cached !== undefined) return cached;
    const hex = await this.rpc.call('getrawtransaction', [txid, 0], rawTransaction);
    // bitcoinjs-lib on first use: ChainViews is init code of both Lambdas (app-context.ts), but only a
    // Bitcoin-family job proves amounts, so the library is a chunk of its own (infra/bundling.ts).
    const { Transaction } = await import('bitcoinjs-lib');
    let id: string;
    try {
      id = Transaction.fromHex(hex).getId();
    } catch {
      throw new ChainUnavailableError(`${this.label}: getrawtransaction ${txid} is not a transaction`);
    }
    if (id !== txid)
      throw new ChainUnavailableError(`${this.label}: getrawtransaction ${txid} returned ${id}`);
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value ?? '');
    this.cache.set(txid, hex);
    return hex;
  }

  /** getrawtransaction verbose; needs a node with a transaction index (btcd --txindex, bitcoind -txindex). */
  async transactionStatus(txId: string): Promise<TransactionStatus> {
    let answer: z.infer<typeof verboseTransaction>;
    try {
      answer = await this.rpc.call('getrawtransaction', [txId, 1], verboseTransaction);
    } catch (error) {
      if (error instanceof JsonRpcError && error.code === NO_SUCH_TRANSACTION) return { state: 'unknown' };
      throw error;
    }
    if (answer.txid !== txId)
      throw new ChainUnavailableError(`${this.label}: asked for ${txId}, the node answered ${answer.txid}`);
    const confirmations = answer.confirmations ?? 0;
    return confirmations > 0 ? { state: 'mined', confirmations } : { state: 'pending' };
  }

  sendRawTransaction(signed: string): Promise<string> {
    return this.rpc.call('sendrawtransaction', [signed], TXID);
  }

  /** Every transaction of `txids`, by txid. */
  async previousTransactions(txids: readonly string[]): Promise<Record<string, string>> {
    const entries = await Promise.all(
      txids.map(async (txid) => [txid, await this.previousTransaction(txid)] as const),
    );
    return Object.fromEntries(entries);
  }
}
