// Input amounts a legacy P2PKH signature does not commit to (BTC, LTC, every DOGE input) are proven against
// the previous transaction: understated → refused before any Sign call; missing → the caller is told which
// previous transactions to supply; true amounts → signed and accepted by bitcore's own interpreter. The
// previous transactions are real signed transactions (signed here, then verified by bitcore-lib).
import { Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { signBitcoinTransaction } from '../../../../src/signer/bitcoin/index.js';
import { SigningRefusedError } from '../../../../src/signer/types.js';
import { fakeDigestSigner } from '../../../../scripts/fixtures/fake-digest-signer.js';
import { bitcorePayload, utxosOf } from '../../../support/bitcoin-payloads.js';
import { verifyWithBitcore, type BitcoreFlavour } from '../../../support/bitcore-verify.js';
import { A, alice, B, out, utxo } from './fixtures.js';

/** A real, signed transaction paying `amount` to alice's P2PKH script (its own input is trusted). */
async function fundingTransaction(chain: BitcoreFlavour & ('LTC' | 'DOGE'), amount: bigint) {
  const spent = utxo(7, A.p2pkh, amount + 1_000_000n);
  const { signed } = await signBitcoinTransaction({
    chain,
    network: 'mainnet',
    wallets: [alice.wallet],
    signer: fakeDigestSigner([alice]),
    unsigned: bitcorePayload([spent], [out(A.p2pkh, amount)]),
    options: { trustPayloadAmountsAndRiskOverpayingFees: true },
  });
  expect(verifyWithBitcore(chain, signed, [spent]).verdicts).toEqual(['ok']);
  return Transaction.fromHex(signed);
}

describe.each(['LTC', 'DOGE'] as const)('%s P2PKH inputs', (chain) => {
  const request = (unsigned: object, previousTransactions?: Record<string, string>) => ({
    chain,
    network: 'mainnet' as const,
    wallets: [alice.wallet],
    signer: fakeDigestSigner([alice]),
    unsigned,
    ...(previousTransactions ? { options: { previousTransactions } } : {}),
  });

  it('an understated input amount is refused against the previous transaction, with no Sign call', async () => {
    const funding = await fundingTransaction(chain, 100_000_000n);
    const [input] = utxosOf(funding);
    // The payload claims 29,151,000 sat for an output that holds 100,000,000: the real fee would be ≈ 0.71.
    const understated = bitcorePayload([{ ...input!, amount: 29_151_000n }], [out(B.p2pkh, 29_000_000n)]);
    const req = request(understated, { [funding.getId()]: funding.toHex() });
    const error = await signBitcoinTransaction(req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigningRefusedError);
    expect(error).toMatchObject({ code: 'PREVOUT_MISMATCH', field: 'inputs[0].amount' });
    expect(req.signer.calls).toHaveLength(0);
  });

  it('without the previous transaction it refuses and names the txid to supply', async () => {
    const funding = await fundingTransaction(chain, 100_000_000n);
    const req = request(bitcorePayload(utxosOf(funding), [out(B.p2pkh, 99_000_000n)]));
    const error = await signBitcoinTransaction(req).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PreviousTransactionsNeededError', txids: [funding.getId()] });
    expect(req.signer.calls).toHaveLength(0);
  });

  it('with the true amount and its previous transaction it signs, and bitcore accepts the spend', async () => {
    const funding = await fundingTransaction(chain, 100_000_000n);
    const utxos = utxosOf(funding);
    const req = request(bitcorePayload(utxos, [out(B.p2pkh, 99_000_000n)]), {
      [funding.getId()]: funding.toHex(),
    });
    const { signed } = await signBitcoinTransaction(req);
    expect(req.signer.calls).toHaveLength(1);
    expect(verifyWithBitcore(chain, signed, utxos).verdicts).toEqual(['ok']);
  });
});

describe('inputs that commit to their amounts', () => {
  it('a P2WPKH input needs no previous transaction', async () => {
    const spent = utxo(9, A.p2wpkh, 50_000n);
    const { signed } = await signBitcoinTransaction({
      chain: 'BTC',
      network: 'regtest',
      wallets: [alice.wallet],
      signer: fakeDigestSigner([alice]),
      unsigned: bitcorePayload([spent], [out(B.p2wpkh, 49_000n)]),
    });
    expect(verifyWithBitcore('LTC', signed, [spent]).verdicts).toEqual(['ok']);
  });
});
