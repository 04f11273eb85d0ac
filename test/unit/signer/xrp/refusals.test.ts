// Every refusal of the XRP signer: a SigningRefusedError naming the field, and ZERO signer calls.
import { describe, expect, it } from 'vitest';

import { deriveAddress } from '../../../../src/chains/index.js';
import { signTransaction } from '../../../../src/signer/index.js';
import { itRefusesEach, type RefusalCase } from '../../../support/refusal-cases.js';
import { fakeDigestSigner, testKey } from '../../../../scripts/fixtures/fake-digest-signer.js';

const KEY = testKey('xrp-wallet');
const OTHER = testKey('xrp-other');
const ACCOUNT = deriveAddress('XRP', 'mainnet', KEY.publicKey);
const DESTINATION = 'rJHMeqKu8Ep7Fazx8MQG6JunaafBXz93YQ';

const PAYMENT = {
  TransactionType: 'Payment',
  Account: ACCOUNT,
  Destination: DESTINATION,
  Amount: '1000000',
  Fee: '12',
  Sequence: 7,
  LastLedgerSequence: 1000,
};

const withFields = (extra: Record<string, unknown>): Record<string, unknown> => ({ ...PAYMENT, ...extra });
const without = (field: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(PAYMENT).filter(([key]) => key !== field));

const CASES: Record<string, RefusalCase> = {
  'not JSON': { unsigned: '{"TransactionType":', code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'an array': { unsigned: [], code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'TrustSet, not a Payment': {
    unsigned: withFields({ TransactionType: 'TrustSet' }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'TransactionType',
  },
  'already signed': {
    unsigned: withFields({ TxnSignature: '3045' }),
    code: 'ALREADY_SIGNED',
    field: 'TxnSignature',
  },
  'multi-signed': {
    unsigned: withFields({ Signers: [] }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'Signers',
  },
  'unknown field': { unsigned: withFields({ Foo: 1 }), code: 'UNSUPPORTED_TRANSACTION', field: 'Foo' },
  'cross-currency SendMax': {
    unsigned: withFields({ SendMax: '2000000' }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'SendMax',
  },
  'partial payment flag': {
    unsigned: withFields({ Flags: 0x0002_0000 }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'Flags',
  },
  'other flags': {
    unsigned: withFields({ Flags: 0x0001_0000 }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'Flags',
  },
  'NetworkID present': {
    unsigned: withFields({ NetworkID: 1 }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'NetworkID',
  },
  'issued-currency Amount': {
    unsigned: withFields({ Amount: { currency: 'USD', value: '1', issuer: DESTINATION } }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'Amount',
  },
  'Amount as a number': {
    unsigned: withFields({ Amount: 1000000 }),
    code: 'MALFORMED_TRANSACTION',
    field: 'Amount',
  },
  'Amount with leading zero': {
    unsigned: withFields({ Amount: '01000' }),
    code: 'MALFORMED_TRANSACTION',
    field: 'Amount',
  },
  'Amount zero': { unsigned: withFields({ Amount: '0' }), code: 'MALFORMED_TRANSACTION', field: 'Amount' },
  'Amount above all XRP': {
    unsigned: withFields({ Amount: '100000000000000001' }),
    code: 'MALFORMED_TRANSACTION',
    field: 'Amount',
  },
  'Fee missing': { unsigned: without('Fee'), code: 'MALFORMED_TRANSACTION', field: 'Fee' },
  'Fee above the default cap': {
    unsigned: withFields({ Fee: '100001' }),
    code: 'FEE_TOO_HIGH',
    field: 'Fee',
  },
  'Fee above options.maxFeeDrops': {
    unsigned: withFields({ Fee: '13' }),
    code: 'FEE_TOO_HIGH',
    field: 'Fee',
    options: { maxFeeDrops: 12 },
  },
  'Sequence missing': { unsigned: without('Sequence'), code: 'MISSING_INPUT_DATA', field: 'Sequence' },
  'Sequence negative': {
    unsigned: withFields({ Sequence: -1 }),
    code: 'MALFORMED_TRANSACTION',
    field: 'Sequence',
  },
  'LastLedgerSequence missing': {
    unsigned: without('LastLedgerSequence'),
    code: 'MISSING_INPUT_DATA',
    field: 'LastLedgerSequence',
  },
  'DestinationTag above uint32': {
    unsigned: withFields({ DestinationTag: 2 ** 32 }),
    code: 'MALFORMED_TRANSACTION',
    field: 'DestinationTag',
  },
  'Destination checksum broken': {
    unsigned: withFields({ Destination: 'rJHMeqKu8Ep7Fazx8MQG6JunaafBXz93YR' }),
    code: 'MALFORMED_TRANSACTION',
    field: 'Destination',
  },
  'Destination as an X-address': {
    unsigned: withFields({ Destination: 'X7AcgcsBL6XDcUb289X4mJ8djcdyKaB5hJDWMArnXr61cqZ' }),
    code: 'MALFORMED_TRANSACTION',
    field: 'Destination',
  },
  'payment to self': {
    unsigned: withFields({ Destination: ACCOUNT }),
    code: 'MALFORMED_TRANSACTION',
    field: 'Destination',
  },
  'Account is not the wallet': {
    unsigned: withFields({ Account: deriveAddress('XRP', 'mainnet', OTHER.publicKey) }),
    code: 'SENDER_NOT_OURS',
    field: 'Account',
  },
  'SigningPubKey of another key': {
    unsigned: withFields({ SigningPubKey: Buffer.from(OTHER.publicKey).toString('hex') }),
    code: 'SENDER_NOT_OURS',
    field: 'SigningPubKey',
  },
  'two wallets': {
    unsigned: PAYMENT,
    code: 'MISSING_INPUT_DATA',
    field: 'wallets',
    wallets: [KEY.wallet, OTHER.wallet],
  },
  'regtest network': { unsigned: PAYMENT, code: 'CHAIN_MISMATCH', field: 'network', network: 'regtest' },
};

describe('XRP refusals (no KMS call)', () => {
  itRefusesEach('XRP', [KEY, OTHER], CASES);

  it('BNB (Beacon Chain) is refused with the reason it is gone', async () => {
    const signer = fakeDigestSigner([KEY]);
    const attempt = signTransaction({
      chain: 'BNB' as 'XRP',
      network: 'mainnet',
      wallets: [KEY.wallet],
      signer,
      unsigned: PAYMENT,
    });
    await expect(attempt).rejects.toMatchObject({ code: 'CHAIN_MISMATCH', field: 'chain' });
    await expect(attempt).rejects.toThrow(/shut down in December 2024/);
    expect(signer.calls).toHaveLength(0);
  });
});

describe('prototype member names as fields', () => {
  // JSON.parse makes `__proto__` an own member; a lookup in a plain object would find Object.prototype.
  it.each(['__proto__', 'constructor', 'toString'])('%s is refused by name, with the reason', async (key) => {
    const unsigned = `{${JSON.stringify(key)}:{"polluted":true},${JSON.stringify(PAYMENT).slice(1)}`;
    const signer = fakeDigestSigner([KEY]);
    const refusal = signTransaction({
      chain: 'XRP',
      network: 'mainnet',
      wallets: [KEY.wallet],
      unsigned,
      signer,
    });
    await expect(refusal).rejects.toMatchObject({ code: 'UNSUPPORTED_TRANSACTION', field: key });
    await expect(refusal).rejects.toThrow(
      `${key}: is not a field this signer understands; refusing to ignore it`,
    );
    expect(signer.calls).toHaveLength(0);
  });
});
