// The trusted read-only view of an EVM chain: its chain id (checked once against the registry), gas
// estimates (a revert is reported with its reason, never guessed around), the gas price and an account's
// transaction counts. Numbers are validated (0x quantities in range) before anything uses them.
import * as z from 'zod';
import { ChainUnavailableError, EvmRevertError, JsonRpcError } from './errors.js';
import type { JsonRpcClient } from './json-rpc.js';
import type { TransactionStatus, TransactionStatusView } from './transaction-status.js';

const quantity = (max: bigint) =>
  z
    .string()
    .regex(/^0x(0|[1-9a-f][0-9a-f]*)$/i, 'expected a 0x quantity')
    .transform((hex) => BigInt(hex))
    .refine((value) => value <= max, 'out of range');

const UINT64 = 2n ** 64n - 1n;
const TX_HASH = z.string().regex(/^0x[0-9a-f]{64}$/i, 'expected a transaction hash');
// Only the fields we read; a receipt or transaction of another hash is not an answer to our question.
const receipt = z.object({ transactionHash: TX_HASH, blockNumber: quantity(UINT64) }).nullable();
const transaction = z.object({ hash: TX_HASH }).nullable();
const UINT256 = 2n ** 256n - 1n;

export interface EvmCall {
  from: string;
  to: string | null;
  value: bigint;
  data: string;
}

const hex = (value: bigint) => `0x${value.toString(16)}`;

/** How long one eth_gasPrice answer is reused by the jobs of a pass (the fee cap applies regardless). */
export const DEFAULT_GAS_PRICE_TTL_MS = 3_000;

export class EvmChainView implements TransactionStatusView {
  private chainIdChecked: Promise<void> | undefined;
  private price: { value: Promise<bigint>; until: number } | undefined;

  constructor(
    private readonly rpc: JsonRpcClient,
    private readonly expectedChainId: bigint,
    private readonly label: string,
    private readonly gasPriceTtlMs = DEFAULT_GAS_PRICE_TTL_MS,
  ) {}

  /** eth_chainId must be the registry's id; asked once per process (a failed check is asked again). */
  checkChainId(): Promise<void> {
    this.chainIdChecked ??= this.rpc.call('eth_chainId', [], quantity(UINT256)).then((id) => {
      if (id !== this.expectedChainId) {
        throw new ChainUnavailableError(
          `${this.label}: the node is chain ${id}, expected ${this.expectedChainId}`,
        );
      }
    });
    this.chainIdChecked.catch(() => {
      this.chainIdChecked = undefined;
    });
    return this.chainIdChecked;
  }

  async estimateGas(call: EvmCall): Promise<bigint> {
    const request = {
      from: call.from,
      ...(call.to ? { to: call.to } : {}),
      value: hex(call.value),
      data: call.data,
    };
    try {
      return await this.rpc.call('eth_estimateGas', [request], quantity(UINT64));
    } catch (error) {
      if (error instanceof JsonRpcError && isRevert(error)) throw new EvmRevertError(revertReason(error));
      throw error;
    }
  }

  /**
   * eth_gasPrice, shared for gasPriceTtlMs by every job that asks (one call per pass instead of one per
   * transaction); a failed answer is not kept.
   */
  gasPrice(): Promise<bigint> {
    const now = Date.now();
    if (this.price !== undefined && now < this.price.until) return this.price.value;
    const value = this.rpc.call('eth_gasPrice', [], quantity(UINT256));
    const entry = { value, until: now + this.gasPriceTtlMs };
    this.price = entry;
    value.catch(() => {
      if (this.price === entry) this.price = undefined;
    });
    return value;
  }

  /** eth_getTransactionReceipt, then (not mined) eth_getTransactionByHash for the node's mempool. */
  async transactionStatus(txId: string): Promise<TransactionStatus> {
    const mined = await this.rpc.call('eth_getTransactionReceipt', [txId], receipt);
    if (mined !== null) {
      this.checkHash(mined.transactionHash, txId);
      const head = await this.rpc.call('eth_blockNumber', [], quantity(UINT64));
      const confirmations = head >= mined.blockNumber ? Number(head - mined.blockNumber) + 1 : 1;
      return { state: 'mined', confirmations };
    }
    const known = await this.rpc.call('eth_getTransactionByHash', [txId], transaction);
    if (known === null) return { state: 'unknown' };
    this.checkHash(known.hash, txId);
    return { state: 'pending' };
  }

  sendRawTransaction(signed: string): Promise<string> {
    return this.rpc.call('eth_sendRawTransaction', [signed], TX_HASH);
  }

  private checkHash(answered: string, asked: string): void {
    if (answered.toLowerCase() !== asked.toLowerCase()) {
      throw new ChainUnavailableError(`${this.label}: asked for ${asked}, the node answered ${answered}`);
    }
  }

  /** Transactions sent from `address`: mined ('latest') or including the node's mempool ('pending'). */
  transactionCount(address: string, block: 'latest' | 'pending'): Promise<bigint> {
    return this.rpc.call('eth_getTransactionCount', [address, block], quantity(UINT64));
  }
}

// Geth, anvil and most nodes answer a revert with code 3 (data = the revert payload) or a message that
// starts "execution reverted".
function isRevert(error: JsonRpcError): boolean {
  return error.code === 3 || /revert/i.test(error.message);
}

function revertReason(error: JsonRpcError): string {
  const message = error.message.replace(/^eth_estimateGas: /, '').replace(/ \(code -?\d+\)$/, '');
  const data = typeof error.data === 'string' ? error.data : undefined;
  // Error(string) payload: selector 0x08c379a0, offset, length, bytes.
  if (data?.startsWith('0x08c379a0') === true && data.length >= 138) {
    const length = Number.parseInt(data.slice(74, 138), 16);
    const text = Buffer.from(data.slice(138, 138 + length * 2), 'hex').toString('utf8');
    if (text !== '' && !message.includes(text)) return `${message}: ${text}`;
  }
  return message;
}
