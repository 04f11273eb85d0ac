// Policy: what a transaction moves comes from the signer's one decode (EVM value + ERC-20, TRON TRX +
// TRC-20, Bitcoin outputs minus change), and the allow-list / per-transaction / daily rules apply to
// exactly that; deny wins, a decode that does not account for everything → denied.
import { getAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import { CHAIN_IDS, deriveAddress, type ChainId, type NetworkName } from '../../../src/chains/index.js';
import { tronAddressFromHex } from '../../../src/chains/addresses/tron.js';
import { prepareTransaction, type PrepareTransactionRequest } from '../../../src/signer/index.js';
import { parseSigningPolicy } from '../../../src/tatum/config.js';
import { checkAllowedDestinations, evaluatePolicy, type PolicyInput } from '../../../src/tatum/policy.js';
import { bitcorePayload, keyScripts, previousTransaction, utxosOf } from '../../support/bitcoin-payloads.js';
import { testKey } from '../../../scripts/fixtures/fake-digest-signer.js';
import { trc20Transfer, trxTransfer } from '../../../scripts/fixtures/tron.js';

const TO = '0x8ba1f109551bd432803012645ac136ddd64dba72';
const TOKEN = '0xdac17f958d2ee523a2206206994597c13d831ec7';
const KEY = testKey('kms-signer policy unit tests');
const transferData = (to: string, amount: bigint) =>
  `0xa9059cbb${to.slice(2).padStart(64, '0')}${amount.toString(16).padStart(64, '0')}`;
const evmTx = (fields: Record<string, unknown>) =>
  JSON.stringify({ from: 0, gas: '100000', gasPrice: '1', nonce: 0, ...fields });

const decode = (
  unsigned: string,
  chain: PrepareTransactionRequest['chain'] = 'ETH',
  wallets = [KEY.wallet],
) => prepareTransaction({ chain, network: 'mainnet', wallets, unsigned });

const input = async (over: Partial<PolicyInput> & { unsigned?: string } = {}): Promise<PolicyInput> => {
  const { unsigned = evmTx({ to: TO, value: '1000' }), ...rest } = over;
  return {
    chain: 'ETH',
    network: 'mainnet',
    transaction: await decode(unsigned),
    policy: undefined,
    spentToday: () => Promise.resolve(0n),
    ...rest,
  };
};

describe('the transfers of the one decode', () => {
  it('EVM: native value and an ERC-20 transfer decoded from data', async () => {
    expect((await decode(evmTx({ to: TO, value: '0x10' }))).transfers).toEqual([
      { asset: 'native', to: TO, amount: 16n },
    ]);
    expect((await decode(evmTx({ to: TOKEN, data: transferData(TO, 5n) }))).transfers).toEqual([
      { asset: TOKEN, to: TO, amount: 5n },
    ]);
  });

  it('EVM: other contract calls and contract creation are not decoded; what the signer refuses never reaches policy', async () => {
    expect((await decode(evmTx({ to: TOKEN, data: '0x095ea7b3' }))).unrecognized).toMatch(/contract call/);
    expect((await decode(evmTx({ data: '0x6000' }))).unrecognized).toBe('contract creation');
    await expect(decode('not json')).rejects.toMatchObject({ code: 'MALFORMED_TRANSACTION' });
  });

  it('TRON: TransferContract and TRC-20 transfer', async () => {
    const owner = deriveAddress('TRON', 'mainnet', KEY.publicKey);
    const dest = tronAddressFromHex(`41${'22'.repeat(20)}`);
    const trx = await trxTransfer(owner, dest, 7);
    expect((await decode(JSON.stringify(trx), 'TRON')).transfers).toEqual([
      { asset: 'native', to: dest, amount: 7n },
    ]);
    const contract = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
    const trc20 = await trc20Transfer(owner, dest, 9n, { token: contract });
    expect((await decode(JSON.stringify(trc20), 'TRON')).transfers).toEqual([
      { asset: contract, to: dest, amount: 9n },
    ]);
  });

  it('Bitcoin: outputs paying back to our wallets are change, not transfers', async () => {
    const ours = keyScripts(KEY.publicKey);
    const theirs = keyScripts(testKey('someone else').publicKey);
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const utxos = utxosOf(previousTransaction([{ script: ours.p2wpkh, amount: 10_000n }]));
    const bitcore = bitcorePayload(utxos, [
      { script: theirs.p2wpkh, amount: 5000n },
      { script: ours.p2wpkh, amount: 1200n },
    ]);
    expect((await decode(JSON.stringify(bitcore), 'BTC')).transfers).toEqual([
      { asset: 'native', to: hex(theirs.p2wpkh), amount: 5000n },
    ]);
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
    const d = await evaluatePolicy(await input({ policy }));
    expect(d).toEqual({
      allowed: true,
      reasons: [],
      transfers: [{ asset: 'native', to: TO, amount: '1000' }],
      policy: true,
    });
  });

  it('denies a destination off the allow-list, an amount above the cap, and the daily total', async () => {
    const other = '0x' + '44'.repeat(20);
    const d1 = await evaluatePolicy(await input({ policy, unsigned: evmTx({ to: other, value: '1' }) }));
    expect(d1.allowed).toBe(false);
    expect(d1.reasons.join()).toMatch(/not on the allow-list/);
    const d2 = await evaluatePolicy(await input({ policy, unsigned: evmTx({ to: TO, value: '1001' }) }));
    expect(d2.reasons.join()).toMatch(/per-transaction limit 1000/);
    const d3 = await evaluatePolicy(await input({ policy, spentToday: () => Promise.resolve(2000n) }));
    expect(d3.reasons.join()).toMatch(/daily total 3000 would exceed the daily limit 2500/);
  });

  it('denies an undecodable transaction or an unlisted asset when the chain has a policy', async () => {
    const call = evmTx({ to: TO, data: '0x095ea7b3' });
    expect((await evaluatePolicy(await input({ policy, unsigned: call }))).allowed).toBe(false);
    const token = evmTx({ to: TO, data: transferData(TO, 1n) });
    const d = await evaluatePolicy(await input({ policy, unsigned: token }));
    expect(d.reasons).toEqual([`asset ${TO} has no limit configured`]);
    // Without a policy for the chain, the decision is recorded but allows.
    expect(await evaluatePolicy(await input({ unsigned: call }))).toMatchObject({
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

describe('checkAllowedDestinations (at start-up)', () => {
  const XRP_GENESIS = 'rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh';
  const check = (
    policy: Record<string, unknown>,
    network: NetworkName = 'testnet',
    chains: readonly ChainId[] = CHAIN_IDS,
  ) => checkAllowedDestinations(parseSigningPolicy(JSON.stringify(policy)), network, chains);

  it('accepts every spelling the loop compares: EIP-55, all-lower and all-upper hex, XRP, TRON', async () => {
    await expect(
      check({
        ETH: { allowedDestinations: [getAddress(TO), TO, TO.toUpperCase().replace('0X', '0x')] },
        XRP: { allowedDestinations: [XRP_GENESIS] },
        TRON: { allowedDestinations: ['TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'] },
      }),
    ).resolves.toBeUndefined();
  });

  it('refuses a mistyped checksum or a foreign address, naming the chain, the entry and the reason', async () => {
    const typo = getAddress(TO).replace(/[A-F]/, (c) => c.toLowerCase()); // breaks EIP-55's checksum
    await expect(check({ ETH: { allowedDestinations: [TO, typo] } })).rejects.toThrow(
      /^SIGNING_POLICY: ETH\.allowedDestinations\.1: ".+" is not a testnet address: /,
    );
    await expect(check({ XRP: { allowedDestinations: [TO] } })).rejects.toThrow(
      /^SIGNING_POLICY: XRP\.allowedDestinations\.0: /,
    );
  });

  it('leaves out chains the network does not have (no job of theirs can run on it)', async () => {
    await expect(
      check({ TRON: { allowedDestinations: ['not an address'] } }, 'regtest'),
    ).resolves.toBeUndefined();
    await expect(check({ BTC: { allowedDestinations: ['not an address'] } }, 'regtest')).rejects.toThrow(
      /BTC\.allowedDestinations\.0/,
    );
  });

  it("checks only the runner's chains: one policy may list a regtest BTC address beside a testnet ETH runner", async () => {
    const policy = {
      BTC: { allowedDestinations: ['bcrt1qmfrdx7a7dhhqc282cusmx5t0epeu6la5a30l4q'] },
      ETH: { allowedDestinations: [TO] },
    };
    await expect(check(policy, 'testnet', ['ETH'])).resolves.toBeUndefined();
    await expect(check(policy, 'testnet', ['ETH', 'BTC'])).rejects.toThrow(/BTC\.allowedDestinations\.0/);
  });
});
