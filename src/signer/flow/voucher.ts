// The unsigned Flow transaction we accept: FCL's "voucher" JSON (the shape @onflow/sdk's
// encodeTransactionPayload / encodeTransactionEnvelope / encodeTxIdFromVoucher take), parsed field by
// field. Field meanings: https://docs.onflow.org/concepts/transaction-signing/ (proposal key with
// address, key id and sequence number; payer; authorizers; payload and envelope signatures).
import { refuse } from '../types.js';

/** A JSON-Cadence argument, kept as {type, value} so its JSON text (what RLP encodes) is deterministic. */
export interface FlowArgument {
  type: string;
  value: unknown;
}

export interface FlowVoucherSignature {
  /** 0x + 16 lowercase hex digits. */
  address: string;
  keyId: number;
  /** r ‖ s, 128 lowercase hex digits. */
  sig: string;
}

export interface FlowVoucher {
  cadence: string;
  arguments: FlowArgument[];
  /** Reference block id: 64 lowercase hex digits. */
  refBlock: string;
  computeLimit: number;
  proposalKey: { address: string; keyId: number; sequenceNum: number };
  payer: string;
  authorizers: string[];
  payloadSigs: FlowVoucherSignature[];
  envelopeSigs: FlowVoucherSignature[];
}

const FIELDS = [
  'cadence',
  'arguments',
  'refBlock',
  'computeLimit',
  'proposalKey',
  'payer',
  'authorizers',
  'payloadSigs',
  'envelopeSigs',
] as const;

/** Cadence source is bounded so a hostile payload cannot make us hash megabytes. */
const MAX_CADENCE_CHARS = 100_000;
const MAX_ARGUMENTS = 32;

/**
 * A Flow address in canonical form (0x + 16 lowercase hex digits), or a refusal naming `field`.
 * Flow addresses are 8 bytes assigned by the chain (https://developers.flow.com/build/basics/accounts).
 */
export function flowAddress(
  value: unknown,
  field: string,
  code: 'MALFORMED_TRANSACTION' | 'INVALID_REQUEST' = 'MALFORMED_TRANSACTION',
): string {
  if (typeof value !== 'string' || !/^(0x)?[0-9a-fA-F]{16}$/.test(value)) {
    return refuse(code, field, 'must be a Flow address: 16 hex digits, optionally 0x-prefixed');
  }
  const address = `0x${value.replace(/^0x/, '').toLowerCase()}`;
  if (/^0x0+$/.test(address)) refuse(code, field, 'is the zero address');
  return address;
}

function uint(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    return refuse('MALFORMED_TRANSACTION', field, `must be a whole number from 0 to ${max}`);
  }
  return value;
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse('MALFORMED_TRANSACTION', field, 'must be a JSON object');
  }
  return value as Record<string, unknown>;
}

function list(value: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(value)) return refuse('MALFORMED_TRANSACTION', field, 'must be an array');
  if (value.length > max)
    refuse('MALFORMED_TRANSACTION', field, `has ${value.length} entries; at most ${max}`);
  return value;
}

function onlyKeys(object: Record<string, unknown>, allowed: readonly string[], field: string): void {
  const extra = Object.keys(object).filter((key) => !allowed.includes(key));
  if (extra.length > 0) {
    refuse('MALFORMED_TRANSACTION', field, `has unknown field(s) ${extra.join(', ')}`);
  }
}

function argument(value: unknown, field: string): FlowArgument {
  const arg = record(value, field);
  onlyKeys(arg, ['type', 'value'], field);
  if (typeof arg.type !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(arg.type)) {
    refuse('MALFORMED_TRANSACTION', `${field}.type`, 'must be a JSON-Cadence type name');
  }
  if (!('value' in arg)) refuse('MALFORMED_TRANSACTION', `${field}.value`, 'is missing');
  return { type: arg.type, value: arg.value };
}

function signature(value: unknown, field: string): FlowVoucherSignature {
  const sig = record(value, field);
  onlyKeys(sig, ['address', 'keyId', 'sig'], field);
  if (typeof sig.sig !== 'string' || !/^(0x)?[0-9a-fA-F]{128}$/.test(sig.sig)) {
    refuse('MALFORMED_TRANSACTION', `${field}.sig`, 'must be a 64-byte r‖s signature in hex');
  }
  return {
    address: flowAddress(sig.address, `${field}.address`),
    keyId: uint(sig.keyId, `${field}.keyId`, 0xffff_ffff),
    sig: sig.sig.replace(/^0x/, '').toLowerCase(),
  };
}

function parseJson(unsigned: string | object): Record<string, unknown> {
  if (typeof unsigned !== 'string') return record(unsigned, 'unsigned');
  try {
    return record(JSON.parse(unsigned) as unknown, 'unsigned');
  } catch {
    return refuse('MALFORMED_TRANSACTION', 'unsigned', 'is not valid JSON');
  }
}

/** Parses and checks every field of an FCL voucher; refuses with the field and the reason. */
export function parseFlowVoucher(unsigned: string | object): FlowVoucher {
  const raw = parseJson(unsigned);
  onlyKeys(raw, FIELDS, 'unsigned');
  if (typeof raw.cadence !== 'string' || raw.cadence.trim() === '') {
    refuse('MALFORMED_TRANSACTION', 'cadence', 'must be the Cadence transaction source');
  }
  if (raw.cadence.length > MAX_CADENCE_CHARS) {
    refuse('MALFORMED_TRANSACTION', 'cadence', `is longer than ${MAX_CADENCE_CHARS} characters`);
  }
  if (typeof raw.refBlock !== 'string' || !/^(0x)?[0-9a-fA-F]{64}$/.test(raw.refBlock)) {
    refuse('MALFORMED_TRANSACTION', 'refBlock', 'must be a 32-byte block id in hex');
  }
  const proposal = record(raw.proposalKey, 'proposalKey');
  onlyKeys(proposal, ['address', 'keyId', 'sequenceNum'], 'proposalKey');
  const authorizers = list(raw.authorizers, 'authorizers', 16).map((a, i) =>
    flowAddress(a, `authorizers[${i}]`),
  );
  return {
    cadence: raw.cadence,
    arguments: list(raw.arguments, 'arguments', MAX_ARGUMENTS).map((a, i) => argument(a, `arguments[${i}]`)),
    refBlock: raw.refBlock.replace(/^0x/, '').toLowerCase(),
    computeLimit: uint(raw.computeLimit, 'computeLimit', Number.MAX_SAFE_INTEGER),
    proposalKey: {
      address: flowAddress(proposal.address, 'proposalKey.address'),
      keyId: uint(proposal.keyId, 'proposalKey.keyId', 0xffff_ffff),
      sequenceNum: uint(proposal.sequenceNum, 'proposalKey.sequenceNum', Number.MAX_SAFE_INTEGER),
    },
    payer: flowAddress(raw.payer, 'payer'),
    authorizers,
    payloadSigs: list(raw.payloadSigs ?? [], 'payloadSigs', 16).map((s, i) =>
      signature(s, `payloadSigs[${i}]`),
    ),
    envelopeSigs: list(raw.envelopeSigs ?? [], 'envelopeSigs', 16).map((s, i) =>
      signature(s, `envelopeSigs[${i}]`),
    ),
  };
}
