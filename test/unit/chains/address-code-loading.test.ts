// Each chain family's address code loads on first use (src/chains/addresses/codecs.ts). The test set-up
// loads every family in advance (test/setup/address-code.ts); here each test imports a fresh module graph
// (vi.resetModules), where nothing is loaded, to prove the per-family loading and the service's own load
// point in front of the family signers.
import { computeAddress } from 'ethers';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeDigestSigner, testKey } from '../../../scripts/fixtures/fake-digest-signer.js';
import type { Db } from 'mongodb';
import type { JobContext } from '../../../src/tatum/job.js';
import type { JobClaim, SigningJobDoc } from '../../../src/tatum/jobs.js';
import { NonceLedger } from '../../../src/tatum/nonce-ledger.js';

const key = testKey('address code loading');
const BTC_TESTNET_P2WPKH = 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx'; // BIP-173's test vector
const XRP_ADDRESS = 'rJHMeqKu8Ep7Fazx8MQG6JunaafBXz93YQ';

type Chains = typeof import('../../../src/chains/index.js');

describe('per-family address code', () => {
  let chains: Chains;
  beforeEach(async () => {
    vi.resetModules();
    chains = await import('../../../src/chains/index.js');
  });

  it('is not there before its family is loaded: deriving or validating says so', () => {
    expect(() => chains.deriveAddress('ETH', 'mainnet', key.wallet.publicKey)).toThrow(
      /evm address code is not loaded yet/,
    );
    expect(() => chains.validateAddress('BTC', 'testnet', BTC_TESTNET_P2WPKH)).toThrow(
      /bitcoin address code is not loaded yet/,
    );
  });

  it('loads only the families asked for', async () => {
    await chains.loadAddressCode(['BSC']);
    // ethers' own derivation, not ours, is the expected value
    expect(chains.deriveAddress('ETH', 'mainnet', key.wallet.publicKey)).toBe(
      computeAddress(`0x${Buffer.from(key.wallet.publicKey).toString('hex')}`),
    );
    expect(() => chains.validateAddress('BTC', 'testnet', BTC_TESTNET_P2WPKH)).toThrow(/not loaded/);
    await chains.loadAddressCode(['LTC', 'BTC']);
    expect(chains.validateAddress('BTC', 'testnet', BTC_TESTNET_P2WPKH)).toMatchObject({
      valid: true,
      format: 'p2wpkh',
    });
  });

  it('refuses to load a chain that is not in the registry', async () => {
    await expect(chains.loadAddressCode(['DOT'])).rejects.toThrow(chains.UnsupportedChainError);
  });

  it('is loaded by the signing entry point before a family signer runs', async () => {
    const { signTransaction } = await import('../../../src/signer/index.js');
    const signed = await signTransaction({
      chain: 'BSC',
      network: 'testnet',
      wallets: [key.wallet],
      unsigned: JSON.stringify({
        from: 0,
        to: '0x' + '44'.repeat(20),
        value: '1',
        gas: '21000',
        gasPrice: '1',
        nonce: 0,
      }),
      signer: fakeDigestSigner([key]),
    });
    expect(signed.signed).toMatch(/^0x/);
  });

  // Found by the chaos test in CI: the bundled daemon's EVM jobs failed with "not loaded yet" because the
  // completion derives the sender before the signer entry point loads anything.
  it('is loaded by the EVM completion, which derives the sender before the signer runs', async () => {
    const { completeEvmPayload } = await import('../../../src/tatum/complete-evm.js');
    const unsigned = JSON.stringify({ to: '0x' + '44'.repeat(20), value: '1', gasPrice: '1' });
    const completed = await completeEvmPayload({
      chain: 'ETH',
      network: 'testnet',
      jobId: 'job-1',
      wallets: [key.wallet],
      unsigned,
      views: undefined, // nothing to complete from: the payload comes back as it was
      ledger: unusedLedger(),
      earlierNonce: undefined,
    });
    expect(completed).toEqual({ unsigned, completion: {}, nonce: undefined });
    expect(chains.deriveAddress('ETH', 'testnet', key.wallet.publicKey)).toBe(
      computeAddress(`0x${Buffer.from(key.wallet.publicKey).toString('hex')}`),
    );
  });

  // The loop's one load point: every job loads its chain's family before any step (completion, decode,
  // policy, broadcast look-ups) can derive or compare an address — and loads no other family.
  it("is loaded by each loop job at its start, for the job's chain only", async () => {
    const { runClaimed } = await import('../../../src/tatum/job.js');
    const done = { state: 'BROADCAST', signatureIds: ['wallet-1'] } as unknown as SigningJobDoc;
    const ctx = {
      jobs: { working: <T>(work: () => Promise<T>) => work(), release: () => Promise.resolve() },
      network: 'testnet',
      runnerId: 'runner-1',
      clock: () => new Date(),
      log: () => undefined,
    } as unknown as JobContext;
    const pending = { id: 'job-2', chain: 'XRP', hashes: ['wallet-1'], serializedTransaction: '{}' };
    const held = { claim: {}, job: done } as unknown as JobClaim;
    expect(await runClaimed(ctx, 'XRP', pending, held)).toMatchObject({ outcome: 'SKIPPED' });
    expect(chains.validateAddress('XRP', 'testnet', XRP_ADDRESS)).toMatchObject({ valid: true });
    expect(() => chains.validateAddress('BTC', 'testnet', BTC_TESTNET_P2WPKH)).toThrow(/not loaded/);
  });
});

/** A ledger over a database that throws on any use: nothing to complete must reserve nothing. */
function unusedLedger(): NonceLedger {
  const untouched = new Proxy(Object.create(null) as object, {
    get: (_target, name) => {
      if (name === 'collection') return () => untouched;
      throw new Error(`the nonce ledger's database was used (${String(name)}) with nothing to complete`);
    },
  });
  return new NonceLedger(untouched as Db, 1_000);
}
