// Turns Tatum's TRON payload (a TronWeb transaction JSON, as a string or an object) into a strictly
// validated transaction, refusing with the offending field before anything is hashed or signed.
import * as z from 'zod';
import { SigningRefusedError } from '../types.js';
import {
  amount,
  contractFields,
  fieldSchema,
  hexBytes,
  isSupportedContractType,
  SUPPORTED_CONTRACTS,
  type SupportedContractType,
} from './contracts.js';

export const CONTRACT_FIELD = 'raw_data.contract[0]';
export const VALUE_FIELD = `${CONTRACT_FIELD}.parameter.value`;

export interface TronContract {
  type: SupportedContractType;
  parameter: { type_url: string; value: Readonly<Record<string, string | number | undefined>> };
  Permission_id?: number;
}

export interface TronRawData {
  contract: [TronContract];
  ref_block_bytes: string;
  ref_block_hash: string;
  expiration: number;
  timestamp?: number;
  fee_limit?: number;
  data?: string;
}

export interface TronTransaction {
  visible: boolean;
  txID: string;
  raw_data: TronRawData;
  raw_data_hex: string;
}

export interface ParsedTronTransaction {
  transaction: TronTransaction;
  /** A private copy of the payload as received, to be returned with the signature appended. */
  source: Record<string, unknown>;
}

/** The outer shape; `raw_data` is checked afterwards against its contract type's own schema. */
const envelopeSchema = z.strictObject({
  visible: z.boolean().optional(),
  txID: hexBytes(32),
  raw_data: z.looseObject({
    contract: z.array(z.looseObject({ type: z.unknown() })),
  }),
  raw_data_hex: hexBytes().min(2, 'must not be empty'),
  signature: z.array(z.unknown()).optional(),
});

export function parseTronTransaction(unsigned: unknown): ParsedTronTransaction {
  const source = toObject(unsigned);
  const signatures = source.signature;
  if (signatures !== undefined && !(Array.isArray(signatures) && signatures.length === 0)) {
    throw new SigningRefusedError(
      'ALREADY_SIGNED',
      'signature',
      'the transaction already carries a signature; this signer only signs unsigned, single-key transactions',
    );
  }
  const envelope = check(envelopeSchema, source);
  const contracts = envelope.raw_data.contract;
  const type = contracts[0]?.type;
  if (contracts.length !== 1) {
    throw new SigningRefusedError(
      'UNSUPPORTED_TRANSACTION',
      'raw_data.contract',
      `holds ${contracts.length} contracts; a TRON transaction carries exactly one`,
    );
  }
  if (!isSupportedContractType(type)) {
    throw new SigningRefusedError(
      'UNSUPPORTED_TRANSACTION',
      `${CONTRACT_FIELD}.type`,
      `${JSON.stringify(type)} is not supported; supported: ${Object.keys(SUPPORTED_CONTRACTS).join(', ')}`,
    );
  }
  const visible = envelope.visible ?? false;
  check(rawDataSchema(type, visible), envelope.raw_data, ['raw_data']);
  const raw_data = envelope.raw_data as unknown as TronRawData; // just validated against rawDataSchema
  return {
    transaction: { visible, txID: envelope.txID, raw_data, raw_data_hex: envelope.raw_data_hex },
    source,
  };
}

function rawDataSchema(type: SupportedContractType, visible: boolean): z.ZodType {
  const value = Object.fromEntries(
    contractFields(type).map(({ name, kind, optional }) => {
      const schema = fieldSchema(kind, visible);
      return [name, optional ? schema.optional() : schema];
    }),
  );
  const contract = z.strictObject({
    parameter: z.strictObject({
      value: z.strictObject(value),
      type_url: z.literal(`type.googleapis.com/protocol.${type}`),
    }),
    type: z.literal(type),
    Permission_id: amount().optional(),
  });
  return z.strictObject({
    contract: z.tuple([contract]),
    ref_block_bytes: hexBytes(2),
    ref_block_hash: hexBytes(8),
    expiration: amount(),
    timestamp: amount().optional(),
    fee_limit: amount().optional(),
    data: hexBytes().optional(),
  });
}

/**
 * An object is copied through JSON as a string is parsed: what is checked is then exactly what is returned,
 * and a caller changing its object while we await KMS cannot slip anything between the checks and the output.
 */
function toObject(unsigned: unknown): Record<string, unknown> {
  let value: unknown;
  try {
    // JSON.stringify(undefined) is undefined, which JSON.parse rejects like any other non-JSON.
    value = JSON.parse(typeof unsigned === 'string' ? unsigned : JSON.stringify(unsigned));
  } catch (error) {
    throw new SigningRefusedError(
      'MALFORMED_TRANSACTION',
      'unsigned',
      `is not JSON (${(error as Error).message})`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SigningRefusedError(
      'MALFORMED_TRANSACTION',
      'unsigned',
      'must be a TronWeb transaction object {visible, txID, raw_data, raw_data_hex} or its JSON',
    );
  }
  return value as Record<string, unknown>;
}

/** Parses with `schema`, turning the first issue into a refusal that names the field. */
function check<T>(schema: z.ZodType<T>, value: unknown, prefix: PropertyKey[] = []): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new SigningRefusedError('MALFORMED_TRANSACTION', 'unsigned', 'is invalid');
  if (issue.code === 'unrecognized_keys') {
    throw new SigningRefusedError(
      'UNSUPPORTED_TRANSACTION',
      fieldPath([...prefix, ...issue.path, issue.keys[0] ?? '?']),
      'is not a field this signer can check against raw_data_hex, so it must not be present',
    );
  }
  throw new SigningRefusedError(
    'MALFORMED_TRANSACTION',
    fieldPath([...prefix, ...issue.path]),
    issue.message,
  );
}

/** ['raw_data', 'contract', 0, 'type'] → "raw_data.contract[0].type". */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? 'unsigned' : out;
}
