import * as ecc from 'tiny-secp256k1';
import { describe, expect, it } from 'vitest';

import {
  InvalidPublicKeyError,
  UnsupportedAddressFormatError,
  UnsupportedChainError,
  UnsupportedNetworkError,
  addressToOutputScript,
  deriveAddress,
  deriveAddresses,
  listChains,
  chainKeySpec,
  validateAddress,
} from '../../../src/chains/index.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ADDRESS_VECTORS } from '../../vectors/address-vectors.js';
import { ADA_EGLD_ADDRESS_VECTORS } from '../../vectors/ada-egld-address-vectors.js';
import { StrKey } from '@stellar/stellar-base';
import { ED25519_ADDRESS_VECTORS, SEP5_TEST2_SECRET } from '../../vectors/ed25519-address-vectors.js';

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function publicKeys(privateKeyHex: string): { compressed: Uint8Array; uncompressed: Uint8Array } {
  const priv = hex(privateKeyHex);
  const compressed = ecc.pointFromScalar(priv, true);
  const uncompressed = ecc.pointFromScalar(priv, false);
  if (compressed === null || uncompressed === null) throw new Error(`bad test key ${privateKeyHex}`);
  return { compressed, uncompressed };
}

// BIP-173 §Examples: "All examples use public key 0279BE66…F81798" (the generator G, private key 1).
const G = hex('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');

describe('deriveAddress: published private-key vectors (test/vectors/address-vectors.ts)', () => {
  for (const v of ADDRESS_VECTORS) {
    it(`${v.chain} ${v.network} ${v.format} ${v.address}`, () => {
      // v.source names the publication; every vector was also re-derived independently (see the file header).
      const { compressed, uncompressed } = publicKeys(v.privateKeyHex);
      expect(deriveAddress(v.chain, v.network, compressed, v.format)).toBe(v.address);
      expect(deriveAddress(v.chain, v.network, uncompressed, v.format)).toBe(v.address);
      const validation = validateAddress(v.chain, v.network, v.address);
      expect(validation).toEqual({
        valid: true,
        format: v.format === 'p2sh-p2wpkh' ? 'p2sh' : v.format,
        normalized: v.address,
      });
    });
  }

  it('cover every chain and format on mainnet', () => {
    for (const chain of listChains()) {
      const vectors =
        chainKeySpec(chain.id) === 'ECC_NIST_EDWARDS25519'
          ? [...ED25519_ADDRESS_VECTORS, ...ADA_EGLD_ADDRESS_VECTORS]
          : ADDRESS_VECTORS;
      for (const format of chain.addressFormats) {
        const found = vectors.some(
          (v) => v.chain === chain.id && v.network === 'mainnet' && v.format === format,
        );
        expect(found, `${chain.id} mainnet ${format}`).toBe(true);
      }
    }
  });

  it('are well-formed', () => {
    for (const v of ADDRESS_VECTORS) {
      expect(v.privateKeyHex).toMatch(/^[0-9a-f]{64}$/);
      expect(v.source).toMatch(/https:\/\//);
    }
  });
});

describe('deriveAddress: published Ed25519 vectors (test/vectors/ed25519-address-vectors.ts)', () => {
  for (const v of ED25519_ADDRESS_VECTORS) {
    it(`${v.chain} ${v.network} ${v.format} ${v.address}`, () => {
      const publicKey = ed25519.getPublicKey(hex(v.seedHex));
      expect(deriveAddress(v.chain, v.network, publicKey, v.format)).toBe(v.address);
      expect(validateAddress(v.chain, v.network, v.address)).toEqual({
        valid: true,
        format: v.format,
        normalized: v.address,
      });
    });
  }

  it('refuses a secp256k1 key, a wrong length and a small-order point on SOL', () => {
    expect(() => deriveAddress('SOL', 'mainnet', G)).toThrow(/Ed25519 public key must be 32 bytes/);
    // The identity point (y = 1) is of small order: it would verify forged signatures.
    const identity = new Uint8Array(32);
    identity[0] = 1;
    expect(() => deriveAddress('SOL', 'mainnet', identity)).toThrow(/small-order/);
  });

  it('the SEP-0005 vector seed is the published secret StrKey', () => {
    expect(Buffer.from(StrKey.decodeEd25519SecretSeed(SEP5_TEST2_SECRET)).toString('hex')).toBe(
      ED25519_ADDRESS_VECTORS.find((v) => v.chain === 'XLM')?.seedHex,
    );
  });

  it('validates XLM destinations strictly: G… with a valid checksum; muxed, secret and lower-case refused', () => {
    const g = 'GAVXVW5MCK7Q66RIBWZZKZEDQTRXWCZUP4DIIFXCCENGW2P6W4OA34RH';
    expect(validateAddress('XLM', 'testnet', g)).toMatchObject({ valid: true, format: 'stellar' });
    expect(validateAddress('XLM', 'mainnet', `${g.slice(0, -1)}J`)).toMatchObject({ valid: false });
    expect(validateAddress('XLM', 'mainnet', g.toLowerCase())).toMatchObject({ valid: false });
    expect(validateAddress('XLM', 'mainnet', SEP5_TEST2_SECRET)).toMatchObject({ valid: false });
    const muxed = 'MA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJUAAAAAAAAAAAACJUQ';
    expect(validateAddress('XLM', 'mainnet', muxed)).toMatchObject({ valid: false, reason: /muxed/ });
  });

  it('validates ALGO destinations strictly: 58 upper-case base32 characters with the checksum', () => {
    const a = 'LT74JRUCTFB35LZT4NJV23ZHVWNIOGDMTUJ4ASCXDXDDP5ZQFURIZAHIXA';
    expect(validateAddress('ALGO', 'mainnet', a)).toMatchObject({ valid: true, format: 'algorand' });
    // The all-zero account, as Algorand publishes it (the "zero address").
    const zero = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAY5HFKQ';
    expect(validateAddress('ALGO', 'testnet', zero)).toMatchObject({ valid: true });
    expect(validateAddress('ALGO', 'mainnet', `${a.slice(0, -1)}B`)).toMatchObject({ valid: false });
    expect(validateAddress('ALGO', 'mainnet', a.toLowerCase())).toMatchObject({ valid: false });
    expect(validateAddress('ALGO', 'mainnet', a.slice(1))).toMatchObject({ valid: false });
    expect(() => deriveAddress('ALGO', 'mainnet', G)).toThrow(/Ed25519 public key must be 32 bytes/);
    expect(() => deriveAddress('XLM', 'mainnet', G)).toThrow(/Ed25519 public key must be 32 bytes/);
  });

  it('validates SOL destinations as base58 of exactly 32 bytes', () => {
    expect(validateAddress('SOL', 'mainnet', '11111111111111111111111111111111')).toMatchObject({
      valid: true,
    });
    expect(validateAddress('SOL', 'mainnet', '2KW2XRd9kwqet15Aha2oK3tYvd3nWbTFH1MBiRAv1BE')).toMatchObject({
      valid: false,
    });
    expect(validateAddress('SOL', 'mainnet', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8')).toMatchObject({
      valid: false,
    });
  });
});

describe('deriveAddress: public-key-only vectors', () => {
  it('BIP-173 §Examples: P2WPKH of G on mainnet and testnet', () => {
    expect(deriveAddress('BTC', 'mainnet', G, 'p2wpkh')).toBe('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4');
    expect(deriveAddress('BTC', 'testnet', G, 'p2wpkh')).toBe('tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx');
  });

  it('Trust Wallet Core LitecoinAddressTests.cpp: legacy and segwit addresses of two public keys', () => {
    // https://github.com/trustwallet/wallet-core/blob/master/tests/chains/Litecoin/LitecoinAddressTests.cpp
    const legacy = hex('03b49081a4d7ad24b20e209bc6fe10491aadb5607777baf0509a036cce96025db0');
    const segwit = hex('030fc2fdd1a0b5d43b31227a4b1cd57e7d35a6edc93fb12f9315e67762abeb8be0');
    expect(deriveAddress('LTC', 'mainnet', legacy, 'p2pkh')).toBe('LW6HjAU6GL9fK2LZWUA6VZCzomTdrpx3nr');
    expect(deriveAddress('LTC', 'mainnet', segwit)).toBe('ltc1q3m3ujh350qrqdl33pv7pjw0d0m9qnm6qjcjpga');
  });
});

describe('deriveAddress: BIP-143 examples (our address decodes to exactly the published scriptPubKey)', () => {
  // https://github.com/bitcoin/bips/blob/master/bip-0143.mediawiki#native-p2wpkh
  it('Native P2WPKH: public key 025476c2…6357 -> scriptPubKey 00141d0f…71a1', () => {
    const privateKey = '619c335025c7f4012e556c2a58b2506e30b8511b53ade95ea316fd8c3286feb9';
    const pub = hex('025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee6357');
    expect(toHex(publicKeys(privateKey).compressed)).toBe(toHex(pub));
    const address = deriveAddress('BTC', 'mainnet', pub, 'p2wpkh');
    expect(toHex(addressToOutputScript('BTC', 'mainnet', address))).toBe(
      '00141d0f172a0ecb48aee1be1f2687d2963ae33f71a1',
    );
  });

  // https://github.com/bitcoin/bips/blob/master/bip-0143.mediawiki#p2sh-p2wpkh
  it('P2SH-P2WPKH: public key 03ad1d8e…6873 -> scriptPubKey a9144733…2387', () => {
    const privateKey = 'eb696a065ef48a2192da5b28b694f87544b30fae8327c4510137a922f32c6dcf';
    const pub = hex('03ad1d8e89212f0b92c74d23bb710c00662ad1470198ac48c43f7d6f93a2a26873');
    expect(toHex(publicKeys(privateKey).compressed)).toBe(toHex(pub));
    for (const network of ['mainnet', 'testnet'] as const) {
      const address = deriveAddress('BTC', network, pub, 'p2sh-p2wpkh');
      expect(toHex(addressToOutputScript('BTC', network, address))).toBe(
        'a9144733f37cf4db86fbc2efed2500b4f4e49f31202387',
      );
    }
  });

  // https://github.com/bitcoin/bips/blob/master/bip-0049.mediawiki#test-vectors
  it('BIP-49: the testnet address pays to HASH160(0014 ‖ keyhash)', () => {
    const pub = hex('03a1af804ac108a8a51782198c2d034b28bf90c8803f5a53f76276fa69a4eae77f');
    const address = deriveAddress('BTC', 'testnet', pub, 'p2sh-p2wpkh');
    expect(address).toBe('2Mww8dCYPUpKHofjgcXcBCEGmniw9CoaiD2');
    expect(toHex(addressToOutputScript('BTC', 'testnet', address))).toBe(
      'a914336caa13e08b96080a32b5d818d59b4ab3b3674287',
    );
  });
});

describe('deriveAddresses', () => {
  it('returns every format, default first (G on BTC mainnet; bitcoinjs-lib addresses.js vectors for key 1)', () => {
    expect(deriveAddresses('BTC', 'mainnet', G)).toEqual([
      { format: 'p2wpkh', address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4' },
      { format: 'p2sh-p2wpkh', address: '3JvL6Ymt8MVWiCNHC7oWU6nLeHNJKLZGLN' },
      { format: 'p2pkh', address: '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH' },
    ]);
  });

  it('returns cashaddr then legacy for BCH (Trust Wallet Core BitcoinCash.LegacyToCashAddr)', () => {
    const { compressed } = publicKeys('28071bf4e2b0340db41b807ed8a5514139e5d6427ff9d58dbd22b7ed187103a4');
    expect(deriveAddresses('BCH', 'mainnet', compressed)).toEqual([
      { format: 'cashaddr', address: 'bitcoincash:qruxj7zq6yzpdx8dld0e9hfvt7u47zrw9gfr5hy0vh' },
      { format: 'p2pkh', address: '1PeUvjuxyf31aJKX6kCXuaqxhmG78ZUdL1' },
    ]);
  });

  it('returns a single entry for single-format chains', () => {
    expect(deriveAddresses('DOGE', 'mainnet', G).map((a) => a.format)).toEqual(['p2pkh']);
    expect(deriveAddresses('TRON', 'testnet', G).map((a) => a.format)).toEqual(['tron']);
  });

  it('uses the default format when none is given', () => {
    const ed25519Key = ed25519.getPublicKey(new Uint8Array(32).fill(8));
    for (const chain of listChains().filter((c) => c.id !== 'FLOW')) {
      const key = chainKeySpec(chain.id) === 'ECC_NIST_EDWARDS25519' ? ed25519Key : G;
      const [first] = deriveAddresses(chain.id, 'mainnet', key);
      expect(deriveAddress(chain.id, 'mainnet', key)).toBe(first?.address);
      expect(first?.format).toBe(chain.addressFormats[0]);
    }
  });
});

describe('deriveAddress: errors', () => {
  it('refuses FLOW: its addresses are assigned by the chain', () => {
    expect(() => deriveAddress('FLOW', 'mainnet', G)).toThrow(/FLOW.*assigned by the chain/);
    expect(() => deriveAddresses('FLOW', 'testnet', G)).toThrow(/assigned by the chain/);
  });

  it('names the chain and the format for a format the chain does not have', () => {
    expect(() => deriveAddress('DOGE', 'mainnet', G, 'p2wpkh')).toThrow(UnsupportedAddressFormatError);
    expect(() => deriveAddress('DOGE', 'mainnet', G, 'p2wpkh')).toThrow(/"p2wpkh" for chain DOGE.*p2pkh/);
    expect(() => deriveAddress('BTC', 'mainnet', G, 'cashaddr')).toThrow(/"cashaddr" for chain BTC/);
    expect(() => deriveAddress('ETH', 'mainnet', G, 'p2pkh')).toThrow(/"p2pkh" for chain ETH.*evm/);
    expect(() => deriveAddress('TRON', 'mainnet', G, 'evm')).toThrow(UnsupportedAddressFormatError);
    expect(() => deriveAddress('BCH', 'mainnet', G, 'p2wpkh')).toThrow(UnsupportedAddressFormatError);
  });

  it('rejects unknown chains and networks', () => {
    expect(() => deriveAddress('DOT' as never, 'mainnet', G)).toThrow(UnsupportedChainError);
    expect(() => deriveAddress('ETH', 'regtest', G)).toThrow(UnsupportedNetworkError);
    expect(() => deriveAddresses('LTC', 'regtest', G)).toThrow(UnsupportedNetworkError);
  });

  it('rejects an invalid public key with a specific error', () => {
    expect(() => deriveAddress('BTC', 'mainnet', G.subarray(1))).toThrow(InvalidPublicKeyError);
    expect(() => deriveAddress('ETH', 'mainnet', new Uint8Array(65))).toThrow(/publicKey: a 65-byte/);
    expect(() => deriveAddresses('TRON', 'mainnet', hex(`04${'00'.repeat(64)}`))).toThrow(
      /not a point on the secp256k1 curve/,
    );
  });
});
