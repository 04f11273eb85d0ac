// Signed transactions are settled, never signed twice: a broadcast whose answer was lost, or a runner that
// died between Tatum's acceptance and the BROADCAST write, leaves a SIGNED job that Tatum no longer lists;
// the next pass finds the transaction (on the node, or at Tatum's GET /v3/kms/{id}) and marks the job
// without a KMS call or a second broadcast. BROADCAST jobs are followed on the chain until CONFIRMED at the
// configured depth, and a transaction the node dropped is handed to it again (same bytes, same hash).
// A dedicated anvil with automine off lets the test decide when blocks come.
import {
  countingSigner as recordingSigner,
  evmDevLoopOptions,
  fundedEvmWallet,
} from '../support/evm-loop.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { evmPending } from '../../scripts/sandbox/pending-payloads.js';
import { startChainAnvil } from '../../scripts/stack/index.js';
import { ChainViews } from '../../src/chain-view/index.js';
import { SIGNING_AUDIT } from '../../src/tatum/audit.js';
import { SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import { SigningLoop, type SigningLoopOptions } from '../../src/tatum/loop.js';
import { EvmRpc, hexQuantity } from '../support/evm-rpc.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';
import { cli } from '../support/cli-harness.js';
import { stackProcessEnv } from '../support/stack.js';

const DEST = '0x8ba1f109551bd432803012645ac136ddd64dba72';
const BROADCAST_PATH = '/v3/evm-dev/broadcast';
let env: WalletTestEnv;
let sandbox: TatumSandbox;
let anvil: { url: string; stop(): Promise<void> };
let rpc: EvmRpc;
const signCalls: string[] = [];
const events: Record<string, unknown>[] = [];

/** Every KMS Sign call goes through here. */
const countingSigner = () =>
  recordingSigner(
    () => env.vault,
    (keyId) => signCalls.push(keyId),
  );

const loop = (over: Partial<SigningLoopOptions> = {}) =>
  new SigningLoop({
    ...evmDevLoopOptions(env, sandbox, countingSigner()),
    chainViews: new ChainViews({
      network: 'testnet',
      env: { KMS_SIGNER_RPC_EVM_DEV: anvil.url },
      retries: 0,
    }),
    reconcileEveryMs: 0,
    leaseMs: 300,
    confirmations: { EVM_DEV: 3 },
    log: (entry) => events.push(entry),
    ...over,
  });

const job = (id: string) => env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });
const finalRecords = (id: string) =>
  env.db
    .collection(SIGNING_AUDIT)
    .countDocuments({ pendingId: id, outcome: { $in: ['BROADCAST', 'FAILED'] } });
/** The tests run one after another, so every broadcast call in a test is the test's own. */
const broadcasts = () => sandbox.calls.filter((c) => c.path === BROADCAST_PATH).length;
const lookups = (id: string) =>
  sandbox.calls.filter((c) => c.method === 'GET' && c.path === `/v3/kms/${id}`).length;
const mine = (blocks: number) => rpc.call('anvil_mine', [`0x${blocks.toString(16)}`], z.unknown());
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const fundedWallet = () => fundedEvmWallet(env.service, rpc, 'settle');

function transfer(signatureId: string, fields: Record<string, unknown> = {}) {
  return sandbox.enqueue(
    evmPending(
      'EVM_DEV',
      signatureId,
      JSON.stringify({ from: 0, to: DEST, value: '1000', gasPrice: '0', ...fields }),
    ),
  );
}

beforeAll(async () => {
  env = await walletTestEnv();
  anvil = await startChainAnvil(31337);
  rpc = new EvmRpc(anvil.url);
  await rpc.call('evm_setAutomine', [false], z.unknown());
  sandbox = await startTatumSandbox({ evmNodes: { [BROADCAST_PATH]: anvil.url } });
});

afterAll(async () => {
  await sandbox.close();
  await anvil.stop();
  await env.close();
});

describe('settling signed transactions', () => {
  it('a lost broadcast answer: the next pass finds the transaction on the node and marks it, no second signature or broadcast', async () => {
    const wallet = await fundedWallet();
    const id = transfer(wallet.signatureId);
    // Tatum takes the broadcast (and forwards it to the node) but the answer never arrives.
    sandbox.failNext(BROADCAST_PATH, 'lost');
    const first = await loop().runPass();
    expect(first.results.find((r) => r.id === id)).toMatchObject({ outcome: 'RETRY' });
    expect((await job(id))?.state).toBe('SIGNED');
    expect(sandbox.completed.has(id)).toBe(true);
    expect(sandbox.pending().find((p) => p.id === id)?.txId).toBeDefined();
    const signed = signCalls.length;
    const sent = broadcasts();

    await pause(400); // the lease of the first pass lapses
    const second = await loop().runPass();
    expect(second.results.find((r) => r.id === id)).toMatchObject({
      outcome: 'BROADCAST',
      rebroadcast: false,
    });
    const settled = await job(id);
    expect(settled?.state).toBe('BROADCAST');
    expect(settled?.txId).toBe(sandbox.completed.get(id)?.txId);
    expect(signCalls.length).toBe(signed);
    expect(broadcasts()).toBe(sent);
    expect(events).toContainEqual(expect.objectContaining({ event: 'broadcast-found', id, from: 'chain' }));

    // Mined, then deep enough: CONFIRMED with exactly one final audit record.
    await mine(1);
    await loop().runPass();
    expect(await job(id)).toMatchObject({ state: 'BROADCAST', confirmations: 1 });
    await mine(2);
    await loop().runPass();
    expect(await job(id)).toMatchObject({ state: 'CONFIRMED', confirmations: 3 });
    expect(await finalRecords(id)).toBe(1);
  });

  it('a runner that dies after Tatum accepted the broadcast: settled from Tatum when no chain view is configured', async () => {
    const wallet = await fundedWallet();
    const nonce = await rpc.call('eth_getTransactionCount', [wallet.address, 'pending'], hexQuantity);
    const id = transfer(wallet.signatureId, { gas: '21000', gasPrice: '1000000000', nonce: Number(nonce) });
    const crashing = loop({
      chainViews: undefined,
      hooks: {
        afterBroadcast: () => {
          throw new Error('killed after the broadcast');
        },
      },
    });
    const first = await crashing.runPass();
    expect(first.results.find((r) => r.id === id)).toMatchObject({ outcome: 'RETRY' });
    expect((await job(id))?.state).toBe('SIGNED');
    const signed = signCalls.length;
    const sent = broadcasts();

    await pause(400);
    await loop({ chainViews: undefined }).runPass();
    expect((await job(id))?.state).toBe('BROADCAST');
    expect(lookups(id)).toBeGreaterThan(0);
    expect(signCalls.length).toBe(signed);
    expect(broadcasts()).toBe(sent);
    expect(events).toContainEqual(expect.objectContaining({ event: 'broadcast-found', id, from: 'tatum' }));
    expect(await finalRecords(id)).toBe(1);
    expect(sandbox.violations).toEqual([]);
  });

  it('a broadcast the node dropped is handed to it again with the same bytes, then confirmed', async () => {
    const wallet = await fundedWallet();
    const id = transfer(wallet.signatureId);
    await loop().runPass();
    const broadcastJob = await job(id);
    expect(broadcastJob?.state).toBe('BROADCAST');
    const hash = broadcastJob?.txId ?? '';
    await rpc.call('anvil_dropTransaction', [hash], z.unknown());
    expect(await rpc.call('eth_getTransactionByHash', [hash], z.unknown())).toBeNull();

    await loop({ vanishedAfterMs: 0 }).runPass();
    expect(events).toContainEqual(expect.objectContaining({ event: 'broadcast-vanished', id, txId: hash }));
    expect(
      await rpc.call('eth_getTransactionByHash', [hash], z.object({ hash: z.string() }).nullable()),
    ).toMatchObject({
      hash,
    });
    await mine(3);
    await loop().runPass();
    expect(await job(id)).toMatchObject({ state: 'CONFIRMED', txId: hash, confirmations: 3 });
    expect(signCalls.filter((k) => k === broadcastJob?.kmsKeyIds?.[0]).length).toBe(1);
  });

  it('`kms-signer jobs` lists the jobs by state for operators', async () => {
    const environment = stackProcessEnv({ database: env.db.databaseName, appTag: env.application });
    const out = await cli(['jobs', '--state', 'CONFIRMED', '--json'], { env: environment });
    expect(out.stderr).toBe('');
    const listed = z
      .array(z.object({ id: z.string(), state: z.string(), confirmations: z.number() }))
      .parse(JSON.parse(out.stdout));
    expect(listed.length).toBeGreaterThanOrEqual(2);
    expect(listed.every((job) => job.state === 'CONFIRMED' && job.confirmations >= 3)).toBe(true);
    const stored = await env.db
      .collection<SigningJobDoc>(SIGNING_JOBS)
      .countDocuments({ state: 'CONFIRMED' });
    expect(listed).toHaveLength(stored);
    const refused = await cli(['jobs', '--state', 'DONE'], { env: environment });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/state/);
  });
});
