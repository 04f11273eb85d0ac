// The trusted read-only view of VeChainThor through a node's REST API (thor's own API, e.g. thor solo on
// :8669 or a VeChain public node): the genesis block (checked once against the registry's genesis id),
// the best block (its id's first 8 bytes are a transaction's blockRef: tatum-protocol.md §4.14, thorify
// reads GET /blocks/best), and the execution gas of a clause (POST /accounts/*, thor's call simulation).
// It also follows our transactions (vechain/docs thor/get-started/api.md: GET /transactions/{id}/receipt is
// null until the transaction is in a block, whose number is `meta.blockNumber`; GET /transactions/{id}
// with `pending=true` also returns a transaction still in the pool; POST /transactions {raw} sends one).
import * as z from 'zod';
import { ChainUnavailableError } from './errors.js';
import type { RpcEndpoint } from './endpoint.js';
import { RestNode } from './rest.js';
import type { TransactionStatus, TransactionStatusView } from './transaction-status.js';

const blockSchema = z.object({ id: z.string().regex(/^0x[0-9a-f]{64}$/), number: z.number().int() });
const callSchema = z.array(
  z.object({ gasUsed: z.number().int().nonnegative(), reverted: z.boolean(), vmError: z.string() }),
);

const TX_ID = z.string().regex(/^0x[0-9a-f]{64}$/i, 'expected a transaction id');
// Only the fields we read; a receipt of another transaction is not an answer to our question.
const receiptSchema = z
  .object({ meta: z.object({ blockNumber: z.number().int().nonnegative(), txID: TX_ID }) })
  .nullable();
const pooledSchema = z.object({ id: TX_ID }).nullable();

export interface VetClause {
  to: string;
  value: bigint;
  data: string;
}

export class VetChainView extends RestNode implements TransactionStatusView {
  private genesisChecked: Promise<void> | undefined;

  constructor(
    endpoint: () => Promise<RpcEndpoint>,
    private readonly genesisId: string,
    label: string,
    timeoutMs = 10_000,
  ) {
    super(endpoint, label, timeoutMs);
  }

  /** GET /blocks/0 must be the registry's genesis block; asked once per process (again after a failure). */
  checkGenesis(): Promise<void> {
    this.genesisChecked ??= this.request('GET', '/blocks/0', undefined, blockSchema).then((block) => {
      if (block.id !== this.genesisId) {
        throw new ChainUnavailableError(`${this.label}: genesis ${block.id}, expected ${this.genesisId}`);
      }
    });
    this.genesisChecked.catch(() => {
      this.genesisChecked = undefined;
    });
    return this.genesisChecked;
  }

  /** The first 8 bytes of the best block's id. */
  async bestBlockRef(): Promise<string> {
    return (await this.request('GET', '/blocks/best', undefined, blockSchema)).id.slice(0, 18);
  }

  /** Execution gas of one clause sent by `caller` (intrinsic gas not included); reverted calls say why. */
  async executionGas(caller: string, clause: VetClause): Promise<{ gasUsed: number; revert?: string }> {
    const body = { clauses: [{ ...clause, value: `0x${clause.value.toString(16)}` }], caller };
    const [result] = await this.request('POST', '/accounts/*', body, callSchema);
    if (result === undefined) throw new ChainUnavailableError(`${this.label}: empty call result`);
    return result.reverted
      ? { gasUsed: result.gasUsed, revert: result.vmError }
      : { gasUsed: result.gasUsed };
  }

  /** Mined (confirmations: the best block's number − the block's + 1), still in the pool, or unknown. */
  async transactionStatus(txId: string): Promise<TransactionStatus> {
    const id = TX_ID.parse(txId).toLowerCase();
    const receipt = await this.request('GET', `/transactions/${id}/receipt`, undefined, receiptSchema);
    if (receipt !== null) {
      this.checkId(receipt.meta.txID, id);
      const best = await this.request('GET', '/blocks/best', undefined, blockSchema);
      const mined = receipt.meta.blockNumber;
      return { state: 'mined', confirmations: best.number >= mined ? best.number - mined + 1 : 1 };
    }
    const pooled = await this.request('GET', `/transactions/${id}?pending=true`, undefined, pooledSchema);
    if (pooled === null) return { state: 'unknown' };
    this.checkId(pooled.id, id);
    return { state: 'pending' };
  }

  async sendRawTransaction(signed: string): Promise<string> {
    const body = { raw: signed.startsWith('0x') ? signed : `0x${signed}` };
    return (await this.request('POST', '/transactions', body, z.object({ id: TX_ID }))).id;
  }

  private checkId(answered: string, asked: string): void {
    if (answered.toLowerCase() !== asked) {
      throw new ChainUnavailableError(`${this.label}: asked for ${asked}, the node answered ${answered}`);
    }
  }
}
