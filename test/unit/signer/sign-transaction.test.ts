// The single entry point routes each chain to its family's signer and refuses unknown chains before
// anything is signed.
import { describe, expect, it } from 'vitest';
import { signEvmTransaction } from '../../../src/signer/evm/index.js';
import {
  signTransaction,
  SigningRefusedError,
  type SignTransactionRequest,
} from '../../../src/signer/index.js';
import { fakeDigestSigner, testKey } from '../../../scripts/fixtures/fake-digest-signer.js';
import { tatumPayload } from './evm/fixtures.js';

const key = testKey('sign-transaction routing');

describe('signTransaction', () => {
  it('routes an EVM chain to the EVM signer (same bytes as calling it directly)', async () => {
    const request = {
      chain: 'BSC' as const,
      network: 'testnet' as const,
      wallets: [key.wallet],
      unsigned: tatumPayload(),
    };
    const viaEntry = await signTransaction({ ...request, signer: fakeDigestSigner([key]) });
    const direct = await signEvmTransaction({ ...request, signer: fakeDigestSigner([key]) });
    expect(viaEntry.signed).toBe(direct.signed);
    expect(viaEntry.signed.startsWith('0x')).toBe(true);
  });

  it.each([
    ['BTC', /unsigned/],
    ['TRON', /unsigned|malformed|JSON/i],
  ])('routes %s to its own family signer, which refuses an EVM payload', async (chain, message) => {
    const signer = fakeDigestSigner([key]);
    const error = await signTransaction({
      chain,
      network: 'testnet',
      wallets: [key.wallet],
      unsigned: '0xf86c',
      signer,
    } as SignTransactionRequest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigningRefusedError);
    expect((error as Error).message).toMatch(message);
    expect(signer.calls).toHaveLength(0);
  });

  it('refuses an unknown chain, naming the supported ones, without signing', async () => {
    const signer = fakeDigestSigner([key]);
    const error = await signTransaction({
      chain: 'DOT',
      network: 'mainnet',
      wallets: [key.wallet],
      unsigned: '{}',
      signer,
    } as unknown as SignTransactionRequest).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CHAIN_MISMATCH', field: 'chain' });
    expect((error as Error).message).toContain(
      'supported chains are BTC, LTC, DOGE, BCH, ETH, BSC, MATIC, EVM_DEV, TRON, CELO, KLAY, XDC, ONE, KCS, XRP',
    );
    expect(signer.calls).toHaveLength(0);
  });
});
