// Tatum's VET payload (tatum-protocol.md §4.14): a web3-style JSON that thorify turns into a Thor body,
// e.g. {from: 0, to, value: "<wei>", data?, gas?} as tatum-js v1 prepareVetSignedTransaction builds it.
// thorify also reads the Thor fields chainTag, blockRef, expiration, gasPriceCoef, dependsOn and nonce
// from the same object. Parsed and validated field by field into one legacy Thor body with one clause —
// the one place that says what a VET transaction moves (signer, policy and audit all read it from here).
import { randomBytes } from 'node:crypto';

import { validateAddress, type NetworkName } from '../../chains/index.js';
import { MAX_UINT256, MAX_UINT64, parseHexBytes, parseQuantity } from '../evm/quantity.js';
import { describeValue } from '../evm/refuse.js';
import type { Transfer } from '../prepared.js';
import { decodeTokenTransfer } from '../token-transfer.js';
import { refuse } from '../types.js';
import { payloadObject } from '../xrp/payload.js';

/** thorify 1.6.2 signTransaction's default expiration (blocks of 10 s: two hours). */
export const DEFAULT_EXPIRATION = 720;
/** A day of 10-second blocks: a withdrawal that may still land a day later is not what anyone meant. */
export const MAX_EXPIRATION = 8640;
const MAX_UINT32 = 0xffff_ffff;

const ALLOWED_FIELDS = new Set([
  'from',
  'to',
  'value',
  'data',
  'gas',
  'gasPriceCoef',
  'chainTag',
  'blockRef',
  'expiration',
  'nonce',
  'dependsOn',
]);

/** Fields whose presence changes what the transaction does or who pays; each refused with its reason. */
const REFUSED_FIELDS: Readonly<Record<string, string>> = {
  signature: 'the payload already carries a signature',
  clauses:
    'multi-clause transactions are not supported: Tatum sends one transfer (to, value, data) per payload',
  reserved: 'reserved features (VIP-191 fee delegation) are not supported: the wallet pays its own gas',
  features: 'reserved features (VIP-191 fee delegation) are not supported: the wallet pays its own gas',
  delegator: 'fee delegation (VIP-191) is not supported: the wallet pays its own gas',
  gasPayer: 'fee delegation (VIP-191) is not supported: the wallet pays its own gas',
  maxFeePerGas:
    'dynamic-fee (type 81) transactions are not supported: Tatum produces legacy transactions (gasPriceCoef)',
  maxPriorityFeePerGas:
    'dynamic-fee (type 81) transactions are not supported: Tatum produces legacy transactions (gasPriceCoef)',
  type: 'only legacy Thor transactions are supported',
  gasPrice: 'VeChain legacy transactions price gas with gasPriceCoef (0–255), not gasPrice',
};

/** One validated legacy Thor transaction body with one clause, in @vechain/sdk-core's TransactionBody shape. */
export interface VetBody {
  chainTag: number;
  /** 0x + 16 hex digits: the first 8 bytes of a recent block id. */
  blockRef: string;
  expiration: number;
  clauses: [{ to: string; value: string; data: string }];
  gasPriceCoef: number;
  gas: number;
  dependsOn: null;
  /** Decimal string (uint64). */
  nonce: string;
}

/** What the payload names as its sender: Tatum's `from: 0` (the wallet itself) or an address. */
export type VetSender = { kind: 'wallet' } | { kind: 'address'; address: string };

export interface VetPayload {
  body: VetBody;
  sender: VetSender;
}

/**
 * Parses and validates Tatum's VET payload into a Thor body. `chainTag` is the registry's: a payload that
 * names another one is refused. A missing nonce is drawn at random (as thorify does); a missing blockRef
 * or gas is refused — the loop fills them from the chain view before this decode, never from a guess.
 */
export function parseVetPayload(input: unknown, network: NetworkName, chainTag: number): VetPayload {
  const payload = payloadObject(input);
  for (const key of Object.keys(payload)) {
    const refused = REFUSED_FIELDS[key];
    if (refused !== undefined) {
      refuse(key === 'signature' ? 'ALREADY_SIGNED' : 'UNSUPPORTED_TRANSACTION', key, refused);
    }
    if (!ALLOWED_FIELDS.has(key)) {
      refuse('UNSUPPORTED_TRANSACTION', key, 'is not a field this signer understands; refusing to ignore it');
    }
  }
  if (payload.chainTag !== undefined && payload.chainTag !== null) {
    const given = Number(parseQuantity(payload.chainTag, 'chainTag', 255n));
    if (given !== chainTag) {
      refuse(
        'CHAIN_MISMATCH',
        'chainTag',
        `is 0x${given.toString(16)}; VeChainThor ${network} has chain tag 0x${chainTag.toString(16)}`,
      );
    }
  }
  const body: VetBody = {
    chainTag,
    blockRef: blockRef(payload.blockRef),
    expiration: expiration(payload.expiration),
    clauses: [
      {
        to: destination(payload.to, network),
        value: quantity(payload.value, 'value', MAX_UINT256, 0n).toString(),
        data:
          payload.data === undefined || payload.data === null ? '0x' : parseHexBytes(payload.data, 'data'),
      },
    ],
    gasPriceCoef: Number(quantity(payload.gasPriceCoef, 'gasPriceCoef', 255n, 0n)),
    gas: gas(payload.gas),
    dependsOn: dependsOn(payload.dependsOn),
    nonce: (payload.nonce === undefined || payload.nonce === null
      ? randomBytes(8).readBigUInt64BE()
      : parseQuantity(payload.nonce, 'nonce', MAX_UINT64)
    ).toString(),
  };
  return { body, sender: sender(payload.from, network) };
}

/** What the transaction moves: value VET to `to`, and a VIP-180 transfer(to, amount) in its data. */
export function vetTransfers(body: VetBody): { transfers: Transfer[]; unrecognized: string | null } {
  const [clause] = body.clauses;
  const to = clause.to.toLowerCase();
  const transfers: Transfer[] = [];
  const value = BigInt(clause.value);
  if (value > 0n) transfers.push({ asset: 'native', to, amount: value });
  if (clause.data === '0x') return { transfers, unrecognized: null };
  // VIP-180 tokens (VTHO, …) use ERC-20's transfer(address,uint256) (github.com/vechain/VIPs VIP-180).
  const token = decodeTokenTransfer(clause.data);
  if (token === undefined) {
    return { transfers, unrecognized: 'contract call other than transfer(address,uint256)' };
  }
  transfers.push({ asset: to, to: `0x${token.to}`, amount: token.amount });
  return { transfers, unrecognized: null };
}

function quantity(value: unknown, field: string, max: bigint, fallback: bigint): bigint {
  return value === undefined || value === null ? fallback : parseQuantity(value, field, max);
}

function destination(value: unknown, network: NetworkName): string {
  if (value === undefined || value === null || value === '') {
    return refuse(
      'UNSUPPORTED_TRANSACTION',
      'to',
      'is missing: contract creation is not supported, a transfer needs a destination',
    );
  }
  if (typeof value !== 'string') {
    return refuse('MALFORMED_TRANSACTION', 'to', `must be a 0x address, got ${describeValue(value)}`);
  }
  const result = validateAddress('VET', network, value);
  if (!result.valid) return refuse('MALFORMED_TRANSACTION', 'to', result.reason);
  return result.normalized.toLowerCase();
}

function sender(value: unknown, network: NetworkName): VetSender {
  // tatum-js v1 prepareVetSignedTransaction sends `from: 0`: web3's index of the wallet's one account.
  if (value === undefined || value === null || value === 0 || value === '0') return { kind: 'wallet' };
  if (typeof value !== 'string') {
    return refuse('MALFORMED_TRANSACTION', 'from', `must be 0 or a 0x address, got ${describeValue(value)}`);
  }
  const result = validateAddress('VET', network, value);
  if (!result.valid) return refuse('MALFORMED_TRANSACTION', 'from', result.reason);
  return { kind: 'address', address: result.normalized.toLowerCase() };
}

function blockRef(value: unknown): string {
  if (value === undefined || value === null) {
    return refuse(
      'MISSING_INPUT_DATA',
      'blockRef',
      'is required: the first 8 bytes of a recent block id (the loop takes it from the VeChain node)',
    );
  }
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{16}$/.test(value)) {
    return refuse(
      'MALFORMED_TRANSACTION',
      'blockRef',
      `must be 0x and 16 hex digits (8 bytes of a block id), got ${describeValue(value)}`,
    );
  }
  return value.toLowerCase();
}

function expiration(value: unknown): number {
  const blocks = Number(quantity(value, 'expiration', BigInt(MAX_UINT32), BigInt(DEFAULT_EXPIRATION)));
  if (blocks < 1 || blocks > MAX_EXPIRATION) {
    refuse(
      'MALFORMED_TRANSACTION',
      'expiration',
      `is ${blocks} blocks; it must be from 1 to ${MAX_EXPIRATION} (one day of 10-second blocks)`,
    );
  }
  return blocks;
}

function gas(value: unknown): number {
  if (value === undefined || value === null) {
    return refuse(
      'MISSING_INPUT_DATA',
      'gas',
      'is required (tatum-kms re-estimates it on a node; the loop does so from the chain view)',
    );
  }
  // Thor's gas is a uint64, but no block holds more than 40,000,000 (thor solo's default gas limit).
  return Number(parseQuantity(value, 'gas', 40_000_000n));
}

function dependsOn(value: unknown): null {
  if (value === undefined || value === null) return null;
  return refuse(
    'UNSUPPORTED_TRANSACTION',
    'dependsOn',
    'transactions that depend on another transaction are not supported',
  );
}
