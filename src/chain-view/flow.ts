// The trusted read-only view of Flow through an Access node's REST API (the Flow Access API OpenAPI,
// https://developers.flow.com/http-api; the emulator serves it in tests): the latest sealed block (a
// transaction's reference block, as FCL takes it), an account's keys (the proposal key's sequence number,
// as FCL resolves it; the registered key of a wallet), sending a transaction (POST /v1/transactions: base64
// script and JSON-Cadence arguments, hex reference block, decimal strings for numbers, base64 r‖s — the
// body @onflow/transport-http sends) and its result (GET /v1/transaction_results/{id}).
import * as z from 'zod';
import type { FlowVoucher, FlowVoucherSignature } from '../signer/flow/index.js';
import { ChainUnavailableError, NodeNotFoundError } from './errors.js';
import { RestNode } from './rest.js';

const decimal = z.string().regex(/^\d+$/);
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const blocksSchema = z.array(z.object({ header: z.object({ id: hex64, height: decimal }) })).min(1);
const accountSchema = z.object({
  address: z.string(),
  balance: decimal,
  keys: z
    .array(
      z.object({
        index: decimal,
        public_key: z.string(),
        signing_algorithm: z.string(),
        hashing_algorithm: z.string(),
        sequence_number: decimal,
        weight: decimal,
        revoked: z.boolean(),
      }),
    )
    .optional(),
});
const resultSchema = z.object({
  status: z.string(),
  status_code: z.number().int(),
  error_message: z.string(),
});

export interface FlowAccountKeyView {
  index: number;
  /** 0x + 128 hex digits (X‖Y) as the node shows it. */
  publicKey: string;
  signingAlgorithm: string;
  hashingAlgorithm: string;
  sequenceNumber: number;
  weight: number;
  revoked: boolean;
}

export interface FlowAccountView {
  balance: bigint;
  keys: FlowAccountKeyView[];
}

export interface FlowTransactionResultView {
  /** Pending, Finalized, Executed, Sealed, Expired. */
  status: string;
  /** 0 = success. */
  statusCode: number;
  errorMessage: string;
}

const sans0x = (address: string): string => address.replace(/^0x/, '');
const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const restSignature = (s: FlowVoucherSignature) => ({
  address: sans0x(s.address),
  key_index: String(s.keyId),
  signature: Buffer.from(s.sig, 'hex').toString('base64'),
});

/** A signed voucher as the body of POST /v1/transactions. */
export function flowRestTransaction(voucher: FlowVoucher): Record<string, unknown> {
  return {
    script: base64(voucher.cadence),
    arguments: voucher.arguments.map((arg) => base64(JSON.stringify(arg))),
    reference_block_id: voucher.refBlock,
    gas_limit: String(voucher.computeLimit),
    payer: sans0x(voucher.payer),
    proposal_key: {
      address: sans0x(voucher.proposalKey.address),
      key_index: String(voucher.proposalKey.keyId),
      sequence_number: String(voucher.proposalKey.sequenceNum),
    },
    authorizers: voucher.authorizers.map(sans0x),
    payload_signatures: voucher.payloadSigs.map(restSignature),
    envelope_signatures: voucher.envelopeSigs.map(restSignature),
  };
}

export class FlowChainView extends RestNode {
  /** Id of the latest sealed block: the reference block FCL gives a new transaction. */
  async sealedBlockId(): Promise<string> {
    const [block] = await this.request('GET', '/v1/blocks?height=sealed', undefined, blocksSchema);
    if (block === undefined) throw new ChainUnavailableError(`${this.label}: no sealed block`);
    return block.header.id;
  }

  async account(address: string): Promise<FlowAccountView> {
    const raw = await this.request(
      'GET',
      `/v1/accounts/${sans0x(address)}?expand=keys`,
      undefined,
      accountSchema,
    );
    return {
      balance: BigInt(raw.balance),
      keys: (raw.keys ?? []).map((k) => ({
        index: Number(k.index),
        publicKey: k.public_key,
        signingAlgorithm: k.signing_algorithm,
        hashingAlgorithm: k.hashing_algorithm,
        sequenceNumber: Number(k.sequence_number),
        weight: Number(k.weight),
        revoked: k.revoked,
      })),
    };
  }

  /** The next sequence number of `address`'s key `keyId` (FCL's proposer resolution reads the same). */
  async sequenceNumber(address: string, keyId: number): Promise<number> {
    const key = (await this.account(address)).keys.find((k) => k.index === keyId);
    if (key === undefined || key.revoked) {
      throw new ChainUnavailableError(`${this.label}: ${address} has no usable key ${keyId}`);
    }
    return key.sequenceNumber;
  }

  /** Sends a fully signed transaction; returns the id the node answers. */
  async send(voucher: FlowVoucher): Promise<string> {
    const body = flowRestTransaction(voucher);
    return (await this.request('POST', '/v1/transactions', body, z.object({ id: hex64 }))).id;
  }

  async result(id: string): Promise<FlowTransactionResultView> {
    const raw = await this.request(
      'GET',
      `/v1/transaction_results/${hex64.parse(id)}`,
      undefined,
      resultSchema,
    );
    return { status: raw.status, statusCode: raw.status_code, errorMessage: raw.error_message };
  }

  /**
   * Whether the node executed `id` successfully; false when it did not (yet), failed it, or does not know
   * it — the emulator answers an unknown id with status "", an access node with 404.
   */
  async executedSuccessfully(id: string): Promise<boolean> {
    try {
      const { status, statusCode } = await this.result(id);
      return (status === 'Executed' || status === 'Sealed') && statusCode === 0;
    } catch (error) {
      if (error instanceof NodeNotFoundError) return false;
      throw error;
    }
  }

  /** Polls until the transaction is executed or sealed (or expired); a node that never says is unavailable. */
  async final(id: string, timeoutMs = 60_000, pollMs = 250): Promise<FlowTransactionResultView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = await this.result(id);
      if (['Executed', 'Sealed', 'Expired'].includes(result.status)) return result;
      if (Date.now() > deadline) {
        throw new ChainUnavailableError(
          `${this.label}: transaction ${id} is ${result.status} after ${timeoutMs} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}
