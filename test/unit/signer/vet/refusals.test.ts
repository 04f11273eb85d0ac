// Every refusal of the VET signer: a SigningRefusedError naming the field, and ZERO signer calls.
import { describe } from 'vitest';

import { deriveAddress } from '../../../../src/chains/index.js';
import { itRefusesEach, type RefusalCase } from '../../../support/refusal-cases.js';
import { testKey } from '../../../../scripts/fixtures/fake-digest-signer.js';

const KEY = testKey('vet-wallet');
const OTHER = testKey('vet-other');
const TO = '0x7567d83b7b8d80addcb281a71d54fc7b3364ffed';

const PAYLOAD = { from: 0, to: TO, value: '1000', gas: 21000, blockRef: '0x00000001aabbccdd' };

const withFields = (extra: Record<string, unknown>): Record<string, unknown> => ({ ...PAYLOAD, ...extra });
const without = (field: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(PAYLOAD).filter(([key]) => key !== field));

const CASES: Record<string, RefusalCase> = {
  'not JSON': { unsigned: '{"to":', code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'an array': { unsigned: [], code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'testnet chain tag on mainnet': {
    unsigned: withFields({ chainTag: 0x27 }),
    code: 'CHAIN_MISMATCH',
    field: 'chainTag',
  },
  'mainnet chain tag on testnet': {
    unsigned: withFields({ chainTag: 0x4a }),
    code: 'CHAIN_MISMATCH',
    field: 'chainTag',
    network: 'testnet',
  },
  'chain tag above a byte': {
    unsigned: withFields({ chainTag: 256 }),
    code: 'MALFORMED_TRANSACTION',
    field: 'chainTag',
  },
  'multiple clauses': {
    unsigned: withFields({
      clauses: [
        { to: TO, value: '1', data: '0x' },
        { to: TO, value: '2', data: '0x' },
      ],
    }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'clauses',
  },
  'fee delegation (reserved.features)': {
    unsigned: withFields({ reserved: { features: 1 } }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'reserved',
  },
  'fee delegation (delegator)': {
    unsigned: withFields({ delegator: TO }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'delegator',
  },
  'dynamic-fee transaction': {
    unsigned: withFields({ maxFeePerGas: '1000' }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'maxFeePerGas',
  },
  'gasPrice instead of gasPriceCoef': {
    unsigned: withFields({ gasPrice: '1000000000' }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'gasPrice',
  },
  'already signed': {
    unsigned: withFields({ signature: '0x00' }),
    code: 'ALREADY_SIGNED',
    field: 'signature',
  },
  'unknown field': { unsigned: withFields({ foo: 1 }), code: 'UNSUPPORTED_TRANSACTION', field: 'foo' },
  'contract creation (no to)': { unsigned: without('to'), code: 'UNSUPPORTED_TRANSACTION', field: 'to' },
  'bad destination checksum': {
    unsigned: withFields({ to: '0x7567D83b7b8d80addcb281a71d54fc7b3364ffed' }),
    code: 'MALFORMED_TRANSACTION',
    field: 'to',
  },
  'negative value': { unsigned: withFields({ value: '-1' }), code: 'MALFORMED_TRANSACTION', field: 'value' },
  'fractional value': { unsigned: withFields({ value: 1.5 }), code: 'MALFORMED_TRANSACTION', field: 'value' },
  'data not hex': {
    unsigned: withFields({ data: 'transfer' }),
    code: 'MALFORMED_TRANSACTION',
    field: 'data',
  },
  'missing blockRef': { unsigned: without('blockRef'), code: 'MISSING_INPUT_DATA', field: 'blockRef' },
  'short blockRef': {
    unsigned: withFields({ blockRef: '0xaabbccdd' }),
    code: 'MALFORMED_TRANSACTION',
    field: 'blockRef',
  },
  'missing gas': { unsigned: without('gas'), code: 'MISSING_INPUT_DATA', field: 'gas' },
  'gas below intrinsic': {
    unsigned: withFields({ gas: 20999 }),
    code: 'MALFORMED_TRANSACTION',
    field: 'gas',
  },
  'gas above any block': {
    unsigned: withFields({ gas: 50_000_000 }),
    code: 'MALFORMED_TRANSACTION',
    field: 'gas',
  },
  'fee above the default cap': {
    unsigned: withFields({ gas: 1_000_000, gasPriceCoef: 255 }),
    code: 'FEE_TOO_HIGH',
    field: 'gas',
  },
  'fee above options.maxFeeWei': {
    unsigned: PAYLOAD,
    code: 'FEE_TOO_HIGH',
    field: 'gas',
    options: { maxFeeWei: '100000000000000000' },
  },
  'bad options.maxFeeWei': {
    unsigned: PAYLOAD,
    code: 'INVALID_REQUEST',
    field: 'options.maxFeeWei',
    options: { maxFeeWei: -1 },
  },
  'gasPriceCoef above 255': {
    unsigned: withFields({ gasPriceCoef: 256 }),
    code: 'MALFORMED_TRANSACTION',
    field: 'gasPriceCoef',
  },
  'expiration 0': {
    unsigned: withFields({ expiration: 0 }),
    code: 'MALFORMED_TRANSACTION',
    field: 'expiration',
  },
  'expiration over a day': {
    unsigned: withFields({ expiration: 10_000 }),
    code: 'MALFORMED_TRANSACTION',
    field: 'expiration',
  },
  'nonce above uint64': {
    unsigned: withFields({ nonce: '0x10000000000000000' }),
    code: 'MALFORMED_TRANSACTION',
    field: 'nonce',
  },
  dependsOn: {
    unsigned: withFields({ dependsOn: `0x${'11'.repeat(32)}` }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'dependsOn',
  },
  'from is another address': {
    unsigned: withFields({ from: deriveAddress('VET', 'mainnet', OTHER.publicKey) }),
    code: 'SENDER_NOT_OURS',
    field: 'from',
  },
  'from is another wallet index': {
    unsigned: withFields({ from: 1 }),
    code: 'MALFORMED_TRANSACTION',
    field: 'from',
  },
  'two wallets': {
    unsigned: PAYLOAD,
    code: 'MISSING_INPUT_DATA',
    field: 'wallets',
    wallets: [KEY.wallet, OTHER.wallet],
  },
  'bad wallet public key': {
    unsigned: PAYLOAD,
    code: 'MISSING_INPUT_DATA',
    field: 'wallets[0].publicKey',
    wallets: [{ keyId: KEY.keyId, publicKey: new Uint8Array(33) }],
  },
};

describe('VET refusals (no KMS call)', () => {
  itRefusesEach('VET', [KEY, OTHER], CASES);
});
