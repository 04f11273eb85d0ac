// Format detection and the three parsers: each payload becomes the same internal model.
import { Psbt } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { bitcoreScriptBytes } from '../../../../src/signer/bitcoin/bitcore-script.js';
import { detectFormat } from '../../../../src/signer/bitcoin/detect.js';
import { parseBchPayload } from '../../../../src/signer/bitcoin/parse-bch.js';
import { parseBitcore } from '../../../../src/signer/bitcoin/parse-bitcore.js';
import { parsePsbt } from '../../../../src/signer/bitcoin/parse-psbt.js';
import {
  bchPayload,
  bitcorePayload,
  previousTransaction,
  psbtPayload,
  utxosOf,
} from '../../../support/bitcoin-payloads.js';
import { A, B, out, utxo } from './fixtures.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const prev = previousTransaction([out(A.p2pkh, 300_000n)], 4);
const utxos = [utxo(1, A.p2wpkh, 100_000n, { sequence: 0xfffffffd }), ...utxosOf(prev)];
const outputs = [out(B.p2wpkh, 350_000n), out(A.p2pkh, 40_000n)];

const expectedInputs = [
  { txid: utxos[0]!.txid, vout: 1, sequence: 0xfffffffd, amount: 100_000n, script: A.p2wpkh },
  { txid: prev.getId(), vout: 0, sequence: 0xffffffff, amount: 300_000n, script: A.p2pkh },
];
const expectedOutputs = outputs.map(({ script, amount }) => ({ script, amount }));

describe('detectFormat', () => {
  const psbt = psbtPayload(utxos, outputs);
  it.each([
    ['a bitcore object', bitcorePayload(utxos, outputs), 'bitcore'],
    ['bitcore JSON text', ` ${JSON.stringify(bitcorePayload(utxos, outputs))}`, 'bitcore'],
    ['a PSBT in base64', psbt, 'psbt'],
    ['a PSBT in hex (any case)', Buffer.from(psbt, 'base64').toString('hex').toUpperCase(), 'psbt'],
    ['a BCH payload', bchPayload(utxos, outputs), 'bch'],
  ])('%s', (_name, unsigned, format) => {
    expect(detectFormat(unsigned)).toBe(format);
  });
});

describe('parsers', () => {
  it('PSBT: amount and script from nonWitnessUtxo or witnessUtxo, base64 and hex alike', () => {
    const base64 = psbtPayload(utxos, outputs);
    const model = parsePsbt(base64);
    expect(model).toEqual({
      format: 'psbt',
      version: 2,
      locktime: 0,
      inputs: [expectedInputs[0], { ...expectedInputs[1], prevTxChecked: true }],
      outputs: expectedOutputs,
    });
    expect(parsePsbt(Buffer.from(base64, 'base64').toString('hex'))).toEqual(model);
  });

  it('PSBT: keeps the redeem script and the requested sighash type', () => {
    const psbt = Psbt.fromBase64(
      psbtPayload([utxo(2, A.p2shP2wpkh, 5n, { redeemScript: A.redeem })], outputs),
    );
    psbt.updateInput(0, { sighashType: 1 });
    expect(parsePsbt(psbt.toBase64()).inputs[0]).toMatchObject({ redeemScript: A.redeem, sighashType: 1 });
  });

  it('bitcore: object and JSON text, with a changeScript in bitcore form', () => {
    const payload = {
      ...bitcorePayload(utxos, outputs),
      changeIndex: 1,
      changeScript: `OP_DUP OP_HASH160 20 0x${hex(A.p2pkh.slice(3, 23))} OP_EQUALVERIFY OP_CHECKSIG`,
      fee: 10_000,
    };
    const model = parseBitcore(payload);
    expect(model).toEqual({
      format: 'bitcore',
      version: 2,
      locktime: 0,
      inputs: expectedInputs,
      outputs: expectedOutputs,
    });
    expect(parseBitcore(JSON.stringify(payload))).toEqual(model);
  });

  it('BCH: amounts are positional and no input has a script yet', () => {
    const model = parseBchPayload(bchPayload(utxos, outputs));
    expect(model.inputs).toEqual(expectedInputs.map(({ script: _script, ...rest }) => rest));
    expect(model.outputs).toEqual(expectedOutputs);
  });
});

describe('bitcoreScriptBytes', () => {
  it.each([
    ['P2WPKH', `OP_0 20 0x${hex(A.p2wpkh.slice(2))}`, hex(A.p2wpkh)],
    ['P2SH', `OP_HASH160 20 0x${hex(A.p2shP2wpkh.slice(2, 22))} OP_EQUAL`, hex(A.p2shP2wpkh)],
    ['PUSHDATA1', 'OP_RETURN OP_PUSHDATA1 2 0xbeef', '6a4c02beef'],
    ['hex', hex(A.p2pkh), hex(A.p2pkh)],
  ])('%s', (_name, text, expected) => {
    expect(hex(bitcoreScriptBytes(text)!)).toBe(expected);
  });

  it.each(['OP_NOPE', '20 0xabcd', '2 abcd', 'OP_PUSHDATA1 3 0xbeef'])('refuses %s', (text) => {
    expect(bitcoreScriptBytes(text)).toBeUndefined();
  });
});
