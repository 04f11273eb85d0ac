// XRP signing checked by the XRP Ledger's own JavaScript libraries: ripple-binary-codec decodes the
// signed blob back to the payload's fields, ripple-keypairs derives the Account from SigningPubKey and
// verifies TxnSignature over the signing encoding (SHA-512Half inside), and the transaction id is the
// codec's own hash of the blob.
import { decode, encodeForSigning } from 'ripple-binary-codec';
import { transactionID } from 'ripple-binary-codec/dist/hashes.js';
import * as keypairs from 'ripple-keypairs';
import { describe, expect, it } from 'vitest';

import { deriveAddress } from '../../../../src/chains/index.js';
import { parseEcdsaSignatureDer } from '../../../../src/kms/der.js';
import { isHighS } from '../../../../src/crypto/secp256k1.js';
import { prepareXrpTransaction, signXrpTransaction } from '../../../../src/signer/xrp/index.js';
import { fakeDigestSigner, testKey } from '../../../../scripts/fixtures/fake-digest-signer.js';

const KEY = testKey('xrp-wallet');
const ACCOUNT = deriveAddress('XRP', 'mainnet', KEY.publicKey);
// Trust Wallet Core CoinAddressDerivationTests.cpp, key 0x46…46 (TWCoinTypeXRP).
const DESTINATION = 'rJHMeqKu8Ep7Fazx8MQG6JunaafBXz93YQ';

function payment(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    TransactionType: 'Payment',
    Account: ACCOUNT,
    Destination: DESTINATION,
    Amount: '1234567',
    Fee: '12',
    Sequence: 42,
    LastLedgerSequence: 90_000_500,
    DestinationTag: 1_000_001,
    ...extra,
  };
}

describe('signXrpTransaction', () => {
  it('signs a Payment that the XRP Ledger libraries decode and verify', async () => {
    const signer = fakeDigestSigner([KEY]);
    const signed = await signXrpTransaction({
      chain: 'XRP',
      network: 'mainnet',
      wallets: [KEY.wallet],
      signer,
      unsigned: JSON.stringify(payment({ Flags: 0x8000_0000 })),
    });
    expect(signed.signed).toMatch(/^[0-9A-F]+$/);
    const decoded = decode(signed.signed);
    const { TxnSignature, SigningPubKey, ...fields } = decoded;
    expect(fields).toEqual(payment({ Flags: 0x8000_0000 }));
    expect(SigningPubKey).toBe(Buffer.from(KEY.publicKey).toString('hex').toUpperCase());
    expect(keypairs.deriveAddress(SigningPubKey as string)).toBe(ACCOUNT);
    const unsignedPart = { ...fields, SigningPubKey };
    expect(
      keypairs.verify(encodeForSigning(unsignedPart), TxnSignature as string, SigningPubKey as string),
    ).toBe(true);
    const { s } = parseEcdsaSignatureDer(Buffer.from(TxnSignature as string, 'hex'));
    expect(isHighS(s)).toBe(false);
    expect(signed.txId).toBe(transactionID(Buffer.from(signed.signed, 'hex')).toHex());
    expect(signer.calls).toHaveLength(1);
    expect(Buffer.from(signer.calls[0]!.digest).toString('hex')).toBe(signed.digests[0]!.digest);
  });

  it('prepares transfers with the destination tag as memo, the fee and the sequence, before any KMS call', async () => {
    const prepared = await prepareXrpTransaction({
      chain: 'XRP',
      network: 'testnet',
      wallets: [KEY.wallet],
      unsigned: payment(),
    });
    expect(prepared.transfers).toEqual([
      { asset: 'native', to: DESTINATION, amount: 1_234_567n, memo: '1000001' },
    ]);
    expect(prepared.fee).toBe(12n);
    expect(prepared.nonce).toBe(42n);
    expect(prepared.digests).toHaveLength(1);
  });

  it('keeps a SigningPubKey that names the wallet (upper or lower case)', async () => {
    const hexKey = Buffer.from(KEY.publicKey).toString('hex');
    const signed = await signXrpTransaction({
      chain: 'XRP',
      network: 'mainnet',
      wallets: [KEY.wallet],
      signer: fakeDigestSigner([KEY]),
      unsigned: payment({ SigningPubKey: hexKey }),
    });
    expect((decode(signed.signed) as Record<string, unknown>).SigningPubKey).toBe(hexKey.toUpperCase());
  });
});
