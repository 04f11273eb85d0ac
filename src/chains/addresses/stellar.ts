// Stellar account addresses are StrKeys (SEP-0023): "G…", base32 of version byte 6<<3 ‖ the 32-byte
// Ed25519 public key ‖ CRC16-XModem, little endian. Encoding and validation are stellar-base's StrKey.
// Muxed accounts ("M…", an account id plus a 64-bit sub-account) are not accepted as destinations yet:
// a policy allow-list names plain accounts, and two spellings of one destination would defeat it.
// The StrKey module alone, not the package index (which loads the whole XDR codec into the handlers'
// init code): src/types/stellar-strkey.d.ts, bench/issue-16-cold-start.md.
import { StrKey } from '@stellar/stellar-base/lib/strkey.js';
import { InvalidPublicKeyError } from '../../crypto/public-key.js';
import { ed25519PublicKeyProblem } from '../../kms/ed25519.js';
import { decoded, rejected, type DecodeOutcome } from './result.js';
import type { FamilyAddressCodec } from './codecs.js';

/** The G… address of a wallet's Ed25519 public key (32 bytes, a canonical point of large order). */
export function deriveStellarAddress(publicKey: Uint8Array): string {
  const problem = ed25519PublicKeyProblem(publicKey);
  if (problem) throw new InvalidPublicKeyError(`Ed25519 public key ${problem}`);
  return StrKey.encodeEd25519PublicKey(Buffer.from(publicKey));
}

export function decodeStellarAddress(address: string): DecodeOutcome {
  if (StrKey.isValidEd25519PublicKey(address)) return decoded('stellar', address);
  if (StrKey.isValidMed25519PublicKey(address)) {
    return rejected('muxed Stellar accounts (M…) are not supported; use the G… account and a memo');
  }
  return rejected('not a Stellar account address (StrKey G… with a valid checksum)');
}

export const codec: FamilyAddressCodec = {
  derive: (_chain, _network, _format, publicKey) => deriveStellarAddress(publicKey),
  decode: (_chain, _network, address) => decodeStellarAddress(address),
};
