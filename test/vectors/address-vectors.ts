import type { AddressFormat, ChainId, NetworkName } from '../../src/chains/index.js';

/**
 * Private key -> address known-answer vectors, every one PUBLISHED with its address by the cited source
 * (the private key is published too, or is k for a published public key k·G, or is the key inside a
 * published WIF / extended key). Shared by the unit tests (test/unit/chains) and the LocalStack integration
 * test that imports these keys into KMS, so keep the shape stable.
 *
 * Every vector was re-derived independently (Python: coincurve/libsecp256k1, pycryptodome RIPEMD-160 and
 * Keccak, the `base58` and `bech32` PyPI packages, eth_utils EIP-55 and a CashAddr coder written from the
 * spec) before being added. These keys are PUBLIC test keys: never fund them on a real network.
 */
export interface AddressVector {
  readonly source: string;
  /** 32-byte secp256k1 private key, lowercase hex without 0x. */
  readonly privateKeyHex: string;
  readonly chain: ChainId;
  readonly network: NetworkName;
  readonly format: AddressFormat;
  readonly address: string;
}

const KEY_1 = '0000000000000000000000000000000000000000000000000000000000000001';
const KEY_2 = '0000000000000000000000000000000000000000000000000000000000000002';
const KEY_3 = '0000000000000000000000000000000000000000000000000000000000000003';
const KEY_6 = '0000000000000000000000000000000000000000000000000000000000000006';
const KEY_46 = '4646464646464646464646464646464646464646464646464646464646464646';
const KEY_7A = '7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a'; // 32 x 'z'
const ANVIL_0 = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const ANVIL_1 = '59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

const KEY_7582 = '7582be841ca040aa940fff6c05773129e135623e41acce3e0b8ba520dc1ae26a';
const VECHAIN_SDK =
  'vechain-sdk-js packages/core/tests/address/fixture.ts (simplePrivateKeyFixture → simpleAddressFixture; the same key and address in vechain/thor tx/transaction_test.go and thor-devkit), https://github.com/vechain/vechain-sdk-js/blob/ead2260fac1ca81c340d080ebc3118f32bda5342/packages/core/tests/address/fixture.ts';

const BIP173 = 'BIP-173 §Examples, https://github.com/bitcoin/bips/blob/master/bip-0173.mediawiki#examples';
const BJS_V4 =
  'bitcoinjs-lib test/integration/addresses.js (WIF KwDiBf89…hnoWn = key 1), https://github.com/bitcoinjs/bitcoinjs-lib/blob/1ed037025c69cf65c50db0b1bef16022cff91cf1/test/integration/addresses.js';
const BJS_V3 =
  'bitcoinjs-lib test/integration/addresses.js, https://github.com/bitcoinjs/bitcoinjs-lib/blob/024c541d7e176b6fac00313320f951deadfbe468/test/integration/addresses.js';
const WALLY =
  'libwally-core src/ctest/test_descriptor.c g_address_cases, https://github.com/ElementsProject/libwally-core/blob/master/src/ctest/test_descriptor.c';
const WC_ALL =
  'Trust Wallet Core tests/common/CoinAddressDerivationTests.cpp (key 0x46…46), https://github.com/trustwallet/wallet-core/blob/master/tests/common/CoinAddressDerivationTests.cpp';
const ANVIL =
  'Foundry anvil default accounts, https://getfoundry.sh/anvil (Available Accounts / Private Keys)';
const KEY_B6 = 'b66022fff8b6322f8b8fa444d6d097457b6b9e7bb05add5b75f9c827df7bd3b6';
const HDWALLET =
  "python-hdwallet docs: SLIP10Secp256k1PrivateKey b66022ff…d3b6 has public key 0374a436…8429 (docs/eccs), and docs/addresses give that public key's addresses, https://github.com/hdwallet-io/python-hdwallet";
const WC_HARMONY =
  'Trust Wallet Core tests/chains/Harmony/AddressTests.cpp (HarmonyAddress.FromPrivateKey; FromData gives the hex), https://github.com/trustwallet/wallet-core/blob/master/tests/chains/Harmony/AddressTests.cpp';

export const ADDRESS_VECTORS: readonly AddressVector[] = [
  // ---- BTC mainnet ----
  {
    source: `${BIP173} (public key 0279BE66…F81798 = 1·G) and ${BJS_V4}`,
    privateKeyHex: KEY_1,
    chain: 'BTC',
    network: 'mainnet',
    format: 'p2wpkh',
    address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
  },
  {
    source: `${BJS_V4} ("can generate a SegWit address (via P2SH)")`,
    privateKeyHex: KEY_1,
    chain: 'BTC',
    network: 'mainnet',
    format: 'p2sh-p2wpkh',
    address: '3JvL6Ymt8MVWiCNHC7oWU6nLeHNJKLZGLN',
  },
  {
    source: `${BJS_V4} ("can import an address via WIF")`,
    privateKeyHex: KEY_1,
    chain: 'BTC',
    network: 'mainnet',
    format: 'p2pkh',
    address: '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH',
  },
  {
    source:
      "BIP-84 §Test vectors, m/84'/0'/0'/0/0 (WIF KyZpNDKn…DUc9d), https://github.com/bitcoin/bips/blob/master/bip-0084.mediawiki#test-vectors",
    privateKeyHex: '4604b4b710fe91f584fff084e1a9159fe4f8408fff380596a604948474ce4fa3',
    chain: 'BTC',
    network: 'mainnet',
    format: 'p2wpkh',
    address: 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu',
  },
  {
    source: `${BJS_V3} (WIF Kxr9tQED…8gct, "can import an address via WIF")`,
    privateKeyHex: '3095cb26affefcaaa835ff968d60437c7c764da40cdd1a1b497406c7902a8ac9',
    chain: 'BTC',
    network: 'mainnet',
    format: 'p2pkh',
    address: '19AAjaTUbRjQCMuVczepkoPswiZRhjtg31',
  },
  {
    source: `${BJS_V3} (WIF Kxr9tQED…8gct, "can generate a SegWit address")`,
    privateKeyHex: '3095cb26affefcaaa835ff968d60437c7c764da40cdd1a1b497406c7902a8ac9',
    chain: 'BTC',
    network: 'mainnet',
    format: 'p2wpkh',
    address: 'bc1qt97wqg464zrhnx23upykca5annqvwkwujjglky',
  },
  {
    source: `${BJS_V3} (WIF Kxr9tQED…8gct, "can generate a SegWit address (via P2SH)")`,
    privateKeyHex: '3095cb26affefcaaa835ff968d60437c7c764da40cdd1a1b497406c7902a8ac9',
    chain: 'BTC',
    network: 'mainnet',
    format: 'p2sh-p2wpkh',
    address: '34AgLJhwXrvmkZS1o5TrcdeevMt22Nar53',
  },
  {
    source:
      'Bitcoin Core src/test/key_tests.cpp strSecret1C/addr1C, https://github.com/bitcoin/bitcoin/blob/master/src/test/key_tests.cpp',
    privateKeyHex: '12b004fff7f4b69ef8650e767f18f11ede158148b425660723b9f9a66e61f747',
    chain: 'BTC',
    network: 'mainnet',
    format: 'p2pkh',
    address: '1NoJrossxPBKfCHuJXT4HadJrXRE9Fxiqs',
  },
  {
    source:
      'Bitcoin Core src/test/key_tests.cpp strSecret2C/addr2C, https://github.com/bitcoin/bitcoin/blob/master/src/test/key_tests.cpp',
    privateKeyHex: 'b524c28b61c9b2c49b2c7dd4c2d75887abb78768c054bd7c01af4029f6c0d117',
    chain: 'BTC',
    network: 'mainnet',
    format: 'p2pkh',
    address: '1CRj2HyM1CXWzHAXLQtiGLyggNT9WQqsDs',
  },
  {
    source: `${WALLY} ("address - p2pkh - mainnet", pkh(02c6047f…9ee5 = 2·G))`,
    privateKeyHex: KEY_2,
    chain: 'BTC',
    network: 'mainnet',
    format: 'p2pkh',
    address: '1cMh228HTCiwS8ZsaakH8A8wze1JR5ZsP',
  },
  {
    source: `${WALLY} ("address - p2wpkh - mainnet", wpkh(02f9308a…36f9 = 3·G))`,
    privateKeyHex: KEY_3,
    chain: 'BTC',
    network: 'mainnet',
    format: 'p2wpkh',
    address: 'bc1q0ht9tyks4vh7p5p904t340cr9nvahy7u3re7zg',
  },
  {
    source: `${WALLY} ("address - p2sh-p2wpkh - mainnet", sh(wpkh(03fff97b…7556 = 6·G)))`,
    privateKeyHex: KEY_6,
    chain: 'BTC',
    network: 'mainnet',
    format: 'p2sh-p2wpkh',
    address: '3LKyvRN6SmYXGBNn8fcQvYxW9MGKtwcinN',
  },
  {
    source: `${WC_ALL} (TWCoinTypeBitcoin)`,
    privateKeyHex: KEY_46,
    chain: 'BTC',
    network: 'mainnet',
    format: 'p2wpkh',
    address: 'bc1qhkfq3zahaqkkzx5mjnamwjsfpq2jk7z00ppggv',
  },

  // ---- BTC testnet ----
  {
    source: `${BIP173} (testnet P2WPKH of 1·G)`,
    privateKeyHex: KEY_1,
    chain: 'BTC',
    network: 'testnet',
    format: 'p2wpkh',
    address: 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx',
  },
  {
    source: `${WALLY} ("address - p2wpkh - testnet", 3·G)`,
    privateKeyHex: KEY_3,
    chain: 'BTC',
    network: 'testnet',
    format: 'p2wpkh',
    address: 'tb1q0ht9tyks4vh7p5p904t340cr9nvahy7um9zdem',
  },
  {
    source:
      'BIP-49 §Test vectors, account0recvPrivateKeyHex -> address (testnet), https://github.com/bitcoin/bips/blob/master/bip-0049.mediawiki#test-vectors',
    privateKeyHex: 'c9bdb49cfbaedca21c4b1f3a7803c34636b1d7dc55a717132443fc3f4c5867e8',
    chain: 'BTC',
    network: 'testnet',
    format: 'p2sh-p2wpkh',
    address: '2Mww8dCYPUpKHofjgcXcBCEGmniw9CoaiD2',
  },
  {
    source:
      'rust-bitcoin bitcoin/src/crypto/key.rs test_key_derivation ("testnet compressed", WIF cVt4o7BG…QFpy), https://github.com/rust-bitcoin/rust-bitcoin/blob/master/bitcoin/src/crypto/key.rs',
    privateKeyHex: 'f7a1d6cd23bc345dd57abe045d6026f4acf69a637c9e5840e232832bcf4ce58d',
    chain: 'BTC',
    network: 'testnet',
    format: 'p2pkh',
    address: 'mqwpxxvfv3QbM8PU8uBx2jaNt9btQqvQNx',
  },
  {
    source: `${BJS_V3} ("can generate a Testnet address", rng key = 32 x 'z', WIF cRgnQe9M…Nsrr)`,
    privateKeyHex: KEY_7A,
    chain: 'BTC',
    network: 'testnet',
    format: 'p2pkh',
    address: 'mubSzQNtZfDj1YdNP6pNDuZy6zs6GDn61L',
  },
  {
    source: `${WALLY} ("address - p2pkh - testnet", 2·G)`,
    privateKeyHex: KEY_2,
    chain: 'BTC',
    network: 'testnet',
    format: 'p2pkh',
    address: 'mg8Jz5776UdyiYcBb9Z873NTozEiADRW5H',
  },

  // ---- BTC regtest (bech32 HRP bcrt, base58 versions as testnet) ----
  {
    source: `${WALLY} ("address - combo(variant 2, p2wpkh)", regtest, 1·G)`,
    privateKeyHex: KEY_1,
    chain: 'BTC',
    network: 'regtest',
    format: 'p2wpkh',
    address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080',
  },
  {
    source: `${WALLY} ("address - combo(variant 3, p2sh-p2wpkh)", regtest, 1·G)`,
    privateKeyHex: KEY_1,
    chain: 'BTC',
    network: 'regtest',
    format: 'p2sh-p2wpkh',
    address: '2NAUYAHhujozruyzpsFRP63mbrdaU5wnEpN',
  },
  {
    source: `${WALLY} ("address - combo(variant 1, p2pkh)", regtest, 1·G)`,
    privateKeyHex: KEY_1,
    chain: 'BTC',
    network: 'regtest',
    format: 'p2pkh',
    address: 'mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r',
  },
  {
    source: `${WALLY} ("address - p2wpkh - regtest", 3·G)`,
    privateKeyHex: KEY_3,
    chain: 'BTC',
    network: 'regtest',
    format: 'p2wpkh',
    address: 'bcrt1q0ht9tyks4vh7p5p904t340cr9nvahy7uevmqwj',
  },

  // ---- LTC ----
  {
    source:
      'Trust Wallet Core tests/chains/Litecoin/TWLitecoinTests.cpp (Litecoin.LegacyAddress), https://github.com/trustwallet/wallet-core/blob/master/tests/chains/Litecoin/TWLitecoinTests.cpp',
    privateKeyHex: 'a22ddec5c567b4488bb00f69b6146c50da2ee883e2c096db098726394d585730',
    chain: 'LTC',
    network: 'mainnet',
    format: 'p2pkh',
    address: 'LV7LV7Z4bWDEjYkfx9dQo6k6RjGbXsg6hS',
  },
  {
    source: `${BJS_V3} ("can generate a Litecoin address", rng key = 32 x 'z', WIF T7A4PUSg…NvuS)`,
    privateKeyHex: KEY_7A,
    chain: 'LTC',
    network: 'mainnet',
    format: 'p2pkh',
    address: 'LZJSxZbjqJ2XVEquqfqHg1RQTDdfST5PTn',
  },
  {
    source:
      'Trust Wallet Core tests/chains/Litecoin/TWLitecoinTests.cpp (Litecoin.Address), https://github.com/trustwallet/wallet-core/blob/master/tests/chains/Litecoin/TWLitecoinTests.cpp',
    privateKeyHex: '55f9cbb0376c422946fa28397c1219933ac60b312ede41bfacaf701ecd546625',
    chain: 'LTC',
    network: 'mainnet',
    format: 'p2wpkh',
    address: 'ltc1qytnqzjknvv03jwfgrsmzt0ycmwqgl0asjnaxwu',
  },
  {
    source: `${WC_ALL} (TWCoinTypeLitecoin)`,
    privateKeyHex: KEY_46,
    chain: 'LTC',
    network: 'mainnet',
    format: 'p2wpkh',
    address: 'ltc1qhkfq3zahaqkkzx5mjnamwjsfpq2jk7z0tamvsu',
  },
  {
    source:
      'Trust Wallet Core swift/Tests/Blockchains/LitecoinTests.swift testAddress (compatibleAddress), https://github.com/trustwallet/wallet-core/blob/master/swift/Tests/Blockchains/LitecoinTests.swift',
    privateKeyHex: 'f6ee7e6c9bd2f4dc8f0db0dc4679de06c998afc42d825edf7966dd4488b0aa1f',
    chain: 'LTC',
    network: 'mainnet',
    format: 'p2sh-p2wpkh',
    address: 'M8eTgzhoFTErAjkGa6cyBomcHfxAprbDgD',
  },
  {
    source:
      'rust-bitcoin bitcoin/src/crypto/key.rs test_key_derivation (testnet P2PKH); Litecoin testnet uses the same P2PKH version 111 (litecoin src/chainparams.cpp CTestNetParams), https://github.com/rust-bitcoin/rust-bitcoin/blob/master/bitcoin/src/crypto/key.rs',
    privateKeyHex: 'f7a1d6cd23bc345dd57abe045d6026f4acf69a637c9e5840e232832bcf4ce58d',
    chain: 'LTC',
    network: 'testnet',
    format: 'p2pkh',
    address: 'mqwpxxvfv3QbM8PU8uBx2jaNt9btQqvQNx',
  },

  // ---- DOGE ----
  {
    source:
      'Dogecoin Core src/test/key_tests.cpp strSecret1C/addr1C, https://github.com/dogecoin/dogecoin/blob/master/src/test/key_tests.cpp',
    privateKeyHex: '0f6055b44781882c04d6683d8e11a8282d068ef139a78f9d45e9ba290d1ce25f',
    chain: 'DOGE',
    network: 'mainnet',
    format: 'p2pkh',
    address: 'D8jZ6R8uuyQwiybupiVs3eDCedKdZ5bYV3',
  },
  {
    source:
      'Dogecoin Core src/test/key_tests.cpp strSecret2C/addr2C, https://github.com/dogecoin/dogecoin/blob/master/src/test/key_tests.cpp',
    privateKeyHex: '9e0d4307370dc9ad2feaa8fbeb2b43eb472b70a928f8c927b30a510f108f3246',
    chain: 'DOGE',
    network: 'mainnet',
    format: 'p2pkh',
    address: 'DP7rGcDbpAvMb1dKup981zNt1heWUuVLP7',
  },
  {
    source:
      'libdogecoin test/address_tests.c verifyPrivPubKeypair(QWgNKvA5…5eRs), https://github.com/dogecoinfoundation/libdogecoin/blob/main/test/address_tests.c',
    privateKeyHex: 'f09fb0c2ee99a81332bec1a6764ccedf1cee7c1da70aff3f9ca26b30dee20bb3',
    chain: 'DOGE',
    network: 'mainnet',
    format: 'p2pkh',
    address: 'D7AM5jDQ7xRRK7bMCZ87e4BsFxHxCdDbXd',
  },
  {
    source: `${WC_ALL} (TWCoinTypeDogecoin)`,
    privateKeyHex: KEY_46,
    chain: 'DOGE',
    network: 'mainnet',
    format: 'p2pkh',
    address: 'DNRTC6GZ5evmM7BZWwPqF54fyDqUqULMyu',
  },
  {
    source:
      'libdogecoin test/address_tests.c generateDerivedHDPubkey(tprv8ZgxMBicQKsPeM5H…PHiUM) (the key inside that depth-0 tprv), https://github.com/dogecoinfoundation/libdogecoin/blob/main/test/address_tests.c',
    privateKeyHex: 'd86dda3afbc4d8eba935e7645c54f1a1293bafc5d311a8e7782aa64e4b9c6441',
    chain: 'DOGE',
    network: 'testnet',
    format: 'p2pkh',
    address: 'noBtVVtAvvh5oapFjHHyTSxxEUTykUZ3oR',
  },

  // ---- BCH ----
  {
    source:
      'Trust Wallet Core tests/chains/BitcoinCash/TWBitcoinCashTests.cpp (BitcoinCash.LegacyToCashAddr), https://github.com/trustwallet/wallet-core/blob/master/tests/chains/BitcoinCash/TWBitcoinCashTests.cpp',
    privateKeyHex: '28071bf4e2b0340db41b807ed8a5514139e5d6427ff9d58dbd22b7ed187103a4',
    chain: 'BCH',
    network: 'mainnet',
    format: 'cashaddr',
    address: 'bitcoincash:qruxj7zq6yzpdx8dld0e9hfvt7u47zrw9gfr5hy0vh',
  },
  {
    source:
      'Trust Wallet Core tests/chains/BitcoinCash/TWBitcoinCashTests.cpp (BitcoinCash.LegacyToCashAddr, legacy form), https://github.com/trustwallet/wallet-core/blob/master/tests/chains/BitcoinCash/TWBitcoinCashTests.cpp',
    privateKeyHex: '28071bf4e2b0340db41b807ed8a5514139e5d6427ff9d58dbd22b7ed187103a4',
    chain: 'BCH',
    network: 'mainnet',
    format: 'p2pkh',
    address: '1PeUvjuxyf31aJKX6kCXuaqxhmG78ZUdL1',
  },
  {
    source: `${WC_ALL} (TWCoinTypeBitcoinCash)`,
    privateKeyHex: KEY_46,
    chain: 'BCH',
    network: 'mainnet',
    format: 'cashaddr',
    address: 'bitcoincash:qz7eyzytkl5z6cg6nw20hd62pyyp22mcfuardfd2vn',
  },
  {
    source:
      'rust-bitcoin bitcoin/src/crypto/key.rs test_key_derivation (testnet P2PKH); BCH testnet legacy addresses use the same version 111 as Bitcoin testnet, https://github.com/rust-bitcoin/rust-bitcoin/blob/master/bitcoin/src/crypto/key.rs',
    privateKeyHex: 'f7a1d6cd23bc345dd57abe045d6026f4acf69a637c9e5840e232832bcf4ce58d',
    chain: 'BCH',
    network: 'testnet',
    format: 'p2pkh',
    address: 'mqwpxxvfv3QbM8PU8uBx2jaNt9btQqvQNx',
  },

  // ---- EVM ----
  {
    source: ANVIL,
    privateKeyHex: ANVIL_0,
    chain: 'ETH',
    network: 'mainnet',
    format: 'evm',
    address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  },
  {
    source: `${WC_ALL} (TWCoinTypeEthereum)`,
    privateKeyHex: KEY_46,
    chain: 'ETH',
    network: 'mainnet',
    format: 'evm',
    address: '0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F',
  },
  {
    source: ANVIL,
    privateKeyHex: ANVIL_1,
    chain: 'ETH',
    network: 'testnet',
    format: 'evm',
    address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  },
  {
    source: `${WC_ALL} (TWCoinTypeSmartChain)`,
    privateKeyHex: KEY_46,
    chain: 'BSC',
    network: 'mainnet',
    format: 'evm',
    address: '0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F',
  },
  {
    source: ANVIL,
    privateKeyHex: ANVIL_0,
    chain: 'BSC',
    network: 'testnet',
    format: 'evm',
    address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  },
  {
    source: `${WC_ALL} (TWCoinTypePolygon)`,
    privateKeyHex: KEY_46,
    chain: 'MATIC',
    network: 'mainnet',
    format: 'evm',
    address: '0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F',
  },
  {
    source: ANVIL,
    privateKeyHex: ANVIL_1,
    chain: 'MATIC',
    network: 'testnet',
    format: 'evm',
    address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  },
  {
    source: ANVIL,
    privateKeyHex: ANVIL_0,
    chain: 'EVM_DEV',
    network: 'mainnet',
    format: 'evm',
    address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  },
  {
    source: ANVIL,
    privateKeyHex: ANVIL_1,
    chain: 'EVM_DEV',
    network: 'testnet',
    format: 'evm',
    address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  },

  // ---- TRON (prefix 0x41 on mainnet and testnets alike) ----
  {
    source:
      'Trust Wallet Core tests/chains/Tron/AddressTests.cpp (TronAddress.FromPublicKey), https://github.com/trustwallet/wallet-core/blob/master/tests/chains/Tron/AddressTests.cpp',
    privateKeyHex: '2d8f68944bdbfbc0769542fba8fc2d2a3de67393334471624364c7006da2aa54',
    chain: 'TRON',
    network: 'mainnet',
    format: 'tron',
    address: 'TJRyWwFs9wTFGZg3JbrVriFbNfCug5tDeC',
  },
  {
    source:
      'Trust Wallet Core tests/chains/Tron/AddressTests.cpp (TronAddress.FromPublicKey, second key), https://github.com/trustwallet/wallet-core/blob/master/tests/chains/Tron/AddressTests.cpp',
    privateKeyHex: 'be88df1d0bf30a923cb39c3bb953178baaf3726e8d3ce81e7c8462e046e0d835',
    chain: 'TRON',
    network: 'mainnet',
    format: 'tron',
    address: 'THRF3GuPnvvPzKoaT8pJex5XHmo8NNbCb3',
  },
  {
    source: `${WC_ALL} (TWCoinTypeTron)`,
    privateKeyHex: KEY_46,
    chain: 'TRON',
    network: 'mainnet',
    format: 'tron',
    address: 'TQLCsShbQNXMTVCjprY64qZmEA4rBarpQp',
  },
  {
    source:
      'Trust Wallet Core tests/chains/Tron/AddressTests.cpp (TronAddress.FromPublicKey); TRON testnets (Nile, Shasta) use the same 0x41 prefix, https://github.com/trustwallet/wallet-core/blob/master/tests/chains/Tron/AddressTests.cpp',
    privateKeyHex: '2d8f68944bdbfbc0769542fba8fc2d2a3de67393334471624364c7006da2aa54',
    chain: 'TRON',
    network: 'testnet',
    format: 'tron',
    address: 'TJRyWwFs9wTFGZg3JbrVriFbNfCug5tDeC',
  },

  // ---- EVM chains of issue 14: the same 20-byte account as ETH ----
  {
    source: `${WC_ALL} (TWCoinTypeCelo)`,
    privateKeyHex: KEY_46,
    chain: 'CELO',
    network: 'mainnet',
    format: 'evm',
    address: '0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F',
  },
  {
    source: `${WC_ALL} (TWCoinTypeKlaytn)`,
    privateKeyHex: KEY_46,
    chain: 'KLAY',
    network: 'mainnet',
    format: 'evm',
    address: '0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F',
  },
  {
    source: `${WC_ALL} (TWCoinTypeKuCoinCommunityChain)`,
    privateKeyHex: KEY_46,
    chain: 'KCS',
    network: 'mainnet',
    format: 'evm',
    address: '0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F',
  },
  {
    source: `${HDWALLET} (XinFinAddress)`,
    privateKeyHex: KEY_B6,
    chain: 'XDC',
    network: 'mainnet',
    format: 'xdc',
    address: 'xdce349A2f7dF70161e529E4C2982828A50c20FfDaB',
  },
  {
    source: `${HDWALLET} (EthereumAddress decode e349a2f7…ffdab; EIP-55 as XinFinAddress spells it)`,
    privateKeyHex: KEY_B6,
    chain: 'XDC',
    network: 'mainnet',
    format: 'evm',
    address: '0xe349A2f7dF70161e529E4C2982828A50c20FfDaB',
  },
  {
    source: `${HDWALLET} (XinFinAddress; Apothem uses the same prefix)`,
    privateKeyHex: KEY_B6,
    chain: 'XDC',
    network: 'testnet',
    format: 'xdc',
    address: 'xdce349A2f7dF70161e529E4C2982828A50c20FfDaB',
  },
  {
    source: `${WC_ALL} (TWCoinTypeHarmony)`,
    privateKeyHex: KEY_46,
    chain: 'ONE',
    network: 'mainnet',
    format: 'one-bech32',
    address: 'one1nk9x9ajk4rgkzhqjjn7hr6w0k0jg2kj0nmx3dt',
  },
  {
    source: WC_HARMONY,
    privateKeyHex: 'e2f88b4974ae763ca1c2db49218802c2e441293a09eaa9ab681779e05d1b7b94',
    chain: 'ONE',
    network: 'mainnet',
    format: 'one-bech32',
    address: 'one1a50tun737ulcvwy0yvve0pvu5skq0kjargvhwe',
  },
  {
    source: `${WC_HARMONY} (key hash ed1ebe4f…da5d, EIP-55)`,
    privateKeyHex: 'e2f88b4974ae763ca1c2db49218802c2e441293a09eaa9ab681779e05d1b7b94',
    chain: 'ONE',
    network: 'mainnet',
    format: 'evm',
    address: '0xed1ebE4Fd1f73f86388F231997859ca42c07DA5d',
  },

  // ---- XRP Ledger: classic address of the compressed key, the same on every network ----
  {
    source: `${WC_ALL} (TWCoinTypeXRP)`,
    privateKeyHex: KEY_46,
    chain: 'XRP',
    network: 'mainnet',
    format: 'xrp',
    address: 'rJHMeqKu8Ep7Fazx8MQG6JunaafBXz93YQ',
  },
  {
    source: `${HDWALLET} (RippleAddress)`,
    privateKeyHex: KEY_B6,
    chain: 'XRP',
    network: 'testnet',
    format: 'xrp',
    address: 'rLrFeQYUiiMPRPbbT97UX258KtczS5ekmy',
  },
  {
    source: VECHAIN_SDK,
    privateKeyHex: KEY_7582,
    chain: 'VET',
    network: 'mainnet',
    format: 'evm',
    address: '0xd989829d88B0eD1B06eDF5C50174eCfA64F14A64',
  },
  {
    source: VECHAIN_SDK,
    privateKeyHex: KEY_7582,
    chain: 'VET',
    network: 'testnet',
    format: 'evm',
    address: '0xd989829d88B0eD1B06eDF5C50174eCfA64F14A64',
  },
];
