// A minimal client of the Flow Access REST API (the emulator's, in tests): latest sealed block, account
// keys and balance, submitting a voucher as POST /v1/transactions, waiting for its sealed result — and the
// emulator's service account (P-256/SHA3-256 key, test only) signing as proposer and payer, creating
// accounts and funding them. Field names: Flow Access API OpenAPI (the REST body @onflow/transport-http
// sends: base64 script and arguments, hex reference block, decimal strings for numbers, base64 signatures).
import { p256 } from '@noble/curves/nist.js';
import { sha3_256 } from '@noble/hashes/sha3.js';

import { FLOW_EMULATOR_SERVICE_ADDRESS, FLOW_EMULATOR_SERVICE_KEY } from '../../scripts/stack/index.js';
import { fromUrl } from '../../src/chain-view/endpoint.js';
import { FlowChainView, flowRestTransaction, type FlowAccountView } from '../../src/chain-view/flow.js';
import {
  flowEnvelopeMessage,
  flowTransactionId,
  type FlowHashAlgorithm,
  type FlowVoucher,
} from '../../src/signer/flow/index.js';

export interface FlowTransactionResult {
  status: string;
  statusCode: number;
  errorMessage: string;
  events: { type: string; payload: unknown }[];
}

export class FlowRest {
  private readonly view: FlowChainView;

  constructor(readonly url: string) {
    this.view = new FlowChainView(() => Promise.resolve(fromUrl(url)), 'Flow emulator', 15_000);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Flow ${method} ${path}: HTTP ${response.status} ${text.trim()}`);
    return JSON.parse(text) as T;
  }

  /** Id of the latest sealed block (a transaction's reference block). */
  async sealedBlockId(): Promise<string> {
    const [block] = await this.request<{ header: { id: string } }[]>('GET', '/v1/blocks?height=sealed');
    if (block === undefined) throw new Error('no sealed block');
    return block.header.id;
  }

  /** Balance and keys, read by the product's own Flow view (src/chain-view/flow.ts). */
  account(address: string): Promise<FlowAccountView> {
    return this.view.account(address);
  }

  /** POST /v1/transactions; resolves with the id the node answers. */
  async send(voucher: FlowVoucher): Promise<string> {
    const body = flowRestTransaction(voucher);
    const { id } = await this.request<{ id: string }>('POST', '/v1/transactions', body);
    return id;
  }

  /** Polls GET /v1/transaction_results/{id} until the transaction is sealed (or expired). */
  async sealed(id: string, timeoutMs = 30_000): Promise<FlowTransactionResult> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const raw = await this.request<{
        status: string;
        status_code: number;
        error_message: string;
        events: { type: string; payload: string }[];
      }>('GET', `/v1/transaction_results/${id}`);
      if (raw.status === 'Sealed' || raw.status === 'Expired') {
        return {
          status: raw.status,
          statusCode: raw.status_code,
          errorMessage: raw.error_message,
          events: raw.events.map((e) => ({
            type: e.type,
            payload: JSON.parse(Buffer.from(e.payload, 'base64').toString('utf8')) as unknown,
          })),
        };
      }
      if (Date.now() > deadline) throw new Error(`transaction ${id} not sealed after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The service account's proposal key (index 0) with its current sequence number. */
  async serviceProposalKey(): Promise<FlowVoucher['proposalKey']> {
    const { keys } = await this.account(FLOW_EMULATOR_SERVICE_ADDRESS);
    const key = keys.find((k) => k.index === 0);
    if (key === undefined) throw new Error('the service account has no key 0');
    return { address: FLOW_EMULATOR_SERVICE_ADDRESS, keyId: 0, sequenceNum: key.sequenceNumber };
  }

  /** The service account (payer, key 0) signs the envelope last; sends; waits until sealed and successful. */
  async payAndSend(voucher: FlowVoucher): Promise<{ id: string; result: FlowTransactionResult }> {
    const digest = sha3_256(flowEnvelopeMessage(voucher));
    const sig = Buffer.from(
      p256.sign(digest, Buffer.from(FLOW_EMULATOR_SERVICE_KEY, 'hex'), { prehash: false }),
    );
    const signed: FlowVoucher = {
      ...voucher,
      envelopeSigs: [{ address: FLOW_EMULATOR_SERVICE_ADDRESS, keyId: 0, sig: sig.toString('hex') }],
    };
    const id = await this.send(signed);
    if (id !== flowTransactionId(signed)) throw new Error(`node id ${id} is not the SDK's transaction id`);
    const result = await this.sealed(id);
    if (result.statusCode !== 0) throw new Error(`transaction ${id} failed: ${result.errorMessage}`);
    return { id, result };
  }

  /** A service-account transaction running `cadence` with `args`, the service account its only authorizer. */
  async serviceTransaction(cadence: string, args: FlowVoucher['arguments']): Promise<FlowTransactionResult> {
    const voucher: FlowVoucher = {
      cadence,
      arguments: args,
      refBlock: await this.sealedBlockId(),
      computeLimit: 999,
      proposalKey: await this.serviceProposalKey(),
      payer: FLOW_EMULATOR_SERVICE_ADDRESS,
      authorizers: [FLOW_EMULATOR_SERVICE_ADDRESS],
      payloadSigs: [],
      envelopeSigs: [],
    };
    return (await this.payAndSend(voucher)).result;
  }

  /**
   * Creates an account holding `publicKey` (64-byte X‖Y hex) as an ECDSA_secp256k1 (or P-256) key with `hashAlgorithm`
   * and weight 1000 (Cadence 1.0 `Account(payer:)` + `keys.add`); returns its chain-assigned address.
   */
  async createAccount(
    publicKey: string,
    hashAlgorithm: FlowHashAlgorithm,
    signatureAlgorithm: 'ECDSA_secp256k1' | 'ECDSA_P256' = 'ECDSA_secp256k1',
  ): Promise<string> {
    const cadence = `transaction(publicKey: String) {
    prepare(signer: auth(BorrowValue) &Account) {
        let key = PublicKey(publicKey: publicKey.decodeHex(), signatureAlgorithm: SignatureAlgorithm.${signatureAlgorithm})
        let account = Account(payer: signer)
        account.keys.add(publicKey: key, hashAlgorithm: HashAlgorithm.${hashAlgorithm}, weight: 1000.0)
    }
}
`;
    const result = await this.serviceTransaction(cadence, [{ type: 'String', value: publicKey }]);
    const created = result.events.find((e) => e.type === 'flow.AccountCreated')?.payload as
      { value: { fields: { name: string; value: { value: string } }[] } } | undefined;
    const address = created?.value.fields.find((f) => f.name === 'address')?.value.value;
    if (address === undefined) throw new Error('no flow.AccountCreated event');
    return address;
  }
}
