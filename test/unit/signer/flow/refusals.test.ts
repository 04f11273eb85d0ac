// Every refusal of the FLOW signer: a SigningRefusedError naming the field, and ZERO signer calls.
import { describe } from 'vitest';

import { itRefusesEach, type RefusalCase } from '../../../support/refusal-cases.js';
import {
  ACCOUNT,
  KEY,
  OTHER,
  RECIPIENT,
  selfVoucher,
  TATUM_ACCOUNT,
  tatumVoucher,
  WALLET_ACCOUNT,
} from './fixtures.js';

const SIG = 'cd'.repeat(64);
const CASES: Record<string, RefusalCase> = {
  'not JSON': { unsigned: '{"cadence":', code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'an array': { unsigned: [], code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'unknown top-level field': {
    unsigned: tatumVoucher({ fee: 1 }),
    code: 'MALFORMED_TRANSACTION',
    field: 'unsigned',
  },
  'empty cadence': {
    unsigned: tatumVoucher({ cadence: ' ' }),
    code: 'MALFORMED_TRANSACTION',
    field: 'cadence',
  },
  'argument with extra key': {
    unsigned: tatumVoucher({ arguments: [{ type: 'UFix64', value: '1.0', note: 'x' }] }),
    code: 'MALFORMED_TRANSACTION',
    field: 'arguments[0]',
  },
  'argument without value': {
    unsigned: tatumVoucher({ arguments: [{ type: 'UFix64' }] }),
    code: 'MALFORMED_TRANSACTION',
    field: 'arguments[0].value',
  },
  'short refBlock': {
    unsigned: tatumVoucher({ refBlock: 'abcd' }),
    code: 'MALFORMED_TRANSACTION',
    field: 'refBlock',
  },
  'fractional computeLimit': {
    unsigned: tatumVoucher({ computeLimit: 1.5 }),
    code: 'MALFORMED_TRANSACTION',
    field: 'computeLimit',
  },
  'computeLimit above the default cap': {
    unsigned: tatumVoucher({ computeLimit: 10_000 }),
    code: 'FEE_TOO_HIGH',
    field: 'computeLimit',
  },
  'computeLimit above options.maxComputeLimit': {
    unsigned: tatumVoucher(),
    code: 'FEE_TOO_HIGH',
    field: 'computeLimit',
    options: { maxComputeLimit: 500 },
  },
  'payer not an address': {
    unsigned: tatumVoucher({ payer: '0x1234' }),
    code: 'MALFORMED_TRANSACTION',
    field: 'payer',
  },
  'zero authorizer': {
    unsigned: tatumVoucher({ authorizers: ['0x0000000000000000'] }),
    code: 'MALFORMED_TRANSACTION',
    field: 'authorizers[0]',
  },
  'negative sequence number': {
    unsigned: tatumVoucher({ proposalKey: { address: TATUM_ACCOUNT, keyId: 5, sequenceNum: -1 } }),
    code: 'MALFORMED_TRANSACTION',
    field: 'proposalKey.sequenceNum',
  },
  'wallet is not an authorizer (it would only pay)': {
    unsigned: tatumVoucher({ authorizers: [RECIPIENT], payer: WALLET_ACCOUNT }),
    code: 'SENDER_NOT_OURS',
    field: 'authorizers',
  },
  'a second authorizer': {
    unsigned: tatumVoucher({ authorizers: [WALLET_ACCOUNT, RECIPIENT] }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'authorizers',
  },
  'wallet proposes with another key index': {
    unsigned: selfVoucher({ proposalKey: { address: WALLET_ACCOUNT, keyId: 0, sequenceNum: 7 } }),
    code: 'SENDER_NOT_OURS',
    field: 'proposalKey.keyId',
  },
  'already signed by the wallet': {
    unsigned: tatumVoucher({ payloadSigs: [{ address: WALLET_ACCOUNT, keyId: 2, sig: SIG }] }),
    code: 'ALREADY_SIGNED',
    field: 'payloadSigs',
  },
  'envelope already signed (the payer signs last)': {
    unsigned: tatumVoucher({ envelopeSigs: [{ address: TATUM_ACCOUNT, keyId: 5, sig: SIG }] }),
    code: 'ALREADY_SIGNED',
    field: 'envelopeSigs',
  },
  'payload signature from the payer': {
    unsigned: tatumVoucher({
      payloadSigs: [{ address: TATUM_ACCOUNT, keyId: 5, sig: SIG }],
      proposalKey: { address: RECIPIENT, keyId: 0, sequenceNum: 1 },
    }),
    code: 'MALFORMED_TRANSACTION',
    field: 'payloadSigs[0].address',
  },
  'signature of the wrong length': {
    unsigned: tatumVoucher({ payloadSigs: [{ address: TATUM_ACCOUNT, keyId: 5, sig: 'ab' }] }),
    code: 'MALFORMED_TRANSACTION',
    field: 'payloadSigs[0].sig',
  },
  'wallet pays before the proposer signed': {
    unsigned: tatumVoucher({ payer: WALLET_ACCOUNT }),
    code: 'MISSING_INPUT_DATA',
    field: 'payloadSigs',
  },
  'no flowAccount': {
    unsigned: tatumVoucher(),
    code: 'INVALID_REQUEST',
    field: 'flowAccount',
    request: { flowAccount: undefined },
  },
  'flowAccount address malformed': {
    unsigned: tatumVoucher(),
    code: 'INVALID_REQUEST',
    field: 'flowAccount.address',
    request: { flowAccount: { ...ACCOUNT, address: 'f8d6e0586b0a20c' } },
  },
  'flowAccount key index negative': {
    unsigned: tatumVoucher(),
    code: 'INVALID_REQUEST',
    field: 'flowAccount.keyIndex',
    request: { flowAccount: { ...ACCOUNT, keyIndex: -1 } },
  },
  'flowAccount hash algorithm unknown': {
    unsigned: tatumVoucher(),
    code: 'INVALID_REQUEST',
    field: 'flowAccount.hashAlgorithm',
    request: { flowAccount: { ...ACCOUNT, hashAlgorithm: 'KECCAK_256' } },
  },
  'two wallets': {
    unsigned: tatumVoucher(),
    code: 'INVALID_REQUEST',
    field: 'wallets',
    wallets: [KEY.wallet, OTHER.wallet],
  },
  'devnet network': { unsigned: tatumVoucher(), code: 'CHAIN_MISMATCH', field: 'network', network: 'devnet' },
  'bad maxComputeLimit option': {
    unsigned: tatumVoucher(),
    code: 'INVALID_REQUEST',
    field: 'options.maxComputeLimit',
    options: { maxComputeLimit: 0 },
  },
};

describe('FLOW refusals (no KMS call)', () => {
  itRefusesEach('FLOW', [KEY, OTHER], CASES, { flowAccount: ACCOUNT });
});
