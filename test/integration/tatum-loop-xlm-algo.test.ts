// The signing loop end to end for XLM and ALGO: wallets created through the real WalletService (LocalStack
// KMS Ed25519 keys + FerretDB), one pending transaction each queued in the Tatum sandbox in Tatum's format
// (base64 envelope XDR; algosdk 1.x Transaction JSON), signed and broadcast by the loop through Tatum's
// paths (/v3/xlm/broadcast, /v3/algorand/broadcast). The sandbox accepts a broadcast only if stellar-base /
// algosdk verify its signature (scripts/sandbox/ed25519-ledgers.ts), and refuses a tampered one.
import { Keypair, Networks, xdr } from '@stellar/stellar-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptAlgorandTransaction, acceptStellarEnvelope } from '../../scripts/sandbox/ed25519-ledgers.js';
import { tatumAlgoPayload } from '../support/algorand.js';
import {
  startEd25519LoopHarness,
  type Ed25519LoopHarness,
  type ExpectedBroadcast,
} from '../support/ed25519-loop.js';
import { Memo, randomStellarAddress, tatumXlmPayload, xlmPayment } from '../support/stellar.js';

const ALGO_DESTINATION = 'LT74JRUCTFB35LZT4NJV23ZHVWNIOGDMTUJ4ASCXDXDDP5ZQFURIZAHIXA';

let h: Ed25519LoopHarness;

beforeAll(async () => {
  h = await startEd25519LoopHarness({ verifyXlm: Networks.TESTNET, verifyAlgo: 'testnet-v1.0' });
}, 60_000);

afterAll(async () => {
  await h.close();
});

describe('Tatum signing loop: XLM and ALGO against the sandbox', () => {
  it('signs and broadcasts one pending transfer per chain; the sandbox verifies each with the chain SDK', async () => {
    const xlmWallet = await h.createWallet('XLM');
    const algoWallet = await h.createWallet('ALGO');
    const xlmDestination = randomStellarAddress();
    const xlmId = h.sandbox.enqueue({
      chain: 'XLM',
      hashes: [xlmWallet.signatureId],
      serializedTransaction: tatumXlmPayload({
        source: xlmWallet.address,
        timeoutSeconds: 300,
        memo: Memo.text('withdrawal 77'),
        operations: [xlmPayment(xlmDestination, '3.25')],
      }),
    });
    const algoId = h.sandbox.enqueue({
      chain: 'ALGO',
      hashes: [algoWallet.signatureId],
      serializedTransaction: tatumAlgoPayload({
        from: algoWallet.address,
        to: ALGO_DESTINATION,
        amount: 250_000,
      }),
    });
    const expected = new Map<string, ExpectedBroadcast>([
      [
        xlmId,
        {
          chain: 'XLM',
          transfers: [{ asset: 'native', to: xlmDestination, amount: '32500000', memo: 'withdrawal 77' }],
        },
      ],
      [algoId, { chain: 'ALGO', transfers: [{ asset: 'native', to: ALGO_DESTINATION, amount: '250000' }] }],
    ]);

    await h.expectBroadcasts(await h.loop(['XLM', 'ALGO']).runPass(), expected);
  });

  it('the sandbox refuses tampered XLM and ALGO broadcasts', async () => {
    const xlmWallet = await h.createWallet('XLM');
    const unsigned = tatumXlmPayload({
      source: xlmWallet.address,
      timeoutSeconds: 300,
      operations: [xlmPayment(randomStellarAddress(), '1')],
    });
    const envelope = xdr.TransactionEnvelope.fromXDR(unsigned, 'base64');
    const hint = Keypair.fromPublicKey(xlmWallet.address).signatureHint();
    envelope.v1().signatures([new xdr.DecoratedSignature({ hint, signature: Buffer.alloc(64, 1) })]);
    expect(() => acceptStellarEnvelope(envelope.toXDR('base64'), Networks.TESTNET)).toThrow(/tx_bad_auth/);
    expect(() => acceptAlgorandTransaction('82a3736967c440' + '01'.repeat(64), 'testnet-v1.0')).toThrow();
  });
});
