// Every refusal of signEvmTransaction: a SigningRefusedError naming the field, with ZERO signer calls.
import { encodeRlp, hexlify, SigningKey, Transaction } from 'ethers';
import { describe, expect, it } from 'vitest';
import type { ChainId, NetworkName } from '../../../../src/chains/index.js';
import { signEvmTransaction, type EvmSignRequest } from '../../../../src/signer/evm/index.js';
import { SigningRefusedError, type RefusalCode } from '../../../../src/signer/types.js';
import {
  EIP1559_FEES,
  KEY,
  OTHER_KEY,
  RECIPIENT,
  evmRequest,
  recordingSigner,
  tatumPayload,
} from './fixtures.js';

interface Case {
  unsigned: string | object;
  code: RefusalCode;
  field: string;
  chain?: ChainId;
  network?: NetworkName;
  wallets?: EvmSignRequest['wallets'];
}

/** The payload with `field` set to each value (undefined = left out) is refused with `code` on `field`. */
const FIELD_VALUES: [field: string, code: RefusalCode, values: unknown[]][] = [
  [
    'value',
    'MALFORMED_TRANSACTION',
    [true, -1, '-1', '-0x1', 1.5, '1e18', '1.5', ' 1', '', '0x', { wei: 1 }],
  ],
  ['value', 'MALFORMED_TRANSACTION', [2 ** 60, `0x1${'0'.repeat(64)}`, '1'.repeat(200)]], // unsafe / > 2^256-1 / too long
  ['nonce', 'MISSING_INPUT_DATA', [undefined, null]],
  ['nonce', 'MALFORMED_TRANSACTION', ['abc', '9007199254740992']],
  ['from', 'SENDER_NOT_OURS', [RECIPIENT, RECIPIENT.toLowerCase()]],
  ['from', 'MALFORMED_TRANSACTION', ['0x1234', 1, '0']],
  // a bad EIP-55 checksum, too short, a number, "" (not contract creation), null (creation without init code)
  ['to', 'MALFORMED_TRANSACTION', [RECIPIENT.replace('b', 'B'), RECIPIENT.slice(0, -2), 123, '', null]],
  ['data', 'MALFORMED_TRANSACTION', ['0x123', 'a9059cbb', 42]],
  ['gas', 'MISSING_INPUT_DATA', [undefined]],
  ['gas', 'MALFORMED_TRANSACTION', [20_999, '-21000']],
  ['gasLimit', 'MALFORMED_TRANSACTION', [30_000]], // disagrees with gas 21000
  ['gasPrice', 'MISSING_INPUT_DATA', [undefined]],
  ['gasPrice', 'MALFORMED_TRANSACTION', ['0', { amount: 1 }]],
  ['type', 'UNSUPPORTED_TRANSACTION', [3, 4, '0x5']],
  ['chainId', 'CHAIN_MISMATCH', [56, '11155111', '0x7a69']], // signing for ETH mainnet (1)
  ['input', 'UNSUPPORTED_TRANSACTION', ['0x']],
  ['v', 'ALREADY_SIGNED', ['0x25']],
];

const unsignedRaw = (fields: Record<string, unknown>): string =>
  Transaction.from({ to: RECIPIENT, gasLimit: 21000, gasPrice: 1n, chainId: 1, nonce: 0, ...fields })
    .unsignedSerialized;
const signedRaw = (fields: Record<string, unknown>): string => {
  const tx = Transaction.from(unsignedRaw(fields));
  tx.signature = new SigningKey(hexlify(KEY.privateKey)).sign(tx.unsignedHash);
  return tx.serialized;
};
const TYPE2 = { gasPrice: undefined, ...EIP1559_FEES };
const RAW_TYPE2 = { type: 2, ...EIP1559_FEES, gasPrice: null };
const LEGACY_RAW = unsignedRaw({});

const CASES: Record<string, Case> = {
  ...Object.fromEntries(
    FIELD_VALUES.flatMap(([field, code, values]) =>
      values.map((value) => [
        `${field} = ${typeof value === 'string' ? `"${value.slice(0, 24)}"` : JSON.stringify(value)}`,
        { unsigned: tatumPayload({ [field]: value }), code, field },
      ]),
    ),
  ),
  'value as an unsafe JSON number': {
    unsigned: `{"to":"${RECIPIENT}","value":1000000000000000000000,"gas":21000,"gasPrice":1,"nonce":0}`,
    code: 'MALFORMED_TRANSACTION',
    field: 'value',
  },
  // chain and network
  'chainId 1 on BSC': {
    unsigned: tatumPayload({ chainId: 1 }),
    chain: 'BSC',
    code: 'CHAIN_MISMATCH',
    field: 'chainId',
  },
  'chainId 1 on ETH testnet': {
    unsigned: tatumPayload({ chainId: '1' }),
    network: 'testnet',
    code: 'CHAIN_MISMATCH',
    field: 'chainId',
  },
  'raw chainId 1 on MATIC': {
    unsigned: unsignedRaw(RAW_TYPE2),
    chain: 'MATIC',
    code: 'CHAIN_MISMATCH',
    field: 'chainId',
  },
  'raw pre-EIP-155 legacy': {
    unsigned: unsignedRaw({ chainId: 0 }),
    code: 'MISSING_INPUT_DATA',
    field: 'chainId',
  },
  'non-EVM chain': { unsigned: tatumPayload(), chain: 'BTC', code: 'CHAIN_MISMATCH', field: 'chain' },
  'unknown chain': {
    unsigned: tatumPayload(),
    chain: 'FOO' as ChainId,
    code: 'CHAIN_MISMATCH',
    field: 'chain',
  },
  'network unknown for ETH': {
    unsigned: tatumPayload(),
    network: 'regtest',
    code: 'CHAIN_MISMATCH',
    field: 'network',
  },
  // already signed
  'signed raw legacy': { unsigned: signedRaw({}), code: 'ALREADY_SIGNED', field: 'unsigned' },
  'signed raw type 1': { unsigned: signedRaw({ type: 1 }), code: 'ALREADY_SIGNED', field: 'unsigned' },
  'signed raw type 2': { unsigned: signedRaw(RAW_TYPE2), code: 'ALREADY_SIGNED', field: 'unsigned' },
  // malformed hex, JSON and shapes
  'empty hex': { unsigned: '0x', code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'non-hex digits': { unsigned: '0xzz', code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'odd-length hex': { unsigned: LEGACY_RAW.slice(0, -1), code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'hex without 0x': { unsigned: LEGACY_RAW.slice(2), code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'truncated RLP': { unsigned: LEGACY_RAW.slice(0, -4), code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'RLP string, not a list': { unsigned: '0x8401020304', code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'non-canonical RLP (nonce 0x0001)': {
    unsigned: encodeRlp(['0x0001', '0x01', '0x5208', RECIPIENT, '0x', '0x', '0x01', '0x', '0x']),
    code: 'MALFORMED_TRANSACTION',
    field: 'unsigned',
  },
  'raw type 3 (blob)': { unsigned: '0x03c0', code: 'UNSUPPORTED_TRANSACTION', field: 'type' },
  'raw type 4 (EIP-7702)': { unsigned: '0x04c0', code: 'UNSUPPORTED_TRANSACTION', field: 'type' },
  'raw gasLimit below 21000': {
    unsigned: unsignedRaw({ gasLimit: 100 }),
    code: 'MALFORMED_TRANSACTION',
    field: 'gasLimit',
  },
  'truncated JSON': { unsigned: '{"to":', code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'JSON array': { unsigned: '[1, 2]', code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'JSON null': { unsigned: 'null', code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  'an array object': { unsigned: [tatumPayload()], code: 'MALFORMED_TRANSACTION', field: 'unsigned' },
  // access lists and fee fields per type
  'accessList not an array': {
    unsigned: tatumPayload({ type: 1, accessList: {} }),
    code: 'MALFORMED_TRANSACTION',
    field: 'accessList',
  },
  'accessList storage key of 31 bytes': {
    unsigned: tatumPayload({ accessList: [{ address: RECIPIENT, storageKeys: [`0x${'00'.repeat(31)}`] }] }),
    code: 'MALFORMED_TRANSACTION',
    field: 'accessList[0].storageKeys[0]',
  },
  'accessList entry with an extra field': {
    unsigned: tatumPayload({ accessList: [{ address: RECIPIENT, storageKeys: [], slot: 1 }] }),
    code: 'MALFORMED_TRANSACTION',
    field: 'accessList[0].slot',
  },
  'type 2 without maxPriorityFeePerGas': {
    unsigned: tatumPayload({ ...TYPE2, maxPriorityFeePerGas: undefined }),
    code: 'MISSING_INPUT_DATA',
    field: 'maxPriorityFeePerGas',
  },
  'maxFeePerGas 0': {
    unsigned: tatumPayload({ ...TYPE2, maxFeePerGas: 0, maxPriorityFeePerGas: 0 }),
    code: 'MALFORMED_TRANSACTION',
    field: 'maxFeePerGas',
  },
  'priority fee above max fee': {
    unsigned: tatumPayload({ ...TYPE2, maxPriorityFeePerGas: '40000000000' }),
    code: 'MALFORMED_TRANSACTION',
    field: 'maxPriorityFeePerGas',
  },
  'EIP-1559 fees with gasPrice': {
    unsigned: tatumPayload(EIP1559_FEES),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'gasPrice',
  },
  'type 0 with maxFeePerGas': {
    unsigned: tatumPayload({ type: 0, maxFeePerGas: 1 }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'maxFeePerGas',
  },
  'type 1 with a priority fee': {
    unsigned: tatumPayload({ type: 1, maxPriorityFeePerGas: 1 }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'maxPriorityFeePerGas',
  },
  'type 0 with accessList': {
    unsigned: tatumPayload({ type: 0, accessList: [] }),
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'accessList',
  },
  // wallets
  'no wallet': { unsigned: tatumPayload(), wallets: [], code: 'MISSING_INPUT_DATA', field: 'wallets' },
  'two wallets': {
    unsigned: tatumPayload(),
    wallets: [KEY.wallet, OTHER_KEY.wallet],
    code: 'UNSUPPORTED_TRANSACTION',
    field: 'wallets',
  },
  'a wallet whose public key is not a point': {
    unsigned: tatumPayload(),
    wallets: [{ keyId: 'k', publicKey: new Uint8Array(33).fill(5) }],
    code: 'MISSING_INPUT_DATA',
    field: 'wallets[0].publicKey',
  },
};

describe('signEvmTransaction refusals', () => {
  it.each(Object.entries(CASES))('%s → SigningRefusedError, no KMS call', async (_name, c) => {
    const signer = recordingSigner();
    const request = evmRequest(signer, c.unsigned, c.chain ?? 'ETH', c.network ?? 'mainnet');
    if (c.wallets) request.wallets = c.wallets;
    const error: unknown = await signEvmTransaction(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigningRefusedError);
    expect(error).toMatchObject({ code: c.code, field: c.field });
    expect((error as Error).message.startsWith(`${c.field}: `)).toBe(true);
    expect(signer.calls).toHaveLength(0);
  });

  it('checks the wallet count before anything else (even with an unusable payload)', async () => {
    const signer = recordingSigner();
    const request = { ...evmRequest(signer, 'garbage'), wallets: [KEY.wallet, OTHER_KEY.wallet] };
    await expect(signEvmTransaction(request)).rejects.toMatchObject({ field: 'wallets' });
    expect(signer.calls).toHaveLength(0);
  });
});
