import { decodeAccountID, encodeAccountID, isValidXAddress } from 'ripple-address-codec';

import { hash160 } from '../../crypto/hash160.js';
import { parsePublicKey, type Secp256k1PublicKey } from '../../crypto/public-key.js';
import { decoded, rejected, type DecodeOutcome } from './result.js';
import { errorMessage } from '../../util/error-message.js';
import type { FamilyAddressCodec } from './codecs.js';

/**
 * Classic address r…: Base58Check in the XRP Ledger alphabet of 0x00 ‖ RIPEMD-160(SHA-256(compressed key))
 * (xrpl.org "Addresses", "Account ID and Address"). The same on mainnet, testnet and devnet.
 */
export function deriveXrpAddress(key: Secp256k1PublicKey): string {
  return encodeAccountID(hash160(key.compressed));
}

/**
 * A classic r… address. X-addresses (which pack a destination tag into the address) are refused: Tatum
 * payloads carry the classic address and a separate DestinationTag, and one form keeps policy simple.
 */
export function decodeXrpAddress(address: string): DecodeOutcome {
  if (isValidXAddress(address)) {
    return rejected(
      'X-addresses are not accepted: give the classic r… address and the destination tag separately',
    );
  }
  if (!address.startsWith('r')) return rejected('not an XRP Ledger classic address: it must start with "r"');
  try {
    const accountId = decodeAccountID(address);
    if (accountId.length !== 20) return rejected(`account id is ${accountId.length} bytes, expected 20`);
  } catch (err) {
    const msg = errorMessage(err);
    return rejected(
      /checksum/i.test(msg) ? 'Base58Check checksum mismatch' : `not a classic address (${msg})`,
    );
  }
  return decoded('xrp', address);
}

export const codec: FamilyAddressCodec = {
  derive: (_chain, _network, _format, publicKey) => deriveXrpAddress(parsePublicKey(publicKey)),
  decode: (_chain, _network, address) => decodeXrpAddress(address),
};
