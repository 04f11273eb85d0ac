// MultiversX addresses: bech32 (BIP-173) with the prefix "erd" over the 32-byte account public key, the
// same on every network (docs.multiversx.com "Accounts management"). Smart contract accounts have
// addresses of the same form. Encoding and decoding are @multiversx/sdk-core's.
// The SDK's Address module alone, not the package index (which also loads its networking, bip39 wordlists
// and mime-db into the handlers' init code): bench/issue-16-cold-start.md.
import { Address } from '@multiversx/sdk-core/out/core/address.js';
import { InvalidPublicKeyError } from '../../crypto/public-key.js';
import { ed25519PublicKeyProblem } from '../../kms/ed25519.js';
import { decoded, rejected, type DecodeOutcome } from './result.js';
import { errorMessage } from '../../util/error-message.js';
import type { FamilyAddressCodec } from './codecs.js';

export const MULTIVERSX_HRP = 'erd';

/** The erd1… address of a wallet's Ed25519 public key. */
export function deriveMultiversXAddress(publicKey: Uint8Array): string {
  const problem = ed25519PublicKeyProblem(publicKey);
  if (problem) throw new InvalidPublicKeyError(`Ed25519 public key ${problem}`);
  return new Address(publicKey, MULTIVERSX_HRP).toBech32();
}

/** An erd1… address of exactly 32 bytes, lowercase. */
export function decodeMultiversXAddress(address: string): DecodeOutcome {
  if (address !== address.toLowerCase()) return rejected('MultiversX addresses are lowercase bech32');
  if (!address.startsWith(`${MULTIVERSX_HRP}1`)) {
    return rejected(`not a MultiversX address: expected bech32 starting "${MULTIVERSX_HRP}1"`);
  }
  let parsed: Address;
  try {
    parsed = Address.newFromBech32(address);
  } catch (err) {
    return rejected(`not a valid erd1… address (${errorMessage(err)})`);
  }
  if (parsed.getHrp() !== MULTIVERSX_HRP) return rejected(`prefix "${parsed.getHrp()}" is not "erd"`);
  if (parsed.getPublicKey().length !== 32) return rejected('the address does not carry 32 bytes');
  return decoded('multiversx', parsed.toBech32());
}

export const codec: FamilyAddressCodec = {
  derive: (_chain, _network, _format, publicKey) => deriveMultiversXAddress(publicKey),
  decode: (_chain, _network, address) => decodeMultiversXAddress(address),
};
