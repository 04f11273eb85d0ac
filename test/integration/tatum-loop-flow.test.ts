// The signing loop end to end for FLOW, as Tatum does it (tatum-protocol.md §2.8, §4.15): a FLOW wallet made
// by the real WalletService (LocalStack KMS + FerretDB), its key put on a Flow emulator account by the
// emulator's service account and registered with the wallet (checked on the node). Tatum queues
// `{type: 2, body: {account, to, amount, currency}}`; the loop builds our Cadence 1.0 transfer with the
// emulator's sealed block and the sequence number of the proposal key the sandbox hands out as Tatum
// (GET /v3/flow/proposal), signs the payload with KMS (one Sign call), gets Tatum's proposer and payer
// signatures (POST /v3/flow/sign — a P-256 "Tatum" account proposes, the service account pays), sends
// it to the emulator, releases the proposal key and completes the pending transaction with the Flow id
// (POST /v3/flow/broadcast). Hostile payloads are refused with no KMS call; without a Flow node the job
// waits (RETRY, never FAILED, nothing signed).
import { randomBytes } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FLOW_BROADCAST_PATH } from '../../scripts/sandbox/flow-tatum.js';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import {
  FLOW_EMULATOR_SERVICE_ADDRESS,
  FLOW_EMULATOR_SERVICE_KEY,
  startFlowEmulatorNode,
} from '../../scripts/stack/index.js';
import { ChainViews, type FlowChainView } from '../../src/chain-view/index.js';
import { getFamilyChain } from '../../src/chains/index.js';
import { parsePublicKey } from '../../src/crypto/public-key.js';
import { flowTransferCadence } from '../../src/signer/flow/index.js';
import type { DigestSigner } from '../../src/signer/index.js';
import { SIGNING_AUDIT, type AuditRecord } from '../../src/tatum/audit.js';
import { SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import { SigningLoop } from '../../src/tatum/loop.js';
import type { WalletView } from '../../src/wallets/index.js';
import { countedSigner } from '../support/evm-loop.js';
import { FlowRest } from '../support/flow-rest.js';
import { sandboxApi } from '../support/sandbox-api.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

const UNITS = 100_000_000n; // 1 FLOW
const CADENCE = flowTransferCadence(getFamilyChain('flow', 'FLOW', 'regtest').params);

let env: WalletTestEnv;
let node: { url: string; stop(): Promise<void> };
let flow: FlowRest;
let view: FlowChainView;
let sandbox: TatumSandbox;
let recipient: string;

beforeAll(async () => {
  [env, node] = await Promise.all([walletTestEnv({ flowNode: () => view }), startFlowEmulatorNode()]);
  flow = new FlowRest(node.url);
  const flowView = views(node.url).flow();
  if (flowView === undefined) throw new Error('no Flow view');
  view = flowView;
  // Tatum's proposer: its own account with a P-256 key; the service account is Tatum's payer.
  const proposerKey = p256.utils.randomSecretKey();
  const proposerPub = Buffer.from(p256.getPublicKey(proposerKey, false).subarray(1)).toString('hex');
  const proposer = await flow.createAccount(proposerPub, 'SHA3_256', 'ECDSA_P256');
  recipient = await flow.createAccount(proposerPub, 'SHA3_256', 'ECDSA_P256');
  sandbox = await startTatumSandbox({
    flow: {
      accessUrl: node.url,
      proposer: { address: proposer, keyId: 0, privateKey: Buffer.from(proposerKey).toString('hex') },
      payer: { address: FLOW_EMULATOR_SERVICE_ADDRESS, keyId: 0, privateKey: FLOW_EMULATOR_SERVICE_KEY },
    },
  });
}, 180_000);

afterAll(async () => {
  await sandbox.close();
  await node.stop();
  await env.close();
});

function views(flowNode: string | undefined): ChainViews {
  return new ChainViews({
    network: 'regtest',
    env: flowNode === undefined ? {} : { KMS_SIGNER_RPC_FLOW: flowNode },
    timeoutMs: 3_000,
  });
}

const counted = () => countedSigner(() => env.vault);

function loop(signer: DigestSigner, flowNode: string | undefined): SigningLoop {
  return new SigningLoop({
    db: env.db,
    api: sandboxApi(sandbox),
    wallets: env.service,
    signer,
    chains: ['FLOW'],
    network: 'regtest',
    chainViews: views(flowNode),
    walletRefreshMs: 0,
  });
}

/** A FLOW wallet whose key the service account puts on a new account (SHA3-256, weight 1000), funded. */
async function registeredWallet(flowAmount: string): Promise<WalletView> {
  const { wallet } = await env.service.createWallet({
    userId: 'loop',
    chain: 'FLOW',
    asset: 'FLOW',
    network: 'regtest',
  });
  expect(wallet.status).toBe('ACTIVE');
  expect(wallet.address).toBe('');
  const { uncompressed } = parsePublicKey(Buffer.from(wallet.publicKey, 'hex'));
  const address = await flow.createAccount(Buffer.from(uncompressed.subarray(1)).toString('hex'), 'SHA3_256');
  await flow.serviceTransaction(CADENCE, [
    { type: 'UFix64', value: flowAmount },
    { type: 'Address', value: address },
  ]);
  const registered = await env.service.registerFlowAccount(wallet.signatureId, { address, keyIndex: 0 });
  expect(registered.flowAccount).toEqual({ address, keyIndex: 0, hashAlgorithm: 'SHA3_256' });
  expect(registered.address).toBe(address);
  return registered;
}

const transfer = (wallet: WalletView, body: Record<string, unknown>) =>
  sandbox.enqueue({
    chain: 'FLOW',
    hashes: [wallet.signatureId],
    serializedTransaction: JSON.stringify({
      type: 2,
      body: { account: wallet.address, currency: 'FLOW', signatureId: wallet.signatureId, ...body },
    }),
  });

describe("Tatum signing loop: FLOW in Tatum's {type, body} shape, through Tatum's proposer/payer, on the Flow emulator", () => {
  it('signs one transfer with one KMS call; Tatum proposes and pays; the emulator executes it; balances exact', async () => {
    const wallet = await registeredWallet('100.0');
    const before = [await flow.account(wallet.address), await flow.account(recipient)];
    const id = transfer(wallet, { to: recipient, amount: '12.5' });

    const { signer, calls } = counted();
    const pass = await loop(signer, node.url).runPass();

    expect(pass.chainErrors).toEqual([]);
    const result = pass.results.find((r) => r.id === id);
    expect(result).toMatchObject({ outcome: 'BROADCAST', chain: 'FLOW' });
    expect(calls()).toBe(1);
    const txId = result?.txId ?? '';
    expect(txId).toMatch(/^[0-9a-f]{64}$/);
    expect(sandbox.completed.get(id)?.txId).toBe(txId);
    expect((await flow.sealed(txId)).statusCode).toBe(0);
    // Tatum's side as tatum-js drives it: proposer payload signature, payer envelope signature, the
    // proposal key released with the transaction id.
    expect(sandbox.flow?.signs).toEqual([{ isPayer: false }, { isPayer: true }]);
    expect(sandbox.flow?.releases).toEqual([{ txData: txId, proposalKey: 0 }]);
    expect(sandbox.flow?.held).toBe(0);
    const moved = 1_250_000_000n;
    expect((await flow.account(recipient)).balance).toBe(before[1]!.balance + moved);
    expect((await flow.account(wallet.address)).balance).toBe(before[0]!.balance - moved);
    const job = await env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });
    expect(Object.keys(job?.completion ?? {}).sort()).toEqual(['payer', 'proposalKey', 'refBlock']);
    const audit = await env.db.collection<AuditRecord>(SIGNING_AUDIT).findOne({ pendingId: id });
    expect(audit?.policy?.transfers).toEqual([{ asset: 'native', to: recipient, amount: moved.toString() }]);
    expect(sandbox.reportedErrors).toEqual([]);
  }, 120_000);

  it('refuses hostile FLOW payloads field by field before any KMS call; nothing moves, no proposal key held', async () => {
    const wallet = await registeredWallet('10.0');
    const other = `0x${randomBytes(8).toString('hex')}`;
    const cases: [Record<string, unknown>, string][] = [
      [{ to: recipient, amount: '1.123456789' }, 'body.amount'],
      [{ to: recipient, amount: '-1' }, 'body.amount'],
      [{ to: recipient, amount: '0' }, 'body.amount'],
      [{ to: 'abc', amount: '1' }, 'body.to'],
      [{ to: wallet.address, amount: '1' }, 'body.to'],
      [{ to: recipient, amount: '1', currency: 'FUSD' }, 'body.currency'],
      [{ to: recipient, amount: '1', privateKey: 'ab'.repeat(32) }, 'body.privateKey'],
      [{ to: recipient, amount: '1', account: other }, 'body.account'],
      [{ to: recipient, amount: '1', fee: '0.1' }, 'body'],
    ];
    const ids = cases.map(([body, field]) => [transfer(wallet, body), field] as const);
    const custom = sandbox.enqueue({
      chain: 'FLOW',
      hashes: [wallet.signatureId],
      serializedTransaction: JSON.stringify({
        type: 8,
        body: { account: wallet.address, transaction: 'transaction { execute {} }', args: [] },
      }),
    });
    const before = (await flow.account(wallet.address)).balance;
    const { signer, calls } = counted();
    const pass = await loop(signer, node.url).runPass();
    for (const [id, field] of [...ids, [custom, 'type'] as const]) {
      const result = pass.results.find((r) => r.id === id);
      expect(result?.outcome, field).toBe('FAILED');
      expect(result?.error, field).toContain(`${field}:`);
      expect(sandbox.completed.has(id)).toBe(false);
    }
    expect(calls()).toBe(0);
    expect(sandbox.flow?.held).toBe(0);
    expect((await flow.account(wallet.address)).balance).toBe(before);
    expect(sandbox.reportedErrors.map((e) => e.signatureId).sort()).toEqual(
      [...ids.map(([id]) => id), custom].sort(),
    );
  }, 120_000);

  it('without a Flow node (unset, or down) the job waits: nothing signed, no key held, never FAILED; then it goes', async () => {
    const wallet = await registeredWallet('5.0');
    const id = transfer(wallet, { to: recipient, amount: '1' });
    const { signer, calls } = counted();
    for (const [flowNode, says] of [
      [undefined, 'KMS_SIGNER_RPC_FLOW'],
      ['http://127.0.0.1:9', 'unreachable'],
    ] as const) {
      const waiting = await loop(signer, flowNode).runPass();
      const result = waiting.results.find((r) => r.id === id);
      expect(result?.outcome).toBe('RETRY');
      expect(result?.error).toContain(says);
    }
    expect(calls()).toBe(0);
    expect(sandbox.flow?.held).toBe(0);
    expect(sandbox.completed.has(id)).toBe(false);
    const job = await env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });
    expect(job?.state).not.toBe('FAILED');

    const before = (await flow.account(recipient)).balance;
    const done = await loop(signer, node.url).runPass();
    expect(done.results.find((r) => r.id === id)).toMatchObject({ outcome: 'BROADCAST' });
    expect(calls()).toBe(1);
    expect((await flow.account(recipient)).balance).toBe(before + UNITS);
  }, 120_000);

  it('Tatum answering 500 for a key while the payload is completed: the job waits, nothing reported; then it goes', async () => {
    const wallet = await registeredWallet('5.0');
    const id = transfer(wallet, { to: recipient, amount: '1' });
    const { signer, calls } = counted();
    // The payer first, then the proposal key (complete-flow.ts): one 500 each, on two passes.
    sandbox.failNext('/v3/flow/proposal/true', 500);
    const noPayer = await loop(signer, node.url).runPass();
    sandbox.failNext('/v3/flow/proposal/false', 500);
    const noProposer = await loop(signer, node.url).runPass();
    for (const [pass, path] of [
      [noPayer, '/v3/flow/proposal/true'],
      [noProposer, '/v3/flow/proposal/false'],
    ] as const) {
      const result = pass.results.find((r) => r.id === id);
      expect(result).toMatchObject({
        outcome: 'RETRY',
        error: expect.stringContaining(`${path}: HTTP 500`) as string,
      });
      expect(pass.reported.filter((r) => r.signatureId === id)).toEqual([]);
    }
    expect(calls()).toBe(0);
    expect(sandbox.flow?.held).toBe(0);
    expect((await env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id }))?.state).toBe(
      'CLAIMED',
    );

    const done = await loop(signer, node.url).runPass();
    expect(done.results.find((r) => r.id === id)).toMatchObject({ outcome: 'BROADCAST' });
    expect(calls()).toBe(1);
    expect(sandbox.reportedErrors.filter((e) => e.signatureId === id)).toEqual([]);
  }, 120_000);

  it('a run that ends after the node executed, before Tatum heard: the next pass finds the sent id on the node and completes it — nothing signed or sent again', async () => {
    const wallet = await registeredWallet('10.0');
    const before = [await flow.account(wallet.address), await flow.account(recipient)];
    const id = transfer(wallet, { to: recipient, amount: '2' });
    // Both calls after the send fail unprocessed: the proposal key's release and the completion.
    sandbox.failNext(FLOW_BROADCAST_PATH, 503, 2);
    const { signer, calls } = counted();
    const first = await loop(signer, node.url).runPass();
    expect(first.results.find((r) => r.id === id)?.outcome).toBe('RETRY');
    const stored = await env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });
    expect(stored?.state).toBe('SIGNED');
    const sent = stored?.flowSentIds ?? [];
    expect(sent).toHaveLength(1);
    expect((await flow.sealed(sent[0]!)).statusCode).toBe(0); // executed, but Tatum does not know
    expect(sandbox.completed.has(id)).toBe(false);

    const second = await loop(signer, node.url).runPass();
    expect(second.results.find((r) => r.id === id)).toMatchObject({ outcome: 'BROADCAST', txId: sent[0] });
    expect(calls()).toBe(1);
    expect(sandbox.completed.get(id)?.txId).toBe(sent[0]);
    expect(sandbox.flow?.held).toBe(0);
    const job = await env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });
    expect(job).toMatchObject({ state: 'BROADCAST', txId: sent[0], flowSentIds: sent });
    const moved = 2n * UNITS;
    expect((await flow.account(recipient)).balance).toBe(before[1]!.balance + moved);
    expect((await flow.account(wallet.address)).balance).toBe(before[0]!.balance - moved);
    expect(sandbox.reportedErrors.filter((e) => e.signatureId === id)).toEqual([]);
  }, 120_000);

  it('a transfer the chain rejects (more than the balance) is signed once, fails on chain, and is FAILED and reported', async () => {
    const wallet = await registeredWallet('2.0');
    const before = (await flow.account(wallet.address)).balance;
    const id = transfer(wallet, { to: recipient, amount: '1000' });
    const releases = sandbox.flow?.releases.length ?? 0;
    const { signer, calls } = counted();
    const pass = await loop(signer, node.url).runPass();
    const result = pass.results.find((r) => r.id === id);
    expect(result?.outcome).toBe('FAILED');
    expect(result?.error).toMatch(/failed on chain/);
    expect(calls()).toBe(1);
    // The proposal key is released with the id of the transaction that failed; nothing moved.
    const released = sandbox.flow?.releases.slice(releases) ?? [];
    expect(released).toHaveLength(1);
    expect((await flow.sealed(released[0]?.txData ?? '')).statusCode).not.toBe(0);
    expect(sandbox.flow?.held).toBe(0);
    expect(sandbox.completed.has(id)).toBe(false);
    expect((await flow.account(wallet.address)).balance).toBe(before);
    expect(pass.reported.map((r) => r.signatureId)).toEqual([id]);
  }, 120_000);
});
