// Proves that the payload is self-consistent before anything is signed:
//   1. txID == sha256(raw_data_hex), recomputed here (never trust the supplied txID);
//   2. raw_data (the JSON a person or Tatum reads) re-encodes to exactly the raw_data_hex bytes,
// so the digest we sign is the transaction the JSON shows. On a mismatch the differing field is named.
import { errorMessage } from '../../util/error-message.js';
import { createHash } from 'node:crypto';
import { SigningRefusedError } from '../types.js';
import type { TronRawDataCodec } from './codec.js';
import { canonicalField, contractFields, type FieldKind } from './contracts.js';
import { fieldPath, type TronTransaction } from './parse.js';

export interface TronDigest {
  /** sha256(raw_data bytes): what the wallet key signs. */
  digest: Uint8Array;
  /** The same digest as lowercase hex: the transaction id. */
  txId: string;
}

export function verifyTronEncoding(transaction: TronTransaction, codec: TronRawDataCodec): TronDigest {
  const rawBytes = Buffer.from(transaction.raw_data_hex, 'hex');
  const digest = createHash('sha256').update(rawBytes).digest();
  const txId = digest.toString('hex');
  if (transaction.txID.toLowerCase() !== txId) {
    throw new SigningRefusedError(
      'DIGEST_MISMATCH',
      'txID',
      `is ${transaction.txID} but sha256(raw_data_hex) is ${txId}`,
    );
  }

  let encoded: Uint8Array;
  try {
    encoded = codec.encodeRawData(transaction.raw_data, transaction.visible);
  } catch (error) {
    throw new SigningRefusedError(
      'MALFORMED_TRANSACTION',
      'raw_data',
      `cannot be encoded as protocol.Transaction.raw (${errorMessage(error)})`,
    );
  }
  if (!rawBytes.equals(encoded)) {
    const { field, reason } = locateMismatch(transaction, codec);
    throw new SigningRefusedError('DIGEST_MISMATCH', field, reason);
  }
  return { digest: new Uint8Array(digest), txId };
}

const RAW_DATA_FIELDS: readonly (readonly [string, FieldKind])[] = [
  ['ref_block_bytes', 'hex'],
  ['ref_block_hash', 'hex'],
  ['expiration', 'amount'],
  ['timestamp', 'amount'],
  ['fee_limit', 'amount'],
  ['data', 'hex'],
];

/** Decodes raw_data_hex and compares it with raw_data field by field to name what differs. */
function locateMismatch(
  transaction: TronTransaction,
  codec: TronRawDataCodec,
): { field: string; reason: string } {
  const type = transaction.raw_data.contract[0].type;
  let decoded: unknown;
  try {
    decoded = codec.decodeRawData(type, transaction.raw_data_hex);
  } catch (error) {
    return {
      field: 'raw_data_hex',
      reason: `does not decode as the ${type} that raw_data shows (${errorMessage(error)})`,
    };
  }
  const compared: { path: PropertyKey[]; kind: FieldKind }[] = [
    ...contractFields(type).map(({ name, kind }) => ({
      path: ['contract', 0, 'parameter', 'value', name],
      kind,
    })),
    { path: ['contract', 0, 'Permission_id'], kind: 'amount' },
    ...RAW_DATA_FIELDS.map(([name, kind]) => ({ path: [name], kind })),
  ];
  for (const { path, kind } of compared) {
    const shown = canonicalField(kind, pick(transaction.raw_data, path), transaction.visible);
    const signed = canonicalField(kind, pick(decoded, path), false);
    if (shown !== signed) {
      return {
        field: fieldPath(['raw_data', ...path]),
        reason: `raw_data shows ${abbreviate(shown)} but raw_data_hex (what would be signed) encodes ${abbreviate(signed)}`,
      };
    }
  }
  return {
    field: 'raw_data_hex',
    reason: 'encodes content that raw_data does not show (raw_data re-encodes to different bytes)',
  };
}

function pick(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function abbreviate(value: string): string {
  const shown = value === '' ? '(empty)' : value;
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}
