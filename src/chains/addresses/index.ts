import { UnsupportedAddressFormatError, UnsupportedChainError } from '../errors.js';
import { parsePublicKey, hash160 } from '../../crypto/public-key.js';
import { assertNetwork, getFamilyChain, getChain } from '../registry.js';
import type { AddressFormat, ChainDefinition, ChainId, NetworkName } from '../types.js';
import { deriveBitcoinAddress } from './bitcoin.js';
import { encodeCashAddrP2pkh } from './cashaddr.js';
import { deriveEvmAddress, deriveHarmonyAddress, deriveXdcAddress } from './evm.js';
import { deriveXrpAddress } from './xrp.js';
import { deriveSolanaAddress } from './solana.js';
import { deriveCardanoAddress } from './cardano.js';
import { deriveMultiversXAddress } from './multiversx.js';
import { deriveStellarAddress } from './stellar.js';
import { deriveAlgorandAddress } from './algorand.js';
import { deriveTronAddress } from './tron.js';

/**
 * The address of `publicKey` (33-byte compressed or 65-byte uncompressed secp256k1 point; a 32-byte
 * Ed25519 key on Ed25519 chains) on a chain and network, in `format` or the chain's default format.
 * Bitcoin-family formats always hash the COMPRESSED key.
 *
 * Throws UnsupportedChainError, UnsupportedNetworkError, UnsupportedAddressFormatError or InvalidPublicKeyError
 * (chain and network are checked at run time too, for callers that cast unchecked input).
 */
export function deriveAddress(
  chain: ChainId,
  network: NetworkName,
  publicKey: Uint8Array,
  format?: AddressFormat,
): string {
  const def: ChainDefinition = getChain(chain);
  assertNetwork(chain, network);
  if (def.addressFormats.length === 0) {
    throw new UnsupportedChainError(
      def.id,
      'its addresses are assigned by the chain, not derived from a key',
    );
  }
  const chosen = format ?? def.addressFormats[0];
  if (chosen === undefined || !def.addressFormats.includes(chosen)) {
    throw new UnsupportedAddressFormatError(def.id, String(chosen), def.addressFormats);
  }
  // Signing derives the wallet's address for every transaction; the hashing (keccak and its EIP-55
  // checksum in pure JavaScript, ≈ 0.1 ms) is paid once per key and format.
  const cacheKey = `${chain}|${network}|${chosen}|${Buffer.from(publicKey).toString('hex')}`;
  const cached = derivedAddresses.get(cacheKey);
  if (cached !== undefined) return cached;
  const address = deriveUncached(chain, network, def, chosen, publicKey);
  if (derivedAddresses.size >= DERIVED_ADDRESS_CACHE_SIZE) derivedAddresses.clear();
  derivedAddresses.set(cacheKey, address);
  return address;
}

/** Enough for every wallet of a busy signer; cleared wholesale when full (no eviction bookkeeping). */
const DERIVED_ADDRESS_CACHE_SIZE = 50_000;
const derivedAddresses = new Map<string, string>();

function deriveUncached(
  chain: ChainId,
  network: NetworkName,
  def: ChainDefinition,
  chosen: AddressFormat,
  publicKey: Uint8Array,
): string {
  if (chosen === 'solana') return deriveSolanaAddress(publicKey);
  if (chosen === 'cardano-enterprise')
    return deriveCardanoAddress(getFamilyChain('cardano', chain, network).params, publicKey);
  if (chosen === 'multiversx') return deriveMultiversXAddress(publicKey);
  if (chosen === 'stellar') return deriveStellarAddress(publicKey);
  if (chosen === 'algorand') return deriveAlgorandAddress(publicKey);
  const key = parsePublicKey(publicKey);
  switch (chosen) {
    case 'p2wpkh':
    case 'p2sh-p2wpkh':
    case 'p2pkh':
      return deriveBitcoinAddress(getFamilyChain('bitcoin', chain, network).chain, network, key, chosen);
    case 'cashaddr': {
      const { params } = getFamilyChain('bitcoin', chain, network);
      if (params.cashAddrPrefix === null)
        throw new UnsupportedAddressFormatError(def.id, chosen, def.addressFormats);
      return encodeCashAddrP2pkh(params.cashAddrPrefix, hash160(key.compressed));
    }
    case 'evm':
      return deriveEvmAddress(key);
    case 'tron':
      return deriveTronAddress(getFamilyChain('tron', chain, network).params, key);
    case 'xdc':
      return deriveXdcAddress(key);
    case 'one-bech32':
      return deriveHarmonyAddress(key);
    case 'xrp':
      return deriveXrpAddress(key);
  }
}

/** Every address format of the chain for `publicKey`, default format first. */
export function deriveAddresses(
  chain: ChainId,
  network: NetworkName,
  publicKey: Uint8Array,
): { format: AddressFormat; address: string }[] {
  const def: ChainDefinition = getChain(chain);
  assertNetwork(chain, network);
  if (def.addressFormats.length === 0) deriveAddress(chain, network, publicKey); // throws the reason
  return def.addressFormats.map((format) => ({
    format,
    address: deriveAddress(chain, network, publicKey, format),
  }));
}
