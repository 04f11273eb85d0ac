// Crash safety: idempotent creation, a process dying between CreateKey and the record update (or
// before CreateKey), and reconcile repairing both directions (KMS keys without records, records whose
// key changed behind the service's back).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WalletDoc } from '../../src/db/index.js';
import { WalletError, type CreateWalletInput, type KmsWalletService } from '../../src/wallets/index.js';
import { keysTaggedWith, walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

let env: WalletTestEnv;
/** A service whose next CreateKey "crashes" the process right after KMS created the key (or before). */
let crashy: KmsWalletService;
let crash: 'after' | 'before' | null = null;

const simulatedCrash = () => new Error('simulated crash');

beforeAll(async () => {
  env = await walletTestEnv();
  crashy = env.newService({
    hooks: {
      beforeCreateKey: () => {
        if (crash === 'before') {
          crash = null;
          throw simulatedCrash();
        }
      },
      afterCreateKey: () => {
        if (crash === 'after') {
          crash = null;
          throw simulatedCrash();
        }
      },
    },
  });
});
afterAll(async () => {
  await env.close();
});

const input = (over: Partial<CreateWalletInput> = {}): CreateWalletInput => ({
  userId: `user-${randomUUID()}`,
  chain: 'BTC',
  asset: 'BTC',
  network: 'testnet',
  ...over,
});

const walletsOf = (userId: string) => env.db.collection<WalletDoc>('wallets').find({ userId }).toArray();
const keysOf = (signatureId: string) => keysTaggedWith(env.kms, env.application, signatureId);

describe('Idempotency-Key', () => {
  it('a retry returns the same wallet and creates no second key', async () => {
    const body = input();
    const key = randomUUID();
    const first = await env.service.createWallet(body, key);
    const second = await env.service.createWallet(body, key);
    expect(first.created).toBe(true);
    expect(second).toEqual({ wallet: first.wallet, created: false });
    expect(await walletsOf(body.userId)).toHaveLength(1);
    expect(await keysOf(first.wallet.signatureId)).toHaveLength(1);
  });

  it('the same key with a different body is IDEMPOTENCY_MISMATCH, and nothing is written', async () => {
    const body = input();
    const key = randomUUID();
    await env.service.createWallet(body, key);
    const error = await env.service.createWallet({ ...body, label: 'other' }, key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WalletError);
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_MISMATCH' });
    expect(await walletsOf(body.userId)).toHaveLength(1);
  });

  it('concurrent requests with one key, from two processes, make one wallet and one key', async () => {
    const body = input();
    const key = randomUUID();
    const other = env.newService();
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) => (i % 2 ? other : env.service).createWallet(body, key)),
    );
    expect(new Set(results.map((r) => r.wallet.signatureId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const signatureId = results[0]!.wallet.signatureId;
    expect((await env.service.getWallet(signatureId)).status).toBe('ACTIVE');
    expect(await keysOf(signatureId)).toHaveLength(1);
  });
});

describe('a crash between CreateKey and storing the key', () => {
  it('a retry with the same Idempotency-Key adopts the orphan key: same wallet, exactly one key', async () => {
    const body = input();
    const key = randomUUID();
    crash = 'after';
    await expect(crashy.createWallet(body, key)).rejects.toThrow('simulated crash');
    const [record] = await walletsOf(body.userId);
    expect(record).toMatchObject({ status: 'CREATING', kmsKeyId: `pending:${record!._id}` });
    expect(await keysOf(record!._id)).toHaveLength(1); // the orphan

    const retried = await crashy.createWallet(body, key);
    expect(retried.wallet.signatureId).toBe(record!._id);
    expect(retried.wallet.status).toBe('ACTIVE');
    const keys = await keysOf(retried.wallet.signatureId);
    expect(keys.map((k) => k.keyId)).toEqual([retried.wallet.kmsKeyId]);
  });

  it('reconcile adopts the orphan key and completes the wallet', async () => {
    const body = input();
    crash = 'after';
    await expect(crashy.createWallet(body)).rejects.toThrow('simulated crash');
    const signatureId = (await walletsOf(body.userId))[0]!._id;
    const [orphan] = await keysOf(signatureId);

    const dry = await env.service.reconcile({ dryRun: true, graceSeconds: 0 });
    expect(dry.keysWithoutRecord).toContainEqual({
      kmsKeyId: orphan!.keyId,
      signatureId,
      action: 'would: adopt the key and complete the wallet',
    });
    expect((await env.service.getWallet(signatureId)).status).toBe('CREATING');

    const report = await env.service.reconcile({ graceSeconds: 0 });
    expect(report.keysWithoutRecord).toContainEqual({
      kmsKeyId: orphan!.keyId,
      signatureId,
      action: 'key adopted, wallet completed',
    });
    const wallet = await env.service.getWallet(signatureId);
    expect(wallet).toMatchObject({ status: 'ACTIVE', kmsKeyId: orphan!.keyId });
    expect(await keysOf(signatureId)).toHaveLength(1);
    // Nothing left to do.
    const again = await env.service.reconcile({ graceSeconds: 0 });
    expect(again.keysWithoutRecord.filter((k) => k.signatureId === signatureId)).toEqual([]);
    expect(again.unfinished.filter((k) => k.signatureId === signatureId)).toEqual([]);
  });

  it('an index key crash is repaired by the next getAddress with one key', async () => {
    const { wallet } = await env.service.createWallet(input());
    crash = 'after';
    await expect(crashy.getAddress(wallet.signatureId, 4)).rejects.toThrow('simulated crash');
    const key = await env.service.getAddress(wallet.signatureId, 4);
    const tagged = (await keysOf(wallet.signatureId)).filter((k) => k.tags.KeyIndex === '4');
    expect(tagged.map((k) => k.keyId)).toEqual([key.kmsKeyId]);
  });
});

describe('a crash before CreateKey', () => {
  it('reconcile leaves records inside the grace period alone and finishes older ones', async () => {
    const body = input();
    crash = 'before';
    await expect(crashy.createWallet(body)).rejects.toThrow('simulated crash');
    const signatureId = (await walletsOf(body.userId))[0]!._id;
    expect(await keysOf(signatureId)).toHaveLength(0);

    const young = await env.service.reconcile({ graceSeconds: 3600 });
    expect(young.unfinished.filter((u) => u.signatureId === signatureId)).toEqual([]);

    const report = await env.service.reconcile({ graceSeconds: 0 });
    expect(report.unfinished).toContainEqual({ signatureId, action: 'finished' });
    const wallet = await env.service.getWallet(signatureId);
    expect(wallet.status).toBe('ACTIVE');
    expect((await keysOf(signatureId)).map((k) => k.keyId)).toEqual([wallet.kmsKeyId]);
  });
});

describe('reconcile: KMS keys without records', () => {
  it('rebuilds a lost record from the key tags', async () => {
    const body = input({ chain: 'TRON', asset: 'USDT', network: 'mainnet' });
    const { wallet } = await env.service.createWallet(body);
    await env.db.collection('wallets').deleteOne({ _id: wallet.signatureId as never });

    const report = await env.service.reconcile({ graceSeconds: 0 });
    expect(report.keysWithoutRecord).toContainEqual({
      kmsKeyId: wallet.kmsKeyId,
      signatureId: wallet.signatureId,
      action: 'record rebuilt from the key tags (ACTIVE)',
    });
    const rebuilt = await env.service.getWallet(wallet.signatureId);
    expect(rebuilt).toMatchObject({
      userId: body.userId,
      chain: 'TRON',
      network: 'mainnet',
      asset: 'USDT',
      address: wallet.address,
      publicKey: wallet.publicKey,
      kmsKeyId: wallet.kmsKeyId,
      status: 'ACTIVE',
    });
  });

  it('schedules deletion of a second key tagged for a wallet that already has one', async () => {
    const { wallet } = await env.service.createWallet(input());
    const extra = await env.vault.createKey({
      walletId: wallet.signatureId,
      chain: 'BTC',
      tags: { Network: 'testnet', Asset: 'BTC' },
    });
    const report = await env.service.reconcile({ graceSeconds: 0 });
    expect(report.keysWithoutRecord).toContainEqual({
      kmsKeyId: extra.keyId,
      signatureId: wallet.signatureId,
      action: 'duplicate key (the record has another key): deletion scheduled in 7 days',
    });
    expect((await env.vault.describeKey(extra.keyId)).state).toBe('PendingDeletion');
    expect((await env.vault.describeKey(wallet.kmsKeyId)).state).toBe('Enabled');
  });
});

describe('reconcile: records whose key changed outside the service', () => {
  it('marks disabled / pending-deletion keys, re-disables keys enabled behind a DISABLED wallet', async () => {
    const a = (await env.service.createWallet(input())).wallet;
    const b = (await env.service.createWallet(input())).wallet;
    const c = (await env.service.createWallet(input())).wallet;
    await env.vault.disableKey(a.kmsKeyId);
    await env.vault.scheduleKeyDeletion(b.kmsKeyId, 7);
    await env.service.disableWallet(c.signatureId);
    await env.vault.enableKey(c.kmsKeyId);

    const dry = await env.service.reconcile({ dryRun: true, graceSeconds: 0 });
    expect(dry.recordsWithoutKey).toContainEqual({
      signatureId: a.signatureId,
      kmsKeyId: a.kmsKeyId,
      action: 'would: key was disabled outside the service: wallet marked DISABLED',
    });
    expect((await env.service.getWallet(a.signatureId)).status).toBe('ACTIVE');

    const report = await env.service.reconcile({ graceSeconds: 0 });
    expect(report.recordsWithoutKey).toEqual(
      expect.arrayContaining([
        {
          signatureId: a.signatureId,
          kmsKeyId: a.kmsKeyId,
          action: 'key was disabled outside the service: wallet marked DISABLED',
        },
        {
          signatureId: b.signatureId,
          kmsKeyId: b.kmsKeyId,
          action: 'key was scheduled for deletion outside the service: wallet marked PENDING_DELETION',
        },
        {
          signatureId: c.signatureId,
          kmsKeyId: c.kmsKeyId,
          action: 'key was enabled outside the service while the wallet is DISABLED: key disabled again',
        },
      ]),
    );
    expect((await env.service.getWallet(a.signatureId)).status).toBe('DISABLED');
    const deleting = await env.service.getWallet(b.signatureId);
    expect(deleting.status).toBe('PENDING_DELETION');
    expect(deleting.deletionDate).toEqual((await env.vault.describeKey(b.kmsKeyId)).deletionDate);
    expect((await env.vault.describeKey(c.kmsKeyId)).state).toBe('Disabled');

    // The service's own transitions work from the marked states.
    expect((await env.service.enableWallet(a.signatureId)).status).toBe('ACTIVE');
    expect((await env.service.cancelWalletDeletion(b.signatureId)).status).toBe('ACTIVE');
    expect((await env.vault.describeKey(b.kmsKeyId)).state).toBe('Enabled');
  });

  it('follows a deletion cancelled outside the service', async () => {
    const { wallet } = await env.service.createWallet(input());
    await env.service.scheduleWalletDeletion(wallet.signatureId, 7);
    await env.vault.cancelKeyDeletion(wallet.kmsKeyId); // leaves the key Disabled
    const report = await env.service.reconcile({ graceSeconds: 0 });
    expect(report.recordsWithoutKey).toContainEqual({
      signatureId: wallet.signatureId,
      kmsKeyId: wallet.kmsKeyId,
      action: 'deletion was cancelled outside the service: wallet marked DISABLED',
    });
    expect(await env.service.getWallet(wallet.signatureId)).toMatchObject({
      status: 'DISABLED',
      deletionDate: null,
    });
  });
});
