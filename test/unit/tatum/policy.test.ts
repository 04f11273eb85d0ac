// Policy: decoding what a transaction moves (EVM value + ERC-20, TRON TRX + TRC-20, Bitcoin outputs
// minus change) and the allow-list / per-transaction / daily rules; deny wins, undecodable → denied.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { payments } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { tronAddressFromHex } from '../../../src/chains/index.js';
import { parseSigningPolicy } from '../../../src/tatum/config.js';
import { decodeTransfers, evaluatePolicy, type PolicyInput } from '../../../src/tatum/policy.js';

const TO = '0x8ba1f109551bd432803012645ac136ddd64dba72';
const TOKEN = '0xdac17f958d2ee523a2206206994597c13d831ec7';
const transferData = (to: string, amount: bigint) =>
  `0xa9059cbb${to.slice(2).padStart(64, '0')}${amount.toString(16).padStart(64, '0')}`;
const evmTx = (fields: Record<string, unknown>) =>
  JSON.stringify({ from: 0, gas: '21000', gasPrice: '1', nonce: 0, ...fields });

const input = (over: Partial<PolicyInput>): PolicyInput => ({
  chain: 'ETH',
  network: 'mainnet',
  serializedTransaction: evmTx({ to: TO, value: '1000' }),
  ownAddresses: [],
  policy: undefined,
  spentToday: () => Promise.resolve(0n),
  ...over,
});

describe('decodeTransfers', () => {
  it('EVM: native value and an ERC-20 transfer decoded from data', () => {
    expect(decodeTransfers('ETH', 'mainnet', evmTx({ to: TO, value: '0x10' }), [])).toEqual({
      ok: true,
      transfers: [{ asset: 'native', to: TO, amount: 16n }],
    });
    expect(decodeTransfers('ETH', 'mainnet', evmTx({ to: TOKEN, data: transferData(TO, 5n) }), [])).toEqual({
      ok: true,
      transfers: [{ asset: TOKEN, to: TO, amount: 5n }],
    });
  });

  it('EVM: other contract calls and contract creation are not decoded', () => {
    expect(decodeTransfers('ETH', 'mainnet', evmTx({ to: TOKEN, data: '0x095ea7b3' }), [])).toMatchObject({
      ok: false,
    });
    expect(decodeTransfers('ETH', 'mainnet', evmTx({ data: '0x6000' }), [])).toMatchObject({ ok: false });
    expect(decodeTransfers('ETH', 'mainnet', 'not json', [])).toMatchObject({ ok: false });
  });

  it('TRON: TransferContract and TRC-20 transfer', () => {
    const owner = tronAddressFromHex(`41${'11'.repeat(20)}`);
    const dest = tronAddressFromHex(`41${'22'.repeat(20)}`);
    const trx = JSON.stringify({
      raw_data: {
        contract: [
          {
            type: 'TransferContract',
            parameter: { value: { owner_address: owner, to_address: `41${'22'.repeat(20)}`, amount: 7 } },
          },
        ],
      },
    });
    expect(decodeTransfers('TRON', 'mainnet', trx, [])).toEqual({
      ok: true,
      transfers: [{ asset: 'native', to: dest, amount: 7n }],
    });
    const contract = tronAddressFromHex(`41${'33'.repeat(20)}`);
    const trc20 = JSON.stringify({
      raw_data: {
        contract: [
          {
            type: 'TriggerSmartContract',
            parameter: {
              value: { contract_address: contract, data: transferData(`0x${'22'.repeat(20)}`, 9n).slice(2) },
            },
          },
        ],
      },
    });
    expect(decodeTransfers('TRON', 'mainnet', trc20, [])).toEqual({
      ok: true,
      transfers: [{ asset: contract, to: dest, amount: 9n }],
    });
  });

  it('Bitcoin: outputs paying back to our wallets are change, not transfers', () => {
    const key = (label: number) =>
      secp256k1.getPublicKey(
        Uint8Array.from({ length: 32 }, () => label),
        true,
      );
    const ours = payments.p2wpkh({ pubkey: key(1) });
    const theirs = payments.p2wpkh({ pubkey: key(2) });
    const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex');
    const bitcore = JSON.stringify({
      outputs: [
        { satoshis: 5000, script: hex(theirs.output) },
        { satoshis: 1200, script: hex(ours.output) },
      ],
    });
    expect(decodeTransfers('BTC', 'mainnet', bitcore, [ours.address ?? ''])).toEqual({
      ok: true,
      transfers: [{ asset: 'native', to: hex(theirs.output), amount: 5000n }],
    });
  });
});

describe('evaluatePolicy', () => {
  const policy = parseSigningPolicy(
    JSON.stringify({
      ETH: {
        allowedDestinations: [TO.toUpperCase().replace('0X', '0x')],
        limits: { native: { perTransaction: '1000', daily: '2500' } },
      },
    }),
  ).ETH;

  it('allows what the rules allow and records the transfers', async () => {
    const d = await evaluatePolicy(input({ policy }));
    expect(d).toEqual({
      allowed: true,
      reasons: [],
      transfers: [{ asset: 'native', to: TO, amount: '1000' }],
      policy: true,
    });
  });

  it('denies a destination off the allow-list, an amount above the cap, and the daily total', async () => {
    const other = '0x' + '44'.repeat(20);
    const d1 = await evaluatePolicy(
      input({ policy, serializedTransaction: evmTx({ to: other, value: '1' }) }),
    );
    expect(d1.allowed).toBe(false);
    expect(d1.reasons.join()).toMatch(/not on the allow-list/);
    const d2 = await evaluatePolicy(
      input({ policy, serializedTransaction: evmTx({ to: TO, value: '1001' }) }),
    );
    expect(d2.reasons.join()).toMatch(/per-transaction limit 1000/);
    const d3 = await evaluatePolicy(input({ policy, spentToday: () => Promise.resolve(2000n) }));
    expect(d3.reasons.join()).toMatch(/daily total 3000 would exceed the daily limit 2500/);
  });

  it('denies an undecodable transaction or an unlisted asset when the chain has a policy', async () => {
    const call = evmTx({ to: TO, data: '0x095ea7b3' });
    expect((await evaluatePolicy(input({ policy, serializedTransaction: call }))).allowed).toBe(false);
    const token = evmTx({ to: TO, data: transferData(TO, 1n) });
    const d = await evaluatePolicy(input({ policy, serializedTransaction: token }));
    expect(d.reasons).toEqual([`asset ${TO} has no limit configured`]);
    // Without a policy for the chain, the decision is recorded but allows.
    expect(await evaluatePolicy(input({ serializedTransaction: call }))).toMatchObject({
      allowed: true,
      policy: false,
    });
  });

  it('rejects a malformed policy configuration', () => {
    expect(() => parseSigningPolicy('{"ETH": {"limits": {"native": {"perTransaction": "1e9"}}}}')).toThrow(
      /SIGNING_POLICY/,
    );
    expect(() => parseSigningPolicy('{"NOPE": {}}')).toThrow(/SIGNING_POLICY/);
  });
});
