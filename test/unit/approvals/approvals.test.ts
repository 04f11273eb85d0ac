// The approvals service's pure parts: the quorum decision, the configuration, password hashing, the
// content hash that binds votes, and escaping in the console's HTML.
import { describe, expect, it } from 'vitest';
import { loadApprovalsConfig, quorumFor } from '../../../src/approvals/config.js';
import { html } from '../../../src/approvals/console/html.js';
import { formatAmount } from '../../../src/approvals/console/pages.js';
import { hashPassword, isBelowCurrentCost, verifyPassword } from '../../../src/approvals/passwords.js';
import { legacyScryptHash } from '../../support/legacy-password-hash.js';
import { decide, type Vote } from '../../../src/approvals/quorum.js';
import { contentHash } from '../../../src/approvals/store.js';

const now = new Date('2026-12-03T10:00:00Z');
const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
const vote = (operator: string, decision: Vote['decision'], minutesAgo = 1): Vote => ({
  operator,
  decision,
  at: at(minutesAgo),
});
const HOUR = 60 * 60_000;
const SECRET = 'k'.repeat(32);

describe('quorum', () => {
  it('needs N distinct operators with unexpired approvals, and any rejection refuses', () => {
    expect(decide([vote('a', 'approve')], 2, HOUR, now).decision).toBe('awaiting');
    expect(decide([vote('a', 'approve'), vote('a', 'approve')], 2, HOUR, now).decision).toBe('awaiting');
    expect(decide([vote('a', 'approve'), vote('b', 'approve')], 2, HOUR, now)).toMatchObject({
      decision: 'approved',
      approvedBy: ['a', 'b'],
    });
    expect(
      decide([vote('a', 'approve'), vote('b', 'approve'), vote('c', 'reject')], 2, HOUR, now),
    ).toMatchObject({
      decision: 'rejected',
      rejectedBy: ['c'],
    });
    expect(decide([vote('a', 'approve', 61), vote('b', 'approve')], 2, HOUR, now)).toMatchObject({
      decision: 'awaiting',
      expired: ['a'],
    });
  });

  it('defaults to 2 on mainnet and 1 elsewhere, per-chain settings win', () => {
    const config = loadApprovalsConfig({ FOUR_EYE_SECRET: SECRET });
    expect(quorumFor(config, 'ETH', 'mainnet')).toBe(2);
    expect(quorumFor(config, 'ETH', 'testnet')).toBe(1);
    expect(quorumFor(config, 'ETH', null)).toBe(2);
    const custom = loadApprovalsConfig({
      FOUR_EYE_SECRET: SECRET,
      APPROVALS_QUORUM: '{"default":3,"BTC":4}',
    });
    expect(quorumFor(custom, 'BTC', 'testnet')).toBe(4);
    expect(quorumFor(custom, 'ETH', 'testnet')).toBe(3);
  });

  it('requires two-step sign-in only when APPROVALS_REQUIRE_TWO_STEP=true', () => {
    expect(loadApprovalsConfig({ FOUR_EYE_SECRET: SECRET }).requireTwoStep).toBe(false);
    expect(
      loadApprovalsConfig({ FOUR_EYE_SECRET: SECRET, APPROVALS_REQUIRE_TWO_STEP: 'true' }).requireTwoStep,
    ).toBe(true);
    expect(() => loadApprovalsConfig({ FOUR_EYE_SECRET: SECRET, APPROVALS_REQUIRE_TWO_STEP: 'yes' })).toThrow(
      /^APPROVALS_REQUIRE_TWO_STEP/,
    );
  });

  it('refuses bad settings naming the variable', () => {
    expect(() => loadApprovalsConfig({})).toThrow(/^FOUR_EYE_SECRET/);
    expect(() => loadApprovalsConfig({ FOUR_EYE_SECRET: 'short' })).toThrow(/at least 32 characters/);
    expect(() =>
      loadApprovalsConfig({ FOUR_EYE_SECRET: SECRET, APPROVALS_QUORUM: '{"DOGECOIN":2}' }),
    ).toThrow(/^APPROVALS_QUORUM: keys must be/);
    expect(() => loadApprovalsConfig({ FOUR_EYE_SECRET: SECRET, APPROVALS_QUORUM: '{"default":0}' })).toThrow(
      /^APPROVALS_QUORUM/,
    );
    expect(() => loadApprovalsConfig({ FOUR_EYE_SECRET: SECRET, APPROVALS_TTL_SECONDS: '1' })).toThrow(
      /^APPROVALS_TTL_SECONDS/,
    );
  });
});

describe('passwords', () => {
  it('scrypt hashes verify only the same password and never repeat', async () => {
    const a = await hashPassword('a long enough password');
    const b = await hashPassword('a long enough password');
    expect(a).toMatch(/^scrypt\$15\$8\$3\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('a long enough password', a)).toBe(true);
    expect(await verifyPassword('a long enough passworD', a)).toBe(false);
    await expect(hashPassword('short')).rejects.toThrow(/at least 12 characters/);
  });

  it('verifies hashes made at an older cost and marks them for re-hashing; new hashes are current', async () => {
    const legacy = legacyScryptHash('a long enough password', { logN: 15, r: 8, p: 1 });
    expect(await verifyPassword('a long enough password', legacy)).toBe(true);
    expect(await verifyPassword('another long password', legacy)).toBe(false);
    expect(isBelowCurrentCost(legacy)).toBe(true);
    expect(isBelowCurrentCost(await hashPassword('a long enough password'))).toBe(false);
  });

  it('refuses stored hashes whose cost is out of bounds instead of computing them', async () => {
    for (const cost of [
      { logN: 24, r: 8, p: 1 },
      { logN: 15, r: 64, p: 1 },
      { logN: 15, r: 8, p: 0 },
    ]) {
      const stored = legacyScryptHash('a long enough password', { logN: 10, r: 1, p: 1 }).replace(
        /^scrypt\$10\$1\$1\$/,
        `scrypt$${cost.logN}$${cost.r}$${cost.p}$`,
      );
      expect(await verifyPassword('a long enough password', stored)).toBe(false);
      expect(isBelowCurrentCost(stored)).toBe(true);
    }
  });
});

describe('content hash', () => {
  it('ignores key order and txId, but not the payload', () => {
    const pending = { id: 'a'.repeat(24), chain: 'ETH', serializedTransaction: '{"nonce":1}', hashes: ['w'] };
    const reordered = {
      hashes: ['w'],
      serializedTransaction: '{"nonce":1}',
      chain: 'ETH',
      id: 'a'.repeat(24),
    };
    expect(contentHash(reordered)).toBe(contentHash(pending));
    expect(contentHash({ ...pending, txId: '0x1' })).toBe(contentHash(pending));
    expect(contentHash({ ...pending, serializedTransaction: '{"nonce":2}' })).not.toBe(contentHash(pending));
  });
});

describe('console HTML', () => {
  it('escapes every interpolated value', () => {
    const reason = '<script>alert("x")</script>';
    expect(html`<p>${reason}</p>`.value).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>');
    const items = ['<a>', html`<li>ok</li>`];
    expect(
      html`<ul>
        ${items}
      </ul>`.value.replace(/\s+/g, ''),
    ).toBe('<ul>&lt;a&gt;<li>ok</li></ul>');
  });

  it('shows native amounts in whole units and tokens in base units', () => {
    expect(formatAmount('ETH', 'native', '1500000000000000000')).toBe('1.5 ETH');
    expect(formatAmount('BTC', 'native', '600000')).toBe('0.006 BTC');
    expect(formatAmount('ETH', '0xabc', '100')).toBe('100 (base units of token 0xabc)');
  });
});
