import { describe, expect, it } from 'vitest';

import { validateAddress } from '../../../src/chains/index.js';

const EVM_CHAINS = ['ETH', 'BSC', 'MATIC', 'EVM_DEV'] as const;

// EIP-55 §Test Cases (all caps, all lower, normal), https://eips.ethereum.org/EIPS/eip-55 — each string is
// already the checksummed form of its address.
const EIP55 = [
  '0x52908400098527886E0F7030069857D2E4169EE7',
  '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
  '0xde709f2102306220921060314715629080e2fb77',
  '0x27b1fdb04752bbc536007a920d24acb045561c26',
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
];

function swapCaseAt(s: string, i: number): string {
  const c = s.charAt(i);
  const swapped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
  return s.slice(0, i) + swapped + s.slice(i + 1);
}

describe('EVM addresses', () => {
  for (const address of EIP55) {
    it(`accepts the EIP-55 vector ${address} unchanged on every EVM chain and network`, () => {
      for (const chain of EVM_CHAINS) {
        for (const network of ['mainnet', 'testnet'] as const) {
          expect(validateAddress(chain, network, address)).toEqual({
            valid: true,
            format: 'evm',
            normalized: address,
          });
        }
      }
    });

    it(`accepts ${address} in all-lower and all-upper case and returns the EIP-55 form`, () => {
      const digits = address.slice(2);
      for (const variant of [`0x${digits.toLowerCase()}`, `0x${digits.toUpperCase()}`]) {
        expect(validateAddress('ETH', 'mainnet', variant)).toEqual({
          valid: true,
          format: 'evm',
          normalized: address,
        });
      }
    });
  }

  it('rejects mixed case that does not match the EIP-55 checksum', () => {
    for (const address of EIP55.slice(4)) {
      const firstLetter = address.slice(2).search(/[a-fA-F]/) + 2;
      const broken = swapCaseAt(address, firstLetter);
      const result = validateAddress('ETH', 'mainnet', broken);
      expect(result.valid, broken).toBe(false);
      if (!result.valid) expect(result.reason).toContain(`checksummed form is ${address}`);
    }
    // web3.js test/utils.checkAddressChecksum.js style: one lowered letter in an otherwise upper-case address
    expect(validateAddress('ETH', 'mainnet', '0x52908400098527886E0F7030069857D2E4169Ee7').valid).toBe(false);
  });

  it('returns the checksummed form of the anvil account (Foundry docs, https://getfoundry.sh/anvil)', () => {
    expect(validateAddress('EVM_DEV', 'mainnet', '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266')).toEqual({
      valid: true,
      format: 'evm',
      normalized: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    });
  });

  it('rejects malformed strings', () => {
    const bad = [
      '',
      '0x',
      '5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', // no 0x
      '0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', // upper-case X
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe', // 39 digits
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0', // 41 digits
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg', // non-hex
      ' 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      'XE7338O073KYGTWWZN0F2WZ0R8PX5ZPPZS', // ICAP-shaped string: only 0x-hex is accepted
      'vitalik.eth',
    ];
    for (const address of bad) expect(validateAddress('ETH', 'mainnet', address).valid, address).toBe(false);
  });

  it('rejects addresses of other chains', () => {
    expect(validateAddress('BSC', 'mainnet', 'TJRyWwFs9wTFGZg3JbrVriFbNfCug5tDeC').valid).toBe(false);
    expect(validateAddress('MATIC', 'mainnet', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4').valid).toBe(
      false,
    );
    expect(validateAddress('ETH', 'testnet', '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH').valid).toBe(false);
    // TRON's hex form: 41 ‖ 20 bytes is 42 digits, not an EVM address
    expect(validateAddress('ETH', 'mainnet', '0x417e5f4552091a69125d5dfcb7b8c2659029395bdf').valid).toBe(
      false,
    );
  });
});
