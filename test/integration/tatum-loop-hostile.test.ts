// Issue 17: what Tatum hands the loop is untrusted. A corpus of hostile pending payloads per chain family
// (oversized, deeply nested, duplicate keys, numbers out of range, wrong types, prototype-pollution keys,
// huge arrays, not JSON) is refused with a specific reason and zero KMS Sign calls, reported to Tatum
// exactly once over two passes, and leaves nothing behind but the record that remembers it. Also: a
// changed payload under a remembered id is looked at again; wallets whose KMS key carries another
// deployment's Application tag are never signed with; and a job that kept failing for a temporary cause
// is reported once after the configured age — but never a job whose bytes may already be out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evmPending } from '../../scripts/sandbox/pending-payloads.js';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { ChainViews } from '../../src/chain-view/index.js';
import type { ChainId } from '../../src/chains/index.js';
import { COLLECTIONS } from '../../src/db/documents.js';
import { KmsVault } from '../../src/kms/index.js';
import { SIGNING_AUDIT, finalAuditId, type AuditRecord } from '../../src/tatum/audit.js';
import { INVALID_PENDING } from '../../src/tatum/invalid-entries.js';
import { SIGNED_TRANSACTIONS, SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import { SigningLoop, type SigningLoopOptions } from '../../src/tatum/loop.js';
import { ownedWallets } from '../../src/tatum/owned-wallets.js';
import type { WalletView } from '../../src/wallets/contract.js';
import { KeyOwnership } from '../../src/wallets/key-ownership.js';
import { countingSigner, fundedEvmWallet } from '../support/evm-loop.js';
import { EvmRpc } from '../support/evm-rpc.js';
import { startLiteSvmRpc, type LiteSvmRpc } from '../support/litesvm-rpc.js';
import { sandboxApi } from '../support/sandbox-api.js';
import { stackEndpoints } from '../support/stack.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

const DEST = '0x8ba1f109551bd432803012645ac136ddd64dba72';
const FAMILIES: readonly { chain: ChainId; asset: string }[] = [
  { chain: 'EVM_DEV', asset: 'ETH' },
  { chain: 'BTC', asset: 'BTC' },
  { chain: 'TRON', asset: 'TRX' },
  { chain: 'XRP', asset: 'XRP' },
  { chain: 'SOL', asset: 'SOL' },
];

let env: WalletTestEnv;
let sandbox: TatumSandbox;
let rpc: EvmRpc;
let evmRpcUrl: string;
// SOL payloads are completed with a fresh blockhash before they are decoded, as with a deployed node.
let solRpc: LiteSvmRpc;
const signs: string[] = [];
const wallets = new Map<ChainId, WalletView>();

const loop = (over: Partial<SigningLoopOptions> = {}) =>
  new SigningLoop({
    db: env.db,
    api: sandboxApi(sandbox),
    wallets: ownedWallets(env.service, new KeyOwnership(env.kms, env.application)),
    signer: countingSigner(
      () => env.vault,
      (keyId) => signs.push(keyId),
    ),
    chains: FAMILIES.map((f) => f.chain),
    network: 'testnet',
    chainViews: new ChainViews({
      network: 'testnet',
      env: { KMS_SIGNER_RPC_EVM_DEV: evmRpcUrl, KMS_SIGNER_RPC_SOL: solRpc.url },
      retries: 0,
    }),
    reconcileEveryMs: 3_600_000,
    ...over,
  });

const reportsFor = (id: string) => sandbox.reportedErrors.filter((e) => e.signatureId === id);
const job = (id: string) => env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });

/** `depth` nested arrays around a number: deeper than any chain's payload, cheap to send. */
const nested = (depth: number) => `{"to":${'['.repeat(depth)}1${']'.repeat(depth)}}`;

/** A refusal that names the field and the reason (src/signer's SigningRefusedError through job.ts). */
const SPECIFIC = /^signing refused \([A-Z_]+\): [\w.[\]]+: \S.*/;

/** Each case: a payload and what its refusal must say (every family refuses it, each in its own words). */
const CORPUS: readonly { name: string; payload: string; reason: RegExp; invalidEntry?: true }[] = [
  {
    name: 'oversized (300 KiB)',
    payload: JSON.stringify({ to: DEST, memo: 'x'.repeat(300 * 1024) }),
    reason: /longer than 262144 characters/,
    invalidEntry: true,
  },
  {
    name: 'duplicate member names',
    payload: `{"to":"${DEST}","value":"1","value":"1000000000000000000000"}`,
    reason: /duplicate/i,
    invalidEntry: true,
  },
  {
    name: 'duplicate member names, nested',
    payload: `{"outputs":[{"address":"a","value":1,"address":"b"}]}`,
    reason: /outputs\[0\]\.address.*duplicate|duplicate.*outputs\[0\]\.address/i,
    invalidEntry: true,
  },
  { name: 'deep nesting (100,000 levels)', payload: nested(100_000), reason: SPECIFIC },
  { name: 'deep nesting (1,000 levels)', payload: nested(1_000), reason: SPECIFIC },
  {
    name: 'numbers out of range',
    payload: `{"to":"${DEST}","value":1e400,"nonce":-1,"gas":123456789012345678901234567890,"amount":-5}`,
    reason: SPECIFIC,
  },
  {
    name: 'wrong types',
    payload: `{"to":[1,2],"value":{"$gt":0},"nonce":"abc","inputs":"all","outputs":true,"fee":null}`,
    reason: SPECIFIC,
  },
  {
    name: 'prototype-pollution keys',
    payload: `{"__proto__":{"polluted":"yes","to":"${DEST}"},"constructor":{"prototype":{"polluted":"yes"}}}`,
    reason: SPECIFIC,
  },
  {
    name: 'huge array (60,000 entries)',
    payload: JSON.stringify({ to: DEST, inputs: new Array<number>(60_000).fill(0), data: [] }),
    reason: SPECIFIC,
  },
  { name: 'not JSON', payload: '\u0000\u0001<xml>', reason: SPECIFIC },
  { name: 'a bare JSON string', payload: '"0xf86c808504a817c800825208"', reason: SPECIFIC },
];

beforeAll(async () => {
  env = await walletTestEnv();
  evmRpcUrl = stackEndpoints().evmRpcUrl;
  rpc = new EvmRpc(evmRpcUrl);
  solRpc = await startLiteSvmRpc();
  sandbox = await startTatumSandbox({ evmRpcUrl });
  for (const { chain, asset } of FAMILIES) {
    const { wallet } = await env.service.createWallet({
      userId: 'hostile',
      chain,
      asset,
      network: 'testnet',
    });
    wallets.set(chain, wallet);
  }
});

afterAll(async () => {
  await sandbox.close();
  await solRpc.close();
  await env.close();
});

describe('hostile pending payloads', () => {
  it('every family refuses every corpus entry specifically, with 0 Sign calls, reported once, remembered', async () => {
    const cases: { id: string; chain: ChainId; name: string; reason: RegExp; invalidEntry: boolean }[] = [];
    for (const { chain } of FAMILIES) {
      const wallet = wallets.get(chain);
      for (const c of CORPUS) {
        const id = sandbox.enqueue({
          chain,
          serializedTransaction: c.payload,
          hashes: [wallet?.signatureId ?? ''],
        });
        cases.push({ id, chain, name: c.name, reason: c.reason, invalidEntry: c.invalidEntry === true });
      }
    }
    const first = await loop().runPass();
    const second = await loop().runPass();
    expect(signs).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const refusals: string[] = [];
    for (const c of cases) {
      const result = first.results.find((r) => r.id === c.id);
      expect(result, `${c.chain} ${c.name}`).toMatchObject({ outcome: 'FAILED' });
      const reports = reportsFor(c.id);
      expect(reports, `${c.chain} ${c.name}: reported once over two passes`).toHaveLength(1);
      const reason = reports[0]?.error ?? '';
      expect(reason, `${c.chain} ${c.name}`).toMatch(c.reason);
      refusals.push(`${c.chain} | ${c.name} | ${reason.slice(0, 140)}`);
      // The second pass: nothing new to say about it.
      expect(second.reported.filter((r) => r.signatureId === c.id)).toEqual([]);
      if (c.invalidEntry) {
        // Never decoded: no job, only the remembered entry.
        expect(await job(c.id)).toBeNull();
        expect(await env.db.collection(INVALID_PENDING).countDocuments({ pendingId: c.id })).toBe(1);
      } else {
        expect(await job(c.id)).toMatchObject({ state: 'FAILED', signed: null });
      }
    }
    console.log(`refusals:\n${refusals.join('\n')}`);
    const ids = cases.map((c) => c.id);
    expect(
      await env.db.collection(SIGNED_TRANSACTIONS).countDocuments({ _id: { $in: ids as never[] } }),
    ).toBe(0);
    expect(await env.db.collection(COLLECTIONS.evmNonces).countDocuments({ jobId: { $in: ids } })).toBe(0);
  });

  it('a remembered invalid entry whose payload Tatum changed is looked at again', async () => {
    const wallet = wallets.get('EVM_DEV');
    const id = sandbox.enqueue({
      chain: 'EVM_DEV',
      serializedTransaction: `{"to":"${DEST}","to":"${DEST}"}`,
      hashes: [wallet?.signatureId ?? ''],
    });
    await loop({ transactionIds: [id] }).runPass();
    await loop({ transactionIds: [id] }).runPass();
    expect(reportsFor(id)).toHaveLength(1);
    sandbox.replace(id, { serializedTransaction: `{"value":"1","value":"2"}` });
    await loop({ transactionIds: [id] }).runPass();
    await loop({ transactionIds: [id] }).runPass();
    expect(reportsFor(id).map((r) => r.error)).toEqual([
      expect.stringMatching(/serializedTransaction: to: duplicate/),
      expect.stringMatching(/serializedTransaction: value: duplicate/),
    ]);
    expect(await env.db.collection(INVALID_PENDING).countDocuments({ pendingId: id })).toBe(2);
  });
});

describe("another deployment's wallets", () => {
  it('are never signed with: FAILED once with the reason, while our own wallet signs', async () => {
    const application = `${env.application}-other`;
    const other = env.newService({ application, vault: new KmsVault({ client: env.kms, application }) });
    const foreign = await fundedEvmWallet(other, rpc, 'foreign');
    const own = await fundedEvmWallet(env.service, rpc, 'own');
    const payload = JSON.stringify({ to: DEST, value: '1000' });
    const foreignId = sandbox.enqueue(evmPending('EVM_DEV', foreign.signatureId, payload));
    const ownId = sandbox.enqueue(evmPending('EVM_DEV', own.signatureId, payload));
    const before = signs.length;
    const pass = await loop({ transactionIds: [foreignId, ownId] }).runPass();
    expect(pass.results.find((r) => r.id === foreignId)).toMatchObject({
      outcome: 'FAILED',
      error: expect.stringMatching(
        /its KMS key is tagged for another application, not Application=/,
      ) as string,
    });
    expect(pass.results.find((r) => r.id === ownId)).toMatchObject({ outcome: 'BROADCAST' });
    expect(signs.slice(before)).toEqual([own.kmsKeyId]);
    expect(reportsFor(foreignId)).toHaveLength(1);
  });
});

describe('temporary errors', () => {
  it('a job never signed is reported once after the configured age, naming the dependency', async () => {
    const wallet = await fundedEvmWallet(env.service, rpc, 'retry');
    const id = sandbox.enqueue(
      evmPending('EVM_DEV', wallet.signatureId, JSON.stringify({ to: DEST, value: '1' })),
    );
    // The four-eyes service is unreachable (a closed port): retried, not reported.
    const unreachable = { externalUrl: 'http://127.0.0.1:9/approve', transactionIds: [id] };
    const first = await loop(unreachable).runPass();
    expect(first.results.find((r) => r.id === id)).toMatchObject({ outcome: 'RETRY' });
    expect(reportsFor(id)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const late = await loop({ ...unreachable, reportRetriesAfterMs: 200 }).runPass();
    expect(late.results.find((r) => r.id === id)).toMatchObject({ outcome: 'FAILED' });
    expect(reportsFor(id)).toEqual([
      {
        signatureId: id,
        error: expect.stringMatching(
          /^not signed after retrying for 0 min; last temporary error: four-eyes service unavailable/,
        ) as string,
      },
    ]);
    expect(await job(id)).toMatchObject({ state: 'FAILED', signed: null });
    await loop({ ...unreachable, reportRetriesAfterMs: 200 }).runPass();
    expect(reportsFor(id)).toHaveLength(1);
    expect(signs.filter((k) => k === wallet.kmsKeyId)).toEqual([]);
  });

  it('a SIGNED job (its bytes may be out) is never given up, whatever the age', async () => {
    const wallet = await fundedEvmWallet(env.service, rpc, 'signed');
    const id = sandbox.enqueue(
      evmPending('EVM_DEV', wallet.signatureId, JSON.stringify({ to: DEST, value: '1' })),
    );
    sandbox.failNext('/v3/evm-dev/broadcast', 500, 2);
    const first = await loop({ transactionIds: [id] }).runPass();
    expect(first.results.find((r) => r.id === id)).toMatchObject({ outcome: 'RETRY' });
    expect((await job(id))?.state).toBe('SIGNED');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await loop({ transactionIds: [id], reportRetriesAfterMs: 1 }).runPass();
    expect(second.results.find((r) => r.id === id)).toMatchObject({ outcome: 'RETRY' });
    expect((await job(id))?.state).toBe('SIGNED');
    expect(reportsFor(id)).toEqual([]);
    const third = await loop({ transactionIds: [id], reportRetriesAfterMs: 1 }).runPass();
    expect(third.results.find((r) => r.id === id)).toMatchObject({ outcome: 'BROADCAST' });
    expect(reportsFor(id)).toEqual([]);
  });
});

describe('final audit records', () => {
  it('a job that became final without its record (runner killed in between) gets one from the reconciler', async () => {
    const wallet = await fundedEvmWallet(env.service, rpc, 'audit');
    const id = sandbox.enqueue(
      evmPending('EVM_DEV', wallet.signatureId, JSON.stringify({ to: DEST, value: '1' })),
    );
    expect((await loop({ transactionIds: [id] }).runPass()).results).toContainEqual(
      expect.objectContaining({ id, outcome: 'BROADCAST' }),
    );
    const audit = env.db.collection<AuditRecord>(SIGNING_AUDIT);
    const written = await audit.findOne({ _id: finalAuditId(id) });
    await audit.deleteOne({ _id: finalAuditId(id) }); // what a SIGKILL after the BROADCAST write leaves
    await new Promise((resolve) => setTimeout(resolve, 150));
    await loop({ leaseMs: 100 }).runPass();
    // The record its runner made, carried by the job until it is in the audit (audit-repair.ts).
    expect(await audit.findOne({ _id: finalAuditId(id) })).toEqual(written);
    expect(written).toMatchObject({ outcome: 'BROADCAST', kmsKeyIds: [wallet.kmsKeyId] });
    expect(await audit.countDocuments({ pendingId: id, outcome: { $in: ['BROADCAST', 'FAILED'] } })).toBe(1);
  });
});
