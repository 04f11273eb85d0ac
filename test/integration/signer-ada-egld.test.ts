// ADA and EGLD signed with Ed25519 keys held in (LocalStack) KMS: one ED25519_SHA_512 + RAW Sign call per
// transaction, and every signature verified by the chain's own SDK over the message that SDK computes
// from the signed transaction (cardano-serialization-lib: the transaction id of the body and the vkey
// witness; @multiversx/sdk-core: TransactionComputer and UserVerifier). Signed transactions decode back
// to the prepared fields. Hostile payloads are refused with zero Sign calls.
import { FixedTransaction } from '@emurgo/cardano-serialization-lib-nodejs';
import {
  Address,
  type IPlainTransactionObject,
  Transaction,
  TransactionComputer,
  UserVerifier,
} from '@multiversx/sdk-core';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveAddress, type ChainId } from '../../src/chains/index.js';
import type { KmsVault } from '../../src/kms/vault.js';
import { prepareTransaction } from '../../src/signer/index.js';
import type { WalletKey } from '../../src/signer/types.js';
import { testVault } from '../../scripts/fixtures/vault.js';
import { adaBodyHex } from '../support/cardano.js';
import { gatewayEgldPayload, tatumEgldPayload } from '../support/multiversx.js';
import { countingMessageSigner, ed25519TestKey } from '../support/solana.js';
import { stackEndpoints } from '../support/stack.js';

let vault: KmsVault;

async function kmsWallet(chain: ChainId): Promise<{ key: WalletKey; address: string }> {
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

beforeAll(() => {
  vault = testVault(stackEndpoints().awsEndpoint);
});

describe('ADA signed with a KMS Ed25519 payment key', () => {
  it('is witnessed over the body hash that cardano-serialization-lib computes from the signed transaction', async () => {
    const { key, address } = await kmsWallet('ADA');
    const destination = deriveAddress('ADA', 'testnet', ed25519TestKey(`ada-${randomUUID()}`).publicKey);
    const bodyHex = adaBodyHex({
      outputs: [
        { address: destination, lovelace: 12_345_678n },
        { address, lovelace: 80_000_000n },
      ],
      fee: 171_000n,
    });
    const signer = countingMessageSigner(vault);
    const prepared = await prepareTransaction({
      chain: 'ADA',
      network: 'testnet',
      wallets: [key],
      unsigned: bodyHex,
    });
    expect(prepared.transfers).toEqual([{ asset: 'native', to: destination, amount: 12_345_678n }]);
    const signed = await prepared.sign(signer as never);
    expect(signer.calls).toHaveLength(1);

    const tx = FixedTransaction.from_hex(signed.signed);
    const body = tx.body();
    expect(Buffer.from(tx.raw_body()).toString('hex')).toBe(bodyHex);
    expect(body.fee().to_str()).toBe('171000');
    expect(body.outputs().get(0).address().to_bech32()).toBe(destination);
    expect(body.outputs().get(0).amount().coin().to_str()).toBe('12345678');
    const sdkHash = tx.transaction_hash();
    expect(sdkHash.to_hex()).toBe(signed.txId);
    expect(Buffer.from(signer.calls[0]!.message).toString('hex')).toBe(sdkHash.to_hex());
    const witnesses = tx.witness_set().vkeys();
    expect(witnesses?.len()).toBe(1);
    const witness = witnesses!.get(0);
    expect(Buffer.from(witness.vkey().public_key().as_bytes())).toEqual(Buffer.from(key.publicKey));
    expect(witness.vkey().public_key().verify(sdkHash.to_bytes(), witness.signature())).toBe(true);
    // The witness is bound to this body: another body's hash does not verify.
    const otherHash = FixedTransaction.new_from_body_bytes(
      Buffer.from(
        adaBodyHex({ outputs: [{ address: destination, lovelace: 1_000_000n }], fee: 171_000n }),
        'hex',
      ),
    ).transaction_hash();
    expect(witness.vkey().public_key().verify(otherHash.to_bytes(), witness.signature())).toBe(false);
  });

  it('refuses hostile bodies with zero Sign calls', async () => {
    const { key } = await kmsWallet('ADA');
    const mainnet = deriveAddress('ADA', 'mainnet', key.publicKey);
    const signer = countingMessageSigner(vault);
    const hostile = [
      adaBodyHex({ outputs: [{ address: mainnet, lovelace: 2_000_000n }], fee: 171_000n }),
      adaBodyHex({
        outputs: [{ address: deriveAddress('ADA', 'testnet', key.publicKey), lovelace: 2_000_000n }],
        fee: 5_000_000n,
      }),
      JSON.stringify([{ operation_identifier: { index: 0 }, type: 'input' }]),
    ];
    for (const unsigned of hostile) {
      await expect(
        prepareTransaction({ chain: 'ADA', network: 'testnet', wallets: [key], unsigned }).then((p) =>
          p.sign(signer as never),
        ),
      ).rejects.toMatchObject({ name: 'SigningRefusedError' });
    }
    expect(signer.calls).toHaveLength(0);
  });
});

describe('EGLD signed with a KMS Ed25519 key', () => {
  const computer = new TransactionComputer();

  it("signs Tatum's payload; the SDK's UserVerifier accepts the signature over the SDK's own message", async () => {
    const { key, address } = await kmsWallet('EGLD');
    const destination = deriveAddress('EGLD', 'testnet', ed25519TestKey(`egld-${randomUUID()}`).publicKey);
    const signer = countingMessageSigner(vault);
    const prepared = await prepareTransaction({
      chain: 'EGLD',
      network: 'testnet',
      wallets: [key],
      unsigned: tatumEgldPayload({ from: address, to: destination, value: '1.5' }),
      options: { nonce: 42 },
    });
    const signed = await prepared.sign(signer as never);
    expect(signer.calls).toHaveLength(1);

    const tx = Transaction.newFromPlainObject(JSON.parse(signed.signed) as IPlainTransactionObject);
    expect(tx).toMatchObject({
      nonce: 42n,
      value: 1_500_000_000_000_000_000n,
      chainID: 'D',
      gasPrice: 1_000_000_000n,
      gasLimit: 50_000n,
      version: 1,
    });
    expect(tx.sender.toBech32()).toBe(address);
    expect(tx.receiver.toBech32()).toBe(destination);
    const message = computer.computeBytesForVerifying(tx);
    expect(Buffer.from(signer.calls[0]!.message)).toEqual(Buffer.from(message));
    expect(await UserVerifier.fromAddress(Address.newFromBech32(address)).verify(message, tx.signature)).toBe(
      true,
    );
    tx.nonce = 43n; // any change to the fields changes the message the signature must cover
    expect(
      await UserVerifier.fromAddress(Address.newFromBech32(address)).verify(
        computer.computeBytesForVerifying(tx),
        tx.signature,
      ),
    ).toBe(false);
    expect(signed.txId).toBe(
      Buffer.from(
        computer.computeTransactionHash(
          Transaction.newFromPlainObject(JSON.parse(signed.signed) as IPlainTransactionObject),
        ),
      ).toString('hex'),
    );
  });

  it('refuses hostile payloads (other network, foreign sender, over the fee cap, 4,097-byte message) with zero Sign calls', async () => {
    const { key, address } = await kmsWallet('EGLD');
    const other = deriveAddress('EGLD', 'testnet', ed25519TestKey(`egld-other-${randomUUID()}`).publicKey);
    const signer = countingMessageSigner(vault);
    const hostile: [string, string][] = [
      [
        gatewayEgldPayload({ nonce: 1, value: '1', sender: address, receiver: other, chainID: '1' }),
        'CHAIN_MISMATCH',
      ],
      [tatumEgldPayload({ from: other, to: address, value: '1' }), 'SENDER_NOT_OURS'],
      [
        tatumEgldPayload({
          from: address,
          to: other,
          value: '1',
          gasLimit: 20_000_000,
          gasPrice: 1_000_000_000,
        }),
        'FEE_TOO_HIGH',
      ],
      [
        tatumEgldPayload({
          from: address,
          to: other,
          value: '1',
          data: 'a'.repeat(3900),
          gasLimit: 6_000_000,
          gasPrice: 1_000_000,
        }),
        'MALFORMED_TRANSACTION',
      ],
    ];
    for (const [unsigned, code] of hostile) {
      await expect(
        prepareTransaction({
          chain: 'EGLD',
          network: 'testnet',
          wallets: [key],
          unsigned,
          options: { nonce: 1 },
        }).then((p) => p.sign(signer as never)),
      ).rejects.toMatchObject({ code });
    }
    expect(signer.calls).toHaveLength(0);
  });
});
