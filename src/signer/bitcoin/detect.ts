// Which payload format `unsigned` is, when the caller did not say.
//
// - an object (not an array)                         → 'bitcore' (Tatum's Transaction.toObject())
// - a string starting with "{"                       → 'bitcore' (the same, as JSON text)
// - a string "<hex>:<anything>"                      → 'bch'     (Tatum's "<unsigned hex>:[amounts]")
// - a string starting with "70736274ff" (any case)   → 'psbt'    (hex of the BIP174 magic "psbt\xff")
// - a string starting with "cHNidP8"                 → 'psbt'    (base64 of the same magic)
// Leading/trailing whitespace is ignored. Anything else is refused as MALFORMED_TRANSACTION, including
// a bare unsigned transaction hex, which carries no input amounts.
import type { BitcoinPayloadFormat } from './model.js';
import { refuse } from '../types.js';

export const PSBT_MAGIC_HEX = '70736274ff';
export const PSBT_MAGIC_BASE64 = 'cHNidP8';
const FORMATS: readonly BitcoinPayloadFormat[] = ['psbt', 'bitcore', 'bch'];

export function detectFormat(unsigned: unknown): BitcoinPayloadFormat {
  if (typeof unsigned === 'object' && unsigned !== null && !Array.isArray(unsigned)) return 'bitcore';
  if (typeof unsigned !== 'string') {
    refuse(
      'MALFORMED_TRANSACTION',
      'unsigned',
      'must be a PSBT, bitcore JSON or BCH "hex:[amounts]" payload',
    );
  }
  const text = unsigned.trim();
  if (text.startsWith('{')) return 'bitcore';
  if (/^[0-9a-fA-F]+:/.test(text)) return 'bch';
  if (text.toLowerCase().startsWith(PSBT_MAGIC_HEX) || text.startsWith(PSBT_MAGIC_BASE64)) return 'psbt';
  refuse(
    'MALFORMED_TRANSACTION',
    'unsigned',
    'not a recognised payload: expected a PSBT (base64 or hex), bitcore transaction JSON or BCH ' +
      '"<unsigned hex>:[amounts]"; a bare transaction hex is not accepted because it carries no input amounts',
  );
}

/** The format to parse with: the caller's (checked) or the detected one. */
export function resolveFormat(format: unknown, unsigned: unknown): BitcoinPayloadFormat {
  if (format === undefined) return detectFormat(unsigned);
  if (!FORMATS.includes(format as BitcoinPayloadFormat)) {
    refuse('INVALID_REQUEST', 'format', `must be one of ${FORMATS.join(', ')}`);
  }
  return format as BitcoinPayloadFormat;
}
