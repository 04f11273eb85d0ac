// Parses a private key typed or piped into storemanagedprivatekey: 32 bytes as hex (with or without
// 0x) or a WIF key (Bitcoin family). Works on bytes only, never builds a string from the key, and zeroes
// every intermediate buffer, so the only copy left is the returned 32-byte array, which the caller
// zeroes after the import. Error messages describe the input's shape, never its content.
import { sha256 } from '@noble/hashes/sha2.js';
import { getFamilyChain, getChain, type ChainId, type NetworkName } from '../chains/index.js';
import { usageError } from './errors.js';

export interface ParsedPrivateKey {
  /** 32 bytes, big-endian scalar in [1, n-1]. Zero it when done. */
  key: Uint8Array;
  format: 'hex' | 'wif';
  /** WIF only: false when the WIF carries no compression flag (an uncompressed-key wallet). */
  compressed: boolean;
}

const FIELD = 'privateKey';
/** secp256k1 group order n, big-endian. */
const CURVE_ORDER = Uint8Array.from(
  Buffer.from('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141', 'hex'),
);
const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE58_ALPHABET.length; i++) BASE58_VALUE[BASE58_ALPHABET.charCodeAt(i)] = i;

export function parsePrivateKey(input: Uint8Array, chain: ChainId, network: NetworkName): ParsedPrivateKey {
  const text = trimAscii(input);
  if (text.length === 0) throw usageError(FIELD, 'no key was given');
  const has0x = text.length > 2 && text[0] === 0x30 && (text[1] === 0x78 || text[1] === 0x58);
  const body = has0x ? text.subarray(2) : text;
  if (has0x || body.every(isHexDigit)) {
    return { key: decodeHexKey(body), format: 'hex', compressed: true };
  }
  if (body.every((b) => b < 128 && BASE58_VALUE[b] !== -1)) {
    return decodeWif(body, chain, network);
  }
  throw usageError(
    FIELD,
    `not a key: expected 64 hex digits (optionally 0x-prefixed) or a WIF key, got ${text.length} characters`,
  );
}

/**
 * True when a command-line token has the shape of a private key (64 hex digits, or Base58Check of a WIF
 * payload with a valid checksum), so runCli can refuse it without echoing it.
 */
export function looksLikePrivateKey(token: string): boolean {
  const bytes = Buffer.from(token.trim(), 'utf8');
  try {
    const has0x = bytes.length > 2 && bytes[0] === 0x30 && (bytes[1] === 0x78 || bytes[1] === 0x58);
    const body = has0x ? bytes.subarray(2) : bytes;
    if (body.length === 64 && body.every(isHexDigit)) return true;
    if (body.length < 50 || body.length > 53 || !body.every((b) => b < 128 && BASE58_VALUE[b] !== -1)) {
      return false;
    }
    const decoded = base58Decode(body);
    try {
      if (decoded.length !== 37 && decoded.length !== 38) return false;
      const payload = decoded.subarray(0, decoded.length - 4);
      const check = sha256(sha256(payload));
      return check.subarray(0, 4).every((b, i) => b === decoded[payload.length + i]);
    } finally {
      decoded.fill(0);
    }
  } finally {
    bytes.fill(0);
  }
}

function decodeHexKey(digits: Uint8Array): Uint8Array {
  if (digits.length !== 64 || !digits.every(isHexDigit)) {
    throw usageError(
      FIELD,
      `a hex key must be exactly 64 hex digits (32 bytes), got ${digits.length} characters`,
    );
  }
  const key = new Uint8Array(32);
  for (let i = 0; i < 32; i++) key[i] = (hexValue(digits[2 * i]) << 4) | hexValue(digits[2 * i + 1]);
  assertScalar(key);
  return key;
}

function decodeWif(chars: Uint8Array, chain: ChainId, network: NetworkName): ParsedPrivateKey {
  const def = getChain(chain);
  if (def.family !== 'bitcoin') {
    throw usageError(FIELD, `WIF keys are a Bitcoin-family format; give the ${chain} key as 64 hex digits`);
  }
  const expectedVersion = getFamilyChain('bitcoin', chain, network).params.wif;
  const decoded = base58Decode(chars);
  try {
    if (decoded.length !== 37 && decoded.length !== 38) {
      throw usageError(FIELD, 'not a WIF key (wrong length)');
    }
    const payload = decoded.subarray(0, decoded.length - 4);
    const check = sha256(sha256(payload));
    const checksumOk = check.subarray(0, 4).every((b, i) => b === decoded[payload.length + i]);
    check.fill(0);
    if (!checksumOk) throw usageError(FIELD, 'not a WIF key (bad checksum)');
    const compressed = payload.length === 34;
    if (compressed && payload[33] !== 0x01) throw usageError(FIELD, 'not a WIF key (bad compression flag)');
    if (payload[0] !== expectedVersion) {
      throw usageError(
        FIELD,
        `the WIF key is for another chain or network (version 0x${hexByte(payload[0])}; ${chain} ${network} uses 0x${hexByte(expectedVersion)})`,
      );
    }
    const key = Uint8Array.from(payload.subarray(1, 33));
    try {
      assertScalar(key);
    } catch (err) {
      key.fill(0);
      throw err;
    }
    return { key, format: 'wif', compressed };
  } finally {
    decoded.fill(0);
  }
}

/** Base58 → bytes, working in a buffer that is zeroed before returning (only the result survives). */
function base58Decode(chars: Uint8Array): Uint8Array {
  if (chars.length > 64) throw usageError(FIELD, `not a key: ${chars.length} characters is too long for WIF`);
  const work = new Uint8Array(64); // little-endian accumulator; 64 base58 digits fit in 47 bytes
  let used = 0;
  try {
    for (const c of chars) {
      let carry = BASE58_VALUE[c] ?? 0;
      for (let j = 0; j < used; j++) {
        carry += (work[j] ?? 0) * 58;
        work[j] = carry & 0xff;
        carry >>= 8;
      }
      while (carry > 0) {
        work[used++] = carry & 0xff;
        carry >>= 8;
      }
    }
    let leadingZeros = 0;
    while (leadingZeros < chars.length && chars[leadingZeros] === 0x31) leadingZeros++; // '1'
    const out = new Uint8Array(leadingZeros + used);
    for (let i = 0; i < used; i++) out[out.length - 1 - i] = work[i] ?? 0;
    return out;
  } finally {
    work.fill(0);
  }
}

function assertScalar(key: Uint8Array): void {
  if (key.every((b) => b === 0))
    throw usageError(FIELD, 'the key is zero, which is not a valid secp256k1 key');
  for (let i = 0; i < 32; i++) {
    const k = key[i] ?? 0;
    const n = CURVE_ORDER[i] ?? 0;
    if (k < n) return;
    if (k > n) break;
  }
  throw usageError(FIELD, 'the key is not below the secp256k1 group order, so it is not a valid key');
}

function trimAscii(bytes: Uint8Array): Uint8Array {
  let start = 0;
  let end = bytes.length;
  while (start < end && isSpace(bytes[start])) start++;
  while (end > start && isSpace(bytes[end - 1])) end--;
  return bytes.subarray(start, end);
}

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

function isHexDigit(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

function hexValue(b: number | undefined): number {
  if (b === undefined) return 0;
  if (b <= 0x39) return b - 0x30;
  if (b <= 0x46) return b - 0x41 + 10;
  return b - 0x61 + 10;
}

function hexByte(b: number | undefined): string {
  return (b ?? 0).toString(16).padStart(2, '0');
}
