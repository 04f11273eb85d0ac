/** Chain identifiers. All but EVM_DEV are Tatum's currency strings; EVM_DEV is a local anvil chain. */
export const CHAIN_IDS = [
  'BTC',
  'LTC',
  'DOGE',
  'BCH',
  'ETH',
  'BSC',
  'MATIC',
  'EVM_DEV',
  'TRON',
  'CELO',
  'KLAY',
  'XDC',
  'ONE',
  'KCS',
  'XRP',
  'SOL',
  'ADA',
  'EGLD',
  'FLOW',
  'XLM',
  'ALGO',
  'VET',
] as const;
export type ChainId = (typeof CHAIN_IDS)[number];

export const NETWORK_NAMES = ['mainnet', 'testnet', 'regtest'] as const;
export type NetworkName = (typeof NETWORK_NAMES)[number];

export type ChainFamily =
  | 'bitcoin'
  | 'evm'
  | 'tron'
  | 'xrp'
  | 'solana'
  | 'cardano'
  | 'multiversx'
  | 'flow'
  | 'stellar'
  | 'algorand'
  | 'vet';

/**
 * Address formats this service can DERIVE from one of its own public keys (and therefore receive funds on).
 * 'p2sh-p2wpkh' is P2WPKH nested in P2SH (BIP-49 style); 'cashaddr' is a P2PKH CashAddr. 'xdc' is the EVM
 * address with XDC's "xdc" prefix in place of "0x"; 'one-bech32' is Harmony's one1… bech32 form of the EVM
 * address; 'xrp' is the XRP Ledger's classic r… address.
 */
export const ADDRESS_FORMATS = [
  'p2wpkh',
  'p2sh-p2wpkh',
  'p2pkh',
  'cashaddr',
  'evm',
  'tron',
  'xdc',
  'one-bech32',
  'xrp',
  'solana',
  'cardano-enterprise',
  'multiversx',
  'stellar',
  'algorand',
] as const;
export type AddressFormat = (typeof ADDRESS_FORMATS)[number];

/**
 * Formats that validateAddress() can report for a DESTINATION. It is a superset of AddressFormat: outputs
 * that other wallets commonly use but that we never derive ourselves (script hashes, P2WSH, Taproot).
 * A base58 P2SH address cannot be told apart from P2SH-P2WPKH, so validation reports it as 'p2sh'.
 */
export type DestinationFormat =
  | AddressFormat
  | 'p2sh'
  | 'p2wsh'
  | 'p2tr'
  | 'cashaddr-p2sh'
  /** Any other Shelley payment address (base, pointer, script enterprise) of the wallet's Cardano network. */
  | 'cardano-shelley'
  | 'flow';

export type CashAddrPrefix = 'bitcoincash' | 'bchtest' | 'bchreg';

export interface NativeAsset {
  readonly symbol: string;
  readonly decimals: number;
}

export interface BitcoinNetworkParams {
  /** Human-readable network name, for logs and error messages. */
  readonly label: string;
  /** BIP-173 human-readable part, or null where the chain has no native segwit (DOGE, BCH). */
  readonly bech32Hrp: string | null;
  /** Base58Check version byte of P2PKH addresses. */
  readonly pubKeyHash: number;
  /** Base58Check version byte of P2SH addresses. */
  readonly scriptHash: number;
  /**
   * An older P2SH version byte the chain's node still decodes but that collides with another chain's
   * P2SH addresses (Litecoin's 3…/2… addresses). Validation refuses it with an explanatory reason.
   */
  readonly legacyScriptHash: number | null;
  /** Version byte of WIF private keys (only needed by bitcoinjs-lib's Network shape). */
  readonly wif: number;
  /** BIP-32 extended key version bytes (only needed by bitcoinjs-lib's Network shape). */
  readonly bip32: { readonly public: number; readonly private: number };
  /** CashAddr prefix (BCH only). */
  readonly cashAddrPrefix: CashAddrPrefix | null;
}

export interface EvmNetworkParams {
  readonly label: string;
  /** EIP-155 chain id. */
  readonly chainId: number;
}

export interface XrpNetworkParams {
  readonly label: string;
}

export interface TronNetworkParams {
  readonly label: string;
  /** First byte of every 21-byte TRON address (0x41 on mainnet and all public testnets). */
  readonly addressPrefix: number;
}

export interface VetNetworkParams {
  readonly label: string;
  /** Last byte of the genesis block id: every Thor transaction carries it (replay protection). */
  readonly chainTag: number;
  /** Id of block 0 (GET /blocks/0): proves a node the chain view talks to is on this network. */
  readonly genesisId: string;
}

export interface SolanaNetworkParams {
  readonly label: string;
  /** Genesis hash of the cluster (RPC getGenesisHash): proves a blockhash source is on this network. */
  readonly genesisHash: string;
}

export interface CardanoNetworkParams {
  readonly label: string;
  /** Shelley address header network id (CIP-19): 1 mainnet, 0 every test network. */
  readonly networkId: 0 | 1;
  /** Bech32 prefix of payment addresses (CIP-5): addr / addr_test. */
  readonly addressHrp: 'addr' | 'addr_test';
}

export interface MultiversXNetworkParams {
  readonly label: string;
  /** The `chainID` every transaction carries (network config erd_chain_id): "1", "D" or "T". */
  readonly chainId: string;
}

/**
 * Flow: addresses are assigned by the chain, never derived from a key; the core contracts live at fixed
 * addresses per network.
 */
export interface FlowNetworkParams {
  readonly label: string;
  /** FungibleToken standard contract (0x + 16 hex). */
  readonly fungibleToken: string;
  /** FlowToken (the FLOW token) contract. */
  readonly flowToken: string;
}

export interface StellarNetworkParams {
  readonly label: string;
  /** The network passphrase; every signature covers sha256(passphrase), so it binds the network. */
  readonly networkPassphrase: string;
}

export interface AlgorandNetworkParams {
  readonly label: string;
  /** Transaction fields `gen` and `gh` (algod /v2/transactions/params genesis-id / genesis-hash). */
  readonly genesisId: string;
  /** Base64 of the 32-byte genesis hash. */
  readonly genesisHash: string;
}

interface ChainDefinitionBase<Family extends ChainFamily, Params> {
  readonly id: ChainId;
  readonly name: string;
  readonly family: Family;
  readonly nativeAsset: NativeAsset;
  readonly networks: Readonly<Partial<Record<NetworkName, Params>>>;
  /** Formats deriveAddress() can produce; the first one is the default. */
  readonly addressFormats: readonly AddressFormat[];
  /** Formats validateAddress() accepts as a destination on this chain. */
  readonly destinationFormats: readonly DestinationFormat[];
  /**
   * Blocks over a broadcast transaction before its job is CONFIRMED, where the chain's own finality facts
   * call for another depth than its family's default (src/tatum/confirmations.ts).
   */
  readonly confirmationDepth?: number;
  /** The node tells finality, not depth (SOL): confirmationDepth is fixed, no override is accepted. */
  readonly confirmedWhenFinalized?: true;
}

export interface BitcoinChainDefinition extends ChainDefinitionBase<'bitcoin', BitcoinNetworkParams> {
  /** Prefix of signed messages ("\x18Bitcoin Signed Message:\n"), for bitcoinjs-lib's Network shape. */
  readonly messagePrefix: string;
}
export type EvmChainDefinition = ChainDefinitionBase<'evm', EvmNetworkParams>;
export type TronChainDefinition = ChainDefinitionBase<'tron', TronNetworkParams>;
export type XrpChainDefinition = ChainDefinitionBase<'xrp', XrpNetworkParams>;
export type SolanaChainDefinition = ChainDefinitionBase<'solana', SolanaNetworkParams>;
export type CardanoChainDefinition = ChainDefinitionBase<'cardano', CardanoNetworkParams>;
export type MultiversXChainDefinition = ChainDefinitionBase<'multiversx', MultiversXNetworkParams>;
export type FlowChainDefinition = ChainDefinitionBase<'flow', FlowNetworkParams>;
export type StellarChainDefinition = ChainDefinitionBase<'stellar', StellarNetworkParams>;
export type AlgorandChainDefinition = ChainDefinitionBase<'algorand', AlgorandNetworkParams>;
export type VetChainDefinition = ChainDefinitionBase<'vet', VetNetworkParams>;

export type ChainDefinition =
  | BitcoinChainDefinition
  | EvmChainDefinition
  | TronChainDefinition
  | XrpChainDefinition
  | SolanaChainDefinition
  | CardanoChainDefinition
  | MultiversXChainDefinition
  | FlowChainDefinition
  | StellarChainDefinition
  | AlgorandChainDefinition
  | VetChainDefinition;
export type NetworkParams =
  | BitcoinNetworkParams
  | EvmNetworkParams
  | TronNetworkParams
  | XrpNetworkParams
  | SolanaNetworkParams
  | CardanoNetworkParams
  | MultiversXNetworkParams
  | FlowNetworkParams
  | StellarNetworkParams
  | AlgorandNetworkParams
  | VetNetworkParams;

export type AddressValidation =
  | { readonly valid: true; readonly format: DestinationFormat; readonly normalized: string }
  | { readonly valid: false; readonly reason: string };
