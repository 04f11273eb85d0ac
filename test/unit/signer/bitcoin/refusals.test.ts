// Every refusal: the right SigningRefusedError code and field, and ZERO calls to the signer — the whole
// transaction is validated before the first signature, so a bad last input still stops everything.
import { Psbt } from 'bitcoinjs-lib';
import { describe, it } from 'vitest';
import type { BitcoinSignRequest } from '../../../../src/signer/bitcoin/index.js';
import type { RefusalCode } from '../../../../src/signer/types.js';
import {
  bchPayload,
  bitcorePayload,
  psbtPayload,
  previousTransaction,
  unsignedTransaction,
  utxosOf,
  type TestOutput,
  type TestUtxo,
} from '../../../support/bitcoin-payloads.js';
import { A, alice, B, bob, expectRefusal, M, out, txid, utxo } from './fixtures.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const P2TR = Uint8Array.from([0x51, 0x20, ...new Uint8Array(32).fill(7)]);
const P2WSH = Uint8Array.from([0x00, 0x20, ...new Uint8Array(32).fill(8)]);
const BARE_MULTISIG = Uint8Array.from([0x51, 0x21, ...alice.publicKey, 0x51, 0xae]); // 1-of-1 CHECKMULTISIG
const OP_RETURN = Uint8Array.from([0x6a, 0x04, 0xde, 0xad, 0xbe, 0xef]);

const good = utxo(1, A.p2wpkh, 100_000n);
const pay = [out(B.p2wpkh, 90_000n)];

/** bitcore payload of `good` plus `second`, paying `outputs`. */
const bitcoreWith = (second: TestUtxo, outputs: TestOutput[] = pay) =>
  bitcorePayload([good, second], outputs);

type Case = [
  name: string,
  unsigned: BitcoinSignRequest['unsigned'],
  overrides: Partial<BitcoinSignRequest>,
  code: RefusalCode,
  field: string,
];

function mutate<T>(value: T, change: (copy: T) => void): T {
  const copy = structuredClone(value);
  change(copy);
  return copy;
}

const DOGE = { chain: 'DOGE', network: 'testnet' } as const;
const BCH = { chain: 'BCH', network: 'testnet' } as const;
const psbtWithPartialSig = (() => {
  const psbt = Psbt.fromBase64(psbtPayload([good], pay));
  psbt.updateInput(0, {
    partialSig: [{ pubkey: alice.publicKey, signature: Uint8Array.from([0x30, 0x06, 2, 1, 1, 2, 1, 1, 1]) }],
  });
  return psbt.toBase64();
})();
const psbtWithSighash = (sighashType: number) => {
  const psbt = Psbt.fromBase64(psbtPayload([good], pay));
  psbt.updateInput(0, { sighashType });
  return psbt.toBase64();
};
const psbtWithoutUtxo = (() => {
  const psbt = new Psbt();
  psbt.addInput({ hash: good.txid, index: good.vout });
  psbt.addOutput({ script: B.p2wpkh, value: 90_000n });
  return psbt.toBase64();
})();
const signedBchHex = (() => {
  const tx = unsignedTransaction([utxo(1, A.p2pkh, 10_000n)], [out(B.p2pkh, 9_000n)]);
  tx.setInputScript(0, Uint8Array.from([0x01, 0x01]));
  return `${tx.toHex()}:[10000]`;
})();
const otherPrevTx = previousTransaction([out(A.p2pkh, 50_000n)], 9);

const cases: Case[] = [
  // malformed payloads
  ['garbage text', 'hello', {}, 'MALFORMED_TRANSACTION', 'unsigned'],
  [
    'a bare transaction hex (no amounts)',
    unsignedTransaction([good], pay).toHex(),
    {},
    'MALFORMED_TRANSACTION',
    'unsigned',
  ],
  ['bad PSBT base64', 'cHNidP8!!!', {}, 'MALFORMED_TRANSACTION', 'unsigned'],
  ['truncated PSBT hex', '70736274ff0100', {}, 'MALFORMED_TRANSACTION', 'unsigned'],
  ['odd-length PSBT hex', '70736274ff0', {}, 'MALFORMED_TRANSACTION', 'unsigned'],
  ['broken JSON', '{"hash": ', {}, 'MALFORMED_TRANSACTION', 'unsigned'],
  ['a number', 42 as unknown as string, {}, 'MALFORMED_TRANSACTION', 'unsigned'],
  [
    'bitcore: negative outputIndex',
    mutate(bitcoreWith(utxo(2, A.p2pkh, 1n)), (p) => (p.inputs[1]!.outputIndex = -1)),
    {},
    'MALFORMED_TRANSACTION',
    'inputs[1].outputIndex',
  ],
  [
    'bitcore: fractional satoshis',
    mutate(bitcoreWith(utxo(2, A.p2pkh, 1n)), (p) => (p.outputs[0]!.satoshis = 1.5)),
    {},
    'MALFORMED_TRANSACTION',
    'outputs[0].satoshis',
  ],
  [
    'bitcore: script not hex',
    mutate(bitcoreWith(utxo(2, A.p2pkh, 1n)), (p) => (p.outputs[0]!.script = 'zz')),
    {},
    'MALFORMED_TRANSACTION',
    'outputs[0].script',
  ],
  [
    'bitcore: hash of another transaction',
    mutate(bitcoreWith(utxo(2, A.p2pkh, 1n)), (p) => (p.hash = txid(9))),
    {},
    'DIGEST_MISMATCH',
    'hash',
  ],
  [
    'bitcore: changeScript is not outputs[changeIndex]',
    { ...bitcorePayload([good], pay), changeIndex: 0, changeScript: `OP_0 20 0x${hex(A.p2wpkh.slice(2))}` },
    {},
    'MALFORMED_TRANSACTION',
    'changeScript',
  ],
  [
    'bitcore: changeIndex out of range',
    { ...bitcorePayload([good], pay), changeIndex: 3, changeScript: hex(B.p2wpkh) },
    {},
    'MALFORMED_TRANSACTION',
    'changeIndex',
  ],
  [
    'BCH: amounts not JSON',
    `${unsignedTransaction([good], pay).toHex()}:[1,`,
    BCH,
    'MALFORMED_TRANSACTION',
    'amounts',
  ],
  [
    'BCH: negative amount',
    `${unsignedTransaction([good], pay).toHex()}:[-1]`,
    BCH,
    'MALFORMED_TRANSACTION',
    'amounts[0]',
  ],
  [
    'BCH: more amounts than inputs',
    `${unsignedTransaction([good], pay).toHex()}:[1,2]`,
    BCH,
    'MALFORMED_TRANSACTION',
    'amounts',
  ],
  ['BCH: bad transaction hex', '00ff:[1]', BCH, 'MALFORMED_TRANSACTION', 'unsigned'],
  ['no inputs', bitcorePayload([], pay), {}, 'MALFORMED_TRANSACTION', 'inputs'],
  ['no outputs', bitcorePayload([good], []), {}, 'MALFORMED_TRANSACTION', 'outputs'],
  ['the same outpoint twice', bitcoreWith({ ...good, amount: 1n }), {}, 'MALFORMED_TRANSACTION', 'inputs[1]'],
  [
    'OP_RETURN carrying value',
    bitcorePayload([good], [out(B.p2wpkh, 80_000n), out(OP_RETURN, 1n)]),
    {},
    'MALFORMED_TRANSACTION',
    'outputs[1].amount',
  ],
  [
    'P2SH redeem script that does not hash to the input',
    psbtPayload([utxo(2, A.p2shP2wpkh, 100_000n, { redeemScript: B.redeem })], pay),
    {},
    'MALFORMED_TRANSACTION',
    'inputs[0].redeemScript',
  ],
  [
    'nonWitnessUtxo of another transaction',
    psbtPayload([utxo(2, A.p2pkh, 50_000n, { prevTx: otherPrevTx.toBuffer() })], [out(B.p2pkh, 40_000n)]),
    {},
    'MALFORMED_TRANSACTION',
    'inputs[0].nonWitnessUtxo',
  ],

  // missing input data
  [
    'bitcore: no amount on the last input',
    mutate(
      bitcoreWith(utxo(2, A.p2pkh, 1n)),
      (p) => delete (p.inputs[1]!.output as { satoshis?: number }).satoshis,
    ),
    {},
    'MISSING_INPUT_DATA',
    'inputs[1].amount',
  ],
  [
    'bitcore: no script on the last input',
    mutate(bitcoreWith(utxo(2, A.p2pkh, 1n)), (p) => (p.inputs[1]!.output.script = '')),
    {},
    'MISSING_INPUT_DATA',
    'inputs[1].script',
  ],
  [
    'PSBT: input without witnessUtxo or nonWitnessUtxo',
    psbtWithoutUtxo,
    {},
    'MISSING_INPUT_DATA',
    'inputs[0].amount',
  ],
  [
    'PSBT: P2PKH input without its previous transaction',
    psbtPayload([utxo(2, A.p2pkh, 50_000n)], [out(B.p2pkh, 40_000n)]),
    {},
    'MISSING_INPUT_DATA',
    'inputs[0].nonWitnessUtxo',
  ],
  [
    'BCH: fewer amounts than inputs',
    `${unsignedTransaction([utxo(1, A.p2pkh, 1n), utxo(2, A.p2pkh, 1n)], pay).toHex()}:[100000]`,
    { ...BCH, wallets: [alice.wallet, alice.wallet] },
    'MISSING_INPUT_DATA',
    'inputs[1].amount',
  ],

  // unsupported scripts
  ['taproot input', bitcoreWith(utxo(2, P2TR, 10_000n)), {}, 'UNSUPPORTED_SCRIPT', 'inputs[1].script'],
  ['P2WSH input', bitcoreWith(utxo(2, P2WSH, 10_000n)), {}, 'UNSUPPORTED_SCRIPT', 'inputs[1].script'],
  [
    'bare multisig input',
    bitcoreWith(utxo(2, BARE_MULTISIG, 10_000n)),
    {},
    'UNSUPPORTED_SCRIPT',
    'inputs[1].script',
  ],
  [
    'P2SH with a non-P2WPKH redeem script',
    psbtPayload(
      [
        utxo(2, Uint8Array.from([0xa9, 0x14, ...new Uint8Array(20), 0x87]), 100_000n, {
          redeemScript: P2WSH,
        }),
      ],
      pay,
    ),
    {},
    'UNSUPPORTED_SCRIPT',
    'inputs[0].redeemScript',
  ],
  [
    'P2SH input on DOGE',
    bitcorePayload([utxo(1, A.p2shP2wpkh, 100_000n)], [out(B.p2pkh, 90_000n)]),
    DOGE,
    'UNSUPPORTED_SCRIPT',
    'inputs[0].script',
  ],
  [
    'non-standard output',
    bitcorePayload([good], [out(Uint8Array.from([0x51]), 90_000n)]),
    {},
    'UNSUPPORTED_SCRIPT',
    'outputs[0].script',
  ],

  // not ours
  [
    'input of a key that is not a wallet',
    bitcoreWith(utxo(2, M.p2wpkh, 10_000n)),
    {},
    'INPUT_NOT_OURS',
    'inputs[1].script',
  ],
  [
    'P2SH-P2WPKH of a key that is not a wallet',
    bitcoreWith(utxo(2, M.p2shP2wpkh, 10_000n)),
    {},
    'INPUT_NOT_OURS',
    'inputs[1].script',
  ],
  [
    'BCH: prevout script of a foreign key',
    bchPayload([utxo(1, A.p2pkh, 10_000n)], [out(B.p2pkh, 9_000n)]),
    { ...BCH, options: { prevoutScripts: [hex(M.p2pkh)] } },
    'INPUT_NOT_OURS',
    'inputs[0].script',
  ],

  // amounts and fees
  [
    'outputs above inputs',
    bitcorePayload([good], [out(B.p2wpkh, 100_001n)]),
    {},
    'OUTPUTS_EXCEED_INPUTS',
    'outputs',
  ],
  [
    'fee above the BTC default cap',
    bitcorePayload([utxo(1, A.p2wpkh, 1_000_000_000n)], [out(B.p2wpkh, 100_000_000n)]),
    {},
    'FEE_TOO_HIGH',
    'fee',
  ],
  [
    'fee above options.maxFeeSats',
    bitcorePayload([good], pay),
    { options: { maxFeeSats: 9_999n } },
    'FEE_TOO_HIGH',
    'fee',
  ],

  // already signed
  [
    'bitcore: input with a scriptSig',
    mutate(bitcoreWith(utxo(2, A.p2pkh, 1n)), (p) => (p.inputs[1]!.script = '0101')),
    {},
    'ALREADY_SIGNED',
    'inputs[1].script',
  ],
  ['PSBT: input with a partial signature', psbtWithPartialSig, {}, 'ALREADY_SIGNED', 'inputs[0]'],
  [
    'BCH: input with a scriptSig',
    signedBchHex,
    { ...BCH, wallets: [alice.wallet] },
    'ALREADY_SIGNED',
    'inputs[0]',
  ],

  // chain / network
  [
    'bech32 (P2WPKH) input on DOGE',
    bitcorePayload([utxo(1, A.p2wpkh, 100_000n)], [out(B.p2pkh, 90_000n)]),
    DOGE,
    'CHAIN_MISMATCH',
    'inputs[0].script',
  ],
  [
    'bech32 output on DOGE',
    bitcorePayload([utxo(1, A.p2pkh, 100_000n)], [out(B.p2wpkh, 90_000n)]),
    DOGE,
    'CHAIN_MISMATCH',
    'outputs[0].script',
  ],
  [
    'taproot output on BCH',
    bchPayload([utxo(1, A.p2pkh, 100_000n)], [out(P2TR, 90_000n)]),
    { ...BCH, wallets: [alice.wallet] },
    'CHAIN_MISMATCH',
    'outputs[0].script',
  ],
  [
    'BCH payload for BTC',
    bchPayload([utxo(1, A.p2pkh, 10_000n)], [out(B.p2pkh, 9_000n)]),
    {},
    'CHAIN_MISMATCH',
    'format',
  ],
  [
    'an EVM chain',
    bitcorePayload([good], pay),
    { chain: 'ETH', network: 'mainnet' },
    'CHAIN_MISMATCH',
    'chain',
  ],
  [
    'a network the chain lacks (LTC regtest)',
    bitcorePayload([good], pay),
    { chain: 'LTC', network: 'regtest' },
    'CHAIN_MISMATCH',
    'network',
  ],

  // request and options
  [
    'PSBT asking for SIGHASH_NONE',
    psbtWithSighash(0x02),
    {},
    'UNSUPPORTED_TRANSACTION',
    'inputs[0].sighashType',
  ],
  [
    'PSBT asking for SIGHASH_ALL on BCH (needs |FORKID)',
    psbtWithSighash(0x01),
    { ...BCH, wallets: [alice.wallet] },
    'UNSUPPORTED_TRANSACTION',
    'inputs[0].sighashType',
  ],
  ['no wallets', bitcorePayload([good], pay), { wallets: [] }, 'INVALID_REQUEST', 'wallets'],
  [
    'a wallet key that is not a SEC1 public key',
    bitcorePayload([good], pay),
    { wallets: [{ keyId: 'k', publicKey: new Uint8Array(33).fill(5) }] },
    'INVALID_REQUEST',
    'wallets[0].publicKey',
  ],
  [
    'BCH positional mapping with too few wallets',
    bchPayload([utxo(1, A.p2pkh, 10_000n), utxo(2, A.p2pkh, 10_000n)], [out(B.p2pkh, 19_000n)]),
    { ...BCH, wallets: [alice.wallet] },
    'INVALID_REQUEST',
    'wallets',
  ],
  [
    'prevoutScripts for a non-BCH payload',
    bitcorePayload([good], pay),
    { options: { prevoutScripts: [hex(A.p2wpkh)] } },
    'INVALID_REQUEST',
    'options.prevoutScripts',
  ],
  [
    'maxFeeSats not a whole number',
    bitcorePayload([good], pay),
    { options: { maxFeeSats: 1.5 } },
    'INVALID_REQUEST',
    'options.maxFeeSats',
  ],
  [
    'an unknown format',
    bitcorePayload([good], pay),
    { format: 'raw' as 'psbt' },
    'INVALID_REQUEST',
    'format',
  ],
];

describe('signBitcoinTransaction refusals (nothing is signed)', () => {
  it.each(cases)('%s', async (_name, unsigned, overrides, code, field) => {
    await expectRefusal(unsigned, overrides, code, field);
  });

  it('refuses when only the last of many good inputs is bad', async () => {
    const prev = previousTransaction([out(A.p2pkh, 10_000n), out(B.p2pkh, 10_000n)], 3);
    const utxos = [good, utxo(2, A.p2shP2wpkh, 10_000n), ...utxosOf(prev), utxo(5, M.p2pkh, 10_000n)];
    await expectRefusal(
      bitcorePayload(utxos, pay),
      { wallets: [alice.wallet, bob.wallet] },
      'INPUT_NOT_OURS',
      'inputs[4].script',
    );
  });
});
