// Destination validation for the chains of issue 14: XDC's xdc… spelling, Harmony's one1… bech32 and the
// XRP Ledger's classic r… address, against published vectors and their corruptions.
import { describe, expect, it } from 'vitest';

import { deriveAddresses, toEvmAddress, validateAddress } from '../../../src/chains/index.js';

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

describe('XDC addresses', () => {
  // python-hdwallet docs (XinFinAddress.encode of public key 0374a436…8429).
  const PUB = hex('0374a436044b4904bbd7a074b098d65fad39fc5b66f28da8440f10dbcf86568429');
  const XDC = 'xdce349A2f7dF70161e529E4C2982828A50c20FfDaB';

  it('derives xdc… by default and 0x… on request, from the published public key', () => {
    expect(deriveAddresses('XDC', 'mainnet', PUB)).toEqual([
      { format: 'xdc', address: XDC },
      { format: 'evm', address: '0xe349A2f7dF70161e529E4C2982828A50c20FfDaB' },
    ]);
  });

  it('accepts xdc… (checksummed or single case) and 0x…, and maps both to the 0x account', () => {
    expect(validateAddress('XDC', 'mainnet', XDC)).toEqual({ valid: true, format: 'xdc', normalized: XDC });
    expect(validateAddress('XDC', 'testnet', XDC.toLowerCase())).toEqual({
      valid: true,
      format: 'xdc',
      normalized: XDC,
    });
    expect(toEvmAddress('XDC', 'mainnet', XDC)).toBe('0xe349A2f7dF70161e529E4C2982828A50c20FfDaB');
    expect(validateAddress('XDC', 'mainnet', '0xe349a2f7df70161e529e4c2982828a50c20ffdab')).toMatchObject({
      valid: true,
      format: 'evm',
    });
  });

  it('refuses a broken checksum, a short address and xdc… on other chains', () => {
    expect(validateAddress('XDC', 'mainnet', 'xdcE349A2f7dF70161e529E4C2982828A50c20FfDaB')).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/checksum/) as string,
    });
    expect(validateAddress('XDC', 'mainnet', XDC.slice(0, -1))).toMatchObject({ valid: false });
    expect(validateAddress('ETH', 'mainnet', XDC)).toMatchObject({ valid: false });
  });
});

describe('Harmony addresses', () => {
  // Trust Wallet Core tests/chains/Harmony/AddressTests.cpp.
  it('accepts the published one1… addresses and maps them to their published key hashes', () => {
    expect(toEvmAddress('ONE', 'mainnet', 'one1a50tun737ulcvwy0yvve0pvu5skq0kjargvhwe').toLowerCase()).toBe(
      '0xed1ebe4fd1f73f86388f231997859ca42c07da5d',
    );
    expect(toEvmAddress('ONE', 'mainnet', 'one1tp7xdd9ewwnmyvws96au0e7e7mz6f8hjqr3g3p').toLowerCase()).toBe(
      '0x587c66b4b973a7b231d02ebbc7e7d9f6c5a49ef2',
    );
    expect(validateAddress('ONE', 'testnet', 'ONE1TP7XDD9EWWNMYVWS96AU0E7E7MZ6F8HJQR3G3P')).toEqual({
      valid: true,
      format: 'one-bech32',
      normalized: 'one1tp7xdd9ewwnmyvws96au0e7e7mz6f8hjqr3g3p',
    });
  });

  it("refuses Trust Wallet Core's invalid examples and a bad checksum", () => {
    expect(validateAddress('ONE', 'mainnet', 'one1a50tun737ulcvwy0yvve0pe')).toMatchObject({ valid: false });
    expect(validateAddress('ONE', 'mainnet', 'oe1tp7xdd9ewwnmyvws96au0ee7e7mz6f8hjqr3g3p')).toMatchObject({
      valid: false,
    });
    expect(validateAddress('ONE', 'mainnet', 'one1tp7xdd9ewwnmyvws96au0e7e7mz6f8hjqr3g3q')).toMatchObject({
      valid: false,
    });
  });
});

describe('XRP addresses', () => {
  it('accepts a classic address and refuses a broken checksum, an X-address and a 0x address', () => {
    expect(validateAddress('XRP', 'mainnet', 'rJHMeqKu8Ep7Fazx8MQG6JunaafBXz93YQ')).toEqual({
      valid: true,
      format: 'xrp',
      normalized: 'rJHMeqKu8Ep7Fazx8MQG6JunaafBXz93YQ',
    });
    expect(validateAddress('XRP', 'mainnet', 'rJHMeqKu8Ep7Fazx8MQG6JunaafBXz93YR')).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/checksum/) as string,
    });
    // xrpl.org "X-address format" example.
    expect(
      validateAddress('XRP', 'mainnet', 'X7AcgcsBL6XDcUb289X4mJ8djcdyKaB5hJDWMArnXr61cqZ'),
    ).toMatchObject({ valid: false, reason: expect.stringMatching(/X-address/) as string });
    expect(validateAddress('XRP', 'mainnet', '0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F')).toMatchObject({
      valid: false,
    });
  });
});
