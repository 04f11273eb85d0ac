/**
 * Chains: one registry that describes every supported chain once (src/chains/registry.ts), address
 * derivation from a secp256k1 public key, and strict address validation.
 *
 * - deriveAddress/deriveAddresses: Bitcoin-family formats hash the COMPRESSED key; EVM and TRON hash X ‖ Y.
 *   Formats per chain (default first): BTC/LTC p2wpkh, p2sh-p2wpkh, p2pkh; DOGE p2pkh; BCH cashaddr, p2pkh;
 *   EVM chains evm; TRON tron.
 * - validateAddress: for DESTINATIONS. Besides our own formats it accepts script hashes ('p2sh',
 *   'cashaddr-p2sh'), P2WSH and Taproot where the chain has them; it refuses witness versions/lengths that
 *   are not standard outputs yet, CashTokens-aware CashAddrs and Litecoin's deprecated 3…/2… P2SH form.
 *   Unknown chains/networks throw; bad addresses return { valid: false, reason }.
 * - addressToOutputScript: the scriptPubKey a Bitcoin-family destination pays to.
 */
export type {
  AddressFormat,
  AddressValidation,
  BitcoinChainDefinition,
  BitcoinNetworkParams,
  CardanoChainDefinition,
  CardanoNetworkParams,
  CashAddrPrefix,
  ChainDefinition,
  ChainFamily,
  ChainId,
  DestinationFormat,
  EvmChainDefinition,
  EvmNetworkParams,
  MultiversXChainDefinition,
  MultiversXNetworkParams,
  FlowChainDefinition,
  FlowNetworkParams,
  NativeAsset,
  NetworkName,
  NetworkParams,
  SolanaChainDefinition,
  SolanaNetworkParams,
  StellarChainDefinition,
  StellarNetworkParams,
  AlgorandChainDefinition,
  AlgorandNetworkParams,
  TronChainDefinition,
  TronNetworkParams,
  XrpChainDefinition,
  XrpNetworkParams,
} from './types.js';
export { ADDRESS_FORMATS, CHAIN_IDS, NETWORK_NAMES } from './types.js';
export {
  ChainsError,
  InvalidAddressError,
  UnsupportedAddressFormatError,
  UnsupportedChainError,
  UnsupportedNetworkError,
} from './errors.js';
export {
  CHAINS,
  assertNetwork,
  getFamilyChain,
  getChain,
  getNetwork,
  chainKeySpec,
  isChainId,
  isNetworkName,
  listChains,
  listNetworks,
  RETIRED_CHAINS,
  retiredChainReason,
} from './registry.js';
export { bitcoinjsNetwork } from './bitcoin-networks.js';
export { InvalidPublicKeyError, parsePublicKey, type Secp256k1PublicKey } from '../crypto/public-key.js';
export {
  canonicalAddress,
  deriveAddress,
  deriveAddresses,
  loadAddressCode,
  loadAllAddressCode,
} from './addresses/index.js';
export { addressToOutputScript, toEvmAddress, validateAddress } from './validate.js';
