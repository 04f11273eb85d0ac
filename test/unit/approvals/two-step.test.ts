// One-time codes checked against RFC 6238's own test vectors (Appendix B, SHA-1 seed "12345678901234567890",
// the 6 low digits of its 8-digit values), and the seal of stored seeds.
import { describe, expect, it } from 'vitest';
import { codeAt, codeStep, newSeed, seedUri } from '../../../src/approvals/two-step/codes.js';
import { openSeed, sealKey, sealSeed } from '../../../src/approvals/two-step/seed-seal.js';

const RFC_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // base32 of ASCII "12345678901234567890"

describe('one-time codes', () => {
  it('match RFC 6238 Appendix B and name their time step', () => {
    expect(codeAt(RFC_SEED, new Date(59_000))).toBe('287082');
    expect(codeAt(RFC_SEED, new Date(1_111_111_109_000))).toBe('081804');
    expect(codeAt(RFC_SEED, new Date(1_234_567_890_000))).toBe('005924');
    expect(codeStep(RFC_SEED, '287082', new Date(59_000))).toBe(1);
    expect(codeStep(RFC_SEED, '081804', new Date(1_111_111_109_000))).toBe(37_037_036);
  });

  it('accept one step of clock drift either side and nothing further', () => {
    expect(codeStep(RFC_SEED, '287082', new Date(59_000 + 30_000))).toBe(1);
    expect(codeStep(RFC_SEED, '287082', new Date(59_000 + 60_000))).toBeNull();
    expect(codeStep(RFC_SEED, '287082', new Date(59_000 - 60_000))).toBeNull();
  });

  it('refuse anything but six digits', () => {
    for (const code of ['', '28708', '2870822', '28708a', '287 08']) {
      expect(codeStep(RFC_SEED, code, new Date(59_000))).toBeNull();
    }
    expect(codeStep(RFC_SEED, '287 082', new Date(59_000))).toBe(1);
  });

  it('make 160-bit seeds and otpauth URIs an authenticator app reads', () => {
    const seed = newSeed();
    expect(seed).toMatch(/^[A-Z2-7]{32}$/);
    expect(newSeed()).not.toBe(seed);
    const uri = new URL(seedUri(seed, 'alice'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(uri.searchParams.get('secret')).toBe(seed);
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
  });
});

describe('sealed seeds', () => {
  const key = sealKey('a'.repeat(64));

  it('open only with the same key and for the same operator, and not when altered', () => {
    const sealed = sealSeed(key, RFC_SEED, 'alice');
    expect(sealed).not.toContain(RFC_SEED);
    expect(openSeed(key, sealed, 'alice')).toBe(RFC_SEED);
    expect(openSeed(key, sealed, 'bob')).toBeNull();
    expect(openSeed(sealKey('b'.repeat(64)), sealed, 'alice')).toBeNull();
    const parts = sealed.split('.');
    const data = Buffer.from(parts[2] ?? '', 'base64');
    data[0] = (data[0] ?? 0) ^ 1;
    expect(
      openSeed(key, [parts[0], parts[1], data.toString('base64'), parts[3]].join('.'), 'alice'),
    ).toBeNull();
    expect(openSeed(key, 'v0.x.y.z', 'alice')).toBeNull();
  });
});
