// signEvmTransaction on the happy path, checked from the wire bytes with an independent recovery
// (test/support/evm-recover.ts): EIP-155 v for legacy on every registry chain id, yParity 0/1 for
// typed transactions, nonce 0, both input forms, and the post-signing sender check.
import { Interface, keccak256, Transaction } from 'ethers';
import { describe, expect, it } from 'vitest';
import { SignatureVerificationError } from '../../../../src/kms/errors.js';
import { signEvmTransaction } from '../../../../src/signer/evm/index.js';
import type { ChainId, NetworkName } from '../../../../src/chains/index.js';
import { recoverIndependently } from '../../../support/evm-recover.js';
import {
  EIP1559_FEES,
  KEY,
  OTHER_KEY,
  RECIPIENT,
  WALLET_ADDRESS,
  evmRequest,
  recordingSigner,
  tatumPayload,
} from './fixtures.js';

const NONCES = Array.from({ length: 12 }, (_, i) => i);

const LEGACY_CHAINS: [ChainId, NetworkName, bigint][] = [
  ['ETH', 'mainnet', 1n],
  ['ETH', 'testnet', 11155111n],
  ['BSC', 'mainnet', 56n],
  ['BSC', 'testnet', 97n],
  ['MATIC', 'mainnet', 137n],
  ['MATIC', 'testnet', 80002n],
  ['EVM_DEV', 'mainnet', 31337n],
];

describe('signEvmTransaction: legacy (type 0) with EIP-155 v', () => {
  it.each(LEGACY_CHAINS)(
    '%s %s: v = %i·2 + 35 + recovery id, sender = wallet',
    async (chain, network, chainId) => {
      const signer = recordingSigner();
      const vs = new Set<bigint>();
      for (const nonce of NONCES) {
        const result = await signEvmTransaction(evmRequest(signer, tatumPayload({ nonce }), chain, network));
        const wire = recoverIndependently(result.signed);
        expect(wire).toMatchObject({ type: 0, chainId, sender: WALLET_ADDRESS, nonce: BigInt(nonce) });
        expect(wire.v).toBe(chainId * 2n + 35n + BigInt(signer.recoveryIds.at(-1)!));
        expect(result.txId).toBe(keccak256(result.signed));
        expect(result).toMatchObject({ chain, network });
        vs.add(wire.v!);
      }
      expect(signer.calls).toHaveLength(NONCES.length);
      expect([...vs].sort()).toEqual([chainId * 2n + 35n, chainId * 2n + 36n]); // both recovery ids seen
    },
  );

  it('records the signed digest (keccak256 of the EIP-155 preimage) for the audit trail', async () => {
    const signer = recordingSigner();
    const result = await signEvmTransaction(evmRequest(signer, tatumPayload()));
    const unsignedHash = Transaction.from(result.signed).unsignedHash;
    expect(result.digests).toEqual([{ keyId: KEY.keyId, digest: unsignedHash.slice(2), inputIndex: 0 }]);
  });
});

describe('signEvmTransaction: typed transactions carry yParity 0/1', () => {
  const cases: [string, Record<string, unknown>, number][] = [
    [
      'type 1 (EIP-2930)',
      { type: 1, accessList: [{ address: RECIPIENT, storageKeys: [`0x${'00'.repeat(31)}01`] }] },
      1,
    ],
    ['type 2 (EIP-1559)', { gasPrice: undefined, ...EIP1559_FEES }, 2],
    [
      'type 2 with explicit type and access list',
      { type: '0x2', gasPrice: undefined, ...EIP1559_FEES, accessList: [] },
      2,
    ],
  ];
  it.each(cases)('%s', async (_name, overrides, type) => {
    const signer = recordingSigner();
    const parities = new Set<number>();
    for (const nonce of NONCES) {
      const result = await signEvmTransaction(
        evmRequest(signer, tatumPayload({ ...overrides, nonce }), 'BSC', 'testnet'),
      );
      const wire = recoverIndependently(result.signed);
      expect(wire).toMatchObject({
        type,
        chainId: 97n,
        sender: WALLET_ADDRESS,
        yParity: signer.recoveryIds.at(-1),
      });
      expect(['0x', '0x01']).toContain(wire.fields.at(-3)); // never 27/28, never chainId-based
      parities.add(wire.yParity);
    }
    expect([...parities].sort()).toEqual([0, 1]);
  });
});

describe('signEvmTransaction: inputs', () => {
  it.each([0, '0', '0x0', '0x00'])('keeps nonce %j as the real nonce 0', async (nonce) => {
    const signer = recordingSigner();
    const result = await signEvmTransaction(evmRequest(signer, tatumPayload({ nonce })));
    expect(recoverIndependently(result.signed).nonce).toBe(0n);
    expect(Transaction.from(result.signed).nonce).toBe(0);
  });

  it('reads numbers, decimal strings and hex strings alike (and a JSON string payload)', async () => {
    const signer = recordingSigner();
    const forms = [
      tatumPayload({ value: 1_000_000_000_000_000, gas: 21000, gasPrice: 20_000_000_000 }),
      tatumPayload({ value: '0x38D7EA4C68000', gas: '0x5208', gasPrice: '0x4a817c800', nonce: '0x3' }),
      JSON.stringify(tatumPayload({ gasLimit: '21000', gas: undefined })),
      ` ${JSON.stringify(tatumPayload({ chainId: 1, from: WALLET_ADDRESS.toLowerCase() }))}\n`,
    ];
    const reference = (await signEvmTransaction(evmRequest(signer, tatumPayload()))).signed;
    for (const unsigned of forms) {
      expect((await signEvmTransaction(evmRequest(signer, unsigned))).signed).toBe(reference);
    }
  });

  it('signs a raw unsigned transaction of each type exactly like the equivalent payload', async () => {
    const signer = recordingSigner();
    const payloads = [
      tatumPayload({ nonce: 0 }),
      tatumPayload({ type: 1, accessList: [] }),
      tatumPayload({ gasPrice: undefined, ...EIP1559_FEES }),
    ];
    for (const payload of payloads) {
      const fromPayload = await signEvmTransaction(evmRequest(signer, payload, 'MATIC', 'mainnet'));
      const unsigned = Transaction.from(fromPayload.signed);
      unsigned.signature = null;
      const fromRaw = await signEvmTransaction(
        evmRequest(signer, unsigned.unsignedSerialized, 'MATIC', 'mainnet'),
      );
      expect(fromRaw).toEqual(fromPayload);
    }
  });

  it('signs an ERC-20 transfer as an ordinary transaction: to = token, value 0, data = transfer(…)', async () => {
    const erc20 = new Interface(['function transfer(address to, uint256 amount) returns (bool)']);
    const token = '0xdAC17F958D2ee523a2206206994597C13D831ec7'; // USDT on Ethereum
    const data = erc20.encodeFunctionData('transfer', [RECIPIENT, 25_000_000n]);
    const signer = recordingSigner();
    const result = await signEvmTransaction(
      evmRequest(signer, tatumPayload({ to: token.toLowerCase(), value: '0', data, gas: '65000' })),
    );
    const tx = Transaction.from(result.signed);
    expect({ to: tx.to, value: tx.value, data: tx.data, from: tx.from }).toEqual({
      to: token,
      value: 0n,
      data,
      from: WALLET_ADDRESS,
    });
    expect(erc20.decodeFunctionData('transfer', tx.data).toArray()).toEqual([RECIPIENT, 25_000_000n]);
  });

  it('accepts contract creation (no `to`) when data carries init code', async () => {
    const signer = recordingSigner();
    const result = await signEvmTransaction(
      evmRequest(signer, tatumPayload({ to: undefined, value: 0, data: '0x6000600055', gas: 100_000 })),
    );
    expect(Transaction.from(result.signed).to).toBeNull();
  });
});

describe('signEvmTransaction: the signature is checked before it is returned', () => {
  it.each([
    [
      'a flipped recovery id',
      (s: { recoveryId: 0 | 1 }) => ({ ...s, recoveryId: s.recoveryId === 0 ? 1 : 0 }),
    ],
    ['a recovery id outside 0/1', (s: object) => ({ ...s, recoveryId: 2 })],
  ] as const)('refuses %s', async (_name, tamper) => {
    const signer = recordingSigner(
      (signature) => ({ ...signature, ...tamper(signature) }) as typeof signature,
    );
    await expect(signEvmTransaction(evmRequest(signer, tatumPayload()))).rejects.toThrow(
      SignatureVerificationError,
    );
    expect(signer.calls).toHaveLength(1);
  });

  it('refuses a signature made by another key', async () => {
    const signer = recordingSigner(undefined, OTHER_KEY);
    await expect(signEvmTransaction(evmRequest(signer, tatumPayload()))).rejects.toThrow(
      /recovers to 0x[0-9a-fA-F]{40}, not the wallet/,
    );
    expect(signer.calls).toHaveLength(1);
  });
});
