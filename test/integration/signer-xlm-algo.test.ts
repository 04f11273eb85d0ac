// XLM and ALGO end to end with Ed25519 keys in (LocalStack) KMS: Tatum-style payloads are prepared,
// signed with one ED25519_SHA_512 + RAW Sign call each, and every signature is verified by the chain's
// own SDK over the message that SDK computes from the signed transaction (stellar-base: the transaction
// hash for the network passphrase; algosdk: "TX" ‖ msgpack, checked with tweetnacl). Signed
// transactions decode back to the payload's fields. Hostile payloads are refused with zero Sign calls.
import { FeeBumpTransaction, Keypair, Networks, TransactionBuilder } from '@stellar/stellar-base';
import { decodeAddress, decodeSignedTransaction } from 'algosdk';
import nacl from 'tweetnacl';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveAddress, type ChainId } from '../../src/chains/index.js';
import type { KmsVault } from '../../src/kms/vault.js';
import { prepareAlgorandTransaction } from '../../src/signer/algorand/index.js';
import { prepareStellarTransaction } from '../../src/signer/stellar/index.js';
import { SigningRefusedError, type WalletKey } from '../../src/signer/types.js';
import { testVault } from '../../scripts/fixtures/vault.js';
import { stackEndpoints } from '../support/stack.js';
import { countingMessageSigner } from '../support/solana.js';
import { algoAddressJson, tatumAlgoPayload } from '../support/algorand.js';
import {
  Asset,
  Memo,
  Operation,
  randomStellarAddress,
  tatumXlmPayload,
  xlmPayment,
} from '../support/stellar.js';

let vault: KmsVault;
const keys: Partial<Record<ChainId, { key: WalletKey; address: string }>> = {};

async function kmsWallet(chain: 'XLM' | 'ALGO') {
  const { keyId } = await vault.createKey({
    walletId: randomUUID(),
    chain,
    keySpec: 'ECC_NIST_EDWARDS25519',
  });
  const { publicKey } = await vault.getEd25519PublicKey(keyId);
  return {
    key: { keyId, publicKey, walletId: `${chain}-kms` },
    address: deriveAddress(chain, 'testnet', publicKey),
  };
}

beforeAll(async () => {
  vault = testVault(stackEndpoints().awsEndpoint);
  keys.XLM = await kmsWallet('XLM');
  keys.ALGO = await kmsWallet('ALGO');
});

const xlm = () => keys.XLM!;
const algo = () => keys.ALGO!;

describe('XLM signed with a KMS Ed25519 key', () => {
  const issuer = randomStellarAddress();
  const destination = randomStellarAddress();

  it.each([
    ['testnet', Networks.TESTNET],
    ['mainnet', Networks.PUBLIC],
  ] as const)(
    'stellar-base verifies the signature over its own hash (%s) and reads back the same transaction',
    async (network, passphrase) => {
      const unsigned = tatumXlmPayload({
        source: xlm().address,
        sequence: '77',
        timeoutSeconds: 300,
        memo: Memo.text('withdrawal 9'),
        operations: [
          xlmPayment(destination, '12.3456789'),
          xlmPayment(destination, '5', new Asset('USDC', issuer)),
        ],
        networkPassphrase: passphrase,
      });
      const signer = countingMessageSigner(vault);
      const prepared = await prepareStellarTransaction({
        chain: 'XLM',
        network,
        wallets: [xlm().key],
        unsigned,
      });
      const signed = await prepared.sign(signer);
      expect(signer.calls).toHaveLength(1);

      const tx = TransactionBuilder.fromXDR(signed.signed, passphrase);
      if (tx instanceof FeeBumpTransaction) throw new Error('expected a transaction');
      expect(tx.signatures).toHaveLength(1);
      expect(Keypair.fromPublicKey(xlm().address).verify(tx.hash(), tx.signatures[0]!.signature())).toBe(
        true,
      );
      expect(signed.txId).toBe(tx.hash().toString('hex'));
      const original = TransactionBuilder.fromXDR(unsigned, passphrase);
      if (original instanceof FeeBumpTransaction) throw new Error('expected a transaction');
      expect([
        tx.source,
        tx.fee,
        tx.sequence,
        tx.timeBounds,
        tx.memo.value?.toString(),
        tx.operations,
      ]).toEqual([original.source, '200', '78', original.timeBounds, 'withdrawal 9', original.operations]);
      expect(prepared.transfers).toEqual([
        { asset: 'native', to: destination, amount: 123_456_789n, memo: 'withdrawal 9' },
        { asset: `USDC:${issuer}`, to: destination, amount: 50_000_000n, memo: 'withdrawal 9' },
      ]);
    },
  );

  it.each([
    [
      'a foreign source',
      () =>
        tatumXlmPayload({ source: destination, timeoutSeconds: 300, operations: [xlmPayment(issuer, '1')] }),
      'SENDER_NOT_OURS',
    ],
    [
      'changeTrust',
      () =>
        tatumXlmPayload({
          source: xlm().address,
          timeoutSeconds: 300,
          operations: [Operation.changeTrust({ asset: new Asset('USDC', issuer) })],
        }),
      'UNSUPPORTED_TRANSACTION',
    ],
    [
      'a fee above the cap',
      () =>
        tatumXlmPayload({
          source: xlm().address,
          fee: '1000000',
          timeoutSeconds: 300,
          operations: [xlmPayment(issuer, '1')],
        }),
      'FEE_TOO_HIGH',
    ],
    [
      'no expiry',
      () =>
        tatumXlmPayload({ source: xlm().address, timeoutSeconds: 0, operations: [xlmPayment(issuer, '1')] }),
      'UNSUPPORTED_TRANSACTION',
    ],
  ] as const)('refuses %s with zero Sign calls', async (_label, unsigned, code) => {
    const signer = countingMessageSigner(vault);
    const error = await prepareStellarTransaction({
      chain: 'XLM',
      network: 'testnet',
      wallets: [xlm().key],
      unsigned: unsigned(),
    })
      .then((p) => p.sign(signer))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigningRefusedError);
    expect(error).toMatchObject({ code });
    expect(signer.calls).toHaveLength(0);
  });
});

describe('ALGO signed with a KMS Ed25519 key', () => {
  const destination = deriveAddress('ALGO', 'testnet', Keypair.random().rawPublicKey());

  it.each([
    ['pay', undefined, 'native'],
    ['axfer', 10458941, '10458941'],
  ] as const)(
    'algosdk decodes the signed %s and its signature verifies over bytesToSign()',
    async (_type, assetIndex, asset) => {
      const unsigned = tatumAlgoPayload({
        from: algo().address,
        to: destination,
        amount: 4242,
        note: 'w-1',
        firstRound: 5000,
        lastRound: 5999,
        ...(assetIndex ? { assetIndex } : {}),
      });
      const signer = countingMessageSigner(vault);
      const prepared = await prepareAlgorandTransaction({
        chain: 'ALGO',
        network: 'testnet',
        wallets: [algo().key],
        unsigned,
      });
      const signed = await prepared.sign(signer);
      expect(signer.calls).toHaveLength(1);

      const decoded = decodeSignedTransaction(Buffer.from(signed.signed, 'hex'));
      const publicKey = decodeAddress(algo().address).publicKey;
      expect(nacl.sign.detached.verify(decoded.txn.bytesToSign(), decoded.sig!, publicKey)).toBe(true);
      const { txn } = decoded;
      const moved = txn.payment ?? txn.assetTransfer;
      expect([
        txn.sender.toString(),
        moved?.receiver.toString(),
        moved?.amount,
        txn.fee,
        txn.firstValid,
        txn.lastValid,
      ]).toEqual([algo().address, destination, 4242n, 1000n, 5000n, 5999n]);
      expect([txn.genesisID, Buffer.from(txn.note).toString(), txn.assetTransfer?.assetIndex]).toEqual([
        'testnet-v1.0',
        'w-1',
        assetIndex === undefined ? undefined : BigInt(assetIndex),
      ]);
      expect(signed.txId).toBe(txn.txID());
      expect(prepared.transfers).toEqual([{ asset, to: destination, amount: 4242n, memo: 'w-1' }]);
    },
  );

  it.each([
    [
      'the MainNet genesis',
      () =>
        tatumAlgoPayload({
          from: algo().address,
          to: destination,
          amount: 1,
          genesisID: 'mainnet-v1.0',
          genesisHash: 'wGHE2Pwdvd7S12BL5FaOP20EGYesN73ktiC1qzkkit8=',
        }),
      'CHAIN_MISMATCH',
    ],
    [
      'a foreign sender',
      () => tatumAlgoPayload({ from: destination, to: algo().address, amount: 1 }),
      'SENDER_NOT_OURS',
    ],
    [
      'rekey-to',
      () =>
        tatumAlgoPayload({
          from: algo().address,
          to: destination,
          amount: 1,
          extra: {
            reKeyTo: algoAddressJson(destination),
          },
        }),
      'UNSUPPORTED_TRANSACTION',
    ],
    [
      'a fee above the cap',
      () => tatumAlgoPayload({ from: algo().address, to: destination, amount: 1, fee: 1_000_000 }),
      'FEE_TOO_HIGH',
    ],
  ] as const)('refuses %s with zero Sign calls', async (_label, unsigned, code) => {
    const signer = countingMessageSigner(vault);
    const error = await prepareAlgorandTransaction({
      chain: 'ALGO',
      network: 'testnet',
      wallets: [algo().key],
      unsigned: unsigned(),
    })
      .then((p) => p.sign(signer))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigningRefusedError);
    expect(error).toMatchObject({ code });
    expect(signer.calls).toHaveLength(0);
  });
});
