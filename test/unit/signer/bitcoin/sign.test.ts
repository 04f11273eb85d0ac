// signBitcoinTransaction with a fake KMS signer: one KMS call and one digest per input (keys shared by
// several inputs are never de-duplicated), every format through the same path, and the result
// verified by bitcore's own script interpreter (an independent implementation of every sighash).
import { Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { chainRules } from '../../../../src/signer/bitcoin/chain-rules.js';
import { inputDigest } from '../../../../src/signer/bitcoin/sighash.js';
import {
  bchPayload,
  bitcorePayload,
  psbtPayload,
  previousTransaction,
  utxosOf,
} from '../../../support/bitcoin-payloads.js';
import { verifyWithBitcore } from '../../../support/bitcore-verify.js';
import { signBitcoinTransaction, SignedTransactionCheckError } from '../../../../src/signer/bitcoin/index.js';
import { A, alice, B, bob, out, request, sign, utxo } from './fixtures.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

// alice: P2WPKH, P2SH-P2WPKH and P2PKH; bob: P2WPKH. The P2PKH one carries its full previous tx.
const prevTx = previousTransaction([out(A.p2pkh, 300_000n)], 7);
const mixedUtxos = [
  utxo(1, A.p2wpkh, 100_000n),
  utxo(2, A.p2shP2wpkh, 200_000n, { redeemScript: A.redeem }),
  ...utxosOf(prevTx),
  utxo(4, B.p2wpkh, 400_000n, { sequence: 0xfffffffd }),
];
const mixedOutputs = [out(B.p2wpkh, 900_000n), out(A.p2pkh, 90_000n)];

describe('signBitcoinTransaction: several inputs, two wallets', () => {
  it('signs every input, one KMS call each, with the key that controls it', async () => {
    const { signer, result } = await sign(bitcorePayload(mixedUtxos, mixedOutputs));
    expect(signer.calls.map((c) => c.keyId)).toEqual([alice.keyId, alice.keyId, alice.keyId, bob.keyId]);
    expect(result.digests.map((d) => [d.keyId, d.inputIndex])).toEqual([
      [alice.keyId, 0],
      [alice.keyId, 1],
      [alice.keyId, 2],
      [bob.keyId, 3],
    ]);
    expect(result.digests.map((d) => d.digest)).toEqual(signer.calls.map((c) => hex(c.digest)));
    expect(new Set(result.digests.map((d) => d.digest)).size).toBe(4); // one digest per input

    const tx = Transaction.fromHex(result.signed);
    expect(tx.getId()).toBe(result.txId);
    expect(tx.hasWitnesses()).toBe(true);
    expect(result.signed.slice(8, 12)).toBe('0001'); // segwit marker and flag
    expect(tx.ins[2]!.witness).toEqual([]); // the P2PKH input has a scriptSig only
    expect(tx.ins[0]!.script).toHaveLength(0);

    // LTC's script and sighash rules are Bitcoin's: bitcore-lib-ltc checks the BTC transaction too.
    const independent = verifyWithBitcore('LTC', result.signed, mixedUtxos);
    expect(independent).toEqual({ txId: result.txId, verdicts: ['ok', 'ok', 'ok', 'ok'] });
  });

  it('gives the same bytes from a PSBT and from bitcore JSON of the same transaction', async () => {
    const fromBitcore = await sign(bitcorePayload(mixedUtxos, mixedOutputs));
    const fromPsbt = await sign(psbtPayload(mixedUtxos, mixedOutputs));
    const fromJsonText = await sign(JSON.stringify(bitcorePayload(mixedUtxos, mixedOutputs)), {
      format: 'bitcore',
    });
    expect(fromPsbt.result).toEqual(fromBitcore.result);
    expect(fromJsonText.result).toEqual(fromBitcore.result);
  });

  it('signs three inputs of one key with three different digests', async () => {
    const utxos = [utxo(1, A.p2wpkh, 50_000n), utxo(2, A.p2wpkh, 50_000n), utxo(3, A.p2wpkh, 70_000n)];
    const { signer, result } = await sign(bitcorePayload(utxos, [out(B.p2pkh, 160_000n)]), {
      wallets: [alice.wallet],
    });
    expect(signer.calls.map((c) => c.keyId)).toEqual([alice.keyId, alice.keyId, alice.keyId]);
    expect(new Set(signer.calls.map((c) => hex(c.digest))).size).toBe(3);
    expect(verifyWithBitcore('LTC', result.signed, utxos).verdicts).toEqual(['ok', 'ok', 'ok']);
  });

  it('signs LTC the same way (bech32 and P2SH-P2WPKH inputs)', async () => {
    const { result } = await sign(bitcorePayload(mixedUtxos, mixedOutputs), {
      chain: 'LTC',
      network: 'testnet',
    });
    expect(result.chain).toBe('LTC');
    expect(verifyWithBitcore('LTC', result.signed, mixedUtxos).verdicts).toEqual(['ok', 'ok', 'ok', 'ok']);
  });
});

describe('signBitcoinTransaction: DOGE', () => {
  it('signs P2PKH inputs with the legacy digest and no segwit serialisation', async () => {
    const utxos = [utxo(1, A.p2pkh, 5_000_000_000n), utxo(2, B.p2pkh, 100_000_000n), utxo(3, A.p2pkh, 1n)];
    const { signer, result } = await sign(bitcorePayload(utxos, [out(B.p2pkh, 5_000_000_000n)]), {
      chain: 'DOGE',
      network: 'mainnet',
    });
    expect(signer.calls).toHaveLength(3);
    expect(Transaction.fromHex(result.signed).hasWitnesses()).toBe(false);
    expect(verifyWithBitcore('DOGE', result.signed, utxos).verdicts).toEqual(['ok', 'ok', 'ok']);
  });
});

describe('signBitcoinTransaction: BCH', () => {
  const utxos = [utxo(1, A.p2pkh, 3_500_000n), utxo(2, A.p2pkh, 1_000_000n), utxo(3, B.p2pkh, 20_000n)];
  const outputs = [out(B.p2pkh, 4_000_000n), out(A.p2pkh, 500_000n)];

  it('maps wallets[i] to inputs[i], lists a key once per input, and signs SIGHASH_ALL|FORKID', async () => {
    const { signer, result } = await sign(bchPayload(utxos, outputs), {
      chain: 'BCH',
      network: 'testnet',
      wallets: [alice.wallet, alice.wallet, bob.wallet],
    });
    expect(signer.calls.map((c) => c.keyId)).toEqual([alice.keyId, alice.keyId, bob.keyId]);
    const tx = Transaction.fromHex(result.signed);
    for (const input of tx.ins) expect(input.script[input.script[0]!]).toBe(0x41); // last byte of the signature push
    expect(verifyWithBitcore('BCH', result.signed, utxos).verdicts).toEqual(['ok', 'ok', 'ok']);
  });

  it('matches inputs by script when the caller passes the prevout scripts', async () => {
    const positional = await sign(bchPayload(utxos, outputs), {
      chain: 'BCH',
      network: 'testnet',
      wallets: [alice.wallet, alice.wallet, bob.wallet],
    });
    const byScript = await sign(bchPayload(utxos, outputs), {
      chain: 'BCH',
      network: 'testnet',
      wallets: [bob.wallet, alice.wallet],
      options: { prevoutScripts: utxos.map((u) => hex(u.script)) },
    });
    expect(byScript.result.signed).toBe(positional.result.signed);
  });

  it("computes the FORKID digest of Tatum's reference BCH payload (tatum-protocol §5.4)", () => {
    const unsigned = Transaction.fromHex(
      '0200000001be829233856ef71e0a5f2953b0147bf54e91ff2c249c26a5b9adfd4c4de4f9c20100000000ffffffff0240420f00000000001976a914ada119a49237d2915c053935a7e00f74e486652a88ac009f2400000000001976a914e831bb079ba85eb9013773b7023ee8c482a62f8f88ac00000000',
    );
    const pubkeyHash = Uint8Array.from(Buffer.from('ada119a49237d2915c053935a7e00f74e486652a', 'hex'));
    const prevoutScript = Uint8Array.from([0x76, 0xa9, 0x14, ...pubkeyHash, 0x88, 0xac]);
    const digest = inputDigest(
      unsigned,
      {
        index: 0,
        kind: 'p2pkh',
        amount: 3_500_000n,
        prevoutScript,
        wallet: { index: 0, keyId: 'k', label: 'k', publicKey: new Uint8Array(33), pubkeyHash },
      },
      chainRules('BCH', 'testnet'),
    );
    expect(hex(digest)).toBe('cb92f594b9887664d5bbabc92680e305c073ca162457d5d446e77e0bada43d97');
  });
});

describe('final check of the assembled transaction', () => {
  const utxos = [utxo(1, A.p2wpkh, 100_000n), utxo(2, A.p2pkh, 100_000n)];
  const payload = bitcorePayload(utxos, [out(B.p2wpkh, 190_000n)]);

  it('refuses to return a transaction whose signature does not verify', async () => {
    const req = request(payload);
    const honest = req.signer;
    // A broken signer: signs another digest (as if KMS or the vault were wrong).
    req.signer = {
      calls: honest.calls,
      signDigest: (keyId, digest, publicKey) =>
        honest.signDigest(
          keyId,
          digest.map((b) => b ^ 1),
          publicKey,
        ),
    };
    await expect(signBitcoinTransaction(req)).rejects.toThrow(SignedTransactionCheckError);
  });

  it('bitcore, the independent verifier, rejects a tampered signed transaction', async () => {
    const { result } = await sign(payload);
    const tx = Transaction.fromHex(result.signed);
    tx.outs[0]!.value -= 1n;
    expect(verifyWithBitcore('LTC', tx.toHex(), utxos).verdicts).not.toContain('ok');
  });
});
