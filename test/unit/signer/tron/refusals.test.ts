// Every refusal of signTronTransaction: a SigningRefusedError naming the field, with ZERO signer calls.
import { describe, expect, it } from 'vitest';
import { tronAddressToHex } from '../../../../src/chains/addresses/tron.js';
import type { TronSignRequest } from '../../../../src/signer/tron/index.js';
import type { RefusalCode } from '../../../../src/signer/types.js';
import {
  RECIPIENT,
  STRANGER,
  blockHeader,
  createAccount,
  reencode,
  trc20Transfer,
  trxTransfer,
  withRawDataHex,
  type TronTxJson,
} from '../../../../scripts/fixtures/tron.js';
import { FakeDigestSigner, WALLET, expectRefused, secretKey, tronRequest } from './fixtures.js';

const VALUE = 'raw_data.contract[0].parameter.value';
const HEADER = blockHeader();

const trx = (sun = 1_000_000): Promise<TronTxJson> => trxTransfer(WALLET, RECIPIENT, sun, HEADER);
const trc20 = (): Promise<TronTxJson> => trc20Transfer(WALLET, RECIPIENT, 25_000_000n, { header: HEADER });

/** A copy of `transaction` changed by `change` (raw_data_hex and txID left as they were). */
async function tampered(
  transaction: Promise<TronTxJson>,
  change: (tx: TronTxJson) => void,
): Promise<TronTxJson> {
  const copy = structuredClone(await transaction);
  change(copy);
  return copy;
}
const value = (tx: TronTxJson): Record<string, unknown> => tx.raw_data.contract[0]!.parameter.value;

interface Case {
  unsigned: () => Promise<unknown>;
  code: RefusalCode;
  field: string;
  request?: Partial<Omit<TronSignRequest, 'signer' | 'unsigned'>>;
}

/** The case "raw_data.contract[0].parameter.value.<name> set to <to>" (raw_data_hex left as built). */
const valueSet = (name: string, to: unknown, code: RefusalCode, build = trx): Case => ({
  unsigned: () => tampered(build(), (tx) => (value(tx)[name] = to)),
  code,
  field: `${VALUE}.${name}`,
});

const CASES: Record<string, Case> = {
  // what is signed must be what is shown
  'txID not sha256(raw_data_hex)': {
    unsigned: async () => ({ ...(await trx()), txID: (await trx(2)).txID }),
    code: 'DIGEST_MISMATCH',
    field: 'txID',
  },
  'amount changed in raw_data only': valueSet('amount', 1_000_001, 'DIGEST_MISMATCH'),
  'to_address changed in raw_data only': valueSet(
    'to_address',
    tronAddressToHex(STRANGER),
    'DIGEST_MISMATCH',
  ),
  'TRC-20 call data changed in raw_data only': {
    unsigned: async () => {
      const other = await trc20Transfer(WALLET, STRANGER, 25_000_000n, { header: HEADER });
      return tampered(trc20(), (tx) => (value(tx).data = value(other).data));
    },
    code: 'DIGEST_MISMATCH',
    field: `${VALUE}.data`,
  },
  'fee_limit changed in raw_data only': {
    unsigned: () => tampered(trc20(), (tx) => (tx.raw_data.fee_limit = 1)),
    code: 'DIGEST_MISMATCH',
    field: 'raw_data.fee_limit',
  },
  'raw_data_hex and txID swapped for a transfer of another amount': {
    unsigned: async () => {
      const shown = await trx(1_000_000);
      const signed = reencode(await tampered(trx(), (tx) => (value(tx).amount = 900_000_000)));
      return { ...shown, raw_data_hex: signed.raw_data_hex, txID: signed.txID };
    },
    code: 'DIGEST_MISMATCH',
    field: `${VALUE}.amount`,
  },
  'raw_data_hex carries a field raw_data does not show (scripts)': {
    unsigned: async () => {
      const tx = await trx();
      return withRawDataHex(tx, `${tx.raw_data_hex}620101`);
    },
    code: 'DIGEST_MISMATCH',
    field: 'raw_data_hex',
  },
  'raw_data_hex of another contract type': {
    unsigned: async () => withRawDataHex(await trx(), (await trc20()).raw_data_hex),
    code: 'DIGEST_MISMATCH',
    field: 'raw_data_hex',
  },
  'type_url that is not the contract type': {
    unsigned: () =>
      tampered(
        trx(),
        (tx) =>
          (tx.raw_data.contract[0]!.parameter.type_url =
            'type.googleapis.com/protocol.TransferAssetContract'),
      ),
    code: 'MALFORMED_TRANSACTION',
    field: 'raw_data.contract[0].parameter.type_url',
  },
  'a value field the encoder would drop': valueSet('memo', 'shown, never signed', 'UNSUPPORTED_TRANSACTION'),
  'function_selector instead of encoded data': valueSet(
    'function_selector',
    'transfer(address,uint256)',
    'UNSUPPORTED_TRANSACTION',
    trc20,
  ),
  'a raw_data field the encoder would drop': {
    unsigned: () => tampered(trx(), (tx) => (tx.raw_data.auths = [])),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'raw_data.auths',
  },
  'an unknown top-level field': {
    unsigned: async () => ({ ...(await trx()), contract_address: RECIPIENT }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'contract_address',
  },
  'two contracts': {
    unsigned: () =>
      tampered(trx(), (tx) => tx.raw_data.contract.push(structuredClone(tx.raw_data.contract[0]!))),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'raw_data.contract',
  },
  'no contract': {
    unsigned: () => tampered(trx(), (tx) => (tx.raw_data.contract = [])),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'raw_data.contract',
  },

  // whose transaction, in what state
  'owner_address is not the wallet': {
    unsigned: () => trxTransfer(STRANGER, RECIPIENT, 1_000_000, HEADER),
    code: 'SENDER_NOT_OURS',
    field: `${VALUE}.owner_address`,
  },
  'owner_address is not the wallet (visible: true)': {
    unsigned: () =>
      tampered(trxTransfer(STRANGER, RECIPIENT, 1_000_000, HEADER), (tx) => {
        tx.visible = true;
        Object.assign(value(tx), { owner_address: STRANGER, to_address: RECIPIENT });
      }),
    code: 'SENDER_NOT_OURS',
    field: `${VALUE}.owner_address`,
  },
  'already signed': {
    unsigned: async () => ({ ...(await trx()), signature: ['00'.repeat(65)] }),
    code: 'ALREADY_SIGNED',
    field: 'signature',
  },
  expired: {
    unsigned: () => trxTransfer(WALLET, RECIPIENT, 1, blockHeader(Date.now() - 120_000)),
    code: 'EXPIRED',
    field: 'raw_data.expiration',
  },
  'expires exactly now (injected clock)': {
    unsigned: () => trx(),
    request: { options: { now: () => HEADER.expiration } },
    code: 'EXPIRED',
    field: 'raw_data.expiration',
  },
  'fee_limit above the configured cap': {
    unsigned: () => trc20(),
    request: { options: { maxFeeLimitSun: 50_000_000 } },
    code: 'FEE_TOO_HIGH',
    field: 'raw_data.fee_limit',
  },

  // contract types
  'unsupported contract type (AccountCreateContract)': {
    unsigned: () => createAccount(WALLET, STRANGER),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'raw_data.contract[0].type',
  },

  // malformed payloads
  'not JSON': {
    unsigned: () => Promise.resolve('{"txID": '),
    code: 'MALFORMED_TRANSACTION',
    field: 'unsigned',
  },
  'a JSON array': { unsigned: () => Promise.resolve('[]'), code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  null: { unsigned: () => Promise.resolve(null), code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  undefined: { unsigned: () => Promise.resolve(undefined), code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'no raw_data_hex': {
    unsigned: () => tampered(trx(), (tx) => delete (tx as Partial<TronTxJson>).raw_data_hex),
    code: 'MALFORMED_TRANSACTION',
    field: 'raw_data_hex',
  },
  'txID not 32 bytes of hex': {
    unsigned: async () => ({ ...(await trx()), txID: 'not-a-hash' }),
    code: 'MALFORMED_TRANSACTION',
    field: 'txID',
  },
  'amount as a string': valueSet('amount', '1000000', 'MALFORMED_TRANSACTION'),
  'fractional amount': valueSet('amount', 1000.5, 'MALFORMED_TRANSACTION'),
  'amount beyond 2^53': valueSet('amount', 2 ** 60, 'MALFORMED_TRANSACTION'),
  'T… address while visible is false': valueSet('to_address', RECIPIENT, 'MALFORMED_TRANSACTION'),
  '41… address while visible is true': {
    unsigned: () => tampered(trx(), (tx) => (tx.visible = true)),
    code: 'MALFORMED_TRANSACTION',
    field: `${VALUE}.owner_address`,
  },
  'odd-length call data': valueSet('data', 'a9059cbb0', 'MALFORMED_TRANSACTION', trc20),
  'short ref_block_hash': {
    unsigned: () => tampered(trx(), (tx) => (tx.raw_data.ref_block_hash = 'abcd')),
    code: 'MALFORMED_TRANSACTION',
    field: 'raw_data.ref_block_hash',
  },

  // the request
  'two wallets': {
    unsigned: () => trx(),
    request: {
      wallets: [
        new FakeDigestSigner(secretKey('a')).wallet('a'),
        new FakeDigestSigner(secretKey('b')).wallet('b'),
      ],
    },
    code: 'MISSING_INPUT_DATA',
    field: 'wallets',
  },
  'no wallet': {
    unsigned: () => trx(),
    request: { wallets: [] },
    code: 'MISSING_INPUT_DATA',
    field: 'wallets',
  },
  'a wallet public key that is not a point': {
    unsigned: () => trx(),
    request: { wallets: [{ keyId: 'k', publicKey: new Uint8Array(33) }] },
    code: 'MISSING_INPUT_DATA',
    field: 'wallets[0].publicKey',
  },
  'another chain': {
    unsigned: () => trx(),
    request: { chain: 'ETH' },
    code: 'CHAIN_MISMATCH',
    field: 'chain',
  },
  'a network TRON does not have': {
    unsigned: () => trx(),
    request: { network: 'regtest' },
    code: 'CHAIN_MISMATCH',
    field: 'network',
  },
};

describe('signTronTransaction refuses, naming the field, without calling KMS', () => {
  it.each(Object.entries(CASES))('%s', async (_name, { unsigned, code, field, request }) => {
    const payload = (await unsigned()) as TronSignRequest['unsigned'];
    await expectRefused(tronRequest(payload, request), code, field);
    // The string form of the same payload is refused the same way.
    if (typeof payload === 'object')
      await expectRefused(tronRequest(JSON.stringify(payload), request), code, field);
  });

  it('refuses a cyclic object', async () => {
    const cyclic: Record<string, unknown> = { ...(await trx()) };
    cyclic.self = cyclic;
    await expectRefused(tronRequest(cyclic), 'MALFORMED_TRANSACTION', 'unsigned');
  });

  it('says what differs between raw_data and raw_data_hex', async () => {
    const unsigned = await tampered(trx(1_000_000), (tx) => (value(tx).amount = 1_000_001));
    const error = await expectRefused(tronRequest(unsigned), 'DIGEST_MISMATCH', `${VALUE}.amount`);
    expect(error.message).toContain(
      'raw_data shows 1000001 but raw_data_hex (what would be signed) encodes 1000000',
    );
  });
});
