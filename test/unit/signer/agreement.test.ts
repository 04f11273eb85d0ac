// Policy judges exactly what is signed: for every payload of the corpus (the signer tests' payloads and
// the sandbox's builders), the transfers policy records are the transfers of the one decode, and an
// independent decode of the SIGNED bytes (ethers, bitcoinjs-lib, tronweb + ethers' ABI coder) finds the
// same transfers. A payload the signer refuses is refused by prepareTransaction, before any policy.
import { Interface, Transaction as EvmTransaction } from 'ethers';
import { Transaction as BtcTransaction } from 'bitcoinjs-lib';
import { TronWeb, utils as tronUtils } from 'tronweb';
import { describe, expect, it } from 'vitest';
import { deriveAddress, type ChainId } from '../../../src/chains/index.js';
import { prepareTransaction, transferView, type TransferView } from '../../../src/signer/index.js';
import { evaluatePolicy } from '../../../src/tatum/policy.js';
import { erc20TransferPayload, evmPayload } from '../../../scripts/sandbox/pending-payloads.js';
import {
  bchPayload,
  bitcorePayload,
  keyScripts,
  previousTransaction,
  psbtPayload,
  utxosOf,
  type TestOutput,
} from '../../support/bitcoin-payloads.js';
import { fakeDigestSigner, testKey } from '../../../scripts/fixtures/fake-digest-signer.js';
import {
  freezeV2,
  RECIPIENT,
  trc10Transfer,
  trc20Transfer,
  trxTransfer,
  USDT_CONTRACT,
  type TronTxJson,
} from '../../../scripts/fixtures/tron.js';
import { EIP1559_FEES, RECIPIENT as EVM_RECIPIENT, tatumPayload } from './evm/fixtures.js';

const KEY = testKey('kms-signer agreement tests');
const STRANGER = testKey('kms-signer agreement tests: stranger');
const ERC20 = new Interface(['function transfer(address to, uint256 amount)']);
const TOKEN = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The previous transactions the Bitcoin cases spend (P2PKH inputs are proven against them). */
const PREVIOUS: Record<string, string> = {};
function remember(tx: ReturnType<typeof previousTransaction>) {
  PREVIOUS[tx.getId()] = tx.toHex();
  return tx;
}

interface Case {
  name: string;
  chain: ChainId;
  unsigned: string;
}

/** What policy records and what the signed bytes move, decoded without src/. */
async function bothSides(c: Case, independent: (signed: string) => TransferView[]) {
  const prepared = await prepareTransaction({
    chain: c.chain,
    network: 'mainnet',
    wallets: [KEY.wallet],
    unsigned: c.unsigned,
    options: { previousTransactions: PREVIOUS },
  });
  const decision = await evaluatePolicy({
    chain: c.chain,
    network: 'mainnet',
    transaction: prepared,
    policy: undefined,
    spentToday: () => Promise.resolve(0n),
  });
  const signed = await prepared.sign(fakeDigestSigner([KEY]));
  return {
    policy: decision.transfers,
    decode: prepared.transfers.map(transferView),
    signed: independent(signed.signed),
  };
}

/** Policy, the decode and the signed bytes agree; `moves`: the transaction transfers something. */
async function expectAgreement(c: Case, independent: (signed: string) => TransferView[], moves: boolean) {
  const sides = await bothSides(c, independent);
  expect(sides.signed.length > 0).toBe(moves);
  expect(sides.policy).toEqual(sides.decode);
  expect(sides.signed).toEqual(sides.decode);
}

describe('EVM: policy and signer see the same transfers', () => {
  const cases: Case[] = [
    { name: 'legacy transfer', chain: 'ETH', unsigned: JSON.stringify(tatumPayload()) },
    {
      name: 'EIP-1559 transfer',
      chain: 'ETH',
      unsigned: JSON.stringify(tatumPayload({ gasPrice: undefined, ...EIP1559_FEES })),
    },
    {
      name: 'ERC-20 with value',
      chain: 'BSC',
      unsigned: JSON.stringify(
        tatumPayload({
          to: TOKEN,
          value: '5',
          gas: '90000',
          data: ERC20.encodeFunctionData('transfer', [EVM_RECIPIENT, 77n]),
        }),
      ),
    },
    {
      name: 'sandbox transfer',
      chain: 'EVM_DEV',
      unsigned: evmPayload({ to: EVM_RECIPIENT, value: 10n ** 15n, gasPrice: 10n ** 9n, nonce: 0 }),
    },
    {
      name: 'sandbox ERC-20',
      chain: 'MATIC',
      unsigned: erc20TransferPayload({
        token: TOKEN,
        to: EVM_RECIPIENT,
        amount: 123_456n,
        gasPrice: 10n ** 9n,
        nonce: 7,
      }),
    },
    {
      name: 'raw unsigned type 2',
      chain: 'ETH',
      unsigned: EvmTransaction.from({
        type: 2,
        chainId: 1,
        nonce: 1,
        to: EVM_RECIPIENT,
        value: 9n,
        gasLimit: 21_000n,
        ...{ maxFeePerGas: 10n ** 9n, maxPriorityFeePerGas: 1n },
      }).unsignedSerialized,
    },
  ];

  const independent = (signed: string): TransferView[] => {
    const tx = EvmTransaction.from(signed);
    const to = (tx.to ?? '').toLowerCase();
    const out: TransferView[] = tx.value > 0n ? [{ asset: 'native', to, amount: tx.value.toString() }] : [];
    if (tx.data !== '0x') {
      const [recipient, amount] = ERC20.decodeFunctionData('transfer', tx.data) as unknown as [
        string,
        bigint,
      ];
      out.push({ asset: to, to: recipient.toLowerCase(), amount: amount.toString() });
    }
    return out;
  };

  it.each(cases)('$name', (c) => expectAgreement(c, independent, true));
});

describe('Bitcoin family: policy and signer see the same transfers', () => {
  const ours = keyScripts(KEY.publicKey);
  const theirs = keyScripts(STRANGER.publicKey);
  const spend = (script: Uint8Array): TestOutput[] => [
    { script: theirs.p2pkh, amount: 40_000n },
    { script: theirs.p2wpkh, amount: 25_000n },
    { script, amount: 30_000n }, // change
  ];
  const utxo = (script: Uint8Array, seed: number) =>
    utxosOf(remember(previousTransaction([{ script, amount: 100_000n }], seed)));
  const cases: Case[] = [
    {
      name: 'BTC bitcore P2WPKH',
      chain: 'BTC',
      unsigned: JSON.stringify(bitcorePayload(utxo(ours.p2wpkh, 1), spend(ours.p2wpkh))),
    },
    {
      name: 'BTC PSBT P2SH-P2WPKH',
      chain: 'BTC',
      unsigned: psbtPayload(
        utxo(ours.p2shP2wpkh, 2).map((u) => ({ ...u, redeemScript: ours.redeem })),
        spend(ours.p2shP2wpkh),
      ),
    },
    {
      name: 'LTC bitcore P2PKH',
      chain: 'LTC',
      unsigned: JSON.stringify(bitcorePayload(utxo(ours.p2pkh, 3), spend(ours.p2pkh))),
    },
    {
      name: 'DOGE bitcore P2PKH',
      chain: 'DOGE',
      unsigned: JSON.stringify(
        bitcorePayload(
          utxosOf(remember(previousTransaction([{ script: ours.p2pkh, amount: 500_000_000n }], 4))),
          [
            { script: theirs.p2pkh, amount: 300_000_000n },
            { script: ours.p2pkh, amount: 100_000_000n },
          ],
        ),
      ),
    },
    {
      name: 'BCH hex:[amounts]',
      chain: 'BCH',
      unsigned: bchPayload(utxo(ours.p2pkh, 5), [
        { script: theirs.p2pkh, amount: 60_000n },
        { script: ours.p2pkh, amount: 39_000n },
      ]),
    },
  ];

  const change = new Set([ours.p2pkh, ours.p2wpkh, ours.p2shP2wpkh].map(hex));
  const independent = (signed: string): TransferView[] =>
    BtcTransaction.fromHex(signed)
      .outs.filter((o) => !change.has(hex(o.script)))
      .map((o) => ({ asset: 'native', to: hex(o.script), amount: o.value.toString() }));

  it.each(cases)('$name', (c) => expectAgreement(c, independent, true));
});

describe('TRON: policy and signer see the same transfers', () => {
  const owner = deriveAddress('TRON', 'mainnet', KEY.publicKey);
  const independent = (signed: string): TransferView[] => {
    const tx = JSON.parse(signed) as TronTxJson;
    if (!tronUtils.transaction.txCheck(tx as Parameters<typeof tronUtils.transaction.txCheck>[0]))
      throw new Error('tronweb: raw_data does not match raw_data_hex');
    const [contract] = tx.raw_data.contract;
    if (contract === undefined) return [];
    const value = contract.parameter.value;
    const t = (address: unknown) => TronWeb.address.fromHex(String(address));
    if (contract.type === 'TransferContract') {
      return [{ asset: 'native', to: t(value.to_address), amount: String(value.amount) }];
    }
    if (contract.type === 'TriggerSmartContract') {
      const [recipient, amount] = ERC20.decodeFunctionData(
        'transfer',
        `0x${String(value.data)}`,
      ) as unknown as [string, bigint];
      return [
        { asset: t(value.contract_address), to: t(`41${recipient.slice(2)}`), amount: amount.toString() },
      ];
    }
    return [];
  };

  it.each([
    ['TRX transfer', true, () => trxTransfer(owner, RECIPIENT, 1_500_000)],
    ['TRC-20 transfer', true, () => trc20Transfer(owner, RECIPIENT, 2_500_000n, { token: USDT_CONTRACT })],
    ['TRC-10 transfer (not decoded: denied under a policy)', false, () => trc10Transfer(owner, RECIPIENT, 5)],
    ['freeze (not decoded: denied under a policy)', false, () => freezeV2(owner, 1_000_000, 'ENERGY')],
  ] as const)('%s', async (name, moves, build) => {
    const unsigned = JSON.stringify(await build());
    await expectAgreement({ name, chain: 'TRON', unsigned }, independent, moves);
  });
});

describe('a payload the signer refuses never reaches policy', () => {
  it.each([
    ['EVM: foreign sender', 'ETH', JSON.stringify(tatumPayload({ from: '0x' + '11'.repeat(20) }))],
    ['EVM: no nonce', 'ETH', JSON.stringify(tatumPayload({ nonce: undefined }))],
    [
      'BTC: input not ours',
      'BTC',
      JSON.stringify(
        bitcorePayload(
          utxosOf(previousTransaction([{ script: keyScripts(STRANGER.publicKey).p2wpkh, amount: 9_000n }])),
          [{ script: keyScripts(STRANGER.publicKey).p2wpkh, amount: 8_000n }],
        ),
      ),
    ],
  ] as const)('%s', async (_name, chain, unsigned) => {
    const signer = fakeDigestSigner([KEY]);
    await expect(
      prepareTransaction({ chain, network: 'mainnet', wallets: [KEY.wallet], unsigned }),
    ).rejects.toMatchObject({
      name: 'SigningRefusedError',
    });
    expect(signer.calls).toHaveLength(0);
  });
});
