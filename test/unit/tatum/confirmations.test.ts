// Confirmation depth per chain: the operator's KMS_SIGNER_CONFIRMATIONS_<CHAIN>, else the chain's registry
// value (VET), else the family default.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/index.js';
import { confirmationDepth } from '../../../src/tatum/confirmations.js';

describe('confirmationDepth', () => {
  it("uses the chain's registry value before its family default", () => {
    expect(confirmationDepth('VET', {})).toBe(12);
    expect(confirmationDepth('ETH', {})).toBe(12);
    expect(confirmationDepth('BTC', {})).toBe(6);
    expect(confirmationDepth('XRP', {})).toBe(1);
  });

  it('lets the operator set any chain, VET included (e.g. its deterministic finality)', () => {
    expect(confirmationDepth('VET', { KMS_SIGNER_CONFIRMATIONS_VET: '360' })).toBe(360);
    expect(() => confirmationDepth('VET', { KMS_SIGNER_CONFIRMATIONS_VET: '0' })).toThrow(ConfigError);
  });

  it('confirms SOL when finalized: 1 from the registry, no other depth accepted', () => {
    expect(confirmationDepth('SOL', {})).toBe(1);
    expect(confirmationDepth('SOL', { KMS_SIGNER_CONFIRMATIONS_SOL: '1' })).toBe(1);
    expect(() => confirmationDepth('SOL', { KMS_SIGNER_CONFIRMATIONS_SOL: '32' })).toThrow(/finalized/);
  });
});
