// Tatum's XRP payload: rippled-format Payment JSON after xrpl's autofill (tatum-protocol.md §4.13), e.g.
// {TransactionType: "Payment", Account, Destination, Amount: "<drops>", Fee: "<drops>", Sequence,
//  LastLedgerSequence, DestinationTag?, SourceTag?, Flags?}. Parsed and validated field by field; the one
// place that says what an XRP payment moves (signer, policy and audit all read it from here).
import { validateAddress, type NetworkName } from '../../chains/index.js';
import { describeValue } from '../evm/refuse.js';
import type { Transfer } from '../prepared.js';
import { refuse } from '../types.js';

/** 100 billion XRP in drops: no XRP amount (or fee) can be larger (xrpl.org "Currency Formats"). */
export const MAX_DROPS = 10n ** 17n;
const MAX_UINT32 = 0xffff_ffff;

/**
 * tfFullyCanonicalSig (0x80000000) is the only flag accepted: every signature this signer makes is fully
 * canonical anyway. tfPartialPayment (0x00020000) is refused above all: a partial payment may deliver far
 * less than Amount, so Amount would no longer be what policy saw (xrpl.org "Partial Payments").
 */
export const TF_FULLY_CANONICAL_SIG = 0x8000_0000;
const TF_PARTIAL_PAYMENT = 0x0002_0000;

const ALLOWED_FIELDS = new Set([
  'TransactionType',
  'Account',
  'Destination',
  'Amount',
  'Fee',
  'Sequence',
  'LastLedgerSequence',
  'DestinationTag',
  'SourceTag',
  'Flags',
  'SigningPubKey',
]);

/** Fields whose presence changes what the payment does; each refused with its own reason. */
const REFUSED_FIELDS: Readonly<Record<string, string>> = {
  TxnSignature: 'the payload already carries a signature',
  Signers: 'multi-signed transactions are not supported (one KMS key per wallet)',
  SendMax: 'cross-currency payments (SendMax) are not supported: only direct XRP payments',
  DeliverMin: 'DeliverMin belongs to partial payments, which are refused',
  Paths: 'path-finding payments are not supported: only direct XRP payments',
  TicketSequence: 'Tickets are not supported: the payload must use its account Sequence',
  NetworkID:
    'must be absent on XRP Ledger mainnet and testnet (network ids up to 1024 are never sent); another network is not supported',
  AccountTxnID: 'is not supported',
  Memos: 'memos are not supported (use DestinationTag to route the payment)',
  InvoiceID: 'is not supported',
  CredentialIDs: 'is not supported',
  DomainID: 'is not supported',
};

/** A validated XRP Payment, in the JSON shape ripple-binary-codec encodes. */
export interface XrpPayment {
  TransactionType: 'Payment';
  Account: string;
  Destination: string;
  /** Drops, as a decimal string. */
  Amount: string;
  Fee: string;
  Sequence: number;
  LastLedgerSequence: number;
  Flags?: number;
  DestinationTag?: number;
  SourceTag?: number;
  /** As given in the payload (upper case), when it names one; the signer insists it is the wallet's key. */
  SigningPubKey?: string;
}

/** The payload as an object: itself, or parsed from its JSON text. */
export function payloadObject(input: unknown): Record<string, unknown> {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      refuse('MALFORMED_TRANSACTION', 'unsigned', `is not valid JSON (${(error as Error).message})`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse('MALFORMED_TRANSACTION', 'unsigned', `must be a JSON object, got ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Parses and validates a Payment; `network` only picks the address rules (the same on every network). */
export function parseXrpPayment(input: unknown, network: NetworkName): XrpPayment {
  const payload = payloadObject(input);
  for (const key of Object.keys(payload)) {
    // Own entries only: `__proto__` or `constructor` would otherwise find Object.prototype's members.
    const refused = Object.hasOwn(REFUSED_FIELDS, key) ? REFUSED_FIELDS[key] : undefined;
    if (refused !== undefined) {
      refuse(key === 'TxnSignature' ? 'ALREADY_SIGNED' : 'UNSUPPORTED_TRANSACTION', key, refused);
    }
    if (!ALLOWED_FIELDS.has(key)) {
      refuse('UNSUPPORTED_TRANSACTION', key, 'is not a field this signer understands; refusing to ignore it');
    }
  }
  if (payload.TransactionType !== 'Payment') {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      'TransactionType',
      `is ${describeValue(payload.TransactionType)}; only "Payment" is supported`,
    );
  }
  const payment: XrpPayment = {
    TransactionType: 'Payment',
    Account: classicAddress(payload.Account, 'Account', network),
    Destination: classicAddress(payload.Destination, 'Destination', network),
    Amount: drops(payload.Amount, 'Amount', 1n),
    Fee: drops(payload.Fee, 'Fee', 1n),
    Sequence: requiredUint32(payload.Sequence, 'Sequence'),
    LastLedgerSequence: requiredUint32(payload.LastLedgerSequence, 'LastLedgerSequence'),
  };
  if (payment.Destination === payment.Account) {
    refuse(
      'MALFORMED_TRANSACTION',
      'Destination',
      'is the sending account; rippled refuses payments to self',
    );
  }
  const flags = optionalUint32(payload.Flags, 'Flags');
  if (flags !== undefined) {
    if ((flags & TF_PARTIAL_PAYMENT) !== 0) {
      refuse(
        'UNSUPPORTED_TRANSACTION',
        'Flags',
        'tfPartialPayment is set: a partial payment can deliver less than Amount, so it is refused',
      );
    }
    if ((flags & ~TF_FULLY_CANONICAL_SIG) !== 0) {
      refuse(
        'UNSUPPORTED_TRANSACTION',
        'Flags',
        `0x${flags.toString(16)} sets flags other than tfFullyCanonicalSig (0x80000000)`,
      );
    }
    payment.Flags = flags;
  }
  const destinationTag = optionalUint32(payload.DestinationTag, 'DestinationTag');
  if (destinationTag !== undefined) payment.DestinationTag = destinationTag;
  const sourceTag = optionalUint32(payload.SourceTag, 'SourceTag');
  if (sourceTag !== undefined) payment.SourceTag = sourceTag;
  const signingPubKey = payload.SigningPubKey;
  if (signingPubKey !== undefined && signingPubKey !== '') {
    if (typeof signingPubKey !== 'string' || !/^0[23][0-9a-fA-F]{64}$/.test(signingPubKey)) {
      refuse('MALFORMED_TRANSACTION', 'SigningPubKey', 'must be a 33-byte compressed public key in hex');
    }
    payment.SigningPubKey = signingPubKey.toUpperCase();
  }
  return payment;
}

/** What the payment moves: Amount drops of XRP to Destination, with its destination tag as the memo. */
export function xrpTransfers(payment: XrpPayment): Transfer[] {
  const transfer: Transfer = { asset: 'native', to: payment.Destination, amount: BigInt(payment.Amount) };
  if (payment.DestinationTag !== undefined) transfer.memo = String(payment.DestinationTag);
  return [transfer];
}

function classicAddress(value: unknown, field: string, network: NetworkName): string {
  if (typeof value !== 'string') {
    return refuse(
      'MALFORMED_TRANSACTION',
      field,
      `must be a classic r… address, got ${describeValue(value)}`,
    );
  }
  const result = validateAddress('XRP', network, value);
  if (!result.valid) return refuse('MALFORMED_TRANSACTION', field, result.reason);
  return result.normalized;
}

/**
 * XRP drops as rippled JSON writes them: a string of decimal digits without leading zeros. An issued
 * currency amount ({currency, value, issuer}) is refused: only XRP payments are supported.
 */
function drops(value: unknown, field: string, min: bigint): string {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      field,
      'is an issued-currency amount; only XRP amounts (a string of drops) are supported',
    );
  }
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,17})$/.test(value)) {
    return refuse(
      'MALFORMED_TRANSACTION',
      field,
      `must be a whole number of drops as a decimal string, got ${describeValue(value)}`,
    );
  }
  const amount = BigInt(value);
  if (amount < min) refuse('MALFORMED_TRANSACTION', field, `must be at least ${min} drop(s)`);
  if (amount > MAX_DROPS)
    refuse('MALFORMED_TRANSACTION', field, `${amount} drops exceeds all XRP in existence`);
  return value;
}

function requiredUint32(value: unknown, field: string): number {
  const parsed = optionalUint32(value, field);
  if (parsed === undefined) {
    return refuse(
      'MISSING_INPUT_DATA',
      field,
      'is required (Tatum autofills it); this signer never fills it from a ledger',
    );
  }
  return parsed;
}

function optionalUint32(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_UINT32) {
    return refuse(
      'MALFORMED_TRANSACTION',
      field,
      `must be a whole number from 0 to ${MAX_UINT32}, got ${describeValue(value)}`,
    );
  }
  return value;
}
