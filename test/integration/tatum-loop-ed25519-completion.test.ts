// Tatum's SOL and EGLD payloads as Tatum sends them need one fact from the chain before they can be
// signed: SOL a fresh blockhash (the payload's is a placeholder), EGLD the account nonce (the payload has
// none). The loop takes them from the configured node — SOL from a Solana JSON-RPC answered by LiteSVM
// (test/support/litesvm-rpc.ts), EGLD from a MultiversX gateway through the nonce ledger — and a node
// that is down or on another network makes the job wait (RETRY) with zero KMS Sign calls.
// SOL broadcasts go through the sandbox to LiteSVM's sendTransaction, which executes them: the balance
// moves only if the signature verifies and the blockhash is LiteSVM's own. EGLD broadcasts are accepted
// only if @multiversx/sdk-core verifies them (no MultiversX runtime installs here).
import type { Address } from '@solana/kit';
import { lamports } from '@solana/kit';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainViews } from '../../src/chain-view/index.js';
import { CHAINS, deriveAddress } from '../../src/chains/index.js';
import { COLLECTIONS } from '../../src/db/documents.js';
import type { DigestSigner, MessageSigner } from '../../src/signer/types.js';
import { startEd25519LoopHarness, type Ed25519LoopHarness } from '../support/ed25519-loop.js';
import { startLiteSvmRpc, type LiteSvmRpc } from '../support/litesvm-rpc.js';
import { startMultiversXGateway, type FakeMultiversXGateway } from '../support/multiversx-gateway.js';
import { tatumEgldPayload } from '../support/multiversx.js';
import { compileLegacyMessage, ed25519TestKey, tatumSolPayload, transferSol } from '../support/solana.js';

let h: Ed25519LoopHarness;
let rpc: LiteSvmRpc;
let gateway: FakeMultiversXGateway;
let signCalls = 0;

beforeAll(async () => {
  rpc = await startLiteSvmRpc();
  gateway = await startMultiversXGateway('D');
  h = await startEd25519LoopHarness({ solanaRpcUrl: rpc.url, verifyEd25519Chains: true });
}, 60_000);

afterAll(async () => {
  await h.close();
  await rpc.close();
  await gateway.close();
});

/** The stack's KMS vault, counting Ed25519 Sign calls. */
function countingSigner(): DigestSigner & MessageSigner {
  const vault = h.env.vault;
  return {
    signDigest: (keyId, digest, publicKey) => vault.signDigest(keyId, digest, publicKey),
    signMessage: (keyId, message, publicKey) => {
      signCalls++;
      return vault.signMessage(keyId, message, publicKey);
    },
  };
}

function loop(chain: 'SOL' | 'EGLD', env: Record<string, string> = {}) {
  const chainViews = new ChainViews({
    network: 'testnet',
    env: { KMS_SIGNER_RPC_SOL: rpc.url, KMS_SIGNER_RPC_EGLD: gateway.url, ...env },
    retries: 0,
  });
  return h.loop([chain], { chainViews, signer: countingSigner(), leaseMs: 5_000 });
}

const jobDoc = (id: string) =>
  h.env.db
    .collection<{ _id: string; completion?: Record<string, { value: string }> }>(COLLECTIONS.signingJobs)
    .findOne({ _id: id });

describe('SOL: the fresh blockhash comes from the configured Solana node', () => {
  it('signs Tatum’s placeholder-blockhash payload with LiteSVM’s blockhash; LiteSVM executes it', async () => {
    const wallet = await h.createWallet('SOL');
    rpc.svm.airdrop(wallet.address as Address, lamports(2_000_000_000n));
    const destination = ed25519TestKey(`sol-dest-${randomUUID()}`).address;
    const id = h.sandbox.enqueue({
      chain: 'SOL',
      hashes: [wallet.signatureId],
      serializedTransaction: tatumSolPayload(
        compileLegacyMessage(wallet.address, [transferSol(wallet.address, destination, 1_234_567n)]),
      ),
    });
    const pass = await loop('SOL').runPass();
    await h.expectBroadcasts(
      pass,
      new Map([[id, { chain: 'SOL', transfers: [{ asset: 'native', to: destination, amount: '1234567' }] }]]),
    );
    expect(rpc.svm.getBalance(destination as Address)).toBe(1_234_567n);
    expect((await jobDoc(id))?.completion?.recentBlockhash?.value).toBe(rpc.svm.latestBlockhash());
    expect(rpc.calls).toEqual(
      expect.arrayContaining(['getGenesisHash', 'getLatestBlockhash', 'sendTransaction']),
    );
  });

  it('waits while the node is down (0 Sign calls), then signs when it is back', async () => {
    const wallet = await h.createWallet('SOL');
    rpc.svm.airdrop(wallet.address as Address, lamports(1_000_000_000n));
    const destination = ed25519TestKey(`sol-down-${randomUUID()}`).address;
    const id = h.sandbox.enqueue({
      chain: 'SOL',
      hashes: [wallet.signatureId],
      serializedTransaction: tatumSolPayload(
        compileLegacyMessage(wallet.address, [transferSol(wallet.address, destination, 5_000_000n)]),
      ),
    });
    const before = signCalls;
    rpc.down = true;
    const waiting = (await loop('SOL').runPass()).results.find((r) => r.id === id);
    rpc.down = false;
    expect(waiting).toMatchObject({ outcome: 'RETRY' });
    expect(waiting?.error).toMatch(/HTTP 503/);
    expect(signCalls).toBe(before);
    expect(h.sandbox.completed.has(id)).toBe(false);

    const after = (await loop('SOL').runPass()).results.find((r) => r.id === id);
    expect(after).toMatchObject({ outcome: 'BROADCAST' });
    expect(signCalls).toBe(before + 1);
    expect(rpc.svm.getBalance(destination as Address)).toBe(5_000_000n);
  });

  it('a node of another cluster (mainnet genesis) or with no URL configured makes the job wait, unsigned', async () => {
    const wallet = await h.createWallet('SOL');
    const id = h.sandbox.enqueue({
      chain: 'SOL',
      hashes: [wallet.signatureId],
      serializedTransaction: tatumSolPayload(
        compileLegacyMessage(wallet.address, [transferSol(wallet.address, wallet.address, 1n)]),
      ),
    });
    const before = signCalls;
    rpc.genesisHash = CHAINS.SOL.networks.mainnet.genesisHash;
    const foreign = (await loop('SOL').runPass()).results.find((r) => r.id === id);
    rpc.genesisHash = CHAINS.SOL.networks.testnet.genesisHash;
    expect(foreign).toMatchObject({ outcome: 'RETRY' });
    expect(foreign?.error).toMatch(/genesis 5eykt4/);
    const unconfigured = (await loop('SOL', { KMS_SIGNER_RPC_SOL: '' }).runPass()).results.find(
      (r) => r.id === id,
    );
    expect(unconfigured).toMatchObject({ outcome: 'RETRY' });
    expect(unconfigured?.error).toMatch(/KMS_SIGNER_RPC_SOL/);
    expect(signCalls).toBe(before);
  });
});

describe('EGLD: the nonce comes from the gateway through the nonce ledger', () => {
  function enqueueEgld(wallet: { signatureId: string; address: string }, to: string, value: string) {
    return h.sandbox.enqueue({
      chain: 'EGLD',
      hashes: [wallet.signatureId],
      serializedTransaction: tatumEgldPayload({ from: wallet.address, to, value }),
    });
  }
  const signedNonce = (id: string) =>
    (JSON.parse(h.sandbox.completed.get(id)?.txData ?? '{}') as { nonce?: number }).nonce;

  it('two pending transfers of one wallet get consecutive nonces from the gateway’s; sdk-core verifies both', async () => {
    const wallet = await h.createWallet('EGLD');
    gateway.nonces.set(wallet.address, 7);
    const to = deriveAddress('EGLD', 'testnet', ed25519TestKey(`egld-${randomUUID()}`).publicKey);
    const first = enqueueEgld(wallet, to, '0.5');
    const second = enqueueEgld(wallet, to, '0.25');
    const pass = await loop('EGLD').runPass();
    await h.expectBroadcasts(
      pass,
      new Map([
        [first, { chain: 'EGLD', transfers: [{ asset: 'native', to, amount: '500000000000000000' }] }],
        [second, { chain: 'EGLD', transfers: [{ asset: 'native', to, amount: '250000000000000000' }] }],
      ]),
    );
    expect([signedNonce(first), signedNonce(second)].sort()).toEqual([7, 8]);
    expect((await jobDoc(first))?.completion?.nonce?.value).toBe(String(signedNonce(first)));

    // The gateway does not count the mempool: it still says 7, the ledger hands out 9.
    gateway.down = true;
    const before = signCalls;
    const third = enqueueEgld(wallet, to, '1');
    const waiting = (await loop('EGLD').runPass()).results.find((r) => r.id === third);
    gateway.down = false;
    expect(waiting).toMatchObject({ outcome: 'RETRY' });
    expect(signCalls).toBe(before);
    expect((await loop('EGLD').runPass()).results.find((r) => r.id === third)).toMatchObject({
      outcome: 'BROADCAST',
    });
    expect(signedNonce(third)).toBe(9);
  });

  it('a gateway of another chain (mainnet "1") makes the job wait with zero Sign calls', async () => {
    const wallet = await h.createWallet('EGLD');
    const to = deriveAddress('EGLD', 'testnet', ed25519TestKey(`egld-x-${randomUUID()}`).publicKey);
    const id = enqueueEgld(wallet, to, '0.1');
    const before = signCalls;
    gateway.chainId = '1';
    const result = (await loop('EGLD').runPass()).results.find((r) => r.id === id);
    gateway.chainId = 'D';
    expect(result).toMatchObject({ outcome: 'RETRY' });
    expect(result?.error).toMatch(/chain id "1", expected "D"/);
    expect(signCalls).toBe(before);
    expect(h.sandbox.completed.has(id)).toBe(false);
  });
});
