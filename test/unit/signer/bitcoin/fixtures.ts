// Keys, UTXOs and a request builder shared by the Bitcoin signer unit tests.
import { expect } from 'vitest';
import { signBitcoinTransaction, type BitcoinSignRequest } from '../../../../src/signer/bitcoin/index.js';
import { SigningRefusedError, type RefusalCode } from '../../../../src/signer/types.js';
import { keyScripts, type TestOutput, type TestUtxo } from '../../../support/bitcoin-payloads.js';
import {
  fakeDigestSigner,
  testKey,
  type FakeDigestSigner,
} from '../../../../scripts/fixtures/fake-digest-signer.js';

export const alice = testKey('alice');
export const bob = testKey('bob');
/** A key no request lists as a wallet. */
export const mallory = testKey('mallory');

export const A = keyScripts(alice.publicKey);
export const B = keyScripts(bob.publicKey);
export const M = keyScripts(mallory.publicKey);

/** A distinct fake previous txid per number. */
export function txid(n: number): string {
  return n.toString(16).padStart(2, '0').repeat(32);
}

export function utxo(n: number, script: Uint8Array, amount: bigint, extra: Partial<TestUtxo> = {}): TestUtxo {
  return { txid: txid(n), vout: n % 3, amount, script, ...extra };
}

export function out(script: Uint8Array, amount: bigint): TestOutput {
  return { script, amount };
}

export interface Signed {
  signer: FakeDigestSigner;
  result: Awaited<ReturnType<typeof signBitcoinTransaction>>;
}

export function request(
  unsigned: BitcoinSignRequest['unsigned'],
  overrides: Partial<BitcoinSignRequest> = {},
): BitcoinSignRequest & { signer: FakeDigestSigner } {
  return {
    chain: 'BTC',
    network: 'regtest',
    wallets: [alice.wallet, bob.wallet],
    unsigned,
    ...overrides,
    // These tests are about digests, scripts and assembly over made-up txids; proving amounts against
    // previous transactions has its own tests (prove-amounts.test.ts).
    options: { trustPayloadAmountsAndRiskOverpayingFees: true, ...overrides.options },
    signer: fakeDigestSigner([alice, bob, mallory]),
  };
}

export async function sign(
  unsigned: BitcoinSignRequest['unsigned'],
  overrides: Partial<BitcoinSignRequest> = {},
): Promise<Signed> {
  const req = request(unsigned, overrides);
  const result = await signBitcoinTransaction(req);
  return { signer: req.signer, result };
}

/** Expects a refusal with `code` and `field`, and that the signer was never called. */
export async function expectRefusal(
  unsigned: BitcoinSignRequest['unsigned'],
  overrides: Partial<BitcoinSignRequest>,
  code: RefusalCode,
  field: string,
): Promise<void> {
  const req = request(unsigned, overrides);
  const error: unknown = await signBitcoinTransaction(req).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SigningRefusedError);
  expect(error).toMatchObject({ code, field });
  expect((error as Error).message.startsWith(`${field}: `)).toBe(true);
  expect(req.signer.calls).toHaveLength(0);
}
