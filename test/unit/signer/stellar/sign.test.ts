// The Stellar signer with an in-process Ed25519 signer: what it prepares from Tatum's envelope (transfers,
// fee, sequence, the transaction hash), the signed envelope as stellar-base reads it back, and every
// refusal — all before any Sign call.
import { FeeBumpTransaction, TransactionBuilder, xdr } from '@stellar/stellar-base';
import { describe, expect, it } from 'vitest';
import { ed25519TestKey, countingMessageSigner } from '../../../support/solana.js';
import {
  Asset,
  Keypair,
  Memo,
  Networks,
  Operation,
  randomStellarAddress,
  tatumXlmPayload,
  xlmPayment,
  XLM_TESTNET,
  type XlmPayloadSpec,
} from '../../../support/stellar.js';
import { prepareStellarTransaction, signStellarTransaction } from '../../../../src/signer/stellar/index.js';
import { signTransaction } from '../../../../src/signer/index.js';
import { SigningRefusedError } from '../../../../src/signer/types.js';

const wallet = ed25519TestKey('xlm-wallet');
const other = ed25519TestKey('xlm-someone-else');
const walletAddress = Keypair.fromRawEd25519Seed(Buffer.from(wallet.seed)).publicKey();
const otherAddress = Keypair.fromRawEd25519Seed(Buffer.from(other.seed)).publicKey();
const destination = randomStellarAddress();
const issuer = randomStellarAddress();

const payload = (spec: Partial<XlmPayloadSpec> = {}) =>
  tatumXlmPayload({
    source: walletAddress,
    operations: [xlmPayment(destination, '1.5')],
    timeoutSeconds: 300,
    ...spec,
  });

function request(unsigned: string | object, overrides: Record<string, unknown> = {}) {
  const signer = countingMessageSigner([wallet, other]);
  return {
    signer,
    request: {
      chain: 'XLM' as const,
      network: 'testnet' as const,
      wallets: [wallet.wallet],
      unsigned,
      signer,
      ...overrides,
    },
  };
}

describe('prepareStellarTransaction / signStellarTransaction', () => {
  it('prepares transfer, fee, sequence and the hash stellar-base computes; the signature verifies in stellar-base', async () => {
    const unsigned = payload({ memo: Memo.text('deposit 42') });
    const { signer, request: req } = request(unsigned);
    const prepared = await prepareStellarTransaction(req);
    const sdkTx = TransactionBuilder.fromXDR(unsigned, XLM_TESTNET);
    expect(prepared).toMatchObject({
      chain: 'XLM',
      network: 'testnet',
      transfers: [{ asset: 'native', to: destination, amount: 15_000_000n, memo: 'deposit 42' }],
      fee: 100n,
      nonce: 1001n,
      unrecognized: null,
    });
    expect(prepared.digests[0]!.digest).toBe(sdkTx.hash().toString('hex'));
    expect(signer.calls).toHaveLength(0);

    const signed = await prepared.sign(signer);
    expect(signer.calls).toHaveLength(1);
    expect(Buffer.from(signer.calls[0]!.message).toString('hex')).toBe(sdkTx.hash().toString('hex'));
    const back = TransactionBuilder.fromXDR(signed.signed, XLM_TESTNET);
    if (back instanceof FeeBumpTransaction) throw new Error('not a fee bump');
    expect(back.signatures).toHaveLength(1);
    expect(Keypair.fromPublicKey(walletAddress).verify(back.hash(), back.signatures[0]!.signature())).toBe(
      true,
    );
    expect(back.signatures[0]!.hint()).toEqual(Keypair.fromPublicKey(walletAddress).signatureHint());
    expect(signed.txId).toBe(back.hash().toString('hex'));
    expect([back.source, back.fee, back.sequence, back.operations, back.memo.value?.toString()]).toEqual([
      walletAddress,
      '100',
      '1001',
      sdkTx.operations,
      'deposit 42',
    ]);
  });

  it('reads credit-asset payments as CODE:ISSUER, createAccount as native, id memos in decimal', async () => {
    const unsigned = payload({
      memo: Memo.id('18446744073709551615'),
      operations: [
        xlmPayment(destination, '0.0000001', new Asset('USDC', issuer)),
        Operation.createAccount({ destination, startingBalance: '2' }),
      ],
    });
    const prepared = await prepareStellarTransaction(request(unsigned).request);
    expect(prepared.transfers).toEqual([
      { asset: `USDC:${issuer}`, to: destination, amount: 1n, memo: '18446744073709551615' },
      { asset: 'native', to: destination, amount: 20_000_000n, memo: '18446744073709551615' },
    ]);
    expect(prepared.fee).toBe(200n);
  });

  it('binds the network: a testnet signature does not verify under the public passphrase', async () => {
    const unsigned = payload();
    const { signer, request: req } = request(unsigned);
    const signed = await signStellarTransaction(req);
    expect(signer.calls).toHaveLength(1);
    const asPublic = TransactionBuilder.fromXDR(signed.signed, Networks.PUBLIC);
    const key = Keypair.fromPublicKey(walletAddress);
    expect(key.verify(asPublic.hash(), asPublic.signatures[0]!.signature())).toBe(false);
    const mainnet = await prepareStellarTransaction({ ...req, network: 'mainnet' });
    expect(mainnet.digests[0]!.digest).toBe(asPublic.hash().toString('hex'));
  });

  it('is reached through signTransaction for XLM', async () => {
    const { signer, request: req } = request(payload());
    const signed = await signTransaction({
      ...req,
      signer: Object.assign(signer, { signDigest: () => Promise.reject(new Error('no')) }),
    });
    expect(signed.chain).toBe('XLM');
    expect(signer.calls).toHaveLength(1);
  });
});

function signedEnvelope(): string {
  const tx = TransactionBuilder.fromXDR(payload(), XLM_TESTNET);
  tx.sign(Keypair.fromRawEd25519Seed(Buffer.from(wallet.seed)));
  return tx.toEnvelope().toXDR('base64');
}

function feeBump(): string {
  const inner = TransactionBuilder.fromXDR(signedEnvelope(), XLM_TESTNET);
  if (inner instanceof FeeBumpTransaction) throw new Error('unexpected');
  return TransactionBuilder.buildFeeBumpTransaction(walletAddress, '200', inner, XLM_TESTNET)
    .toEnvelope()
    .toXDR('base64');
}

const trailing = () => Buffer.concat([Buffer.from(payload(), 'base64'), Buffer.alloc(4)]).toString('base64');
const muxed = 'MA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJUAAAAAAAAAAAACJUQ';

const cases: [string, () => Record<string, unknown>, string, string][] = [
  [
    'a foreign source account',
    () => ({ unsigned: payload({ source: otherAddress }) }),
    'SENDER_NOT_OURS',
    'sourceAccount',
  ],
  [
    'an operation with a foreign source',
    () => ({
      unsigned: payload({
        operations: [
          Operation.payment({ destination, asset: Asset.native(), amount: '1', source: otherAddress }),
        ],
      }),
    }),
    'SENDER_NOT_OURS',
    'operations[0].source',
  ],
  ['a fee above the cap', () => ({ unsigned: payload({ fee: '100001' }) }), 'FEE_TOO_HIGH', 'fee'],
  [
    'changeTrust',
    () => ({
      unsigned: payload({ operations: [Operation.changeTrust({ asset: new Asset('USDC', issuer) })] }),
    }),
    'UNSUPPORTED_TRANSACTION',
    'operations[0].type',
  ],
  [
    'accountMerge',
    () => ({ unsigned: payload({ operations: [Operation.accountMerge({ destination })] }) }),
    'UNSUPPORTED_TRANSACTION',
    'operations[0].type',
  ],
  [
    'a muxed destination',
    () => ({ unsigned: payload({ operations: [xlmPayment(muxed, '1')] }) }),
    'UNSUPPORTED_TRANSACTION',
    'operations[0].destination',
  ],
  [
    'no expiry (setTimeout(0))',
    () => ({ unsigned: payload({ timeoutSeconds: 0 }) }),
    'UNSUPPORTED_TRANSACTION',
    'timeBounds.maxTime',
  ],
  [
    'an expired transaction',
    () => ({ nowSeconds: Math.floor(Date.now() / 1000) + 301 }),
    'EXPIRED',
    'timeBounds.maxTime',
  ],
  [
    'an already signed envelope',
    () => ({ unsigned: signedEnvelope() }),
    'ALREADY_SIGNED',
    'serializedTransaction.signatures',
  ],
  [
    'a fee-bump envelope',
    () => ({ unsigned: feeBump() }),
    'UNSUPPORTED_TRANSACTION',
    'serializedTransaction',
  ],
  ['trailing bytes', () => ({ unsigned: trailing() }), 'MALFORMED_TRANSACTION', 'serializedTransaction'],
  ['not base64', () => ({ unsigned: 'not xdr!' }), 'MALFORMED_TRANSACTION', 'serializedTransaction'],
  [
    'a JSON object',
    () => ({ unsigned: { tx: payload() } }),
    'MALFORMED_TRANSACTION',
    'serializedTransaction',
  ],
  [
    'an envelope over 4,096 bytes',
    () => ({
      unsigned: payload({ operations: Array.from({ length: 80 }, () => xlmPayment(destination, '1')) }),
    }),
    'MALFORMED_TRANSACTION',
    'serializedTransaction',
  ],
  ['the regtest network', () => ({ network: 'regtest' }), 'CHAIN_MISMATCH', 'network'],
  ['another chain', () => ({ chain: 'SOL' }), 'CHAIN_MISMATCH', 'chain'],
  ['two wallets', () => ({ wallets: [wallet.wallet, other.wallet] }), 'INVALID_REQUEST', 'wallets'],
  [
    'a secp256k1 wallet key',
    () => ({
      wallets: [{ keyId: 'k', publicKey: Uint8Array.from(Buffer.from('02' + '11'.repeat(32), 'hex')) }],
    }),
    'INVALID_REQUEST',
    'wallets[0].publicKey',
  ],
];

describe('refusals (no Sign call)', () => {
  it.each(cases)('refuses %s', async (_label, overrides, code, field) => {
    const base = request(payload());
    const error = await signStellarTransaction({ ...base.request, ...overrides() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigningRefusedError);
    expect(error).toMatchObject({ code, field });
    expect(base.signer.calls).toHaveLength(0);
  });

  it('refuses Soroban transaction data (ext v1)', async () => {
    const envelope = xdr.TransactionEnvelope.fromXDR(payload(), 'base64');
    const data = new xdr.SorobanTransactionData({
      ext: new xdr.SorobanTransactionDataExt(0),
      resources: new xdr.SorobanResources({
        footprint: new xdr.LedgerFootprint({ readOnly: [], readWrite: [] }),
        instructions: 0,
        diskReadBytes: 0,
        writeBytes: 0,
      }),
      resourceFee: new xdr.Int64(0),
    });
    envelope.v1().tx().ext(new xdr.TransactionExt(1, data));
    const base = request(envelope.toXDR('base64'));
    await expect(signStellarTransaction(base.request)).rejects.toMatchObject({
      code: 'UNSUPPORTED_TRANSACTION',
      field: 'ext',
    });
    expect(base.signer.calls).toHaveLength(0);
  });
});
