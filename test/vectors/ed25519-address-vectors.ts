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
];
