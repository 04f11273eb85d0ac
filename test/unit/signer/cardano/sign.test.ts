// The ADA signer with an in-process Ed25519 signer: what it prepares (transfers, fee, the body hash), the
// signed transaction as the SDK decodes it, and every refusal — all before any Sign call.
import {
  Address,
  AuxiliaryDataHash,
  BigNum,
  Certificate,
  Certificates,
  Credential,
  Ed25519KeyHash,
  FixedTransaction,
  Mint,
  MintAssets,
  AssetName,
  ScriptHash,
  StakeRegistration,
  Int,
  RewardAddress,
  Withdrawals,
  NetworkId,
} from '@emurgo/cardano-serialization-lib-nodejs';
import { blake2b } from '@noble/hashes/blake2.js';
import { describe, expect, it } from 'vitest';
import { deriveAddress } from '../../../../src/chains/index.js';
import { prepareCardanoTransaction, signCardanoTransaction } from '../../../../src/signer/cardano/index.js';
import { prepareTransaction } from '../../../../src/signer/index.js';
import { adaBodyHex, unsignedAdaTransactionHex, type AdaBodySpec } from '../../../support/cardano.js';
import { ed25519UnitSetup } from '../../../support/ed25519-unit.js';

const {
  wallet,
  other,
  walletAddress: WALLET,
  destination: DESTINATION,
  request,
  refusal,
} = ed25519UnitSetup('ADA', 'ada', signCardanoTransaction);
const MAINNET_DESTINATION = deriveAddress('ADA', 'mainnet', other.publicKey);
const POLICY = 'ab'.repeat(28);

function payment(overrides: Partial<AdaBodySpec> = {}): AdaBodySpec {
  return {
    outputs: [
      { address: DESTINATION, lovelace: 5_000_000n },
      { address: WALLET, lovelace: 94_820_000n },
    ],
    fee: 180_000n,
    ...overrides,
  };
}

describe('prepareCardanoTransaction / signCardanoTransaction', () => {
  it('prepares the payment (change excluded), the fee and the body hash, then signs it once', async () => {
    const bodyHex = adaBodyHex(payment());
    const { signer, request: req } = request(bodyHex);
    const prepared = await prepareCardanoTransaction(req);
    const hash = Buffer.from(blake2b(Buffer.from(bodyHex, 'hex'), { dkLen: 32 })).toString('hex');
    expect(prepared).toMatchObject({
      chain: 'ADA',
      transfers: [{ asset: 'native', to: DESTINATION, amount: 5_000_000n }],
      unrecognized: null,
      fee: 180_000n,
      nonce: null,
      digests: [{ keyId: wallet.keyId, digest: hash, inputIndex: 0 }],
    });
    const signed = await prepared.sign(signer);
    expect(signer.calls.map((c) => Buffer.from(c.message).toString('hex'))).toEqual([hash]);
    expect(signed.txId).toBe(hash);

    // The SDK decodes the signed transaction: same body bytes, its own hash, one witness that verifies.
    const tx = FixedTransaction.from_hex(signed.signed);
    expect(Buffer.from(tx.raw_body()).toString('hex')).toBe(bodyHex);
    const sdkHash = tx.transaction_hash();
    expect(sdkHash.to_hex()).toBe(hash);
    const witness = tx.witness_set().vkeys()?.get(0);
    expect(tx.witness_set().vkeys()?.len()).toBe(1);
    expect(witness?.vkey().public_key().verify(sdkHash.to_bytes(), witness.signature())).toBe(true);
    expect(
      witness
        ?.vkey()
        .public_key()
        .verify(blake2b(Buffer.from('other'), { dkLen: 32 }), witness.signature()),
    ).toBe(false);
    expect(Address.from_bech32(WALLET).to_bech32()).toBe(WALLET);
  });

  it('accepts the whole unsigned transaction and reports native tokens as policy.assetName', async () => {
    const asset = `${POLICY}.${Buffer.from('USDM').toString('hex')}`;
    const bodyHex = adaBodyHex(
      payment({ outputs: [{ address: DESTINATION, lovelace: 1_500_000n, assets: { [asset]: 42n } }] }),
    );
    const { request: req } = request(unsignedAdaTransactionHex(bodyHex));
    const prepared = await prepareTransaction(req);
    expect(prepared.transfers).toEqual([
      { asset: 'native', to: DESTINATION, amount: 1_500_000n },
      { asset, to: DESTINATION, amount: 42n },
    ]);
    expect(prepared.digests[0]?.digest).toBe(
      Buffer.from(blake2b(Buffer.from(bodyHex, 'hex'), { dkLen: 32 })).toString('hex'),
    );
  });

  it('refuses an output on the other network and a body for the other network id (CHAIN_MISMATCH)', async () => {
    const mainnetOutput = await refusal(
      adaBodyHex(payment({ outputs: [{ address: MAINNET_DESTINATION, lovelace: 2_000_000n }] })),
    );
    expect(mainnetOutput).toMatchObject({ code: 'MALFORMED_TRANSACTION', field: 'body.outputs[0].address' });
    const mainnetBody = await refusal(
      adaBodyHex(
        payment({
          mutate: (b) => {
            b.set_network_id(NetworkId.mainnet());
          },
        }),
      ),
    );
    expect(mainnetBody).toMatchObject({ code: 'CHAIN_MISMATCH', field: 'body.networkId' });
  });

  it('refuses a fee above the cap, and honours a raised cap', async () => {
    const bodyHex = adaBodyHex(payment({ fee: 2_500_000n }));
    expect(await refusal(bodyHex)).toMatchObject({ code: 'FEE_TOO_HIGH', field: 'body.fee' });
    const { request: req } = request(bodyHex, { maxFeeLovelace: 3_000_000 });
    await expect(prepareCardanoTransaction(req)).resolves.toMatchObject({ fee: 2_500_000n });
  });

  it('refuses certificates, withdrawals, minting and metadata (UNSUPPORTED_TRANSACTION)', async () => {
    const keyHash = Ed25519KeyHash.from_bytes(new Uint8Array(28).fill(1));
    const certs = Certificates.new();
    certs.add(Certificate.new_stake_registration(StakeRegistration.new(Credential.from_keyhash(keyHash))));
    const withdrawals = Withdrawals.new();
    withdrawals.insert(RewardAddress.new(0, Credential.from_keyhash(keyHash)), BigNum.from_str('1000'));
    const mintAssets = MintAssets.new();
    mintAssets.insert(AssetName.new(Buffer.from('X')), Int.new_i32(1));
    const mint = Mint.new_from_entry(ScriptHash.from_hex(POLICY), mintAssets);
    const cases: [string, AdaBodySpec['mutate']][] = [
      [
        'body.certs',
        (b) => {
          b.set_certs(certs);
        },
      ],
      [
        'body.withdrawals',
        (b) => {
          b.set_withdrawals(withdrawals);
        },
      ],
      [
        'body.mint',
        (b) => {
          b.set_mint(mint);
        },
      ],
      [
        'body.auxiliaryDataHash',
        (b) => {
          b.set_auxiliary_data_hash(AuxiliaryDataHash.from_bytes(new Uint8Array(32)));
        },
      ],
    ];
    for (const [field, mutate] of cases) {
      expect(await refusal(adaBodyHex(payment({ mutate })))).toMatchObject({
        code: 'UNSUPPORTED_TRANSACTION',
        field,
      });
    }
  });

  it('refuses malformed Rosetta operations, JSON objects, trailing bytes, signed transactions and oversized payloads', async () => {
    const rosetta = JSON.stringify([{ operation_identifier: { index: 0 }, type: 'input' }]);
    expect(await refusal(rosetta)).toMatchObject({ code: 'UNSUPPORTED_TRANSACTION' });
    expect(await refusal('{"txData":"00"}')).toMatchObject({
      code: 'UNSUPPORTED_TRANSACTION',
      field: 'serializedTransaction',
    });
    expect(await refusal(`${adaBodyHex(payment())}00`)).toMatchObject({
      code: 'MALFORMED_TRANSACTION',
      field: 'serializedTransaction',
    });
    expect(await refusal('zz')).toMatchObject({ code: 'MALFORMED_TRANSACTION' });
    expect(await refusal('ab'.repeat(16_385))).toMatchObject({
      code: 'MALFORMED_TRANSACTION',
      field: 'serializedTransaction',
    });
    const { signer, request: req } = request(adaBodyHex(payment()));
    const signed = await signCardanoTransaction(req);
    expect(signer.calls).toHaveLength(1);
    expect(await refusal(signed.signed)).toMatchObject({ code: 'ALREADY_SIGNED' });
  });

  it('refuses a foreign chain, a second wallet and a secp256k1 key', async () => {
    const { signer, request: req } = request(adaBodyHex(payment()));
    await expect(prepareCardanoTransaction({ ...req, chain: 'SOL' })).rejects.toMatchObject({
      code: 'CHAIN_MISMATCH',
    });
    await expect(
      prepareCardanoTransaction({ ...req, wallets: [wallet.wallet, other.wallet] }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'wallets' });
    await expect(
      prepareCardanoTransaction({ ...req, wallets: [{ keyId: 'k', publicKey: new Uint8Array(33).fill(2) }] }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'wallets[0].publicKey' });
    expect(signer.calls).toHaveLength(0);
  });
});
