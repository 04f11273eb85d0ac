// ADA and EGLD addresses against PUBLISHED vectors, and strict destination validation.
import { ed25519 } from '@noble/curves/ed25519.js';
import { bech32 } from 'bech32';
import { describe, expect, it } from 'vitest';
import { chainKeySpec, deriveAddress, validateAddress } from '../../../src/chains/index.js';
import { ADA_EGLD_ADDRESS_VECTORS } from '../../vectors/ada-egld-address-vectors.js';

// CIP-19 "Test Vectors" (cardano-foundation/CIPs CIP-0019/README.md): payment key addr_vk1w0l2…80zhd,
// type-06 (enterprise, key hash) addresses on mainnet and testnet; type-00 base address for destinations.
const CIP19_PAYMENT_VK = 'addr_vk1w0l2sr2zgfm26ztc6nl9xy8ghsk5sh6ldwemlpmp9xylzy4dtf7st80zhd';
const CIP19_TYPE06_MAINNET = 'addr1vx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzers66hrl8';
const CIP19_TYPE06_TESTNET = 'addr_test1vz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzerspjrlsz';
const CIP19_TYPE00_TESTNET =
  'addr_test1qz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgs68faae';
const CIP19_TYPE14_TESTNET = 'stake_test1uqehkck0lajq8gr28t9uxnuvgcqrc6070x3k9r8048z8y5gssrtvn';

// MultiversX sdk-js testwallets "alice" (mx-sdk-js-core src/testdata/testwallets/alice.pem, secret key
// 413f…e8f9; address asserted in the SDK's address tests as erd1qyu5…cr6th).
const ALICE_SEED = '413f42575f7f26fad3317a778771212fdb80245850981e48b58a4f25e344e8f9';
const ALICE = 'erd1qyu5wthldzr8wx5c9ucg8kjagg0jfs53s8nr3zpz3hypefsdd8ssycr6th';

function bech32Bytes(text: string): Uint8Array {
  return Uint8Array.from(bech32.fromWords(bech32.decode(text).words));
}

describe('published vectors (test/vectors/ada-egld-address-vectors.ts)', () => {
  for (const v of ADA_EGLD_ADDRESS_VECTORS) {
    it(`${v.chain} ${v.network} ${v.address}`, () => {
      const publicKey = Buffer.from(v.publicKeyHex, 'hex');
      if (v.seedHex !== undefined) {
        expect(Buffer.from(ed25519.getPublicKey(Buffer.from(v.seedHex, 'hex')))).toEqual(publicKey);
      }
      expect(deriveAddress(v.chain, v.network, publicKey, v.format)).toBe(v.address);
      expect(validateAddress(v.chain, v.network, v.address)).toEqual({
        valid: true,
        format: v.format,
        normalized: v.address,
      });
      expect(v.source).toMatch(/https:\/\//);
    });
  }
});

describe('ADA: enterprise address of the payment key (CIP-19 type 6)', () => {
  const vk = bech32Bytes(CIP19_PAYMENT_VK);

  it('derives the published mainnet and testnet addresses', () => {
    expect(deriveAddress('ADA', 'mainnet', vk)).toBe(CIP19_TYPE06_MAINNET);
    expect(deriveAddress('ADA', 'testnet', vk)).toBe(CIP19_TYPE06_TESTNET);
    expect(bech32Bytes(CIP19_TYPE06_MAINNET)[0]).toBe(0x61);
    expect(bech32Bytes(CIP19_TYPE06_TESTNET)[0]).toBe(0x60);
    expect(chainKeySpec('ADA')).toBe('ECC_NIST_EDWARDS25519');
  });

  it('validates Shelley payment addresses of the network only', () => {
    expect(validateAddress('ADA', 'testnet', CIP19_TYPE06_TESTNET)).toEqual({
      valid: true,
      format: 'cardano-enterprise',
      normalized: CIP19_TYPE06_TESTNET,
    });
    expect(validateAddress('ADA', 'testnet', CIP19_TYPE00_TESTNET)).toMatchObject({
      valid: true,
      format: 'cardano-shelley',
    });
    expect(validateAddress('ADA', 'testnet', CIP19_TYPE06_TESTNET.toUpperCase())).toMatchObject({
      valid: true,
      normalized: CIP19_TYPE06_TESTNET,
    });
    const refused = [
      [CIP19_TYPE06_MAINNET, /other Cardano network/],
      [CIP19_TYPE14_TESTNET, /reward/],
      ['Ae2tdPwUPEZFRbyhz3cpfC2CumGzNkFBN2L42rcUc2yjQpEkxDbkPodpMAi', /Byron/],
      [`${CIP19_TYPE06_TESTNET.slice(0, -1)}q`, /not a valid Cardano address/],
      ['addr_test1vZ2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzerspjrlsz', /mix/],
    ] as const;
    for (const [address, reason] of refused) {
      const result = validateAddress('ADA', 'testnet', address);
      expect(result.valid, address).toBe(false);
      expect(result.valid ? '' : result.reason).toMatch(reason);
    }
  });
});

describe('EGLD: erd1… bech32 of the public key', () => {
  it('derives the published address of the SDK test wallet alice', () => {
    const publicKey = ed25519.getPublicKey(Buffer.from(ALICE_SEED, 'hex'));
    expect(deriveAddress('EGLD', 'mainnet', publicKey)).toBe(ALICE);
    expect(deriveAddress('EGLD', 'testnet', publicKey)).toBe(ALICE);
    expect(chainKeySpec('EGLD')).toBe('ECC_NIST_EDWARDS25519');
  });

  it('validates erd1 addresses of 32 bytes only', () => {
    expect(validateAddress('EGLD', 'mainnet', ALICE)).toEqual({
      valid: true,
      format: 'multiversx',
      normalized: ALICE,
    });
    const twentyBytes = bech32.encode('erd', bech32.toWords(new Uint8Array(20).fill(1)));
    const otherHrp = bech32.encode('xrd', bech32.toWords(bech32Bytes(ALICE)));
    for (const address of [ALICE.toUpperCase(), `${ALICE.slice(0, -1)}q`, twentyBytes, otherHrp, 'erd1']) {
      expect(validateAddress('EGLD', 'mainnet', address).valid, address).toBe(false);
    }
  });
});
