// The EGLD signer with an in-process Ed25519 signer: Tatum's payload and the gateway form, the message
// the SDK serialises, the signed JSON as the SDK decodes and verifies it, and every refusal — all before
// any Sign call.
import {
  Address,
  type IPlainTransactionObject,
  Transaction,
  TransactionComputer,
  UserVerifier,
} from '@multiversx/sdk-core';
import { describe, expect, it } from 'vitest';
import { prepareTransaction } from '../../../../src/signer/index.js';
import {
  prepareMultiversXTransaction,
  signMultiversXTransaction,
} from '../../../../src/signer/multiversx/index.js';
import { gatewayEgldPayload, tatumEgldPayload } from '../../../support/multiversx.js';
import { ed25519UnitSetup } from '../../../support/ed25519-unit.js';

const {
  walletAddress: WALLET,
  destination: DESTINATION,
  request,
  refusal,
} = ed25519UnitSetup('EGLD', 'egld', signMultiversXTransaction, { nonce: 7 });
const computer = new TransactionComputer();

const decode = (signed: string) =>
  Transaction.newFromPlainObject(JSON.parse(signed) as IPlainTransactionObject);

describe('prepareMultiversXTransaction / signMultiversXTransaction', () => {
  it("signs Tatum's payload: EGLD amount in atomic units, the node's nonce, the registry's chain id", async () => {
    const { signer, request: req } = request(
      tatumEgldPayload({ from: WALLET, to: DESTINATION, value: '0.25' }),
    );
    const prepared = await prepareMultiversXTransaction(req);
    expect(prepared).toMatchObject({
      transfers: [{ asset: 'native', to: DESTINATION, amount: 250_000_000_000_000_000n }],
      unrecognized: null,
      fee: 50_000n * 1_000_000_000n,
      nonce: 7n,
    });
    const signed = await prepared.sign(signer);
    expect(signer.calls).toHaveLength(1);

    // The SDK decodes the signed JSON back to the same fields and serialises the message that was signed.
    const tx = decode(signed.signed);
    expect(tx).toMatchObject({
      nonce: 7n,
      value: 250_000_000_000_000_000n,
      chainID: 'D',
      version: 1,
      gasLimit: 50_000n,
    });
    expect(tx.sender.toBech32()).toBe(WALLET);
    expect(tx.receiver.toBech32()).toBe(DESTINATION);
    const message = computer.computeBytesForSigning(tx);
    expect(Buffer.from(signer.calls[0]!.message)).toEqual(Buffer.from(message));
    expect(prepared.digests[0]?.digest).toBe(Buffer.from(message).toString('hex'));
    expect(await UserVerifier.fromAddress(Address.newFromBech32(WALLET)).verify(message, tx.signature)).toBe(
      true,
    );
    expect(
      await UserVerifier.fromAddress(Address.newFromBech32(DESTINATION)).verify(message, tx.signature),
    ).toBe(false);
    expect(signed.txId).toBe(Buffer.from(computer.computeTransactionHash(tx)).toString('hex'));
  });

  it('decodes an ESDT transfer from the data field and reports other data as unrecognized', async () => {
    const token = Buffer.from('USDC-c76f1f').toString('hex');
    const esdt = request(
      gatewayEgldPayload({
        nonce: 3,
        value: '0',
        sender: WALLET,
        receiver: DESTINATION,
        chainID: 'D',
        gasLimit: 500_000,
        data: `ESDTTransfer@${token}@0f4240`,
      }),
    );
    await expect(prepareTransaction(esdt.request)).resolves.toMatchObject({
      transfers: [{ asset: 'USDC-c76f1f', to: DESTINATION, amount: 1_000_000n }],
      unrecognized: null,
      nonce: 3n,
    });
    const call = request(
      tatumEgldPayload({ from: WALLET, to: DESTINATION, value: '1', data: 'stake@01', gasLimit: 60_000 }),
    );
    const prepared = await prepareMultiversXTransaction(call.request);
    expect(prepared.unrecognized).toMatch(/stake@01/);
    expect(prepared.transfers).toEqual([{ asset: 'native', to: DESTINATION, amount: 10n ** 18n }]);
  });

  it('refuses another network, a foreign sender and a fee above the cap', async () => {
    const mainnet = gatewayEgldPayload({
      nonce: 1,
      value: '1',
      sender: WALLET,
      receiver: DESTINATION,
      chainID: '1',
    });
    expect(await refusal(mainnet)).toMatchObject({ code: 'CHAIN_MISMATCH', field: 'chainID' });
    const foreign = tatumEgldPayload({ from: DESTINATION, to: WALLET, value: '1' });
    expect(await refusal(foreign)).toMatchObject({ code: 'SENDER_NOT_OURS', field: 'sender' });
    const costly = tatumEgldPayload({ from: WALLET, to: DESTINATION, value: '1', gasLimit: 600_000_000 });
    expect(await refusal(costly)).toMatchObject({ code: 'FEE_TOO_HIGH', field: 'gasLimit' });
  });

  it('refuses a message over 4,096 bytes, guardians, options, a signature and a missing nonce', async () => {
    const long = tatumEgldPayload({
      from: WALLET,
      to: DESTINATION,
      value: '1',
      data: 'x'.repeat(4000),
      gasLimit: 7_000_000,
    });
    expect(await refusal(long, { nonce: 1, maxFeeAtomic: 10n ** 18n })).toMatchObject({
      code: 'MALFORMED_TRANSACTION',
      field: 'data',
    });
    const base = { nonce: 1, value: '1', sender: WALLET, receiver: DESTINATION, chainID: 'D' };
    expect(await refusal(gatewayEgldPayload({ ...base, guardian: DESTINATION }))).toMatchObject({
      code: 'UNSUPPORTED_TRANSACTION',
      field: 'guardian',
    });
    expect(await refusal(gatewayEgldPayload({ ...base, version: 2, options: 2 }))).toMatchObject({
      code: 'UNSUPPORTED_TRANSACTION',
      field: 'options',
    });
    expect(await refusal(gatewayEgldPayload({ ...base, signature: 'ab'.repeat(64) }))).toMatchObject({
      code: 'ALREADY_SIGNED',
    });
    expect(await refusal(tatumEgldPayload({ from: WALLET, to: DESTINATION, value: '1' }), {})).toMatchObject({
      code: 'MISSING_INPUT_DATA',
      field: 'options.nonce',
    });
  });

  it('refuses malformed receivers, amounts and ESDT data', async () => {
    expect(
      await refusal(tatumEgldPayload({ from: WALLET, to: `${DESTINATION.slice(0, -1)}q`, value: '1' })),
    ).toMatchObject({ code: 'MALFORMED_TRANSACTION', field: 'receiver' });
    expect(
      await refusal(tatumEgldPayload({ from: WALLET, to: DESTINATION, value: '0.0000000000000000001' })),
    ).toMatchObject({ code: 'MALFORMED_TRANSACTION', field: 'value' });
    expect(await refusal(tatumEgldPayload({ from: WALLET, to: DESTINATION, value: '-1' }))).toMatchObject({
      code: 'MALFORMED_TRANSACTION',
      field: 'value',
    });
    expect(
      await refusal(
        tatumEgldPayload({ from: WALLET, to: DESTINATION, value: '1', data: 'ESDTTransfer@55534443@01' }),
      ),
    ).toMatchObject({ code: 'MALFORMED_TRANSACTION', field: 'data' });
    expect(
      await refusal(tatumEgldPayload({ from: WALLET, to: DESTINATION, value: '1', extra: 1 } as never)),
    ).toMatchObject({ code: 'MALFORMED_TRANSACTION', field: 'extra' });
  });
});
