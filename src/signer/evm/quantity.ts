// Strict parsing of the scalar fields of an EVM payload: quantities and hex byte strings.
import { describeValue, refuse } from './refuse.js';

export const MAX_UINT256 = (1n << 256n) - 1n;
/** Gas limits are uint64 in every client. */
export const MAX_UINT64 = (1n << 64n) - 1n;
/** ethers keeps nonces as JS numbers; EIP-2681 caps them at 2^64-1 anyway. */
export const MAX_NONCE = BigInt(Number.MAX_SAFE_INTEGER);
/** Geth's transaction-pool size limit; no node relays a transaction with more data than this. */
export const MAX_DATA_BYTES = 128 * 1024;

/** 2^256-1 has 78 decimal digits; anything much longer is not a quantity (and BigInt() on it is slow). */
const MAX_QUANTITY_CHARS = 80;
const DECIMAL = /^[0-9]+$/;
const HEX_QUANTITY = /^0x[0-9a-fA-F]+$/;
const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/;

/**
 * A non-negative integer no larger than `max`, given as
 * - a JS number that is a safe integer (a JSON number above 2^53-1 may already have been rounded by
 *   JSON.parse, so it is refused: send it as a string),
 * - a bigint (callers passing objects from code),
 * - a decimal string of digits only (leading zeros allowed), or
 * - a `0x` hex string with at least one digit (either case, odd length allowed as in JSON-RPC).
 * Refused: negatives, fractions, exponents, signs, whitespace, "", "0x", booleans, null, objects.
 */
export function parseQuantity(value: unknown, field: string, max: bigint): bigint {
  const parsed = toBigInt(value, field);
  if (parsed > max) refuse('MALFORMED_TRANSACTION', field, `${parsed} exceeds the maximum ${max}`);
  return parsed;
}

function toBigInt(value: unknown, field: string): bigint {
  switch (typeof value) {
    case 'bigint':
      if (value < 0n) refuse('MALFORMED_TRANSACTION', field, `must not be negative, got ${value}`);
      return value;
    case 'number':
      if (!Number.isInteger(value)) {
        refuse('MALFORMED_TRANSACTION', field, `must be a whole number, got ${describeValue(value)}`);
      }
      if (value < 0) refuse('MALFORMED_TRANSACTION', field, `must not be negative, got ${value}`);
      if (!Number.isSafeInteger(value)) {
        refuse(
          'MALFORMED_TRANSACTION',
          field,
          `the number ${value} is above 2^53-1 and may have lost precision; send it as a decimal or hex string`,
        );
      }
      return BigInt(value);
    case 'string':
      if (value.length > MAX_QUANTITY_CHARS) {
        refuse('MALFORMED_TRANSACTION', field, `is longer than ${MAX_QUANTITY_CHARS} characters`);
      }
      if (DECIMAL.test(value) || HEX_QUANTITY.test(value)) return BigInt(value);
      if (/^-(?:0x)?[0-9a-fA-F]+$/.test(value)) {
        refuse('MALFORMED_TRANSACTION', field, `must not be negative, got "${value}"`);
      }
      return refuse(
        'MALFORMED_TRANSACTION',
        field,
        `must be a decimal string of digits or a 0x hex string, got ${describeValue(value)}`,
      );
    default:
      return refuse(
        'MALFORMED_TRANSACTION',
        field,
        `must be a non-negative integer (number, decimal string or 0x hex string), got ${describeValue(value)}`,
      );
  }
}

/** A `0x` hex byte string (even length, "0x" is empty), returned in lower case. */
export function parseHexBytes(value: unknown, field: string, maxBytes = MAX_DATA_BYTES): string {
  if (typeof value !== 'string' || !HEX_BYTES.test(value)) {
    return refuse(
      'MALFORMED_TRANSACTION',
      field,
      `must be a 0x-prefixed hex string of whole bytes, got ${describeValue(value)}`,
    );
  }
  const bytes = (value.length - 2) / 2;
  if (bytes > maxBytes) refuse('MALFORMED_TRANSACTION', field, `is ${bytes} bytes, above ${maxBytes}`);
  return value.toLowerCase();
}
