import { describe, expect, it } from 'vitest';

import { deriveAddress, validateAddress } from '../../../src/chains/index.js';
import { tronAddressFromHex, tronAddressToHex } from '../../../src/chains/addresses/tron.js';

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

// tronweb test/helpers/config.ts: ADDRESS_HEX / ADDRESS_BASE58 and CONTRACT_ADDRESS20(_HEX),
// https://github.com/tronprotocol/tronweb/blob/master/test/helpers/config.ts
const TRONWEB_PAIRS: [string, string][] = [
  ['417e5f4552091a69125d5dfcb7b8c2659029395bdf', 'TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC'],
  ['41a2fe67ceadf6e147c440fe556a0a15bd210ec412', 'TQq3EYEiaYr95r6ePRQwycukCEAE4qWkE7'],
];

describe('TRON addresses', () => {
  for (const [hexAddress, base58] of TRONWEB_PAIRS) {
    it(`converts ${hexAddress} <-> ${base58} and validates it on both networks`, () => {
      expect(tronAddressFromHex(hexAddress)).toBe(base58);
      expect(tronAddressFromHex(`0x${hexAddress.toUpperCase()}`)).toBe(base58);
      expect(tronAddressToHex(base58)).toBe(hexAddress);
      for (const network of ['mainnet', 'testnet'] as const) {
        expect(validateAddress('TRON', network, base58)).toEqual({
          valid: true,
          format: 'tron',
          normalized: base58,
        });
      }
    });
  }

  it('derives TMVQGm1q… for private key 1', () => {
    // The tronweb ADDRESS_HEX above is 41 ‖ 7e5f4552…5bdf, and 7e5f4552…5bdf is the keccak address of private
    // key 1 (MMGen test/tooltest2_d/data.py eth_addr1 for privhex1, https://github.com/mmgen/mmgen-wallet).
    const G = hex('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
    expect(deriveAddress('TRON', 'mainnet', G)).toBe('TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC');
    expect(deriveAddress('ETH', 'mainnet', G).toLowerCase()).toBe(
      '0x7e5f4552091a69125d5dfcb7b8c2659029395bdf',
    );
  });

  it("rejects Trust Wallet Core's invalid examples (tests/chains/Tron/AddressTests.cpp TronAddress.Invalid)", () => {
    // https://github.com/trustwallet/wallet-core/blob/master/tests/chains/Tron/AddressTests.cpp
    for (const address of [
      'abc',
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      '175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W',
      '2MegQ6oqSda2tTagdEzBA',
    ]) {
      expect(validateAddress('TRON', 'mainnet', address).valid, address).toBe(false);
    }
    expect(validateAddress('TRON', 'mainnet', 'TJRyWwFs9wTFGZg3JbrVriFbNfCug5tDeC')).toMatchObject({
      valid: true,
    });
  });

  it('rejects a bad checksum', () => {
    const result = validateAddress('TRON', 'mainnet', 'TJRyWwFs9wTFGZg3JbrVriFbNfCug5tDeD');
    expect(result).toMatchObject({ valid: false, reason: expect.stringMatching(/checksum/) as unknown });
  });

  it('rejects a Base58Check address whose prefix byte is not 0x41', () => {
    expect(validateAddress('TRON', 'mainnet', '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH')).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/prefix byte 0x00 is not TRON's 0x41.*BTC mainnet P2PKH/) as unknown,
    });
    expect(validateAddress('TRON', 'testnet', 'DNRTC6GZ5evmM7BZWwPqF54fyDqUqULMyu')).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/0x1e.*DOGE/) as unknown,
    });
  });

  it("rejects the hex form and other chains' formats", () => {
    for (const address of [
      '417e5f4552091a69125d5dfcb7b8c2659029395bdf',
      '0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf',
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      '',
      'T',
    ]) {
      expect(validateAddress('TRON', 'mainnet', address).valid, address).toBe(false);
    }
  });

  it('hex helpers refuse malformed input', () => {
    expect(() => tronAddressFromHex('7e5f4552091a69125d5dfcb7b8c2659029395bdf')).toThrow(/41/);
    expect(() => tronAddressFromHex('42a2fe67ceadf6e147c440fe556a0a15bd210ec412')).toThrow(/41/);
    expect(() => tronAddressToHex('1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH')).toThrow(/Invalid TRON address/);
  });
});
