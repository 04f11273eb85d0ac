import { familyAddressCodec } from './addresses/codecs.js';
import { rejected, type DecodeOutcome } from './addresses/result.js';
import { InvalidAddressError, UnsupportedChainError } from './errors.js';
import { getChain, getNetwork } from './registry.js';
import type { AddressValidation, ChainId, NetworkName } from './types.js';

function decode(chain: string, network: string, address: string): DecodeOutcome {
  const def = getChain(chain);
  getNetwork(chain, network);
  if (typeof address !== 'string') return rejected('address must be a string');
  if (address.length === 0) return rejected('address is empty');
  if (address.trim() !== address || /\s/.test(address)) return rejected('address contains whitespace');
  if (address.length > 128)
    return rejected(`address is ${address.length} characters long, which no supported format is`);
  return familyAddressCodec(def.family).decode(def.id, network as NetworkName, address);
}

/**
 * Strict validation of a (destination) address for a chain and network. Valid results carry the
 * address's format (see DestinationFormat) and its canonical spelling: lowercase for bech32/CashAddr (with
 * prefix), EIP-55 for EVM, unchanged for Base58Check. Invalid results carry a human-readable reason.
 *
 * An unknown chain or a network the chain is not defined for is a programming error and throws
 * (UnsupportedChainError / UnsupportedNetworkError) instead of returning { valid: false }.
 */
export function validateAddress(chain: ChainId, network: NetworkName, address: string): AddressValidation {
  const result = decode(chain, network, address);
  if (!result.ok) return { valid: false, reason: result.reason };
  return { valid: true, format: result.value.format, normalized: result.value.normalized };
}

/**
 * The locking script (scriptPubKey) an address pays to, for Bitcoin-family chains. Throws InvalidAddressError
 * with the validation reason for an invalid address and UnsupportedChainError for non-Bitcoin chains.
 */
export function addressToOutputScript(chain: ChainId, network: NetworkName, address: string): Uint8Array {
  const def = getChain(chain);
  if (def.family !== 'bitcoin') {
    throw new UnsupportedChainError(def.id, 'output scripts exist only on Bitcoin-family chains');
  }
  const result = decode(chain, network, address);
  if (!result.ok) throw new InvalidAddressError(def.id, network, address, result.reason);
  const script = result.value.outputScript;
  if (script === undefined) throw new InvalidAddressError(def.id, network, address, 'no output script');
  return script;
}

/**
 * The EIP-55 0x form that an EVM-family transaction carries for an address in any spelling the chain
 * accepts (0x…, XDC's xdc…, Harmony's one1…). Throws InvalidAddressError with the validation reason, and
 * UnsupportedChainError for chains outside the EVM family.
 */
export function toEvmAddress(chain: ChainId, network: NetworkName, address: string): string {
  const def = getChain(chain);
  if (def.family !== 'evm') throw new UnsupportedChainError(def.id, 'it is not an EVM-family chain');
  const result = decode(chain, network, address);
  if (!result.ok) throw new InvalidAddressError(def.id, network, address, result.reason);
  const hex = result.value.evmAddress;
  if (hex === undefined) throw new InvalidAddressError(def.id, network, address, 'no EVM address');
  return hex;
}
