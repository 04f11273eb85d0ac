// Solana addresses are the base58 encoding of a 32-byte account key (docs.solana.com, "Accounts"):
// for a wallet, its Ed25519 public key; for a destination, any 32 bytes (program-derived addresses are
// deliberately off the curve and still receive SOL). Encoding and decoding are @solana/kit's.
import { getAddressDecoder, getAddressEncoder, isAddress } from '@solana/kit';
import { InvalidPublicKeyError } from '../../crypto/public-key.js';
import { ed25519PublicKeyProblem } from '../../kms/ed25519.js';
import { decoded, rejected, type DecodeOutcome } from './result.js';
import type { FamilyAddressCodec } from './codecs.js';

/** The base58 address of a wallet's Ed25519 public key (32 bytes, a canonical point of large order). */
export function deriveSolanaAddress(publicKey: Uint8Array): string {
  const problem = ed25519PublicKeyProblem(publicKey);
  if (problem) throw new InvalidPublicKeyError(`Ed25519 public key ${problem}`);
  return getAddressDecoder().decode(publicKey);
}

export function decodeSolanaAddress(address: string): DecodeOutcome {
  if (!isAddress(address)) return rejected('not a Solana address (base58 of exactly 32 bytes)');
  return decoded('solana', address);
}

/** The 32 account-key bytes of a valid Solana address. */
export function solanaAddressBytes(address: string): Uint8Array {
  if (!isAddress(address))
    throw new InvalidPublicKeyError('not a Solana address (base58 of exactly 32 bytes)');
  return Uint8Array.from(getAddressEncoder().encode(address));
}

export const codec: FamilyAddressCodec = {
  derive: (_chain, _network, _format, publicKey) => deriveSolanaAddress(publicKey),
  decode: (_chain, _network, address) => decodeSolanaAddress(address),
};
