// Tatum's SOL and EGLD payloads as Tatum sends them need one fact from the chain before they can be
// signed: SOL a fresh blockhash (the payload's is a placeholder), EGLD the account nonce (the payload has
// none). The loop takes them from the configured node — SOL from a Solana JSON-RPC answered by LiteSVM
// (test/support/litesvm-rpc.ts), EGLD from a MultiversX gateway through the nonce ledger — and a node
// that is down or on another network makes the job wait (RETRY) with zero KMS Sign calls.
// SOL broadcasts go through the sandbox to LiteSVM's sendTransaction, which executes them: the balance
// moves only if the signature verifies and the blockhash is LiteSVM's own. EGLD broadcasts are accepted
// only if @multiversx/sdk-core verifies them (no MultiversX runtime installs here).
// SOL jobs are then settled on the same LiteSVM cluster (last, since refused leftovers of the SOL tests
// above are reported when these passes reach them): confirmed when finalized, a lost answer found by
// signature, bytes whose blockhash expired unlanded FAILED (SIGNED: reported; BROADCAST: expiredUnlanded).
import type { Address } from '@solana/kit';
import { lamports } from '@solana/kit';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainViews } from '../../src/chain-view/index.js';
import { CHAINS, deriveAddress } from '../../src/chains/index.js';
import { COLLECTIONS } from '../../src/db/documents.js';
import { TATUM_BROADCAST_PATHS } from '../../src/tatum/client.js';
import { JobStore, type SigningJobDoc } from '../../src/tatum/jobs.js';
import type { SigningLoopOptions } from '../../src/tatum/loop.js';
import type { DigestSigner, MessageSigner } from '../../src/signer/types.js';
import { startEd25519LoopHarness, type Ed25519LoopHarness } from '../support/ed25519-loop.js';
import { FINALITY_SLOTS, startLiteSvmRpc, type LiteSvmRpc } from '../support/litesvm-rpc.js';
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

function loop(
  chain: 'SOL' | 'EGLD',
  env: Record<string, string> = {},
  more: Partial<SigningLoopOptions> = {},
) {
  const chainViews = new ChainViews({
    network: 'testnet',
    env: { KMS_SIGNER_RPC_SOL: rpc.url, KMS_SIGNER_RPC_EGLD: gateway.url, ...env },
    retries: 0,
  });
  return h.loop([chain], { chainViews, signer: countingSigner(), leaseMs: 5_000, ...more });
}

const jobDoc = (id: string) =>
  h.env.db
    .collection<{ _id: string; completion?: Record<string, { value: string }> }>(COLLECTIONS.signingJobs)
    .findOne({ _id: id });

/** A funded SOL wallet's transfer of `amount` lamports queued at the sandbox in Tatum's payload shape. */
async function enqueueTransfer(amount: bigint) {
  const wallet = await h.createWallet('SOL');
  rpc.svm.airdrop(wallet.address as Address, lamports(1_000_000_000n));
  const destination = ed25519TestKey(`sol-dest-${randomUUID()}`).address;
  const id = h.sandbox.enqueue({
    chain: 'SOL',
    hashes: [wallet.signatureId],
    serializedTransaction: tatumSolPayload(
      compileLegacyMessage(wallet.address, [transferSol(wallet.address, destination, amount)]),
    ),
  });
  return { id, destination, received: () => rpc.svm.getBalance(destination as Address) ?? 0n };
}

describe('SOL: the fresh blockhash comes from the configured Solana node', () => {
  it('signs Tatum’s placeholder-blockhash payload with LiteSVM’s blockhash; LiteSVM executes it', async () => {
    const { id, destination } = await enqueueTransfer(1_234_567n);
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
    const { id, destination } = await enqueueTransfer(5_000_000n);
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

describe('SOL: settled on the cluster (getSignatureStatuses, finalized getBlockHeight, blockhash expiry)', () => {
  const events: Record<string, unknown>[] = [];
  /** A loop that settles on every pass, with a short lease so a SIGNED job is taken over quickly. */
  const settling = () => loop('SOL', {}, { reconcileEveryMs: 0, leaseMs: 300, log: (e) => events.push(e) });
  const sends = () => rpc.calls.filter((method) => method === 'sendTransaction').length;
  const job = (id: string) =>
    h.env.db.collection<SigningJobDoc>(COLLECTIONS.signingJobs).findOne({ _id: id });
  const reports = (id: string) => h.sandbox.reportedErrors.filter((r) => r.signatureId === id);
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const SOL_BROADCAST = TATUM_BROADCAST_PATHS.SOL ?? '/v3/solana/broadcast';

  it('(a) a broadcast SOL transaction is followed until finalized, then CONFIRMED', async () => {
    const { id, received } = await enqueueTransfer(3_000_000n);
    const first = await settling().runPass();
    expect(first.results.find((r) => r.id === id)).toMatchObject({ outcome: 'BROADCAST' });
    expect(received()).toBe(3_000_000n);
    // Landed but not finalized yet: still BROADCAST.
    await settling().runPass();
    expect(await job(id)).toMatchObject({ state: 'BROADCAST', confirmations: 0 });
    rpc.finalize();
    await settling().runPass();
    expect(await job(id)).toMatchObject({ state: 'CONFIRMED', confirmations: 1 });
    expect(events).toContainEqual(expect.objectContaining({ event: 'confirmed', id }));
    expect(rpc.calls).toEqual(expect.arrayContaining(['getSignatureStatuses']));
  });

  it('(b) a lost broadcast answer: found on the cluster, BROADCAST with no second send or signature', async () => {
    const { id, received } = await enqueueTransfer(4_000_000n);
    h.sandbox.failNext(SOL_BROADCAST, 'lost');
    const first = await settling().runPass();
    expect(first.results.find((r) => r.id === id)).toMatchObject({ outcome: 'RETRY' });
    expect((await job(id))?.state).toBe('SIGNED');
    const [signed, sent] = [signCalls, sends()];
    await pause(400); // the first runner's lease lapses; Tatum no longer lists the transaction
    const second = await settling().runPass();
    expect(second.results.find((r) => r.id === id)).toMatchObject({
      outcome: 'BROADCAST',
      rebroadcast: false,
    });
    expect(events).toContainEqual(expect.objectContaining({ event: 'broadcast-found', id, from: 'chain' }));
    expect([signCalls, sends()]).toEqual([signed, sent]);
    expect(received()).toBe(4_000_000n);
  });

  it('(c) refused, then the blockhash expired: FAILED with the reason, reported once, never signed again', async () => {
    const { id, received } = await enqueueTransfer(5_000_000n);
    h.sandbox.failNext(SOL_BROADCAST, 503);
    const first = await settling().runPass();
    expect(first.results.find((r) => r.id === id)).toMatchObject({ outcome: 'RETRY' });
    const stored = await job(id);
    const validTo = Number(stored?.completion?.lastValidBlockHeight?.value);
    const [signed, sent] = [signCalls, sends()];
    rpc.expireBlockhash();

    const second = await settling().runPass();
    const failed = second.results.find((r) => r.id === id);
    expect(failed).toMatchObject({ outcome: 'FAILED' });
    const height = Number(rpc.svm.getClock().slot) - FINALITY_SLOTS;
    const reason = `blockhash expired at block height ${height} (valid to ${validTo}) before the transaction landed; nothing was spent`;
    expect(failed?.error).toBe(reason);
    expect(await job(id)).toMatchObject({ state: 'FAILED', error: reason, expiredUnlanded: true });
    expect(await job(id)).not.toHaveProperty('unreported');
    // Nothing was spent: the wallet's daily limit does not count the signed amount.
    const [spend] = stored?.spend ?? [];
    expect(spend?.amount).toBe('5000000');
    const jobStore = new JobStore(h.env.db, 60_000);
    expect(await jobStore.spentToday([spend?.wallet ?? ''], spend?.asset ?? '', new Date(), '')).toBe(0n);
    await settling().runPass();
    expect(reports(id)).toEqual([{ signatureId: id, error: reason }]);
    expect([signCalls, sends(), received()]).toEqual([signed, sent, 0n]);
  });

  it('(d) refused while the blockhash is valid: the same bytes are sent again and execute once', async () => {
    const { id, received } = await enqueueTransfer(6_000_000n);
    h.sandbox.failNext(SOL_BROADCAST, 503);
    await settling().runPass();
    const stored = await job(id);
    expect(stored?.state).toBe('SIGNED');
    const signed = signCalls;
    const second = await settling().runPass();
    expect(second.results.find((r) => r.id === id)).toMatchObject({
      outcome: 'BROADCAST',
      rebroadcast: true,
    });
    expect(h.sandbox.completed.get(id)?.txData).toBe(stored?.signed);
    expect(signCalls).toBe(signed);
    expect(received()).toBe(6_000_000n);
    expect(reports(id)).toEqual([]);
  });

  it('(e) completed by Tatum but dropped by the node, blockhash expired: FAILED expiredUnlanded, not reported', async () => {
    const { id, received } = await enqueueTransfer(7_000_000n);
    rpc.dropping = true;
    const first = await settling().runPass();
    rpc.dropping = false;
    expect(first.results.find((r) => r.id === id)).toMatchObject({ outcome: 'BROADCAST' });
    // Still valid: the job waits (the vanished-broadcast resend comes only after 10 minutes).
    await settling().runPass();
    expect((await job(id))?.state).toBe('BROADCAST');
    const signed = signCalls;
    rpc.expireBlockhash();
    await settling().runPass();
    const settled = await job(id);
    expect(settled).toMatchObject({ state: 'FAILED', expiredUnlanded: true });
    expect(settled?.error).toMatch(/never landed: blockhash expired at block height \d+ \(valid to \d+\)/);
    expect(events).toContainEqual(
      expect.objectContaining({ event: 'broadcast-expired', id, txId: settled?.txId }),
    );
    await pause(400); // past a lease: the reconciler would report any FAILED job still unreported
    await settling().runPass();
    expect(reports(id)).toEqual([]);
    expect([signCalls, received()]).toEqual([signed, 0n]);
  });
});
