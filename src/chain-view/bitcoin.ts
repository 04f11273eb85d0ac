// The trusted read-only view of a Bitcoin-family chain: previous transactions by txid (getrawtransaction,
// verbose 0), checked to hash to the txid asked for, cached (a transaction never changes once it has a txid).
import { Transaction } from 'bitcoinjs-lib';
import * as z from 'zod';
import { ChainUnavailableError } from './errors.js';
import type { JsonRpcClient } from './json-rpc.js';

const CACHE_LIMIT = 10_000;
const rawTransaction = z.string().regex(/^(?:[0-9a-f]{2})+$/i, 'expected raw transaction hex');

export class BitcoinChainView {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly rpc: JsonRpcClient,
    private readonly label: string,
  ) {}

  async previousTransaction(txid: string): Promise<string> {
    const cached = this.cache.get(txid);
    if (cached !== undefined) return cached;
    const hex = await this.rpc.call('getrawtransaction', [txid, 0], rawTransaction);
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

  /** Every transaction of `txids`, by txid. */
  async previousTransactions(txids: readonly string[]): Promise<Record<string, string>> {
    const entries = await Promise.all(
      txids.map(async (txid) => [txid, await this.previousTransaction(txid)] as const),
    );
    return Object.fromEntries(entries);
  }
}
