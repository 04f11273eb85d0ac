// VET signing checked by VeChain's own SDK (@vechain/sdk-core): the signed RLP decodes to the body Tatum's
// payload describes, its signature recovers the wallet's address as origin, and the transaction id is the
// SDK's. The digest is what the SDK computes as the signing hash of the unsigned body.
import { Hex, Transaction } from '@vechain/sdk-core';
import { describe, expect, it } from 'vitest';

import { deriveAddress } from '../../../../src/chains/index.js';
import { isHighS } from '../../../../src/crypto/secp256k1.js';
import { prepareTransaction, signTransaction } from '../../../../src/signer/index.js';
import { DEFAULT_EXPIRATION, LEGACY_BASE_GAS_PRICE } from '../../../../src/signer/vet/index.js';
import { fakeDigestSigner, testKey } from '../../../../scripts/fixtures/fake-digest-signer.js';

const KEY = testKey('vet-wallet');
const ADDRESS = deriveAddress('VET', 'testnet', KEY.publicKey).toLowerCase();
const TO = '0x7567d83b7b8d80addcb281a71d54fc7b3364ffed';
const VTHO = '0x0000000000000000000000000000456e65726779'; // VTHO, VeChain's VIP-180 energy token

function payload(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    from: 0,
    to: TO,
    value: '1500000000000000000',
    gas: 21000,
    blockRef: '0x0000000aabbccdd0',
    ...extra,
  });
}

async function sign(unsigned: string, network: 'testnet' | 'mainnet' = 'testnet') {
  const signer = fakeDigestSigner([KEY]);
  const signed = await signTransaction({ chain: 'VET', network, wallets: [KEY.wallet], signer, unsigned });
  return { signed, signer };
}

describe('VET signer (verified by @vechain/sdk-core)', () => {
  it('signs a VET transfer whose decoded origin is the wallet', async () => {
    const { signed, signer } = await sign(payload({ nonce: '0xdeadbeef' }));
    const tx = Transaction.decode(Hex.of(signed.signed).bytes, true);
    expect(tx.origin.toString().toLowerCase()).toBe(ADDRESS);
    expect(tx.body.chainTag).toBe(0x27);
    expect(tx.body.blockRef).toBe('0x0000000aabbccdd0');
    expect(tx.body.expiration).toBe(DEFAULT_EXPIRATION);
    expect(BigInt(tx.body.nonce)).toBe(0xdeadbeefn);
    expect(tx.body.clauses).toHaveLength(1);
    expect(tx.body.clauses[0]?.to).toBe(TO);
    expect(BigInt(tx.body.clauses[0]?.value ?? -1)).toBe(1_500_000_000_000_000_000n);
    expect(tx.signature).toHaveLength(65);
    expect(isHighS(BigInt(Hex.of(tx.signature?.subarray(32, 64) ?? new Uint8Array()).toString()))).toBe(
      false,
    );
    expect(signed.txId).toBe(tx.id.toString());
    // KMS signed exactly the SDK's signing hash of the body.
    expect(signer.calls).toHaveLength(1);
    expect(Hex.of(signer.calls[0]?.digest ?? new Uint8Array()).toString()).toBe(
      tx.getTransactionHash().toString(),
    );
  });

  it('uses the mainnet chain tag 0x4a on mainnet', async () => {
    const { signed } = await sign(payload({ chainTag: 0x4a }), 'mainnet');
    const tx = Transaction.decode(Hex.of(signed.signed).bytes, true);
    expect(tx.body.chainTag).toBe(0x4a);
    expect(tx.origin.toString()).toBe(deriveAddress('VET', 'mainnet', KEY.publicKey));
  });

  it('reports the VET transfer, fee and nonce before any KMS call', async () => {
    const prepared = await prepareTransaction({
      chain: 'VET',
      network: 'testnet',
      wallets: [KEY.wallet],
      unsigned: payload({ nonce: 7, gasPriceCoef: 255 }),
    });
    expect(prepared.transfers).toEqual([{ asset: 'native', to: TO, amount: 1_500_000_000_000_000_000n }]);
    expect(prepared.unrecognized).toBeNull();
    expect(prepared.nonce).toBe(7n);
    expect(prepared.fee).toBe(21000n * LEGACY_BASE_GAS_PRICE * 2n);
  });

  it('decodes a VIP-180 token transfer (VTHO) as a transfer of that token', async () => {
    const amount = 5n * 10n ** 18n;
    const data = `0xa9059cbb${'0'.repeat(24)}${TO.slice(2)}${amount.toString(16).padStart(64, '0')}`;
    const unsigned = payload({ to: VTHO, value: '0', data, gas: 60000 });
    const prepared = await prepareTransaction({
      chain: 'VET',
      network: 'testnet',
      wallets: [KEY.wallet],
      unsigned,
    });
    expect(prepared.transfers).toEqual([{ asset: VTHO, to: TO, amount }]);
    const { signed } = await sign(unsigned);
    const tx = Transaction.decode(Hex.of(signed.signed).bytes, true);
    expect(tx.body.clauses[0]?.data).toBe(data);
    expect(tx.origin.toString().toLowerCase()).toBe(ADDRESS);
  });

  it('marks another contract call as unrecognised (policy denies it)', async () => {
    const prepared = await prepareTransaction({
      chain: 'VET',
      network: 'testnet',
      wallets: [KEY.wallet],
      unsigned: payload({ data: '0x12345678', gas: 60000 }),
    });
    expect(prepared.unrecognized).toMatch(/contract call/);
  });

  it('draws a fresh 64-bit nonce when the payload has none, fixed for that prepared transaction', async () => {
    const request = {
      chain: 'VET' as const,
      network: 'testnet' as const,
      wallets: [KEY.wallet],
      unsigned: payload(),
    };
    const [a, b] = await Promise.all([prepareTransaction(request), prepareTransaction(request)]);
    expect(a.nonce).not.toBe(b.nonce);
    const signed = await a.sign(fakeDigestSigner([KEY]));
    expect(BigInt(Transaction.decode(Hex.of(signed.signed).bytes, true).body.nonce)).toBe(a.nonce);
  });

  it('accepts from as the wallet address in any case', async () => {
    const { signed } = await sign(payload({ from: ADDRESS.toUpperCase().replace('0X', '0x') }));
    expect(Transaction.decode(Hex.of(signed.signed).bytes, true).origin.toString().toLowerCase()).toBe(
      ADDRESS,
    );
  });
});
