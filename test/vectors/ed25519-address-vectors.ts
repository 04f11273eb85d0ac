import type { AddressFormat, ChainId, NetworkName } from '../../src/chains/index.js';

/**
 * Ed25519 seed -> address known-answer vectors for the Ed25519 chains, each PUBLISHED with its address
 * by the cited source. The seeds are PUBLIC test keys: never fund them on a real network.
 */
export interface Ed25519AddressVector {
  readonly source: string;
  /** 32-byte Ed25519 private key (RFC 8032 seed), lowercase hex. */
  readonly seedHex: string;
  readonly chain: ChainId;
  readonly network: NetworkName;
  readonly format: AddressFormat;
  readonly address: string;
}

const SEED_08 = '08'.repeat(32);
const SOLANA_WEB3 =
  'solana-web3.js test/keypair.test.ts "generate keypair from random seed" (seed 0x08 × 32), https://github.com/solana-labs/solana-web3.js/blob/master/test/keypair.test.ts';

// SEP-0005 "Test 2", m/44'/148'/0': the secret seed SAKS7I2P…AGDB is the StrKey of this 32-byte seed
// (test/unit/chains/derive.test.ts decodes it to prove so).
const SEP5_TEST2_SEED = '152fa34f68c24ec932a4a9abad3f576e9dd76ae506501d920c30f7289ae7ea70';
export const SEP5_TEST2_SECRET = 'SAKS7I2PNDBE5SJSUSU2XLJ7K5XJ3V3K4UDFAHMSBQYPOKE247VHAGDB';
const SEP5 =
  "SEP-0005 \"Key Derivation Methods for Stellar Keys\", Test 2, m/44'/148'/0', https://github.com/stellar/stellar-protocol/blob/master/ecosystem/sep-0005.md";
// An Algorand account seed (the 32-byte Ed25519 private key that the 25-word mnemonic encodes) and its
// address, from blockchain_utils' Algorand test vectors.
const ALGO_SEED = '082149a74a17353e1b2dac9c39939acb31f4a3d9d9139942d3060ef2beb58fa6';
const ALGO_VECTORS =
  'mrtnetwork/blockchain_utils test/algorand/test_vector.dart (first vector), https://github.com/mrtnetwork/blockchain_utils/blob/main/test/algorand/test_vector.dart';

export const ED25519_ADDRESS_VECTORS: readonly Ed25519AddressVector[] = [
  {
    source: SOLANA_WEB3,
    seedHex: SEED_08,
    chain: 'SOL',
    network: 'mainnet',
    format: 'solana',
    address: '2KW2XRd9kwqet15Aha2oK3tYvd3nWbTFH1MBiRAv1BE1',
  },
  {
    source: SOLANA_WEB3,
    seedHex: SEED_08,
    chain: 'SOL',
    network: 'testnet',
    format: 'solana',
    address: '2KW2XRd9kwqet15Aha2oK3tYvd3nWbTFH1MBiRAv1BE1',
  },
  ...(['mainnet', 'testnet'] as const).flatMap((network) => [
    {
      source: SEP5,
      seedHex: SEP5_TEST2_SEED,
      chain: 'XLM' as const,
      network,
      format: 'stellar' as const,
      address: 'GAVXVW5MCK7Q66RIBWZZKZEDQTRXWCZUP4DIIFXCCENGW2P6W4OA34RH',
    },
    {
      source: ALGO_VECTORS,
      seedHex: ALGO_SEED,
      chain: 'ALGO' as const,
      network,
      format: 'algorand' as const,
      address: 'LT74JRUCTFB35LZT4NJV23ZHVWNIOGDMTUJ4ASCXDXDDP5ZQFURIZAHIXA',
    },
  ]),
];
