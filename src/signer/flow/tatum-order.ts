// Tatum's FLOW pending payload, and the transaction we build for it. tatum-kms (src/signatures.ts, case
// Currency.FLOW) hands `serializedTransaction` = `{type, apiManagedProposal?, body}` to tatum-js
// `flowSignKMSTransaction` (packages/tatum-flow/src/transaction/flow.ts), which switches on FlowTxType
// (CREATE_ACCOUNT=0 … TRANSFER=2 … CUSTOM_TX=8) and, for TRANSFER, builds Tatum's own Cadence template from
// the TransferFlow body (model/request/TransferFlow.ts: `to` of 18 characters, `amount` a number string,
// `currency` FLOW or FUSD; `account` the sender) with `parseFloat(amount).toFixed(8)` as the UFix64 and
// `fcl.limit(1000)`. We take only the transfer of FLOW, read every body field ourselves, never round an
// amount, and build the transaction from OUR Cadence 1.0 template (transfer.ts): Tatum's templates use the
// pre-1.0 AuthAccount API that Flow no longer executes.
import { refuse } from '../types.js';
import { flowTransferCadence, formatUFix64, parseUFix64, type FlowTokenContracts } from './transfer.js';
import { flowAddress, type FlowVoucher } from './voucher.js';

/** tatum-js FlowTxType, by number. */
const FLOW_TX_TYPES = [
  'CREATE_ACCOUNT',
  'ADD_PK_TO_ACCOUNT',
  'TRANSFER',
  'DEPLOY_NFT',
  'MINT_NFT',
  'MINT_MULTIPLE_NFT',
  'BURN_NFT',
  'TRANSFER_NFT',
  'CUSTOM_TX',
] as const;
const TRANSFER = 2;

/** Why each other type is not signed. */
const UNSUPPORTED_TYPE: Readonly<Record<number, string>> = {
  0: 'account creation is not signed by kms-signer: register an account created by another party with the wallet instead',
  1: 'adding a key to the account would hand control of it to that key; not signed',
  8: 'a custom Cadence transaction is not signed: policy cannot tell what arbitrary Cadence moves',
};

/** tatum-js packages/tatum-flow sendTransaction: `fcl.limit(1000)`. */
export const TATUM_FLOW_COMPUTE_LIMIT = 1000;

/** A FLOW transfer Tatum queued: from `account` (the wallet's Flow account) to `to`, in 10^-8 FLOW. */
export interface FlowTransferOrder {
  account: string;
  to: string;
  amount: bigint;
}

/** The parts of a transaction that come from Tatum (proposer, payer) and the node (block, sequence). */
export interface FlowTransactionRoles {
  refBlock: string;
  proposalKey: FlowVoucher['proposalKey'];
  payer: string;
}

/** TransferFlow fields (FlowMnemonicOrPrivateKeyOrSignatureId adds account, signatureId, index). */
const BODY_FIELDS = ['account', 'to', 'amount', 'currency', 'signatureId', 'index'];
/** Tatum's amount syntax (TransferFlow `@Matches(/^[+]?((\d+(\.\d*)?)|(\.\d+))$/)`), at most 8 decimals. */
const AMOUNT = /^\+?(\d+)(?:\.(\d{0,8}))?$|^\+?\.(\d{1,8})$/;

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse('MALFORMED_TRANSACTION', field, 'must be a JSON object');
  }
  return value as Record<string, unknown>;
}

function payloadType(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= FLOW_TX_TYPES.length) {
    return refuse(
      'MALFORMED_TRANSACTION',
      'type',
      `must be a FlowTxType number 0-${FLOW_TX_TYPES.length - 1}`,
    );
  }
  if (value !== TRANSFER) {
    const why =
      UNSUPPORTED_TYPE[value] ?? 'NFT transactions use Tatum NFT contracts kms-signer has no template for';
    refuse('UNSUPPORTED_TRANSACTION', 'type', `${value} (${FLOW_TX_TYPES[value]}): ${why}`);
  }
  return value;
}

/** "12.5", "+0.1", ".5" → units of 10^-8; more than 8 decimals is refused (Tatum would round it). */
function amountUnits(value: unknown): bigint {
  const text = typeof value === 'string' ? value.trim() : undefined;
  const match = text === undefined ? null : AMOUNT.exec(text);
  if (match === null) {
    return refuse(
      'MALFORMED_TRANSACTION',
      'body.amount',
      'must be a decimal FLOW amount string with at most 8 decimals',
    );
  }
  const whole = (match[1] ?? '0').replace(/^0+(?=\d)/, '');
  const units = parseUFix64(`${whole}.${(match[2] ?? match[3] ?? '').padEnd(1, '0')}`);
  if (units === null) refuse('MALFORMED_TRANSACTION', 'body.amount', 'is above the UFix64 maximum');
  if (units === 0n) refuse('MALFORMED_TRANSACTION', 'body.amount', 'must be above 0');
  return units;
}

/** Parses Tatum's `{type, body}`; refuses anything but a FLOW transfer, naming the field and the reason. */
export function parseTatumFlowPayload(unsigned: string): FlowTransferOrder {
  let parsed: unknown;
  try {
    parsed = JSON.parse(unsigned);
  } catch {
    return refuse('MALFORMED_TRANSACTION', 'unsigned', 'is not valid JSON');
  }
  const payload = record(parsed, 'unsigned');
  const extra = Object.keys(payload).filter((k) => !['type', 'body', 'apiManagedProposal'].includes(k));
  if (extra.length > 0)
    refuse('MALFORMED_TRANSACTION', 'unsigned', `has unknown field(s) ${extra.join(', ')}`);
  payloadType(payload.type);
  const body = record(payload.body, 'body');
  for (const secret of ['privateKey', 'mnemonic']) {
    if (secret in body)
      refuse('MALFORMED_TRANSACTION', `body.${secret}`, 'key material in a payload is never used');
  }
  const unknown = Object.keys(body).filter((k) => !BODY_FIELDS.includes(k));
  if (unknown.length > 0)
    refuse('MALFORMED_TRANSACTION', 'body', `has unknown field(s) ${unknown.join(', ')}`);
  if (body.currency !== 'FLOW') {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      'body.currency',
      body.currency === 'FUSD'
        ? 'FUSD is not signed: kms-signer has no Cadence 1.0 FUSD template (only FLOW transfers)'
        : 'must be FLOW',
    );
  }
  const account = flowAddress(body.account, 'body.account');
  const to = flowAddress(body.to, 'body.to');
  if (to === account) refuse('MALFORMED_TRANSACTION', 'body.to', 'is the sending account itself');
  return { account, to, amount: amountUnits(body.amount) };
}

/** Our Cadence 1.0 FLOW transfer for `order`, the wallet's account its one authorizer, unsigned. */
export function flowTransferVoucher(
  order: FlowTransferOrder,
  roles: FlowTransactionRoles,
  contracts: FlowTokenContracts,
): FlowVoucher {
  return {
    cadence: flowTransferCadence(contracts),
    arguments: [
      { type: 'UFix64', value: formatUFix64(order.amount) },
      { type: 'Address', value: order.to },
    ],
    refBlock: roles.refBlock,
    computeLimit: TATUM_FLOW_COMPUTE_LIMIT,
    proposalKey: roles.proposalKey,
    payer: roles.payer,
    authorizers: [order.account],
    payloadSigs: [],
    envelopeSigs: [],
  };
}
