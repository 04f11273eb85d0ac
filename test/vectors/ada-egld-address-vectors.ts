import type { AddressFormat, ChainId, NetworkName } from '../../src/chains/index.js';

/**
 * Ed25519 public key -> address known-answer vectors for ADA and EGLD, each PUBLISHED with its address by
 * the cited source. CIP-19 publishes a verification key only; MultiversX's test wallet alice also has a
 * published secret key (seedHex), so its vector is checked from the seed too. PUBLIC test keys: never fund
 * them on a real network.
 */
export interface PublicKeyAddressVector {
  readonly source: string;
  /** 32-byte Ed25519 public key, lowercase hex. */
  readonly publicKeyHex: string;
  /** 32-byte Ed25519 private key (RFC 8032 seed), when the source publishes it. */
  readonly seedHex?: string;
  readonly chain: ChainId;
  readonly network: NetworkName;
  readonly format: AddressFormat;
  readonly address: string;
}

// CIP-19 §Test Vectors: payment key addr_vk1w0l2sr2zgfm26ztc6nl9xy8ghsk5sh6ldwemlpmp9xylzy4dtf7st80zhd
// (bech32 of the bytes below), type-06 addresses.
const CIP19 =
  'CIP-19 "Test Vectors", type-06, https://github.com/cardano-foundation/CIPs/blob/master/CIP-0019/README.md';
const CIP19_VK = '73fea80d424276ad0978d4fe5310e8bc2d485f5f6bb3bf87612989f112ad5a7d';
const ALICE =
  'mx-sdk-js-core test wallet alice (src/testdata/testwallets/alice.pem; address in the SDK address tests), https://github.com/multiversx/mx-sdk-js-core';
const ALICE_PK = '0139472eff6886771a982f3083da5d421f24c29181e63888228dc81ca60d69e1';
const ALICE_SEED = '413f42575f7f26fad3317a778771212fdb80245850981e48b58a4f25e344e8f9';
const ALICE_ADDRESS = 'erd1qyu5wthldzr8wx5c9ucg8kjagg0jfs53s8nr3zpz3hypefsdd8ssycr6th';

export const ADA_EGLD_ADDRESS_VECTORS: readonly PublicKeyAddressVector[] = [
  {
    source: CIP19,
    publicKeyHex: CIP19_VK,
    chain: 'ADA',
    network: 'mainnet',
    format: 'cardano-enterprise',
    address: 'addr1vx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzers66hrl8',
  },
  {
    source: CIP19,
    publicKeyHex: CIP19_VK,
    chain: 'ADA',
    network: 'testnet',
    format: 'cardano-enterprise',
    address: 'addr_test1vz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzerspjrlsz',
  },
  {
    source: ALICE,
    publicKeyHex: ALICE_PK,
    seedHex: ALICE_SEED,
    chain: 'EGLD',
    network: 'mainnet',
    format: 'multiversx',
    address: ALICE_ADDRESS,
  },
  {
    source: ALICE,
    publicKeyHex: ALICE_PK,
    seedHex: ALICE_SEED,
    chain: 'EGLD',
    network: 'testnet',
    format: 'multiversx',
    address: ALICE_ADDRESS,
  },
];
