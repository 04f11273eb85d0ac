// The TRON contract types this signer accepts, and the exact fields each may carry in its JSON `value`.
// One table drives both the strict schema (anything not listed is refused, because tronweb's encoder would
// silently drop it and the JSON would then show something that is not signed) and the field-by-field
// comparison that names the culprit when `raw_data` and `raw_data_hex` disagree.
import * as z from 'zod';
import { tronAddressToHex } from '../../chains/addresses/tron.js';

/**
 * address: "41…" hex, or the T… form when `visible` is true. amount: a non-negative safe integer (sun,
 * token units, ids, milliseconds). hex: raw bytes as hex. asset: a TRC-10 token id (hex of its ASCII digits,
 * or the digits themselves when `visible` is true). resource: BANDWIDTH (the protobuf default) or ENERGY.
 */
export type FieldKind = 'address' | 'amount' | 'hex' | 'asset' | 'resource';
/** A trailing "?" marks a field that may be absent (protobuf then encodes the default). */
type FieldSpec = FieldKind | `${FieldKind}?`;

export const SUPPORTED_CONTRACTS = {
  /** TRX transfer (tronweb `sendTrx`). */
  TransferContract: { owner_address: 'address', to_address: 'address', amount: 'amount' },
  /** TRC-10 transfer (tronweb `sendToken`). */
  TransferAssetContract: {
    owner_address: 'address',
    to_address: 'address',
    asset_name: 'asset',
    amount: 'amount',
  },
  /** Smart-contract call, e.g. TRC-20 `transfer(address,uint256)`; only the encoded `data` form. */
  TriggerSmartContract: {
    owner_address: 'address',
    contract_address: 'address',
    data: 'hex?',
    call_value: 'amount?',
    call_token_value: 'amount?',
    token_id: 'amount?',
  },
  /** Stake 2.0 (tronweb `freezeBalanceV2`). */
  FreezeBalanceV2Contract: { owner_address: 'address', frozen_balance: 'amount', resource: 'resource?' },
  /** Stake 2.0 unstake (tronweb `unfreezeBalanceV2`). */
  UnfreezeBalanceV2Contract: { owner_address: 'address', unfreeze_balance: 'amount', resource: 'resource?' },
} as const satisfies Record<string, Record<string, FieldSpec>>;

export type SupportedContractType = keyof typeof SUPPORTED_CONTRACTS;

export function isSupportedContractType(type: unknown): type is SupportedContractType {
  return typeof type === 'string' && Object.hasOwn(SUPPORTED_CONTRACTS, type);
}

export interface ContractField {
  name: string;
  kind: FieldKind;
  optional: boolean;
}

export function contractFields(type: SupportedContractType): ContractField[] {
  return Object.entries(SUPPORTED_CONTRACTS[type]).map(([name, spec]: [string, FieldSpec]) => ({
    name,
    kind: spec.replace('?', '') as FieldKind,
    optional: spec.endsWith('?'),
  }));
}

const HEX_BYTES = /^(?:[0-9a-fA-F]{2})*$/;
const RESOURCES = ['BANDWIDTH', 'ENERGY'] as const;

export const hexBytes = (bytes?: number): z.ZodString =>
  z
    .string()
    .regex(
      bytes === undefined ? HEX_BYTES : new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`),
      bytes === undefined ? 'expected hex bytes' : `expected ${bytes} bytes of hex`,
    );

export const amount = (): z.ZodInt => z.int().nonnegative();

export function fieldSchema(kind: FieldKind, visible: boolean): z.ZodType {
  switch (kind) {
    case 'address':
      return visible
        ? z.string().refine(isTronBase58, 'expected a T… address (the transaction says visible: true)')
        : z.string().regex(/^41[0-9a-fA-F]{40}$/, 'expected "41" + 40 hex digits (visible: false)');
    case 'amount':
      return amount();
    case 'hex':
      return hexBytes();
    case 'asset':
      return visible
        ? z.string().regex(/^[0-9]{1,19}$/, 'expected a TRC-10 token id (visible: true)')
        : hexBytes().min(2, 'expected a hex-encoded TRC-10 token id');
    case 'resource':
      return z.enum(RESOURCES);
  }
}

/**
 * One canonical string per field value, so that the JSON (in either `visible` form, with absent defaults)
 * and tronweb's decoding of `raw_data_hex` (always hex, every field present) compare equal when they
 * encode the same bytes.
 */
export function canonicalField(kind: FieldKind, value: unknown, visible: boolean): string {
  if (value === undefined || value === null || value === '') return canonicalDefault(kind);
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
  switch (kind) {
    case 'address':
      return visible ? tronAddressToHex(text) : text.toLowerCase();
    case 'asset':
      return visible ? Buffer.from(text, 'utf8').toString('hex') : text.toLowerCase();
    case 'hex':
      return text.toLowerCase();
    case 'amount':
    case 'resource':
      return text;
  }
}

function canonicalDefault(kind: FieldKind): string {
  if (kind === 'amount') return '0';
  return kind === 'resource' ? 'BANDWIDTH' : '';
}

function isTronBase58(address: string): boolean {
  try {
    tronAddressToHex(address);
    return true;
  } catch {
    return false;
  }
}
