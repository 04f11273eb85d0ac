import { decodeBase58Address, decodeSegwitAddress, tryBase58Check } from './addresses/bitcoin.js';
import { decodeCashAddr } from './addresses/cashaddr.js';
import { decodeEvmAddress, decodeHarmonyAddress, decodeXdcAddress } from './addresses/evm.js';
import { decodeXrpAddress } from './addresses/xrp.js';
import { bech32HrpOwners } from './addresses/hints.js';
import { rejected, type DecodeOutcome } from './addresses/result.js';
import { decodeFlowAddress } from './addresses/flow.js';
import { decodeSolanaAddress } from './addresses/solana.js';
import { decodeCardanoAddress } from './addresses/cardano.js';
import { decodeMultiversXAddress } from './addresses/multiversx.js';
import { decodeStellarAddress } from './addresses/stellar.js';
import { decodeAlgorandAddress } from './addresses/algorand.js';
import { decodeTronAddress } from './addresses/tron.js';
import { InvalidAddressError, UnsupportedChainError } from './errors.js';
import { getFamilyChain, getChain, getNetwork } from './registry.js';
import type { AddressFormat, AddressValidation, ChainId, NetworkName } from './types.js';

const BECH32_CHARS = /^[qpzry9x8gf2tvdw0s3jn54khce6mua7l]+$/;

/** "hrp1data" where data is in the bech32 alphabet and hrp is a known HRP or the string is single-case. */
function looksLikeBech32(address: string): boolean {
  const lower = address.toLowerCase();
  const sep = lower.lastIndexOf('1');
  if (sep < 1 || !BECH32_CHARS.test(lower.slice(sep + 1))) return false;
  const singleCase = address === lower || address === address.toUpperCase();
  return singleCase || bech32HrpOwners(lower.slice(0, sep)).length > 0;
}

function decodeBitcoinFamily(chainId: string, network: string, address: string): DecodeOutcome {
  const { chain, params } = getFamilyChain('bitcoin', chainId, network);
  if (params.cashAddrPrefix !== null && address.includes(':')) {
    return decodeCashAddr(chain, params, address);
  }
  const base58 = tryBase58Check(address);
  if (base58.ok) return decodeBase58Address(chain, params, address, base58.payload);
  if (looksLikeBech32(address)) return decodeSegwitAddress(chain, params, address);
  if (params.cashAddrPrefix !== null && BECH32_CHARS.test(address.toLowerCase())) {
    return decodeCashAddr(chain, params, address);
  }
  return rejected(`not a ${chain.name} address: ${base58.reason}`);
}

function decode(chain: string, network: string, address: string): DecodeOutcome {
  const def = getChain(chain);
  getNetwork(chain, network);
  if (typeof address !== 'string') return rejected('address must be a string');
  if (address.length === 0) return rejected('address is empty');
  if (address.trim() !== address || /\s/.test(address)) return rejected('address contains whitespace');
  if (address.length > 128)
    return rejected(`address is ${address.length} characters long, which no supported format is`);
  switch (def.family) {
    case 'bitcoin':
      return decodeBitcoinFamily(chain, network, address);
    case 'evm':
      return decodeEvmFamily(def.addressFormats, address);
    case 'tron':
      return decodeTronAddress(getFamilyChain('tron', chain, network).params, address);
    case 'xrp':
      return decodeXrpAddress(address);
    case 'solana':
      return decodeSolanaAddress(address);
    case 'cardano':
      return decodeCardanoAddress(getFamilyChain('cardano', chain, network).params, address);
    case 'multiversx':
      return decodeMultiversXAddress(address);
    case 'flow':
      return decodeFlowAddress(address);
    case 'stellar':
      return decodeStellarAddress(address);
    case 'algorand':
      return decodeAlgorandAddress(address);
    case 'vet':
      return decodeEvmAddress(address); // VeChain addresses are Ethereum's (0x, keccak, EIP-55)
  }
}

/** The 0x form everywhere; XDC's xdc… and Harmony's one1… forms only on their own chains. */
function decodeEvmFamily(formats: readonly AddressFormat[], address: string): DecodeOutcome {
  if (formats.includes('xdc')) return decodeXdcAddress(address);
  if (formats.includes('one-bech32')) return decodeHarmonyAddress(address);
  return decodeEvmAddress(address);
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
