import { ED25519_KEY_SPEC, SECP256K1_KEY_SPEC, type WalletKeySpec } from '../kms/key-specs.js';
import { UnsupportedChainError, UnsupportedNetworkError } from './errors.js';
import {
  CHAIN_IDS,
  type AddressFormat,
  NETWORK_NAMES,
  type ChainDefinition,
  type ChainFamily,
  type ChainId,
  type NetworkName,
  type NetworkParams,
} from './types.js';

// Sources for the constants below:
// - BTC: Bitcoin Core src/kernel/chainparams.cpp, BIP-173 (HRPs bc/tb/bcrt); equal to bitcoinjs-lib's
//   networks.bitcoin/testnet/regtest (checked in test/unit/chains/registry.test.ts).
// - LTC: litecoin-project/litecoin src/chainparams.cpp (PUBKEY_ADDRESS 48, SCRIPT_ADDRESS2 50 / 58,
//   SECRET_KEY 176 / 239, bech32_hrp ltc / tltc, xpub/tpub ext keys).
// - DOGE: dogecoin/dogecoin src/chainparams.cpp (PUBKEY_ADDRESS 30 / 113, SCRIPT_ADDRESS 22 / 196,
//   SECRET_KEY 158 / 241, ext keys 02facafd/02fac398 and tpub/tprv). No segwit on Dogecoin mainnet.
// - BCH: legacy versions as Bitcoin; CashAddr prefixes from the CashAddr spec
//   (github.com/bitcoincashorg/bitcoincash.org/blob/master/spec/cashaddr.md, "Prefix").
// - EVM chain ids: chainlist / EIP-155 registrations (1, 11155111 Sepolia, 56, 97, 137, 80002 Amoy);
//   31337 is anvil's default chain id.
// - TRON: every address is 0x41 ‖ keccak256(pubkey)[12..] in Base58Check, on mainnet and testnets.
// - CELO: 42220 mainnet; 11142220 Celo Sepolia, which replaced Alfajores (44787) in September 2025
//   (docs.celo.org/network; Tatum's changelog "Celo Alfajores testnet sunset notice").
// - KLAY (Kaia, formerly Klaytn): 8217 mainnet, 1001 Kairos (formerly Baobab) (docs.kaia.io, chainlist).
// - XDC: 50 mainnet, 51 Apothem (tatum-protocol.md §4.9, chainlist).
// - ONE (Harmony shard 0): 1666600000 mainnet, 1666700000 testnet (tatum-protocol.md §4.10, chainlist).
// - KCS (KuCoin Community Chain): 321 mainnet, 322 testnet (chainlist).
// - XRP: no network parameters; the classic address is the same on mainnet, testnet and devnet.
// - SOL: the address is the base58 Ed25519 public key (docs.solana.com, "Accounts"); genesis hashes as
//   returned by getGenesisHash on api.mainnet-beta.solana.com and api.devnet.solana.com. Tatum's SOL
//   "testnet" is Solana devnet (tatum-js v2 solana tx tests use the devnet fee payer for testnet).
// - ADA: Shelley address header network id 1 mainnet / 0 test networks, bech32 prefixes addr / addr_test
//   (CIP-19 "Network Tag", CIP-5). Tatum's ADA testnet is preprod (tatum-js v2 cardano.sdk.tx.ts calls
//   the 'cardano-preprod' node for testnet), whose network id is 0 like every Cardano test network.
// - EGLD: chainID "1" mainnet, "D" devnet (MultiversX docs "Signing transactions"; network config
//   erd_chain_id). Tatum's EGLD testnet is taken to be devnet (inferred: tatum-js v1 egld.ts reads
//   erd_chain_id from Tatum's node at signing time and has no testnet constant).
// - XLM: the address is the StrKey (G…) of the Ed25519 public key (SEP-0023); network passphrases as in
//   stellar-base's `Networks.PUBLIC` / `Networks.TESTNET`, which tatum-kms picks with its testnet flag
//   (tatum-js v2 packages/blockchain/xlm/src/lib/services/xlm.kms.ts).
// - ALGO: the address is base32(public key ‖ last 4 bytes of SHA-512/256(public key)), no padding
//   (developer.algorand.org "Accounts"; algosdk encodeAddress). Genesis ids and hashes as algod's
//   /v2/transactions/params reports them on MainNet and TestNet (developer.algorand.org "Algorand networks").
// - VET: chainTag = last byte of the genesis block id (tatum-protocol.md §4.14; thorify signTransaction
//   reads it from GET /blocks/0). Genesis ids as in vechain/thor genesis/ and @vechain/sdk-core's
//   MAINNET_NETWORK / TESTNET_NETWORK / SOLO_NETWORK: mainnet …1b4a, testnet …b127, `thor solo` …69f6.
//   "regtest" is a local `thor solo` node (tests only). Addresses are Ethereum's (keccak, EIP-55).

const BTC_BIP32_MAIN = { public: 0x0488b21e, private: 0x0488ade4 } as const; // xpub / xprv
const BTC_BIP32_TEST = { public: 0x043587cf, private: 0x04358394 } as const; // tpub / tprv

/**
 * EVM chains differ only in names, gas token, chain ids and how they spell an address; all use 18 decimals
 * and the same 20-byte account. `formats` lists the address spellings (default first); every EVM chain
 * accepts the plain EIP-55 0x form as a destination.
 */
function evmChain<C extends ChainId, F extends readonly AddressFormat[] = readonly ['evm']>(
  id: C,
  name: string,
  symbol: string,
  [mainnetLabel, mainnetChainId]: readonly [string, number],
  [testnetLabel, testnetChainId]: readonly [string, number],
  formats: F = ['evm'] as unknown as F,
) {
  return {
    id,
    name,
    family: 'evm',
    nativeAsset: { symbol, decimals: 18 },
    addressFormats: formats,
    destinationFormats: formats,
    networks: {
      mainnet: { label: mainnetLabel, chainId: mainnetChainId },
      testnet: { label: testnetLabel, chainId: testnetChainId },
    },
  } as const;
}

type Registry = { readonly [C in ChainId]: ChainDefinition & { readonly id: C } };

/** Every supported chain, described once. Order is the order listChains() returns. */
export const CHAINS = {
  BTC: {
    id: 'BTC',
    name: 'Bitcoin',
    family: 'bitcoin',
    nativeAsset: { symbol: 'BTC', decimals: 8 },
    messagePrefix: '\x18Bitcoin Signed Message:\n',
    addressFormats: ['p2wpkh', 'p2sh-p2wpkh', 'p2pkh'],
    destinationFormats: ['p2wpkh', 'p2sh', 'p2pkh', 'p2wsh', 'p2tr'],
    networks: {
      mainnet: {
        label: 'Bitcoin mainnet',
        bech32Hrp: 'bc',
        pubKeyHash: 0x00,
        scriptHash: 0x05,
        legacyScriptHash: null,
        wif: 0x80,
        bip32: BTC_BIP32_MAIN,
        cashAddrPrefix: null,
      },
      testnet: {
        label: 'Bitcoin testnet',
        bech32Hrp: 'tb',
        pubKeyHash: 0x6f,
        scriptHash: 0xc4,
        legacyScriptHash: null,
        wif: 0xef,
        bip32: BTC_BIP32_TEST,
        cashAddrPrefix: null,
      },
      regtest: {
        label: 'Bitcoin regtest',
        bech32Hrp: 'bcrt',
        pubKeyHash: 0x6f,
        scriptHash: 0xc4,
        legacyScriptHash: null,
        wif: 0xef,
        bip32: BTC_BIP32_TEST,
        cashAddrPrefix: null,
      },
    },
  },
  LTC: {
    id: 'LTC',
    name: 'Litecoin',
    family: 'bitcoin',
    nativeAsset: { symbol: 'LTC', decimals: 8 },
    messagePrefix: '\x19Litecoin Signed Message:\n',
    addressFormats: ['p2wpkh', 'p2sh-p2wpkh', 'p2pkh'],
    destinationFormats: ['p2wpkh', 'p2sh', 'p2pkh', 'p2wsh', 'p2tr'],
    networks: {
      mainnet: {
        label: 'Litecoin mainnet',
        bech32Hrp: 'ltc',
        pubKeyHash: 0x30,
        scriptHash: 0x32,
        legacyScriptHash: 0x05,
        wif: 0xb0,
        bip32: BTC_BIP32_MAIN,
        cashAddrPrefix: null,
      },
      testnet: {
        label: 'Litecoin testnet',
        bech32Hrp: 'tltc',
        pubKeyHash: 0x6f,
        scriptHash: 0x3a,
        legacyScriptHash: 0xc4,
        wif: 0xef,
        bip32: BTC_BIP32_TEST,
        cashAddrPrefix: null,
      },
    },
  },
  DOGE: {
    id: 'DOGE',
    name: 'Dogecoin',
    family: 'bitcoin',
    nativeAsset: { symbol: 'DOGE', decimals: 8 },
    messagePrefix: '\x19Dogecoin Signed Message:\n',
    addressFormats: ['p2pkh'],
    destinationFormats: ['p2pkh', 'p2sh'],
    networks: {
      mainnet: {
        label: 'Dogecoin mainnet',
        bech32Hrp: null,
        pubKeyHash: 0x1e,
        scriptHash: 0x16,
        legacyScriptHash: null,
        wif: 0x9e,
        bip32: { public: 0x02facafd, private: 0x02fac398 },
        cashAddrPrefix: null,
      },
      testnet: {
        label: 'Dogecoin testnet',
        bech32Hrp: null,
        pubKeyHash: 0x71,
        scriptHash: 0xc4,
        legacyScriptHash: null,
        wif: 0xf1,
        bip32: BTC_BIP32_TEST,
        cashAddrPrefix: null,
      },
    },
  },
  BCH: {
    id: 'BCH',
    name: 'Bitcoin Cash',
    family: 'bitcoin',
    nativeAsset: { symbol: 'BCH', decimals: 8 },
    messagePrefix: '\x18Bitcoin Signed Message:\n',
    addressFormats: ['cashaddr', 'p2pkh'],
    destinationFormats: ['cashaddr', 'cashaddr-p2sh', 'p2pkh', 'p2sh'],
    networks: {
      mainnet: {
        label: 'Bitcoin Cash mainnet',
        bech32Hrp: null,
        pubKeyHash: 0x00,
        scriptHash: 0x05,
        legacyScriptHash: null,
        wif: 0x80,
        bip32: BTC_BIP32_MAIN,
        cashAddrPrefix: 'bitcoincash',
      },
      testnet: {
        label: 'Bitcoin Cash testnet',
        bech32Hrp: null,
        pubKeyHash: 0x6f,
        scriptHash: 0xc4,
        legacyScriptHash: null,
        wif: 0xef,
        bip32: BTC_BIP32_TEST,
        cashAddrPrefix: 'bchtest',
      },
      regtest: {
        label: 'Bitcoin Cash regtest',
        bech32Hrp: null,
        pubKeyHash: 0x6f,
        scriptHash: 0xc4,
        legacyScriptHash: null,
        wif: 0xef,
        bip32: BTC_BIP32_TEST,
        cashAddrPrefix: 'bchreg',
      },
    },
  },
  ETH: evmChain('ETH', 'Ethereum', 'ETH', ['Ethereum mainnet', 1], ['Ethereum Sepolia', 11155111]),
  BSC: evmChain(
    'BSC',
    'BNB Smart Chain',
    'BNB',
    ['BNB Smart Chain mainnet', 56],
    ['BNB Smart Chain testnet', 97],
  ),
  // The gas token was renamed MATIC -> POL in September 2024; Tatum's chain id is still MATIC.
  MATIC: evmChain('MATIC', 'Polygon PoS', 'POL', ['Polygon PoS mainnet', 137], ['Polygon Amoy', 80002]),
  EVM_DEV: evmChain('EVM_DEV', 'Local EVM dev chain (anvil)', 'ETH', ['anvil', 31337], ['anvil', 31337]),
  TRON: {
    id: 'TRON',
    name: 'TRON',
    family: 'tron',
    nativeAsset: { symbol: 'TRX', decimals: 6 },
    addressFormats: ['tron'],
    destinationFormats: ['tron'],
    networks: {
      mainnet: { label: 'TRON mainnet', addressPrefix: 0x41 },
      testnet: { label: 'TRON testnet (Nile/Shasta)', addressPrefix: 0x41 },
    },
  },
  CELO: evmChain('CELO', 'Celo', 'CELO', ['Celo mainnet', 42220], ['Celo Sepolia', 11142220]),
  KLAY: evmChain('KLAY', 'Kaia (formerly Klaytn)', 'KAIA', ['Kaia mainnet', 8217], ['Kaia Kairos', 1001]),
  // Tatum and XDC wallets show "xdc…" addresses; the payloads and the transactions carry the 0x form.
  XDC: evmChain('XDC', 'XDC Network', 'XDC', ['XDC mainnet', 50], ['XDC Apothem', 51], [
    'xdc',
    'evm',
  ] as const),
  // Harmony's explorers show one1… (bech32 of the same 20 bytes); Tatum's ONE addresses are 0x.
  ONE: evmChain(
    'ONE',
    'Harmony',
    'ONE',
    ['Harmony mainnet (shard 0)', 1666600000],
    ['Harmony testnet (shard 0)', 1666700000],
    ['evm', 'one-bech32'] as const,
  ),
  KCS: evmChain('KCS', 'KuCoin Community Chain', 'KCS', ['KCC mainnet', 321], ['KCC testnet', 322]),
  XRP: {
    id: 'XRP',
    name: 'XRP Ledger',
    family: 'xrp',
    nativeAsset: { symbol: 'XRP', decimals: 6 },
    addressFormats: ['xrp'],
    destinationFormats: ['xrp'],
    networks: {
      mainnet: { label: 'XRP Ledger mainnet' },
      testnet: { label: 'XRP Ledger testnet' },
    },
  },
  SOL: {
    id: 'SOL',
    name: 'Solana',
    family: 'solana',
    nativeAsset: { symbol: 'SOL', decimals: 9 },
    addressFormats: ['solana'],
    destinationFormats: ['solana'],
    // Confirmed when finalized: getSignatureStatuses reports `confirmationStatus: "finalized"` once the
    // block is rooted (no rollback) and counts no depth past it (https://solana.com/docs/rpc/http/
    // getsignaturestatuses); the SOL view reports a finalized transaction as 1 confirmation.
    confirmationDepth: 1,
    confirmedWhenFinalized: true,
    networks: {
      mainnet: { label: 'Solana mainnet-beta', genesisHash: '5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d' },
      testnet: { label: 'Solana devnet', genesisHash: 'EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG' },
    },
  },
  ADA: {
    id: 'ADA',
    name: 'Cardano',
    family: 'cardano',
    nativeAsset: { symbol: 'ADA', decimals: 6 },
    addressFormats: ['cardano-enterprise'],
    destinationFormats: ['cardano-enterprise', 'cardano-shelley'],
    networks: {
      mainnet: { label: 'Cardano mainnet', networkId: 1, addressHrp: 'addr' },
      testnet: { label: 'Cardano preprod', networkId: 0, addressHrp: 'addr_test' },
    },
  },
  EGLD: {
    id: 'EGLD',
    name: 'MultiversX',
    family: 'multiversx',
    nativeAsset: { symbol: 'EGLD', decimals: 18 },
    addressFormats: ['multiversx'],
    destinationFormats: ['multiversx'],
    networks: {
      mainnet: { label: 'MultiversX mainnet', chainId: '1' },
      testnet: { label: 'MultiversX devnet', chainId: 'D' },
    },
  },
  // FLOW: no address formats — an account address is assigned by the chain when the account is created
  // and the wallet's key is added to it (https://developers.flow.com/build/basics/accounts). Core
  // contract addresses per network as Flow projects configure them (flow.json aliases, e.g.
  // github.com/onflow/kitty-items and benbackend/Locked-token-check): FungibleToken mainnet
  // 0xf233dcee88fe0abe / testnet 0x9a0766d93b6608b7 / emulator 0xee82856bf20e2aa6; FlowToken mainnet
  // 0x1654653399040a61 / testnet 0x7e60df042a9c0868 / emulator 0x0ae53cb6e3f42a79. "regtest" is the
  // local Flow emulator.
  FLOW: {
    id: 'FLOW',
    name: 'Flow',
    family: 'flow',
    nativeAsset: { symbol: 'FLOW', decimals: 8 },
    addressFormats: [],
    destinationFormats: ['flow'],
    networks: {
      mainnet: {
        label: 'Flow mainnet',
        fungibleToken: '0xf233dcee88fe0abe',
        flowToken: '0x1654653399040a61',
      },
      testnet: {
        label: 'Flow testnet',
        fungibleToken: '0x9a0766d93b6608b7',
        flowToken: '0x7e60df042a9c0868',
      },
      regtest: {
        label: 'Flow emulator',
        fungibleToken: '0xee82856bf20e2aa6',
        flowToken: '0x0ae53cb6e3f42a79',
      },
    },
  },
  XLM: {
    id: 'XLM',
    name: 'Stellar',
    family: 'stellar',
    nativeAsset: { symbol: 'XLM', decimals: 7 },
    addressFormats: ['stellar'],
    destinationFormats: ['stellar'],
    networks: {
      mainnet: {
        label: 'Stellar public network',
        networkPassphrase: 'Public Global Stellar Network ; September 2015',
      },
      testnet: { label: 'Stellar testnet', networkPassphrase: 'Test SDF Network ; September 2015' },
    },
  },
  ALGO: {
    id: 'ALGO',
    name: 'Algorand',
    family: 'algorand',
    nativeAsset: { symbol: 'ALGO', decimals: 6 },
    addressFormats: ['algorand'],
    destinationFormats: ['algorand'],
    networks: {
      mainnet: {
        label: 'Algorand MainNet',
        genesisId: 'mainnet-v1.0',
        genesisHash: 'wGHE2Pwdvd7S12BL5FaOP20EGYesN73ktiC1qzkkit8=',
      },
      testnet: {
        label: 'Algorand TestNet',
        genesisId: 'testnet-v1.0',
        genesisHash: 'SGO1GKSzyE7IEPItTxCByw9x8FmnrCDexi9/cOUJOiI=',
      },
    },
  },
  VET: {
    id: 'VET',
    name: 'VeChainThor',
    family: 'vet',
    nativeAsset: { symbol: 'VET', decimals: 18 },
    addressFormats: ['evm'],
    destinationFormats: ['evm'],
    // Thor's FAQ (https://github.com/vechain/thor/wiki/FAQ): orphan blocks happen, "verify the fork
    // situation every 12 block interval" (10 s blocks: 2 minutes). Deterministic finality (VIP-220) comes
    // 30–60 min after inclusion (docs.vechain.org, "VeChain Blockchain Specifications"): for that, set
    // KMS_SIGNER_CONFIRMATIONS_VET=360.
    confirmationDepth: 12,
    networks: {
      mainnet: {
        label: 'VeChainThor mainnet',
        chainTag: 0x4a,
        genesisId: '0x00000000851caf3cfdb6e899cf5958bfb1ac3413d346d43539627e6be7ec1b4a',
      },
      testnet: {
        label: 'VeChainThor testnet',
        chainTag: 0x27,
        genesisId: '0x000000000b2bce3c70bc649a02749e8687721b09ed2e15997f466536b20bb127',
      },
      regtest: {
        label: 'VeChainThor solo (local thor solo node)',
        chainTag: 0xf6,
        genesisId: '0x00000000c05a20fbca2bf6ae3affba6af4a74b800b585bf7a4988aba7aea69f6',
      },
    },
  },
} as const satisfies Registry;

/**
 * Tatum chains this service will never sign for, with the reason. Asked for by name, they are refused
 * with this reason instead of a bare "unknown chain".
 */
export const RETIRED_CHAINS: Readonly<Record<string, string>> = {
  BNB:
    'BNB Beacon Chain (BEP-2) was shut down in December 2024 (BNB Chain Fusion); ' +
    'its assets moved to BNB Smart Chain, which this service signs as BSC',
};

/** Why `id` is refused, if it is a retired chain (case-insensitive); undefined otherwise. */
export function retiredChainReason(id: string): string | undefined {
  return RETIRED_CHAINS[id.trim().toUpperCase()];
}

export function isChainId(x: string): x is ChainId {
  return (CHAIN_IDS as readonly string[]).includes(x);
}

export function isNetworkName(x: string): x is NetworkName {
  return (NETWORK_NAMES as readonly string[]).includes(x);
}

/** All chains in registry order. */
export function listChains(): readonly ChainDefinition[] {
  return CHAIN_IDS.map((id) => CHAINS[id]);
}

export function getChain<C extends ChainId>(id: C): (typeof CHAINS)[C];
export function getChain(id: string): ChainDefinition;
export function getChain(id: string): ChainDefinition {
  if (!isChainId(id)) {
    throw new UnsupportedChainError(
      id,
      retiredChainReason(id) ?? `supported chains are ${CHAIN_IDS.join(', ')}`,
    );
  }
  return CHAINS[id];
}

/** Networks a chain is defined for, in NETWORK_NAMES order. */
export function listNetworks(chain: string): NetworkName[] {
  const def = getChain(chain);
  return NETWORK_NAMES.filter((n) => def.networks[n] !== undefined);
}

function paramsOf<P>(
  def: { readonly id: ChainId; readonly networks: Readonly<Partial<Record<NetworkName, P>>> },
  network: string,
): P {
  const params = isNetworkName(network) ? def.networks[network] : undefined;
  if (params === undefined) {
    throw new UnsupportedNetworkError(def.id, network, listNetworks(def.id));
  }
  return params;
}

/** Throws UnsupportedChainError / UnsupportedNetworkError unless `chain` is defined for `network`. */
export function assertNetwork(chain: string, network: string): asserts network is NetworkName {
  getNetwork(chain, network);
}

/** Network parameters of a chain; throws UnsupportedNetworkError for a network the chain is not defined for. */
export function getNetwork(chain: string, network: string): NetworkParams {
  return paramsOf<NetworkParams>(getChain(chain), network);
}

function assertFamily<F extends ChainFamily>(
  def: ChainDefinition,
  family: F,
): asserts def is Extract<ChainDefinition, { family: F }> {
  if (def.family !== family) {
    throw new UnsupportedChainError(def.id, `it is a ${def.family}-family chain, not a ${family}-family one`);
  }
}

type FamilyDefinition<F extends ChainFamily> = Extract<ChainDefinition, { family: F }>;
type FamilyParams<F extends ChainFamily> = NonNullable<FamilyDefinition<F>['networks'][NetworkName]>;

/**
 * The chain's definition and its network's parameters, checked to be of `family` (UnsupportedChainError
 * otherwise; UnsupportedNetworkError for a network the chain does not have).
 */
export function getFamilyChain<F extends ChainFamily>(
  family: F,
  chain: string,
  network: string,
): { chain: FamilyDefinition<F>; params: FamilyParams<F> } {
  const def = getChain(chain);
  assertFamily(def, family);
  return {
    chain: def,
    params: paramsOf(
      def as {
        readonly id: ChainId;
        readonly networks: Readonly<Partial<Record<NetworkName, FamilyParams<F>>>>;
      },
      network,
    ),
  };
}

/** The KMS key spec every wallet of a family needs: Ed25519 chains sign with ECC_NIST_EDWARDS25519. */
const FAMILY_KEY_SPECS: Readonly<Record<ChainFamily, WalletKeySpec>> = {
  bitcoin: SECP256K1_KEY_SPEC,
  evm: SECP256K1_KEY_SPEC,
  tron: SECP256K1_KEY_SPEC,
  xrp: SECP256K1_KEY_SPEC,
  solana: ED25519_KEY_SPEC,
  cardano: ED25519_KEY_SPEC,
  multiversx: ED25519_KEY_SPEC,
  flow: SECP256K1_KEY_SPEC,
  stellar: ED25519_KEY_SPEC,
  algorand: ED25519_KEY_SPEC,
  vet: SECP256K1_KEY_SPEC,
};

/** The KMS key spec a wallet of `chain` needs (one wallet = one key of this spec). */
export function chainKeySpec(chain: string): WalletKeySpec {
  return FAMILY_KEY_SPECS[getChain(chain).family];
}
