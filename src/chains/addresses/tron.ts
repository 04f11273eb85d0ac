import { keccak_256 } from '@noble/hashes/sha3.js';
import bs58check from 'bs58check';

import { parsePublicKey, type Secp256k1PublicKey } from '../../crypto/public-key.js';
import { getFamilyChain } from '../registry.js';
import type { TronNetworkParams } from '../types.js';
import { base58VersionOwners, usedBy } from './hints.js';
import { decoded, hex8, rejected, type DecodeOutcome } from './result.js';
import { errorMessage } from '../../util/error-message.js';
import type { FamilyAddressCodec } from './codecs.js';

/** Base58Check(prefix ‖ keccak256(X ‖ Y)[12..32]), i.e. the familiar T… address. */
export function deriveTronAddress(params: TronNetworkParams, key: Secp256k1PublicKey): string {
  const hash = keccak_256(key.uncompressed.subarray(1));
  return bs58check.encode(Uint8Array.from([params.addressPrefix, ...hash.subarray(12)]));
}

/** Only the Base58Check (T…) form is accepted; use tronAddressFromHex() for the 41… hex form. */
export function decodeTronAddress(params: TronNetworkParams, address: string): DecodeOutcome {
  let payload: Uint8Array;
  try {
    payload = bs58check.decode(address);
  } catch (err) {
    const msg = errorMessage(err);
    return rejected(
      /checksum/i.test(msg) ? 'Base58Check checksum mismatch' : `not valid Base58Check (${msg})`,
    );
  }
  if (payload.length !== 21) {
    return rejected(
      `Base58Check payload is ${payload.length} bytes, expected 21 (prefix byte + 20-byte hash)`,
    );
  }
  const prefix = payload[0] ?? -1;
  if (prefix !== params.addressPrefix) {
    return rejected(
      `prefix byte ${hex8(prefix)} is not TRON's ${hex8(params.addressPrefix)}` +
        usedBy(base58VersionOwners(prefix)),
    );
  }
  return decoded('tron', address);
}

/** "41" + 40 hex digits (as used by TRON's HTTP API) to the T… form. Throws on anything else. */
export function tronAddressFromHex(hex: string): string {
  const m = /^(?:0x)?(41[0-9a-fA-F]{40})$/.exec(hex);
  if (m?.[1] === undefined)
    throw new Error(`Invalid TRON hex address ${JSON.stringify(hex)}: expected "41" + 40 hex digits`);
  return bs58check.encode(Uint8Array.from(Buffer.from(m[1], 'hex')));
}

/** The T… form to lowercase "41…" hex. Throws on an invalid TRON address. */
export function tronAddressToHex(address: string): string {
  const result = decodeTronAddress(getFamilyChain('tron', 'TRON', 'mainnet').params, address);
  if (!result.ok) throw new Error(`Invalid TRON address ${JSON.stringify(address)}: ${result.reason}`);
  return Buffer.from(bs58check.decode(address)).toString('hex');
}

/** Either form of a TRON address as the T… form (TronWeb JSON carries "41…" hex unless `visible`). */
export function canonicalTronAddress(address: string): string {
  return /^(?:0x)?41[0-9a-fA-F]{40}$/.test(address) ? tronAddressFromHex(address) : address;
}

export const codec: FamilyAddressCodec = {
  derive: (chain, network, _format, publicKey) =>
    deriveTronAddress(getFamilyChain('tron', chain, network).params, parsePublicKey(publicKey)),
  decode: (chain, network, address) =>
    decodeTronAddress(getFamilyChain('tron', chain, network).params, address),
  canonical: canonicalTronAddress,
};
