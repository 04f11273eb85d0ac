// Cardano Shelley addresses (CIP-19): a header byte (address type in the high nibble, network id in the low
// one) and credentials, in bech32 with the prefix addr / addr_test (CIP-5). A wallet's own address is the
// enterprise address of its Ed25519 payment key (type 6: header 0x61 mainnet / 0x60 test networks, then
// blake2b-224 of the public key). Encoding and decoding are @emurgo/cardano-serialization-lib's.
import {
  Address,
  AddressKind,
  Credential,
  EnterpriseAddress,
  PublicKey,
} from '@emurgo/cardano-serialization-lib-nodejs';
import { InvalidPublicKeyError } from '../../crypto/public-key.js';
import { ed25519PublicKeyProblem } from '../../kms/ed25519.js';
import type { CardanoNetworkParams } from '../types.js';
import { decoded, rejected, type DecodeOutcome } from './result.js';
import { errorMessage } from '../../util/error-message.js';
import type { FamilyAddressCodec } from './codecs.js';
import { getFamilyChain } from '../registry.js';

/** The enterprise (type 6) address of a wallet's Ed25519 payment key on `params`' network. */
export function deriveCardanoAddress(params: CardanoNetworkParams, publicKey: Uint8Array): string {
  const problem = ed25519PublicKeyProblem(publicKey);
  if (problem) throw new InvalidPublicKeyError(`Ed25519 public key ${problem}`);
  const keyHash = PublicKey.from_bytes(publicKey).hash();
  const address = EnterpriseAddress.new(params.networkId, Credential.from_keyhash(keyHash)).to_address();
  return address.to_bech32(params.addressHrp);
}

const SHELLEY_PAYMENT_KINDS = new Set([AddressKind.Base, AddressKind.Pointer, AddressKind.Enterprise]);

/**
 * A Shelley payment address of the network, lowercase bech32 with the network's prefix. Byron (bootstrap)
 * addresses and reward (stake…) addresses are refused: the first are legacy and easy to mistype between
 * networks, the second cannot hold a transaction output.
 */
export function decodeCardanoAddress(params: CardanoNetworkParams, address: string): DecodeOutcome {
  const lower = address.toLowerCase();
  const separator = lower.lastIndexOf('1');
  const prefix = separator > 0 ? lower.slice(0, separator) : '';
  if (!['addr', 'addr_test', 'stake', 'stake_test'].includes(prefix)) {
    return rejected(
      `not a Shelley address: expected bech32 starting "${params.addressHrp}1" (Byron addresses are not accepted)`,
    );
  }
  if (address !== lower && address !== address.toUpperCase()) {
    return rejected('bech32 must not mix upper and lower case');
  }
  if (prefix === 'stake' || prefix === 'stake_test') {
    return rejected('a reward (stake…) address cannot receive a payment; ask for an addr… address');
  }
  if (prefix !== params.addressHrp) {
    return rejected(
      `prefix "${prefix}" is not "${params.addressHrp}" (${params.label}); that is the other Cardano network`,
    );
  }
  let parsed: Address;
  try {
    parsed = Address.from_bech32(lower);
  } catch (err) {
    return rejected(`not a valid Cardano address (${errorMessage(err)})`);
  }
  if (!SHELLEY_PAYMENT_KINDS.has(parsed.kind())) {
    return rejected('not a Shelley payment address (base, pointer or enterprise)');
  }
  if (parsed.network_id() !== params.networkId) {
    return rejected(
      `network id ${parsed.network_id()} in the header is not ${params.networkId} (${params.label})`,
    );
  }
  const isOwnFormat =
    parsed.kind() === AddressKind.Enterprise && parsed.payment_cred()?.has_script_hash() === false;
  return decoded(isOwnFormat ? 'cardano-enterprise' : 'cardano-shelley', lower);
}

export const codec: FamilyAddressCodec = {
  derive: (chain, network, _format, publicKey) =>
    deriveCardanoAddress(getFamilyChain('cardano', chain, network).params, publicKey),
  decode: (chain, network, address) =>
    decodeCardanoAddress(getFamilyChain('cardano', chain, network).params, address),
};
