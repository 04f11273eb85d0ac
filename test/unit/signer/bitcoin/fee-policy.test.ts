// The fee cap: per-chain defaults (rate × vsize between a floor and a ceiling) and options.maxFeeSats.
import { Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEE_POLICIES, defaultFeeCap } from '../../../../src/signer/bitcoin/index.js';
import { bitcorePayload } from '../../../support/bitcoin-payloads.js';
import { chainRules } from '../../../../src/signer/bitcoin/chain-rules.js';
import { parseBitcore } from '../../../../src/signer/bitcoin/parse-bitcore.js';
import { planSigning } from '../../../../src/signer/bitcoin/plan.js';
import { prepareWallets } from '../../../../src/signer/bitcoin/wallets.js';
import { A, alice, B, expectRefusal, out, sign, utxo } from './fixtures.js';

describe('defaultFeeCap', () => {
  const btc = DEFAULT_FEE_POLICIES.BTC;
  it('is the floor for small transactions, rate × vsize above it, and never above the ceiling', () => {
    expect(defaultFeeCap(btc, 10)).toBe(btc.floor);
    expect(defaultFeeCap(btc, 1_000)).toBe(1_000n * btc.maxFeeRate);
    expect(defaultFeeCap(btc, 1_000_000)).toBe(btc.ceiling);
  });

  it('admits a flat 1 DOGE fee on a small DOGE transaction', () => {
    expect(defaultFeeCap(DEFAULT_FEE_POLICIES.DOGE, 226)).toBeGreaterThanOrEqual(100_000_000n);
  });
});

describe('fee check', () => {
  const utxos = [utxo(1, A.p2wpkh, 600_000n), utxo(2, A.p2wpkh, 600_000n)];
  const payload = (fee: bigint) => bitcorePayload(utxos, [out(B.p2wpkh, 1_200_000n - fee)]);

  it('signs a fee exactly at options.maxFeeSats and refuses one satoshi more', async () => {
    const { signer } = await sign(payload(25_000n), { options: { maxFeeSats: 25_000 } });
    expect(signer.calls).toHaveLength(2);
    await expectRefusal(payload(25_001n), { options: { maxFeeSats: 25_000n } }, 'FEE_TOO_HIGH', 'fee');
  });

  it('sizes with the largest possible signatures: never under the real vsize, at most 1 vB over per input', async () => {
    const mixed = [utxo(1, A.p2wpkh, 600_000n), utxo(2, A.p2shP2wpkh, 600_000n), utxo(3, A.p2pkh, 600_000n)];
    const unsigned = bitcorePayload(mixed, [out(B.p2wpkh, 1_790_000n)]);
    const wallets = prepareWallets([alice.wallet]);
    const plan = planSigning(parseBitcore(unsigned), wallets, chainRules('BTC', 'regtest'), undefined);
    const { result } = await sign(unsigned);
    const real = Transaction.fromHex(result.signed).virtualSize();
    expect(plan.vsize).toBeGreaterThanOrEqual(real);
    expect(plan.vsize - real).toBeLessThanOrEqual(mixed.length);
    expect(plan.fee).toBe(10_000n);
  });
});
