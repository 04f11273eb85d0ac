// The Algorand signer with an in-process Ed25519 signer: Tatum's payload as algosdk 1.16 writes it, the
// exact bytes algosdk signs ("TX" ‖ msgpack), the signed transaction as algosdk 3 reads it back (signature
// checked with tweetnacl, algosdk's own Ed25519), and every refusal — all before any Sign call.
import { decodeAddress, decodeSignedTransaction, encodeAddress } from 'algosdk';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { countingMessageSigner, ed25519TestKey } from '../../../support/solana.js';
import {
  algoAddressJson,
  algoPayloadObject,
  tatumAlgoPayload,
  type AlgoPayloadSpec,
} from '../../../support/algorand.js';
import {
  ALGOSDK1_AXFER_JSON,
  ALGOSDK1_PAY_BYTES_TO_SIGN_HEX,
  ALGOSDK1_PAY_JSON,
} from '../../../vectors/algosdk1-tatum-payloads.js';
import {
  prepareAlgorandTransaction,
  signAlgorandTransaction,
} from '../../../../src/signer/algorand/index.js';
import { signTransaction } from '../../../../src/signer/index.js';
import { SigningRefusedError } from '../../../../src/signer/types.js';

const wallet = ed25519TestKey('algo-wallet');
const other = ed25519TestKey('algo-someone-else');
const walletAddress = encodeAddress(wallet.publicKey);
const destination = encodeAddress(ed25519TestKey('algo-destination').publicKey);

const spec = (overrides: Partial<AlgoPayloadSpec> = {}): AlgoPayloadSpec => ({
  from: walletAddress,
  to: destination,
  amount: 1_500_000,
  ...overrides,
});

function request(unsigned: string | object, overrides: Record<string, unknown> = {}) {
  const signer = countingMessageSigner([wallet, other]);
  return {
    signer,
    request: {
      chain: 'ALGO' as const,
      network: 'testnet' as const,
      wallets: [wallet.wallet],
      unsigned,
      signer,
      ...overrides,
    },
  };
}

const golden = JSON.parse(ALGOSDK1_PAY_JSON) as {
  from: { publicKey: Record<string, number> };
  to: { publicKey: Record<string, number> };
};
const goldenFrom = Uint8Array.from(Object.values(golden.from.publicKey));
const goldenTo = encodeAddress(Uint8Array.from(Object.values(golden.to.publicKey)));

describe("Tatum's ALGO payload (algosdk 1.16 JSON)", () => {
  it('re-encodes to the exact bytes algosdk 1.16 signs for that payload', async () => {
    const wallets = [{ keyId: 'k', publicKey: goldenFrom }];
    const prepared = await prepareAlgorandTransaction({ ...request(ALGOSDK1_PAY_JSON).request, wallets });
    expect(prepared.digests[0]!.digest).toBe(ALGOSDK1_PAY_BYTES_TO_SIGN_HEX);
    expect(prepared).toMatchObject({
      transfers: [{ asset: 'native', to: goldenTo, amount: 1_500_000n, memo: 'hi' }],
      fee: 1000n,
      nonce: null,
    });
  });

  it('the test builder writes the same JSON as algosdk 1.16 (pay and axfer)', () => {
    const base = { from: encodeAddress(goldenFrom), to: goldenTo };
    expect(algoPayloadObject({ ...base, amount: 1_500_000, note: 'hi' })).toEqual(
      JSON.parse(ALGOSDK1_PAY_JSON),
    );
    expect(algoPayloadObject({ ...base, amount: 5, assetIndex: 31566704 })).toEqual(
      JSON.parse(ALGOSDK1_AXFER_JSON),
    );
  });
});

describe('prepareAlgorandTransaction / signAlgorandTransaction', () => {
  it('signs "TX" ‖ msgpack once; algosdk decodes the signed transaction to the same fields and its signature verifies', async () => {
    const { signer, request: req } = request(tatumAlgoPayload(spec({ note: 'invoice 7' })));
    const prepared = await prepareAlgorandTransaction(req);
    expect(signer.calls).toHaveLength(0);
    const signed = await prepared.sign(signer);
    expect(signer.calls).toHaveLength(1);

    const decoded = decodeSignedTransaction(Buffer.from(signed.signed, 'hex'));
    const message = decoded.txn.bytesToSign();
    expect(Buffer.from(signer.calls[0]!.message)).toEqual(Buffer.from(message));
    expect(Buffer.from(message.subarray(0, 2)).toString()).toBe('TX');
    expect(nacl.sign.detached.verify(message, decoded.sig!, decodeAddress(walletAddress).publicKey)).toBe(
      true,
    );
    const { txn } = decoded;
    expect([txn.type, txn.sender.toString(), txn.payment?.receiver.toString(), txn.payment?.amount]).toEqual([
      'pay',
      walletAddress,
      destination,
      1_500_000n,
    ]);
    expect([txn.fee, txn.firstValid, txn.lastValid, txn.genesisID]).toEqual([
      1000n,
      1000n,
      2000n,
      'testnet-v1.0',
    ]);
    expect(Buffer.from(txn.genesisHash!).toString('base64')).toBe(
      'SGO1GKSzyE7IEPItTxCByw9x8FmnrCDexi9/cOUJOiI=',
    );
    expect(Buffer.from(txn.note).toString()).toBe('invoice 7');
    expect([txn.rekeyTo, txn.payment?.closeRemainderTo, decoded.sgnr]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(signed.txId).toBe(txn.txID());
    expect(prepared.transfers).toEqual([
      { asset: 'native', to: destination, amount: 1_500_000n, memo: 'invoice 7' },
    ]);
  });

  it('signs an ASA transfer (axfer) and reports the asset id', async () => {
    const { signer, request: req } = request(tatumAlgoPayload(spec({ amount: 25, assetIndex: 10458941 })));
    const prepared = await prepareAlgorandTransaction(req);
    expect(prepared.transfers).toEqual([{ asset: '10458941', to: destination, amount: 25n }]);
    const decoded = decodeSignedTransaction(Buffer.from((await prepared.sign(signer)).signed, 'hex'));
    expect([
      decoded.txn.type,
      decoded.txn.assetTransfer?.assetIndex,
      decoded.txn.assetTransfer?.amount,
    ]).toEqual(['axfer', 10458941n, 25n]);
    expect(nacl.sign.detached.verify(decoded.txn.bytesToSign(), decoded.sig!, wallet.publicKey)).toBe(true);
  });

  it('is reached through signTransaction for ALGO', async () => {
    const { signer, request: req } = request(tatumAlgoPayload(spec()));
    const signed = await signTransaction({
      ...req,
      signer: Object.assign(signer, { signDigest: () => Promise.reject(new Error('no')) }),
    });
    expect(signed.chain).toBe('ALGO');
    expect(signer.calls).toHaveLength(1);
  });
});

const someAddress = algoAddressJson(destination);
const badChecksum = { ...algoAddressJson(walletAddress), checksum: { 0: 1, 1: 2, 2: 3, 3: 4 } };
const cases: [string, Record<string, unknown>, string, string][] = [
  [
    'a foreign sender',
    { unsigned: tatumAlgoPayload(spec({ from: encodeAddress(other.publicKey) })) },
    'SENDER_NOT_OURS',
    'from',
  ],
  [
    'the MainNet genesis id on TestNet',
    { unsigned: tatumAlgoPayload(spec({ genesisID: 'mainnet-v1.0' })) },
    'CHAIN_MISMATCH',
    'genesisID',
  ],
  [
    'the MainNet genesis hash on TestNet',
    { unsigned: tatumAlgoPayload(spec({ genesisHash: 'wGHE2Pwdvd7S12BL5FaOP20EGYesN73ktiC1qzkkit8=' })) },
    'CHAIN_MISMATCH',
    'genesisHash',
  ],
  ['a TestNet payload for a MainNet wallet', { network: 'mainnet' }, 'CHAIN_MISMATCH', 'genesisID'],
  ['a fee above the cap', { unsigned: tatumAlgoPayload(spec({ fee: 100_001 })) }, 'FEE_TOO_HIGH', 'fee'],
  [
    'rekey-to',
    { unsigned: tatumAlgoPayload(spec({ extra: { reKeyTo: someAddress } })) },
    'UNSUPPORTED_TRANSACTION',
    'reKeyTo',
  ],
  [
    'close-remainder-to',
    { unsigned: tatumAlgoPayload(spec({ extra: { closeRemainderTo: someAddress } })) },
    'UNSUPPORTED_TRANSACTION',
    'closeRemainderTo',
  ],
  [
    'asset close-to',
    { unsigned: tatumAlgoPayload(spec({ assetIndex: 1, extra: { closeRemainderTo: someAddress } })) },
    'UNSUPPORTED_TRANSACTION',
    'closeRemainderTo',
  ],
  [
    'clawback',
    { unsigned: tatumAlgoPayload(spec({ assetIndex: 1, extra: { assetRevocationTarget: someAddress } })) },
    'UNSUPPORTED_TRANSACTION',
    'assetRevocationTarget',
  ],
  [
    'a group member',
    { unsigned: tatumAlgoPayload(spec({ extra: { group: { 0: 1 } } })) },
    'UNSUPPORTED_TRANSACTION',
    'group',
  ],
  [
    'an application call',
    { unsigned: tatumAlgoPayload(spec({ extra: { type: 'appl' } })) },
    'UNSUPPORTED_TRANSACTION',
    'type',
  ],
  [
    'asset configuration',
    { unsigned: tatumAlgoPayload(spec({ extra: { type: 'acfg' } })) },
    'UNSUPPORTED_TRANSACTION',
    'type',
  ],
  [
    'an unknown field',
    { unsigned: tatumAlgoPayload(spec({ extra: { assetManager: someAddress } })) },
    'MALFORMED_TRANSACTION',
    'assetManager',
  ],
  [
    'a lease',
    { unsigned: tatumAlgoPayload(spec({ extra: { lease: { 0: 7 } } })) },
    'UNSUPPORTED_TRANSACTION',
    'lease',
  ],
  [
    'application arguments',
    { unsigned: tatumAlgoPayload(spec({ extra: { appArgs: [{ 0: 1 }] } })) },
    'UNSUPPORTED_TRANSACTION',
    'appArgs',
  ],
  [
    'a zero amount (opt-in)',
    { unsigned: tatumAlgoPayload(spec({ amount: 0 })) },
    'MALFORMED_TRANSACTION',
    'amount',
  ],
  [
    'an amount beyond exact JSON integers',
    { unsigned: tatumAlgoPayload(spec({ amount: 2 ** 53 + 2 })) },
    'MALFORMED_TRANSACTION',
    'amount',
  ],
  [
    'validity over 1,000 rounds',
    { unsigned: tatumAlgoPayload(spec({ firstRound: 10, lastRound: 1011 })) },
    'MALFORMED_TRANSACTION',
    'lastRound',
  ],
  [
    'a note over 1,024 bytes',
    { unsigned: tatumAlgoPayload(spec({ note: 'x'.repeat(1025) })) },
    'MALFORMED_TRANSACTION',
    'note',
  ],
  [
    'an address with a bad checksum',
    { unsigned: tatumAlgoPayload(spec({ extra: { from: badChecksum } })) },
    'MALFORMED_TRANSACTION',
    'from',
  ],
  [
    'msgpack instead of JSON',
    { unsigned: '89a3616d74ce0016e360' },
    'MALFORMED_TRANSACTION',
    'serializedTransaction',
  ],
  ['the regtest network', { network: 'regtest' }, 'CHAIN_MISMATCH', 'network'],
  ['two wallets', { wallets: [wallet.wallet, other.wallet] }, 'INVALID_REQUEST', 'wallets'],
];

describe('refusals (no Sign call)', () => {
  it.each(cases)('refuses %s', async (_label, overrides, code, field) => {
    const base = request(tatumAlgoPayload(spec()));
    const error = await signAlgorandTransaction({ ...base.request, ...overrides }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigningRefusedError);
    expect(error).toMatchObject({ code, field });
    expect(base.signer.calls).toHaveLength(0);
  });
});
