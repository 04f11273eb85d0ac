// Fencing under a stalled database connection (issue 17 item 2), with real parts: runner A talks to
// FerretDB through a TCP proxy that is paused right as A's KMS signature comes back, so A's store of the
// signed bytes sits in the proxy past A's lease. Runner B (a direct connection) takes the job over, signs,
// stores and broadcasts it. Then the proxy delivers A's held bytes: A's late writes reach the server and
// must change nothing — no regression from BROADCAST, A's bytes never stored as the job's, no second
// broadcast — and A must stop.
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { evmPending } from '../../scripts/sandbox/pending-payloads.js';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { ChainViews } from '../../src/chain-view/index.js';
import { SIGNING_AUDIT } from '../../src/tatum/audit.js';
import {
  SIGNED_TRANSACTIONS,
  SIGNING_JOBS,
  type SignedTransactionDoc,
  type SigningJobDoc,
} from '../../src/tatum/jobs.js';
import { SigningLoop } from '../../src/tatum/loop.js';
import { countingSigner, evmDevLoopOptions, fundedEvmWallet } from '../support/evm-loop.js';
import { EvmRpc, hexQuantity } from '../support/evm-rpc.js';
import { stackEndpoints } from '../support/stack.js';
import { PausableTcpProxy } from '../support/tcp-proxy.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

const LEASE_MS = 2_000;
const BROADCAST_PATH = '/v3/evm-dev/broadcast';
const DEST = '0x8ba1f109551bd432803012645ac136ddd64dba72';

let env: WalletTestEnv;
let sandbox: TatumSandbox;
let proxy: PausableTcpProxy;
let stalledMongo: MongoClient;
let rpc: EvmRpc;
let evmRpcUrl: string;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  env = await walletTestEnv();
  const endpoints = stackEndpoints();
  evmRpcUrl = endpoints.evmRpcUrl;
  rpc = new EvmRpc(evmRpcUrl);
  const target = new URL(endpoints.mongoUri);
  proxy = await PausableTcpProxy.start(target.hostname, Number(target.port));
  const proxied = new URL(endpoints.mongoUri);
  proxied.host = `127.0.0.1:${proxy.port}`;
  proxied.searchParams.set('directConnection', 'true');
  // Poll-mode monitoring with a long period: the stall is meant for A's job writes, not its heartbeats.
  stalledMongo = await MongoClient.connect(proxied.toString(), {
    serverMonitoringMode: 'poll',
    heartbeatFrequencyMS: 60_000,
  });
  sandbox = await startTatumSandbox({ evmRpcUrl });
});

afterAll(async () => {
  proxy.resume();
  await stalledMongo.close(true);
  await proxy.close();
  await sandbox.close();
  await env.close();
});

it("a runner whose store stalled past its lease is fenced: the takeover's broadcast stands, the late writes change nothing", async () => {
  const wallet = await fundedEvmWallet(env.service, rpc, 'stall');
  const id = sandbox.enqueue(
    evmPending('EVM_DEV', wallet.signatureId, JSON.stringify({ to: DEST, value: '1000' })),
  );
  const signs: string[] = [];
  const chainViews = new ChainViews({
    network: 'testnet',
    env: { KMS_SIGNER_RPC_EVM_DEV: evmRpcUrl },
    retries: 0,
  });
  const runner = (name: string, db: MongoClient, onSign: () => void) =>
    new SigningLoop({
      ...evmDevLoopOptions(
        { db: db.db(env.db.databaseName), service: env.service },
        sandbox,
        countingSigner(
          () => env.vault,
          () => {
            signs.push(name);
            onSign();
          },
        ),
      ),
      chainViews,
      runnerId: name,
      leaseMs: LEASE_MS,
      reconcileEveryMs: 0,
      transactionIds: [id],
    });

  // A: the connection stalls the moment A asks KMS for its signature; the store that follows is held.
  const a = runner('runner-a', stalledMongo, () => {
    if (signs.length === 1) proxy.pause();
  });
  const aPass = a.runPass();
  while (!proxy.isPaused) await pause(50);
  await pause(LEASE_MS + 200);

  // B: takes the job over once A's lease ran out, and finishes it.
  const b = runner('runner-b', env.mongo, () => undefined);
  let bOutcome: string | undefined;
  for (let attempt = 0; attempt < 40 && bOutcome !== 'BROADCAST'; attempt++) {
    bOutcome = (await b.runPass()).results.find((r) => r.id === id)?.outcome;
    if (bOutcome !== 'BROADCAST') await pause(250);
  }
  expect(bOutcome).toBe('BROADCAST');
  const settled = await env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });
  expect(settled).toMatchObject({ state: 'BROADCAST', owner: 'runner-b' });

  // A's held bytes are delivered now; A must stop without writing or broadcasting anything.
  expect(proxy.heldChunks).toBeGreaterThan(0);
  proxy.resume();
  const aResult = (await aPass).results.find((r) => r.id === id);
  expect(aResult).toMatchObject({ outcome: 'RETRY', error: expect.stringMatching(/lease/) as string });
  await pause(500);

  const job = await env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });
  expect(job).toMatchObject({
    state: 'BROADCAST',
    owner: 'runner-b',
    fence: settled?.fence,
    txId: settled?.txId,
    signed: settled?.signed,
  });
  const bytes = await env.db.collection<SignedTransactionDoc>(SIGNED_TRANSACTIONS).findOne({ _id: id });
  expect(bytes).toMatchObject({ owner: 'runner-b', signed: settled?.signed });
  // Both runners signed (A before its stall), but only B's bytes left: one broadcast, one mined tx.
  expect(signs).toEqual(['runner-a', 'runner-b']);
  expect(sandbox.calls.filter((c) => c.path === BROADCAST_PATH && c.status === 200)).toHaveLength(1);
  expect(sandbox.violations).toEqual([]);
  expect(sandbox.completed.get(id)?.txId).toBe(settled?.txId);
  const nonce = await rpc.call('eth_getTransactionCount', [wallet.address, 'pending'], hexQuantity);
  expect(nonce).toBe(1n);
  const mined = await rpc.call(
    'eth_getTransactionByHash',
    [settled?.txId],
    z.object({ hash: z.string() }).nullable(),
  );
  expect(mined?.hash).toBe(settled?.txId);
  expect(
    await env.db
      .collection(SIGNING_AUDIT)
      .countDocuments({ pendingId: id, outcome: { $in: ['BROADCAST', 'FAILED'] } }),
  ).toBe(1);
}, 90_000);
