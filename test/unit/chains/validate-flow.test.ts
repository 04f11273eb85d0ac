// Flow destination addresses: 8 bytes as 16 hex digits, canonical 0x + lowercase.
import { describe, expect, it } from 'vitest';

import { validateAddress } from '../../../src/chains/index.js';

describe('validateAddress FLOW', () => {
  it('accepts 16 hex digits with or without 0x and normalises to lowercase 0x', () => {
    // Flow emulator service account (flow.json of github.com/onflow/kitty-items).
    expect(validateAddress('FLOW', 'mainnet', '0xf8d6e0586b0a20c7')).toEqual({
      valid: true,
      format: 'flow',
      normalized: '0xf8d6e0586b0a20c7',
    });
    expect(validateAddress('FLOW', 'testnet', 'F8D6E0586B0A20C7')).toMatchObject({
      valid: true,
      normalized: '0xf8d6e0586b0a20c7',
    });
  });

  it.each([
    ['0xf8d6e0586b0a20c', /16 hex digits/],
    ['0xf8d6e0586b0a20c7a', /16 hex digits/],
    ['0x0000000000000000', /zero address/],
    ['0xf8d6e0586b0a20cg', /16 hex digits/],
    ['0x742d35Cc6634C0532925a3b844Bc454e4438f44e', /16 hex digits/],
  ])('refuses %s', (address, reason) => {
    const result = validateAddress('FLOW', 'mainnet', address);
    expect(result.valid).toBe(false);
    expect(result.valid ? '' : result.reason).toMatch(reason);
  });
});
