// The Tatum signing loop end to end: real WalletService (LocalStack KMS + FerretDB), the Tatum sandbox
// and its HTTP client, anvil. Proves exactly-once signing (two loops at once, a crash between storing
// the bytes and broadcasting), and that refusals of every kind are recorded and reported with nothing
// signed. KMS Sign calls are counted through a wrapping DigestSigner.
import {
  countingSigner as recordingSigner,
  evmDevLoopOptions,
  fundedEvmWallet,
} from '../support/evm-loop.js';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { keyScripts } from '../../scripts/sandbox/bitcoin-payloads.js';
import { fundScripts } from '../../scripts/sandbox/btc-funding.js';
import { bitcorePending, evmPayload, evmPending } from '../../scripts/sandbox/pending-payloads.js';
import { btcRpc } from '../../scripts/stack/btc-rpc.js';
import { btcTestKey, decodeRegtestWif } from '../../scripts/stack/btc-mining-key.js';
import { MongoClient, type CommandStartedEvent, type CommandSucceededEvent } from 'mongodb';
import { z } from 'zod';
import { ChainViews } from '../../src/chain-view/index.js';
import { runMigrations } from '../../src/db/index.js';
import { SIGNING_AUDIT, type AuditRecord } from '../../src/tatum/audit.js';
import { createTatumClient } from '../../src/tatum/client.js';
import { SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import { SigningLoop, type SigningLoopOptions } from '../../src/tatum/loop.js';
import { runDaemon } from '../../src/tatum/daemon.js';
import type { WalletService, WalletView } from '../../src/wallets/contract.js';
import { EvmRpc, hexQuantity, receiptSchema } from '../support/evm-rpc.js';
import { stackEndpoints } from '../support/stack.js';
import { randomSuffix, walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

const DEST = '0x8ba1f109551bd432803012645ac136ddd64dba72';
let env: WalletTestEnv;
let sandbox: TatumSandbox;
let rpc: EvmRpc;
let gasPrice: bigint;
let fourEye: Server;
let fourEyeUrl: string;
const signCalls: { keyId: string; digest: string }[] = [];

/** Every KMS Sign call goes through here. */
const countingSigner = () =>
  recordingSigner(
    () => env.vault,
    (keyId, digest) => {
      signCalls.push({ keyId, digest: Buffer.from(digest).toString('hex') });
    },
  );

const loop = (over: Partial<SigningLoopOptions> = {}) =>
  new SigningLoop({
    ...evmDevLoopOptions(env, sandbox, countingSigner()),
    concurrency: 4,
    ...over,
  });

const fundedWallet = (service: WalletService = env.service) => fundedEvmWallet(service, rpc, 'loop');

const transfer = (wallet: WalletView, nonce: number, value = 10n ** 15n) =>
  evmPending('EVM_DEV', wallet.signatureId, evmPayload({ to: DEST, value, gasPrice, nonce }));

const job = (id: string) => env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });
const audits = (id: string) =>
  env.db.collection<AuditRecord>(SIGNING_AUDIT).find({ pendingId: id }).toArray();
const reportedFor = (id: string) => sandbox.reportedErrors.filter((e) => e.signatureId === id);
const nonceOf = (address: string) => rpc.call('eth_getTransactionCount', [address, 'latest'], hexQuantity);

beforeAll(async () => {
  env = await walletTestEnv();
  const endpoints = stackEndpoints();
  rpc = new EvmRpc(endpoints.evmRpcUrl);
  gasPrice = (await rpc.gasPrice()) * 2n;
  sandbox = await startTatumSandbox({ evmRpcUrl: endpoints.evmRpcUrl, btcRpc: endpoints.btcRpc });
  fourEye = createServer((req, res) => {
    res.statusCode = req.url?.includes('/deny/') ? 403 : 200;
    res.end();
  });
  await new Promise<void>((resolve) => fourEye.listen(0, '127.0.0.1', resolve));
  fourEyeUrl = `http://127.0.0.1:${(fourEye.address() as AddressInfo).port}`;
});

afterAll(async () => {
  fourEye.closeAllConnections();
  await new Promise((resolve) => fourEye.close(resolve));
  await sandbox.close();
  await env.close();
});

describe('Tatum signing loop', () => {
  it('signs a pending ETH transfer, stores it, broadcasts it, and it is mined', async () => {
    const wallet = await fundedWallet();
    const id = sandbox.enqueue(transfer(wallet, 0));
    const before = signCalls.length;
    const pass = await loop({ externalUrl: `${fourEyeUrl}/ok`, externalUrlMethod: 'POST' }).runPass();
    const result = pass.results.find((r) => r.id === id);
    expect(result).toMatchObject({ outcome: 'BROADCAST', rebroadcast: false });
    expect(signCalls.length - before).toBe(1);
    const receipt = await rpc.call('eth_getTransactionReceipt', [result?.txId], receiptSchema);
    expect(receipt.status).toBe('0x1');
    expect(receipt.from.toLowerCase()).toBe(wallet.address.toLowerCase());

    const stored = await job(id);
    expect(stored).toMatchObject({ state: 'BROADCAST', txId: result?.txId, kmsKeyIds: [wallet.kmsKeyId] });
    expect(sandbox.completed.get(id)?.txData).toBe(stored?.signed);
    const [audit] = await audits(id);
    expect(audit).toMatchObject({
      outcome: 'BROADCAST',
      wallets: [wallet.signatureId],
      kmsKeyIds: [wallet.kmsKeyId],
      txId: result?.txId,
      fourEye: { checked: true, ok: true },
      policy: { allowed: true, transfers: [{ asset: 'native', to: DEST, amount: (10n ** 15n).toString() }] },
    });
    expect(audit?.digests).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(sandbox.apiKey);
  });

  it('three loops running at once sign each pending transaction exactly once', async () => {
    const wallet = await fundedWallet();
    const ids = Array.from({ length: 6 }, (_, nonce) => sandbox.enqueue(transfer(wallet, nonce)));
    const before = signCalls.length;
    const runners = ['a', 'b', 'c'].map((name) => loop({ runnerId: `runner-${name}`, transactionIds: ids }));
    const outcomes: string[] = [];
    for (let round = 0; round < 3; round++) {
      const passes = await Promise.all(runners.map((r) => r.runPass()));
      outcomes.push(...passes.flatMap((p) => p.results.map((r) => r.outcome)));
    }
    // The first round: three runners race for six ids (18 results); each id is done by exactly one
    // runner, the others find it claimed (BUSY) or done (SKIPPED). Done ids are no longer pending.
    expect(outcomes).toHaveLength(18);
    expect(outcomes.filter((o) => o === 'FAILED' || o === 'RETRY')).toEqual([]);
    expect(outcomes.filter((o) => o === 'BROADCAST')).toHaveLength(6);

    const mine = signCalls.slice(before);
    expect(mine).toHaveLength(6);
    expect(new Set(mine.map((c) => c.digest)).size).toBe(6);
    expect(sandbox.violations).toEqual([]);
    for (const id of ids) {
      expect((await job(id))?.state).toBe('BROADCAST');
      const broadcasts = sandbox.calls.filter((c) => c.path === sandbox.broadcastPaths.EVM_DEV);
      expect(broadcasts.length).toBeGreaterThan(0);
      expect(sandbox.completed.has(id)).toBe(true);
    }
    // One signed payload per pending id, and all six nonces mined.
    const jobs = await Promise.all(ids.map(job));
    expect(new Set(jobs.map((j) => j?.signed)).size).toBe(6);
    expect(await nonceOf(wallet.address)).toBe(6n);
  });

  it('a loop killed after storing the bytes and before broadcasting: the restart re-broadcasts the same bytes', async () => {
    const wallet = await fundedWallet();
    const id = sandbox.enqueue(transfer(wallet, 0));
    const before = signCalls.length;
    let kill: (reason: Error) => void = () => undefined;
    const stuck = new Promise<void>((_, reject) => (kill = reject));
    let storedBytes: string | null = null;
    // The first runner hangs right after the store, holding a short lease (as if the process died).
    const first = loop({
      runnerId: 'doomed',
      leaseMs: 1_500,
      transactionIds: [id],
      hooks: {
        afterStore: (_pending, stored) => {
          storedBytes = stored.signed;
          return stuck;
        },
      },
    }).runPass();
    await expect.poll(() => storedBytes, { timeout: 30_000 }).not.toBeNull();
    expect((await job(id))?.state).toBe('SIGNED');
    expect(sandbox.completed.has(id)).toBe(false);

    // While the lease lives nobody else touches it; after it expires the restart re-broadcasts.
    const restarted = loop({ runnerId: 'restarted', transactionIds: [id] });
    expect((await restarted.runPass()).results).toMatchObject([{ id, outcome: 'BUSY' }]);
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    const pass = await restarted.runPass();
    expect(pass.results).toMatchObject([{ id, outcome: 'BROADCAST', rebroadcast: true }]);
    expect(signCalls.length - before).toBe(1);
    expect(sandbox.completed.get(id)?.txData).toBe(storedBytes);
    expect(await nonceOf(wallet.address)).toBe(1n);
    kill(new Error('killed'));
    await first;
    expect(sandbox.violations).toEqual([]);
    expect((await job(id))?.state).toBe('BROADCAST');
  });

  it('four-eyes refusal, policy denial, unknown and disabled wallets, malformed payload: recorded, reported, nothing signed', async () => {
    const wallet = await fundedWallet();
    const disabled = await fundedWallet();
    const unknownId = randomUUID();
    const refused = sandbox.enqueue(transfer(wallet, 0));
    const before = signCalls.length;
    const batchCalls = () => sandbox.calls.filter((c) => c.path === '/v3/tatum/kms/batch').length;
    const batchesBefore = batchCalls();

    // Four-eyes says no.
    const p1 = await loop({ externalUrl: `${fourEyeUrl}/deny`, transactionIds: [refused] }).runPass();
    expect(p1.results).toMatchObject([
      { id: refused, outcome: 'FAILED', error: expect.stringMatching(/four-eyes.*403/) as string },
    ]);
    expect((await audits(refused))[0]).toMatchObject({
      outcome: 'FAILED',
      fourEye: { ok: false, detail: 'HTTP 403' },
    });

    // Policy: 1e15 wei above a 1000 wei cap.
    const denied = sandbox.enqueue(transfer(wallet, 1));
    const policy = { EVM_DEV: { limits: { native: { perTransaction: 1000n } } } };
    const p2 = await loop({ policy, transactionIds: [denied] }).runPass();
    expect(p2.results).toMatchObject([
      { id: denied, outcome: 'FAILED', error: expect.stringMatching(/policy denied/) as string },
    ]);
    expect((await job(denied))?.policy).toMatchObject({ allowed: false, policy: true });

    // A wallet we do not know, and a disabled one.
    const unknown = sandbox.enqueue(
      evmPending('EVM_DEV', unknownId, evmPayload({ to: DEST, value: 1n, gasPrice, nonce: 0 })),
    );
    const off = sandbox.enqueue(transfer(disabled, 0));
    await env.service.disableWallet(disabled.signatureId);
    const p3 = await loop({ walletIds: [unknownId, disabled.signatureId] }).runPass();
    expect(p3.results.find((r) => r.id === unknown)).toMatchObject({
      outcome: 'FAILED',
      error: expect.stringMatching(/unknown/) as string,
    });
    expect(p3.results.find((r) => r.id === off)).toMatchObject({
      outcome: 'FAILED',
      error: expect.stringMatching(/DISABLED/) as string,
    });

    // A serializedTransaction the signer cannot parse.
    const malformed = sandbox.enqueue(
      evmPending('EVM_DEV', wallet.signatureId, '{"to": "0x12", "value": "x"'),
    );
    const p4 = await loop({ transactionIds: [malformed] }).runPass();
    expect(p4.results).toMatchObject([
      { id: malformed, outcome: 'FAILED', error: expect.stringMatching(/refused/) as string },
    ]);

    expect(signCalls.length - before).toBe(0);
    for (const id of [refused, denied, unknown, off, malformed]) {
      expect((await job(id))?.state).toBe('FAILED');
      expect(reportedFor(id)).toHaveLength(1);
      expect(await audits(id)).toMatchObject([{ outcome: 'FAILED' }]);
    }
    // One error batch per pass that had failures.
    expect(batchCalls() - batchesBefore).toBe(4);
    // FAILED jobs are skipped afterwards, not retried or re-reported.
    const again = await loop({ transactionIds: [refused, denied, malformed] }).runPass();
    expect(again.results.map((r) => r.outcome)).toEqual(['SKIPPED', 'SKIPPED', 'SKIPPED']);
    expect(again.reported).toEqual([]);
  });

  it('a per-wallet daily limit counts what the wallet already signed', async () => {
    const wallet = await fundedWallet();
    const ids = [0, 1, 2].map((nonce) => sandbox.enqueue(transfer(wallet, nonce)));
    const policy = { EVM_DEV: { limits: { native: { daily: 25n * 10n ** 14n } } } };
    const pass = await loop({ policy, concurrency: 1, transactionIds: ids }).runPass();
    expect(pass.results.map((r) => r.outcome)).toEqual(['BROADCAST', 'BROADCAST', 'FAILED']);
    expect(pass.results[2]?.error).toMatch(/daily total 3000000000000000 would exceed/);
  });

  it('a daily limit holds when jobs of one wallet run side by side in two runners', async () => {
    const wallet = await fundedWallet();
    const ids = [0, 1, 2, 3, 4, 5].map((nonce) => sandbox.enqueue(transfer(wallet, nonce)));
    // Room for two 1e15 transfers a day; without the per-wallet lock, concurrent jobs all saw 0 spent.
    const policy = { EVM_DEV: { limits: { native: { daily: 25n * 10n ** 14n } } } };
    const runners = [
      loop({ policy, concurrency: 8, transactionIds: ids }),
      loop({ policy, concurrency: 8, transactionIds: ids }),
    ];
    for (let round = 0; round < 5; round++) {
      const passes = await Promise.all(runners.map((r) => r.runPass()));
      const unsettled = passes
        .flatMap((p) => p.results)
        .filter((r) => r.outcome === 'RETRY' || r.outcome === 'BUSY');
      if (unsettled.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const jobs = await Promise.all(ids.map((id) => job(id)));
    const signed = jobs.filter((j) => j?.signed);
    expect(signed).toHaveLength(2);
    const failed = jobs.filter((j) => j?.state === 'FAILED');
    expect(failed).toHaveLength(4);
    for (const j of failed) expect(j?.error).toMatch(/would exceed the daily limit/);
  });

  it('a Tatum 5xx on broadcast is retried on the next pass with the same bytes', async () => {
    const wallet = await fundedWallet();
    const id = sandbox.enqueue(transfer(wallet, 0));
    const before = signCalls.length;
    sandbox.failNext(sandbox.broadcastPaths.EVM_DEV ?? '', 503);
    const l = loop({ transactionIds: [id] });
    const p1 = await l.runPass();
    expect(p1.results).toMatchObject([
      { id, outcome: 'RETRY', error: expect.stringMatching(/broadcast failed/) as string },
    ]);
    expect(p1.reported).toEqual([]); // a retried job is not reported to Tatum
    const signed = (await job(id))?.signed;
    expect((await job(id))?.state).toBe('SIGNED');
    const p2 = await l.runPass();
    expect(p2.results).toMatchObject([{ id, outcome: 'BROADCAST', rebroadcast: true }]);
    expect(signCalls.length - before).toBe(1);
    expect(sandbox.completed.get(id)?.txData).toBe(signed);
    expect(await job(id)).toMatchObject({ state: 'BROADCAST', broadcastAttempts: 2 });
  });

  it('runDaemon: runOnce processes one pass; an aborted daemon stops after the pass in flight', async () => {
    const wallet = await fundedWallet();
    const id = sandbox.enqueue(transfer(wallet, 0));
    const api = createTatumClient({
      baseUrl: sandbox.url,
      apiKey: sandbox.apiKey,
      clientVersion: 'test',
      broadcastPaths: sandbox.broadcastPaths,
    });
    const deps = { db: env.db, api, wallets: env.service, signer: countingSigner() };
    expect(
      await runDaemon({
        deps,
        chains: ['EVM_DEV'],
        testnet: true,
        runOnce: true,
        wallets: [wallet.signatureId],
      }),
    ).toBe(1);
    expect((await job(id))?.state).toBe('BROADCAST');

    await expect(runDaemon({ deps, chains: ['EVM_DEV'] })).rejects.toThrow(/mandatory on mainnet/);
    const controller = new AbortController();
    let passes = 0;
    const running = runDaemon({
      deps,
      chains: ['EVM_DEV'],
      testnet: true,
      period: 0.05,
      signal: controller.signal,
      onPass: () => {
        if (++passes === 3) controller.abort();
      },
    });
    expect(await running).toBe(3);
  });

  it('BTC on btcd regtest: a bitcore-JSON spend is signed, broadcast and mined; change is not counted by the policy', async () => {
    const endpoints = stackEndpoints();
    const { wallet } = await env.service.createWallet({
      userId: 'loop',
      chain: 'BTC',
      asset: 'BTC',
      network: 'regtest',
    });
    const walletScript = keyScripts(Buffer.from(wallet.publicKey, 'hex')).p2wpkh;
    const funding = await fundScripts(endpoints.btcRpc, endpoints.btcMiningWif, [
      { script: walletScript, amount: 1_000_000n },
    ]);
    const minerScript = keyScripts(btcTestKey(decodeRegtestWif(endpoints.btcMiningWif)).publicKey).p2wpkh;
    const id = sandbox.enqueue(
      bitcorePending(
        'BTC',
        funding.utxos,
        [
          { script: minerScript, amount: 600_000n },
          { script: walletScript, amount: 395_000n },
        ],
        [wallet.signatureId],
      ),
    );
    const before = signCalls.length;
    const policy = { BTC: { limits: { native: { perTransaction: 600_000n } } } };
    const pass = await loop({ chains: ['BTC'], network: 'regtest', policy, transactionIds: [id] }).runPass();
    expect(pass.results).toMatchObject([{ id, outcome: 'BROADCAST' }]);
    expect(signCalls.length - before).toBe(1);
    expect((await job(id))?.policy).toMatchObject({
      allowed: true,
      transfers: [{ asset: 'native', to: Buffer.from(minerScript).toString('hex'), amount: '600000' }],
    });
    await btcRpc(endpoints.btcRpc, 'generate', [1]);
    const { confirmations } = await btcRpc(
      endpoints.btcRpc,
      'getrawtransaction',
      [pass.results[0]?.txId, 1],
      z.object({ confirmations: z.number().default(0) }),
    );
    expect(confirmations).toBeGreaterThanOrEqual(1);
  });

  it('BTC P2PKH: an understated input amount is refused against btcd before any Sign call; the true amount is mined', async () => {
    const endpoints = stackEndpoints();
    const { wallet } = await env.service.createWallet({
      userId: 'loop',
      chain: 'BTC',
      asset: 'BTC',
      network: 'regtest',
    });
    const walletScript = keyScripts(Buffer.from(wallet.publicKey, 'hex')).p2pkh;
    const funding = await fundScripts(endpoints.btcRpc, endpoints.btcMiningWif, [
      { script: walletScript, amount: 1_000_000n },
    ]);
    const minerScript = keyScripts(btcTestKey(decodeRegtestWif(endpoints.btcMiningWif)).publicKey).p2wpkh;
    const node = new URL(endpoints.btcRpc.url);
    node.username = endpoints.btcRpc.user;
    node.password = endpoints.btcRpc.pass;
    const chainViews = new ChainViews({ network: 'regtest', env: { KMS_SIGNER_RPC_BTC: node.toString() } });
    const spend = (claimed: bigint, pay: bigint) =>
      sandbox.enqueue(
        bitcorePending(
          'BTC',
          funding.utxos.map((u) => ({ ...u, amount: claimed })),
          [{ script: minerScript, amount: pay }],
          [wallet.signatureId],
        ),
      );
    const understated = spend(300_000n, 290_000n); // the real fee would be 710,000 sat
    const honest = spend(1_000_000n, 990_000n);
    const before = signCalls.length;
    const run = (id: string) =>
      loop({ chains: ['BTC'], network: 'regtest', chainViews, transactionIds: [id] }).runPass();
    const refused = await run(understated);
    expect(refused.results).toMatchObject([{ id: understated, outcome: 'FAILED' }]);
    expect(refused.results[0]?.error).toMatch(/PREVOUT_MISMATCH.*inputs\[0\]\.amount.*holds 1000000 sat/);
    expect(signCalls.length).toBe(before);
    const mined = await run(honest);
    expect(mined.results).toMatchObject([{ id: honest, outcome: 'BROADCAST' }]);
    expect(signCalls.length - before).toBe(1);
    await btcRpc(endpoints.btcRpc, 'generate', [1]);
    const { confirmations } = await btcRpc(
      endpoints.btcRpc,
      'getrawtransaction',
      [mined.results[0]?.txId, 1],
      z.object({ confirmations: z.number().default(0) }),
    );
    expect(confirmations).toBeGreaterThanOrEqual(1);
  });
});

describe('the cached list of ACTIVE wallets', () => {
  // A database of its own: the loop lists every ACTIVE EVM_DEV wallet, and the other tests' wallets
  // would bring their pending transactions along. Commands are monitored to see what the listing reads.
  let mongo: MongoClient;
  const started: CommandStartedEvent[] = [];
  const replies = new Map<number, CommandSucceededEvent>();

  beforeAll(async () => {
    mongo = await MongoClient.connect(stackEndpoints().mongoUri, { monitorCommands: true });
    mongo.on('commandStarted', (event) => started.push(event));
    mongo.on('commandSucceeded', (event) => replies.set(event.requestId, event));
  });
  afterAll(async () => {
    await mongo.close();
  });

  async function isolated() {
    const db = mongo.db(`loop_cache_${randomSuffix()}`);
    await runMigrations(db);
    return { db, service: env.newService({ db }) };
  }

  it('a wallet created after the first pass is fetched once the list is refreshed; a stale list signs nothing for a disabled wallet', async () => {
    const { db, service } = await isolated();
    let now = Date.now();
    const cached = loop({ db, wallets: service, clock: () => new Date(now), concurrency: 1 });
    const outcomes = async () =>
      Object.fromEntries((await cached.runPass()).results.map((r) => [r.id, r.outcome]));
    try {
      const a = await fundedWallet(service);
      const a0 = sandbox.enqueue(transfer(a, 0));
      expect(await outcomes()).toEqual({ [a0]: 'BROADCAST' });

      // Created after the first pass: the count (cheap on a small collection) changed, so re-listed now.
      const b = await fundedWallet(service);
      const b0 = sandbox.enqueue(transfer(b, 0));
      expect(await outcomes()).toEqual({ [b0]: 'BROADCAST' });

      // One wallet disabled, one created: same count, so the list stays cached (stale) until refreshed.
      await service.disableWallet(a.signatureId);
      const c = await fundedWallet(service);
      const a1 = sandbox.enqueue(transfer(a, 1));
      const c0 = sandbox.enqueue(transfer(c, 0));
      const before = signCalls.length;
      const stale = await cached.runPass();
      // The disabled wallet is still asked about, and its transaction refused by the per-job re-read.
      expect(stale.results).toMatchObject([
        { id: a1, outcome: 'FAILED', error: expect.stringMatching(/is DISABLED/) as string },
      ]);
      expect(signCalls.length - before).toBe(0);
      expect(await nonceOf(a.address)).toBe(1n);

      now += 60_000; // the default refresh interval
      expect(await outcomes()).toEqual({ [c0]: 'BROADCAST' });
      expect(signCalls.length - before).toBe(1);
    } finally {
      await db.dropDatabase();
    }
  });

  it('lists signature ids only (projection, no documents) through the chain_network_status_signatureId index', async () => {
    const { db, service } = await isolated();
    try {
      const wallets = await Promise.all([0, 1, 2].map(() => fundedWallet(service)));
      const first = started.length;
      const pass = await loop({ db, wallets: service }).runPass();
      expect(pass.chainErrors).toEqual([]);

      const walletCommands = started
        .slice(first)
        .filter((e) => e.databaseName === db.databaseName && e.command[e.commandName] === 'wallets');
      expect(walletCommands.map((e) => e.commandName)).toEqual(['aggregate', 'find']); // count, then list
      expect(walletCommands[0]?.command.pipeline).toEqual([
        { $match: { chain: { $in: ['EVM_DEV'] }, network: 'testnet', status: 'ACTIVE' } },
        { $group: { _id: '$chain', n: { $sum: 1 } } },
      ]);
      const find = walletCommands[1]?.command;
      expect(find).toMatchObject({
        filter: { chain: 'EVM_DEV', network: 'testnet', status: 'ACTIVE' },
        projection: { _id: 0, signatureId: 1 },
        sort: new Map([['signatureId', 1]]), // the driver sends the sort as a Map
        limit: 25_001,
      });
      const reply = replies.get(walletCommands[1]?.requestId ?? -1)?.reply as {
        cursor: { firstBatch: Record<string, unknown>[] };
      };
      const ids = wallets.map((w) => w.signatureId).sort();
      expect(reply.cursor.firstBatch).toEqual(ids.map((signatureId) => ({ signatureId })));

      const indexes = await db.collection('wallets').listIndexes().toArray();
      expect(
        indexes.find((i: { name?: unknown }) => i.name === 'chain_network_status_signatureId'),
      ).toMatchObject({
        key: {
          chain: 1,
          network: 1,
          status: 1,
          signatureId: 1,
        },
      });
    } finally {
      await db.dropDatabase();
    }
  });
});
