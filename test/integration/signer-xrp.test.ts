// XRP end to end on LocalStack KMS. No rippled installs from our registries, so every signature is checked
// by the XRP Ledger's own JavaScript libraries: ripple-binary-codec decodes the blob back to the payload's
// fields, ripple-keypairs derives the Account from SigningPubKey and verifies TxnSignature (secp256k1 over
// SHA-512Half of the signing encoding, low S), for a published vector key imported into KMS and for fresh
// KMS keys, over many signatures so that KMS's high-S results are seen and folded.
import { randomUUID } from 'node:crypto';
import { decode, encodeForSigning } from 'ripple-binary-codec';
import { transactionID } from 'ripple-binary-codec/dist/hashes.js';
import * as keypairs from 'ripple-keypairs';
import { beforeAll, describe, expect, it } from 'vitest';

import { deriveAddress } from '../../src/chains/index.js';
import type { KmsVault } from '../../src/kms/vault.js';
import { signXrpTransaction } from '../../src/signer/xrp/index.js';
import type { WalletKey } from '../../src/signer/types.js';
import { createKeyWithPrivateKey } from '../support/kms-fixtures.js';
import { foldCountingSigner } from '../support/folding-signer.js';
import { kmsClientFor, stackEndpoints } from '../support/stack.js';
import { testVault } from '../../scripts/fixtures/vault.js';

// Trust Wallet Core CoinAddressDerivationTests.cpp: key 0x46…46 is rJHMeqKu8Ep7Fazx8MQG6JunaafBXz93YQ.
const KEY_46 = '4646464646464646464646464646464646464646464646464646464646464646';
const VECTOR_ADDRESS = 'rJHMeqKu8Ep7Fazx8MQG6JunaafBXz93YQ';
// python-hdwallet docs: private key b66022ff…d3b6 is rLrFeQYUiiMPRPbbT97UX258KtczS5ekmy.
const OTHER_ADDRESS = 'rLrFeQYUiiMPRPbbT97UX258KtczS5ekmy';

let vault: KmsVault;

beforeAll(() => {
  vault = testVault(stackEndpoints().awsEndpoint);
});

async function wallet(keyId: string): Promise<{ key: WalletKey; address: string }> {
  const publicKey = (await vault.getPublicKey(keyId)).compressed;
  return { key: { keyId, publicKey }, address: deriveAddress('XRP', 'mainnet', publicKey) };
}

/** Decodes and verifies a signed blob with ripple-binary-codec and ripple-keypairs only. */
function verifyWithXrplLibraries(blob: string): Record<string, unknown> {
  const decoded = decode(blob);
  const { TxnSignature, ...unsigned } = decoded;
  const signingPubKey = unsigned.SigningPubKey;
  if (typeof signingPubKey !== 'string' || typeof TxnSignature !== 'string') {
    throw new Error('the blob lacks SigningPubKey or TxnSignature');
  }
  expect(keypairs.deriveAddress(signingPubKey)).toBe(unsigned.Account);
  expect(keypairs.verify(encodeForSigning(unsigned), TxnSignature, signingPubKey)).toBe(true);
  return unsigned;
}

describe('XRP signer on LocalStack KMS, verified by ripple-binary-codec and ripple-keypairs', () => {
  it('a published vector key imported into KMS has the published address and signs a Payment', async () => {
    const keyId = await createKeyWithPrivateKey(kmsClientFor(stackEndpoints()), Buffer.from(KEY_46, 'hex'));
    const { key, address } = await wallet(keyId);
    expect(address).toBe(VECTOR_ADDRESS);
    const payment = {
      TransactionType: 'Payment',
      Account: VECTOR_ADDRESS,
      Destination: OTHER_ADDRESS,
      Amount: '25000000',
      Fee: '12',
      Sequence: 1,
      LastLedgerSequence: 95_000_000,
      DestinationTag: 123456,
      Flags: 0x8000_0000,
    };
    const signed = await signXrpTransaction({
      chain: 'XRP',
      network: 'mainnet',
      wallets: [key],
      signer: vault,
      unsigned: JSON.stringify(payment),
    });
    const unsigned = verifyWithXrplLibraries(signed.signed);
    const { SigningPubKey, ...fields } = unsigned;
    expect(fields).toEqual(payment);
    expect(SigningPubKey).toBe(Buffer.from(key.publicKey).toString('hex').toUpperCase());
    expect(signed.txId).toBe(transactionID(Buffer.from(signed.signed, 'hex')).toHex());
  });

  it('60 payments from fresh KMS keys all verify; KMS high-S signatures are folded to low S', async () => {
    const wallets = await Promise.all(
      Array.from({ length: 3 }, async () =>
        wallet((await vault.createKey({ walletId: randomUUID(), chain: 'XRP' })).keyId),
      ),
    );
    const counting = foldCountingSigner(vault);
    for (let i = 0; i < 60; i++) {
      const from = wallets[i % wallets.length]!;
      const signed = await signXrpTransaction({
        chain: 'XRP',
        network: 'testnet',
        wallets: [from.key],
        signer: counting,
        unsigned: {
          TransactionType: 'Payment',
          Account: from.address,
          Destination: VECTOR_ADDRESS,
          Amount: String(1_000_000 + i),
          Fee: '10',
          Sequence: i + 1,
          LastLedgerSequence: 5_000 + i,
          ...(i % 2 === 0 ? { DestinationTag: i } : {}),
        },
      });
      const unsigned = verifyWithXrplLibraries(signed.signed);
      expect(unsigned.Amount).toBe(String(1_000_000 + i));
      expect(unsigned.DestinationTag).toBe(i % 2 === 0 ? i : undefined);
    }
    // KMS returns high S about half the time (its signatures are not normalised); P(none in 60) ≈ 2⁻⁶⁰.
    expect(counting.folded).toBeGreaterThan(0);
  });
});
