// Algorand addresses: base32 (RFC 4648, no padding, 58 characters) of the 32-byte Ed25519 public key
// followed by the last 4 bytes of its SHA-512/256 hash as a checksum (developer.algorand.org "Accounts").
// Encoding and decoding are algosdk's.
import { decodeAddress, encodeAddress } from 'algosdk';
import { InvalidPublicKeyError } from '../../crypto/public-key.js';
import { ed25519PublicKeyProblem } from '../../kms/ed25519.js';
import { decoded, rejected, type DecodeOutcome } from './result.js';
import type { FamilyAddressCodec } from './codecs.js';

const ALGORAND_ADDRESS = /^[A-Z2-7]{58}$/;

/** The address of a wallet's Ed25519 public key (32 bytes, a canonical point of large order). */
export function deriveAlgorandAddress(publicKey: Uint8Array): string {
  const problem = ed25519PublicKeyProblem(publicKey);
  if (problem) throw new InvalidPublicKeyError(`Ed25519 public key ${problem}`);
  return encodeAddress(Uint8Array.from(publicKey));
}

/** Strict: upper-case base32, 58 characters, checksum valid, and the canonical spelling of its bytes. */
export function decodeAlgorandAddress(address: string): DecodeOutcome {
  if (!ALGORAND_ADDRESS.test(address)) {
    return rejected('not an Algorand address (58 upper-case base32 characters)');
  }
  let publicKey: Uint8Array;
  try {
    publicKey = decodeAddress(address).publicKey;
  } catch {
    return rejected('not an Algorand address (bad checksum)');
  }
  // The last character carries 2 spare bits; only the spelling algosdk produces is canonical.
  if (encodeAddress(publicKey) !== address)
    return rejected('not the canonical spelling of an Algorand address');
  return decoded('algorand', address);
}

export const codec: FamilyAddressCodec = {
  derive: (_chain, _network, _format, publicKey) => deriveAlgorandAddress(publicKey),
  decode: (_chain, _network, address) => decodeAlgorandAddress(address),
};
