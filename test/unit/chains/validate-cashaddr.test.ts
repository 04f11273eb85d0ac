import { encodeCashAddress } from '@bitauth/libauth';
import { describe, expect, it } from 'vitest';

import { addressToOutputScript, validateAddress, type NetworkName } from '../../../src/chains/index.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const script = (network: NetworkName, address: string) =>
  toHex(addressToOutputScript('BCH', network, address));

function expectInvalid(network: NetworkName, address: string, reason?: RegExp): void {
  const result = validateAddress('BCH', network, address);
  expect(result.valid, `BCH ${network} ${JSON.stringify(address)} should be invalid`).toBe(false);
  if (reason !== undefined && !result.valid) expect(result.reason).toMatch(reason);
}

// CashAddr spec §Test vectors, "Examples of address translation":
// https://github.com/bitcoincashorg/bitcoincash.org/blob/master/spec/cashaddr.md#test-vectors
const TRANSLATIONS: [string, string, 'cashaddr' | 'cashaddr-p2sh'][] = [
  [
    '1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu',
    'bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
    'cashaddr',
  ],
  [
    '1KXrWXciRDZUpQwQmuM1DbwsKDLYAYsVLR',
    'bitcoincash:qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy',
    'cashaddr',
  ],
  ['16w1D5WRVKJuZUsSRzdLp9w3YGcgoxDXb', 'bitcoincash:qqq3728yw0y47sqn6l2na30mcw6zm78dzqre909m2r', 'cashaddr'],
  [
    '3CWFddi6m4ndiGyKqzYvsFYagqDLPVMTzC',
    'bitcoincash:ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq',
    'cashaddr-p2sh',
  ],
  [
    '3LDsS579y7sruadqu11beEJoTjdFiFCdX4',
    'bitcoincash:pr95sy3j9xwd2ap32xkykttr4cvcu7as4yc93ky28e',
    'cashaddr-p2sh',
  ],
  [
    '31nwvkZwyPdgzjBJZXfDmSWsC4ZLKpYyUw',
    'bitcoincash:pqq3728yw0y47sqn6l2na30mcw6zm78dzq5ucqzc37',
    'cashaddr-p2sh',
  ],
];

describe('BCH CashAddr', () => {
  for (const [legacy, cashaddr, format] of TRANSLATIONS) {
    it(`${legacy} and ${cashaddr} are the same destination`, () => {
      expect(validateAddress('BCH', 'mainnet', cashaddr)).toEqual({
        valid: true,
        format,
        normalized: cashaddr,
      });
      expect(validateAddress('BCH', 'mainnet', legacy)).toEqual({
        valid: true,
        format: format === 'cashaddr' ? 'p2pkh' : 'p2sh',
        normalized: legacy,
      });
      expect(script('mainnet', cashaddr)).toBe(script('mainnet', legacy));
    });
  }

  it('accepts the spec\'s 160-bit "larger test vectors" on their networks, with the right scripts', () => {
    // CashAddr spec §Larger test vectors, 20-byte rows (hash F5BF48B3…DAC9)
    const hash = 'f5bf48b397dae70be82b3cca4793f8eb2b6cdac9';
    const main = 'bitcoincash:qr6m7j9njldwwzlg9v7v53unlr4jkmx6eylep8ekg2';
    const test = 'bchtest:pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t';
    expect(validateAddress('BCH', 'mainnet', main)).toMatchObject({ valid: true, format: 'cashaddr' });
    expect(script('mainnet', main)).toBe(`76a914${hash}88ac`);
    expect(validateAddress('BCH', 'testnet', test)).toMatchObject({ valid: true, format: 'cashaddr-p2sh' });
    expect(script('testnet', test)).toBe(`a914${hash}87`);
  });

  it('accepts 256-bit P2SH (P2SH32) and pays to OP_HASH256 <32> OP_EQUAL', () => {
    // CashAddr spec §Larger test vectors, 32-byte type 1 row
    const address = 'bchtest:pvch8mmxy0rtfrlarg7ucrxxfzds5pamg73h7370aa87d80gyhqxq7fqng6m6';
    expect(validateAddress('BCH', 'testnet', address)).toMatchObject({
      valid: true,
      format: 'cashaddr-p2sh',
    });
    expect(script('testnet', address)).toBe(
      'aa203173ef6623c6b48ffd1a3dcc0cc6489b0a07bb47a37f47cfef4fe69de825c06087',
    );
  });

  it('refuses hash sizes that are not standard outputs (spec §Larger test vectors, 192-bit P2PKH)', () => {
    expectInvalid(
      'mainnet',
      'bitcoincash:q9adhakpwzztepkpwp5z0dq62m6u5v5xtyj7j3h2ws4mr9g0',
      /P2PKH hash must be 20 bytes, got 24/,
    );
  });

  it("refuses the spec's checksum-only vectors (valid checksum, invalid payload)", () => {
    expectInvalid('mainnet', 'bitcoincash:qpzry9x8gf2tvdw0s3jn54khce6mua7lcw20ayyn');
    expectInvalid('regtest', 'bchreg:555555555555555555555555555555555555555555555udxmlmrz');
    expectInvalid('testnet', 'bchtest:spectestnetaddressrealrealaddressqpan2k9lh');
  });

  it('accepts an address without its prefix and returns the prefixed form', () => {
    expect(validateAddress('BCH', 'mainnet', 'qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a')).toEqual({
      valid: true,
      format: 'cashaddr',
      normalized: 'bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
    });
    // Trust Wallet Core TWBitcoinCashTests.cpp BitcoinCash.Address / LockScript
    // https://github.com/trustwallet/wallet-core/blob/master/tests/chains/BitcoinCash/TWBitcoinCashTests.cpp
    expect(validateAddress('BCH', 'mainnet', 'pqx578nanz2h2estzmkr53zqdg6qt8xyqvwhn6qeyc')).toMatchObject({
      valid: true,
      format: 'cashaddr-p2sh',
    });
    expect(script('mainnet', 'pzukqjmcyzrkh3gsqzdcy3e3d39cqxhl3g0f405k5l')).toBe(
      'a914b9604b7820876bc510009b8247316c4b801aff8a87',
    );
    expect(script('mainnet', 'bitcoincash:qpk05r5kcd8uuzwqunn8rlx5xvuvzjqju5rch3tc0u')).toBe(
      '76a9146cfa0e96c34fce09c0e4e671fcd43338c14812e588ac',
    );
    expect(script('mainnet', '1AwDXywmyhASpCCFWkqhySgZf8KiswFoGh')).toBe(
      '76a9146cfa0e96c34fce09c0e4e671fcd43338c14812e588ac',
    );
  });

  it('accepts upper case and normalizes to lower case, but refuses mixed case', () => {
    expect(
      validateAddress('BCH', 'mainnet', 'BITCOINCASH:QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A'),
    ).toEqual({
      valid: true,
      format: 'cashaddr',
      normalized: 'bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
    });
    expectInvalid(
      'mainnet',
      'bitcoincash:Qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
      /mix upper and lower case/,
    );
    expectInvalid(
      'mainnet',
      'BITCOINCASH:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
      /mix upper and lower case/,
    );
  });

  it('rejects bad checksums (Trust Wallet Core BitcoinCash.InvalidAddress)', () => {
    expectInvalid('mainnet', 'pqx578nanz2h2estzmkr53zqdg6qt8xyqvffffffff');
    expectInvalid('mainnet', 'bitcoincash:pqx578nanz2h2estzmkr53zqdg6qt8xyqvffffffff');
    expectInvalid('mainnet', 'bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6c', /checksum/);
    expectInvalid('mainnet', 'poi578nanz2h2estzmkr53zqdg6qt8xyqvwhn6qeyc'); // 'o' and 'i' are not base32
  });

  it('rejects the wrong network prefix, with or without the prefix written', () => {
    expectInvalid(
      'mainnet',
      'bchtest:pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t',
      /prefix "bchtest" is not "bitcoincash".*BCH testnet/,
    );
    expectInvalid('regtest', 'bchtest:pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t', /not "bchreg"/);
    expectInvalid('mainnet', 'pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t', /only matches prefix "bchtest"/);
    expectInvalid(
      'testnet',
      'qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
      /only matches prefix "bitcoincash"/,
    );
    expectInvalid('mainnet', 'pref:pr6m7j9njldwwzlg9v7v53unlr4jkmx6ey65nvtks5', /prefix "pref"/); // spec vector
  });

  it('rejects other chains that reuse the CashAddr format (eCash) and wrong prefixes', () => {
    // Trust Wallet Core BitcoinCash.InvalidAddress: valid eCash addresses are invalid for BCH
    expectInvalid('mainnet', 'ecash:pqx578nanz2h2estzmkr53zqdg6qt8xyqvh683mrz0', /prefix "ecash"/);
    expectInvalid('mainnet', 'pqx578nanz2h2estzmkr53zqdg6qt8xyqvh683mrz0');
    expectInvalid('mainnet', 'bcash:pqx578nanz2h2estzmkr53zqdg6qt8xyqvwhn6qeyc');
  });

  it("refuses CashTokens-aware addresses (constructed with libauth from the spec's 20-byte hash)", () => {
    const payload = Uint8Array.from(Buffer.from('f5bf48b397dae70be82b3cca4793f8eb2b6cdac9', 'hex'));
    const { address } = encodeCashAddress({ prefix: 'bitcoincash', type: 'p2pkhWithTokens', payload });
    expectInvalid('mainnet', address, /CashTokens/);
  });

  it("rejects double prefixes and segwit / EVM / other chains' addresses", () => {
    expectInvalid('mainnet', 'bitcoincash:bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a');
    expectInvalid(
      'mainnet',
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      /Bitcoin Cash has no native segwit/,
    );
    expectInvalid('mainnet', 'LV7LV7Z4bWDEjYkfx9dQo6k6RjGbXsg6hS', /0x30.*LTC mainnet/);
    expectInvalid('mainnet', '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expectInvalid('mainnet', 'TJRyWwFs9wTFGZg3JbrVriFbNfCug5tDeC', /TRON/);
  });

  it('accepts regtest CashAddr (constructed: P2PKH of G under "bchreg", checked with an independent coder)', () => {
    expect(
      validateAddress('BCH', 'regtest', 'bchreg:qp63uahgrxged4z5jswyt5dn5v3lzsem6c6mz8vuwd'),
    ).toMatchObject({ valid: true, format: 'cashaddr' });
    expectInvalid('mainnet', 'bchreg:qp63uahgrxged4z5jswyt5dn5v3lzsem6c6mz8vuwd', /BCH regtest/);
  });

  it('legacy BCH addresses are byte-identical to Bitcoin ones, so a BTC legacy address validates on BCH', () => {
    // Inherent to the format (same version bytes), documented rather than "fixed".
    expect(validateAddress('BCH', 'mainnet', '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH')).toMatchObject({
      valid: true,
      format: 'p2pkh',
    });
    expect(validateAddress('BCH', 'testnet', 'mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r')).toMatchObject({
      valid: true,
      format: 'p2pkh',
    });
  });
});
