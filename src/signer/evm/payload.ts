// The Tatum form: a web3-style JSON payload {from?, to, value, data, gas, gasPrice, nonce, chainId?, …}
// (tatum-protocol.md §4.5–4.7), validated field by field into an unsigned ethers Transaction.
import { Transaction, type AccessList } from 'ethers';

import { InvalidAddressError, toEvmAddress } from '../../chains/index.js';
import { CELO_EMPTY_FIELDS, refuseCeloLegacyFields } from './celo.js';
import type { EvmTarget } from './checks.js';
import { MAX_NONCE, MAX_UINT256, MAX_UINT64, parseHexBytes, parseQuantity } from './quantity.js';
import { describeValue, refuse } from './refuse.js';

const QUANTITY_FIELDS = {
  value: MAX_UINT256,
  gas: MAX_UINT64,
  gasLimit: MAX_UINT64,
  gasPrice: MAX_UINT256,
  maxFeePerGas: MAX_UINT256,
  maxPriorityFeePerGas: MAX_UINT256,
  nonce: MAX_NONCE,
  chainId: MAX_UINT256,
  type: 0xffn,
} as const;
type QuantityField = keyof typeof QUANTITY_FIELDS;

const PAYLOAD_FIELDS = new Set<string>(['from', 'to', 'data', 'accessList', ...Object.keys(QUANTITY_FIELDS)]);
const SIGNATURE_FIELDS = new Set(['v', 'r', 's', 'yParity', 'signature', 'rawTransaction']);

type TxType = 0 | 1 | 2;
/** Fee fields each type needs, and fields that would change its meaning if we silently dropped them. */
const TYPE_RULES: Record<TxType, { required: QuantityField[]; forbidden: string[] }> = {
  0: { required: ['gasPrice'], forbidden: ['maxFeePerGas', 'maxPriorityFeePerGas', 'accessList'] },
  1: { required: ['gasPrice'], forbidden: ['maxFeePerGas', 'maxPriorityFeePerGas'] },
  2: { required: ['maxFeePerGas', 'maxPriorityFeePerGas'], forbidden: ['gasPrice'] },
};

export interface ParsedPayload {
  tx: Transaction;
  /** "gas" or "gasLimit": the field that carried the gas limit, for error messages. */
  gasField: string;
}

/** A Tatum payload's fields, each validated; fee, gas and nonce fields may still be missing. */
interface PayloadFields {
  type: TxType;
  has: (key: string) => boolean;
  quantity: (key: QuantityField) => bigint | undefined;
  to: string | null;
  value: bigint;
  data: string;
}

/** What a chain view must complete before the payload can be signed, and the call it describes. */
export interface EvmPayloadGaps {
  call: { to: string | null; value: bigint; data: string };
  /** Neither gas nor gasLimit given (or 0). */
  gas: boolean;
  /** A legacy/EIP-2930 payload without gasPrice, or with 0. */
  gasPrice: boolean;
  nonce: boolean;
  /** The nonce the payload gives, when it gives one. */
  givenNonce: bigint | undefined;
}

function readFields(input: unknown, target: EvmTarget, walletAddress: string): PayloadFields {
  const payload = asRecord(input, 'unsigned');
  const celo = target.chain === 'CELO';
  if (celo) refuseCeloLegacyFields(payload);
  for (const key of Object.keys(payload)) {
    if (celo && CELO_EMPTY_FIELDS.has(key)) continue; // present but empty: checked just above
    if (SIGNATURE_FIELDS.has(key)) refuse('ALREADY_SIGNED', key, 'the payload already carries a signature');
    if (!PAYLOAD_FIELDS.has(key)) {
      refuse('UNSUPPORTED_TRANSACTION', key, 'is not a field this signer understands; refusing to ignore it');
    }
  }
  const has = (key: string): boolean => payload[key] !== undefined && payload[key] !== null;
  const quantity = (key: QuantityField): bigint | undefined =>
    has(key) ? parseQuantity(payload[key], key, QUANTITY_FIELDS[key]) : undefined;

  checkFrom(payload.from, walletAddress, target);

  const type = payloadType(quantity('type'), has);
  for (const field of TYPE_RULES[type].forbidden) {
    if (has(field)) refuse('UNSUPPORTED_TRANSACTION', field, `is not allowed in a type ${type} transaction`);
  }
  return {
    type,
    has,
    quantity,
    to: has('to') ? payloadAddress(payload.to, 'to', target) : null,
    value: quantity('value') ?? 0n,
    data: has('data') ? parseHexBytes(payload.data, 'data') : '0x',
  };
}

/** Which of gas, gasPrice and nonce a Tatum payload leaves for a chain view to complete. */
export function evmPayloadGaps(input: unknown, target: EvmTarget, walletAddress: string): EvmPayloadGaps {
  const fields = readFields(input, target, walletAddress);
  const { quantity } = fields;
  const gas = quantity('gas') ?? quantity('gasLimit');
  const nonce = quantity('nonce');
  return {
    call: { to: fields.to, value: fields.value, data: fields.data },
    gas: gas === undefined || gas === 0n,
    gasPrice: fields.type !== 2 && (quantity('gasPrice') ?? 0n) === 0n,
    nonce: nonce === undefined,
    givenNonce: nonce,
  };
}

/** Parses and validates a Tatum payload; `walletAddress` is the only sender `from` may name. */
export function parsePayload(input: unknown, target: EvmTarget, walletAddress: string): ParsedPayload {
  const { type, has, quantity, to, value, data } = readFields(input, target, walletAddress);
  for (const field of TYPE_RULES[type].required) {
    if (!has(field)) refuse('MISSING_INPUT_DATA', field, `is required for a type ${type} transaction`);
  }

  const nonce = quantity('nonce');
  if (nonce === undefined) {
    // Signing without a nonce would let whoever broadcasts choose it; the loop completes a missing nonce
    // from its nonce ledger and a trusted node before it gets here. A 0 is a real nonce and is kept (the
    // reference daemon's `!nonce` bug).
    return refuse(
      'MISSING_INPUT_DATA',
      'nonce',
      'is required (0 is accepted); this signer never picks a nonce',
    );
  }

  const { gasLimit, gasField } = payloadGasLimit(quantity('gas'), quantity('gasLimit'));
  const fields = {
    type,
    // Without chainId the registry's id for (chain, network) is used; with it, checkTransaction compares.
    chainId: quantity('chainId') ?? target.chainId,
    nonce: Number(nonce),
    to,
    value,
    data,
    gasLimit,
    gasPrice: quantity('gasPrice') ?? null,
    maxFeePerGas: quantity('maxFeePerGas') ?? null,
    maxPriorityFeePerGas: quantity('maxPriorityFeePerGas') ?? null,
    accessList: has('accessList') ? payloadAccessList(input as Record<string, unknown>, target) : null,
  };
  try {
    return { tx: Transaction.from(fields), gasField };
  } catch (error) {
    // Unreachable with the checks above; kept so that an ethers surprise is still a refusal.
    return refuse('MALFORMED_TRANSACTION', 'unsigned', `cannot be built: ${(error as Error).message}`);
  }
}

function asRecord(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    return refuse('MALFORMED_TRANSACTION', field, `must be a JSON object, got ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

/**
 * `from` may be absent, null or Tatum's literal placeholder 0; otherwise it must be the wallet, in any
 * spelling the chain accepts (0x…, xdc… on XDC, one1… on Harmony).
 */
function checkFrom(from: unknown, walletAddress: string, target: EvmTarget): void {
  if (from === undefined || from === null || from === 0) return;
  const hex = typeof from === 'string' ? evmAddressOrUndefined(from, target) : undefined;
  if (typeof from !== 'string' || hex === undefined) {
    return refuse(
      'MALFORMED_TRANSACTION',
      'from',
      `must be a ${target.chain} address, got ${describeValue(from)}`,
    );
  }
  if (hex.toLowerCase() !== walletAddress.toLowerCase()) {
    refuse('SENDER_NOT_OURS', 'from', `${from} is not the signing wallet's address ${walletAddress}`);
  }
}

/** Explicit `type`, or the one web3 would infer: EIP-1559 fee fields → 2, an access list → 1, else 0. */
function payloadType(explicit: bigint | undefined, has: (key: string) => boolean): TxType {
  if (explicit !== undefined) {
    if (explicit === 0n || explicit === 1n || explicit === 2n) return Number(explicit) as TxType;
    return refuse('UNSUPPORTED_TRANSACTION', 'type', `type ${explicit} is not supported (only 0, 1 and 2)`);
  }
  if (has('maxFeePerGas') || has('maxPriorityFeePerGas')) return 2;
  return has('accessList') ? 1 : 0;
}

function payloadGasLimit(
  gas: bigint | undefined,
  gasLimit: bigint | undefined,
): { gasLimit: bigint; gasField: string } {
  if (gas !== undefined && gasLimit !== undefined && gas !== gasLimit) {
    refuse('MALFORMED_TRANSACTION', 'gasLimit', `${gasLimit} disagrees with gas ${gas}`);
  }
  if (gas !== undefined) return { gasLimit: gas, gasField: 'gas' };
  if (gasLimit !== undefined) return { gasLimit, gasField: 'gasLimit' };
  return refuse(
    'MISSING_INPUT_DATA',
    'gas',
    'is required (gas or gasLimit); the loop completes it from a trusted node before signing',
  );
}

function evmAddressOrUndefined(value: string, target: EvmTarget): string | undefined {
  try {
    return toEvmAddress(target.chain, target.network, value);
  } catch {
    return undefined;
  }
}

/**
 * 0x + 40 hex digits, or the chain's own spelling (xdc…, one1…), returned as the EIP-55 0x form the
 * transaction carries; a mixed-case address must carry a valid EIP-55 checksum.
 */
function payloadAddress(value: unknown, field: string, target: EvmTarget): string {
  if (typeof value !== 'string') {
    return refuse('MALFORMED_TRANSACTION', field, `must be an address string, got ${describeValue(value)}`);
  }
  try {
    return toEvmAddress(target.chain, target.network, value);
  } catch (error) {
    if (error instanceof InvalidAddressError) return refuse('MALFORMED_TRANSACTION', field, error.reason);
    throw error;
  }
}

/** [{address, storageKeys: [32-byte hex, …]}, …] */
function payloadAccessList(payload: Record<string, unknown>, target: EvmTarget): AccessList {
  const value = payload.accessList;
  if (!Array.isArray(value)) {
    return refuse('MALFORMED_TRANSACTION', 'accessList', `must be an array, got ${describeValue(value)}`);
  }
  return value.map((item: unknown, i) => {
    const field = `accessList[${i}]`;
    const entry = asRecord(item, field);
    const extra = Object.keys(entry).find((key) => key !== 'address' && key !== 'storageKeys');
    if (extra !== undefined)
      refuse('MALFORMED_TRANSACTION', `${field}.${extra}`, 'is not an access-list field');
    const keys = entry.storageKeys;
    if (!Array.isArray(keys)) {
      return refuse(
        'MALFORMED_TRANSACTION',
        `${field}.storageKeys`,
        `must be an array, got ${describeValue(keys)}`,
      );
    }
    return {
      address: payloadAddress(entry.address, `${field}.address`, target),
      storageKeys: keys.map((key: unknown, j) => {
        const hex = parseHexBytes(key, `${field}.storageKeys[${j}]`, 32);
        if (hex.length !== 66)
          refuse('MALFORMED_TRANSACTION', `${field}.storageKeys[${j}]`, 'must be 32 bytes');
        return hex;
      }),
    };
  });
}
