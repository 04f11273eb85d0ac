import { UnsupportedAddressFormatError, UnsupportedChainError } from '../errors.js';
import { loadSecp256k1 } from '../../crypto/libsecp256k1.js';
import { SECP256K1_KEY_SPEC } from '../../kms/key-specs.js';
import { assertNetwork, chainKeySpec, getChain } from '../registry.js';
import type { AddressFormat, ChainDefinition, ChainId, NetworkName } from '../types.js';
import { ALL_FAMILIES, familyAddressCodec, loadFamilyAddressCodecs } from './codecs.js';

/**
 * The address of `publicKey` (33-byte compressed or 65-byte uncompressed secp256k1 point; a 32-byte
 * Ed25519 key on Ed25519 chains) on a chain and network, in `format` or the chain's default format.
 * Bitcoin-family formats always hash the COMPRESSED key.
 *
 * Throws UnsupportedChainError, UnsupportedNetworkError, UnsupportedAddressFormatError or InvalidPublicKeyError
 * (chain and network are checked at run time too, for callers that cast unchecked input). The chain's family
 * address code must be loaded first (loadAddressCode; ./codecs.ts).
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
  const address = familyAddressCodec(def.family).derive(chain, network, chosen, publicKey);
  if (derivedAddresses.size >= DERIVED_ADDRESS_CACHE_SIZE) derivedAddresses.clear();
  derivedAddresses.set(cacheKey, address);
  return address;
}

/**
 * `address` in the one spelling the chain's decode reports (TRON: the T… form of a "41…" hex address;
 * other families have one spelling and get it back as given). The chain's family code must be loaded.
 */
export function canonicalAddress(chain: ChainId, address: string): string {
  return familyAddressCodec(getChain(chain).family).canonical?.(address) ?? address;
}

/** Enough for every wallet of a busy signer; cleared wholesale when full (no eviction bookkeeping). */
const DERIVED_ADDRESS_CACHE_SIZE = 50_000;
const derivedAddresses = new Map<string, string>();

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

/**
 * Loads the address code of the chains' families (./codecs.ts: each family is imported on first use, so a
 * Lambda parses only the SDKs of the chains it serves) and, for secp256k1 chains, libsecp256k1 (their
 * codecs and signers check keys and signatures with it, src/crypto/libsecp256k1.ts). Await it before
 * deriving or validating addresses of these chains or signing for them; a chain that is not in the
 * registry throws UnsupportedChainError.
 */
export async function loadAddressCode(chains: Iterable<string>): Promise<void> {
  const list = [...chains];
  const families = list.map((chain) => getChain(chain).family);
  const secp256k1 = list.some((chain) => chainKeySpec(chain) === SECP256K1_KEY_SPEC);
  await Promise.all([loadFamilyAddressCodecs(families), secp256k1 ? loadSecp256k1() : undefined]);
}

/** Every family's address code and libsecp256k1 (the CLI, scripts and tests that touch many chains). */
export async function loadAllAddressCode(): Promise<void> {
  await Promise.all([loadFamilyAddressCodecs(ALL_FAMILIES), loadSecp256k1()]);
}
