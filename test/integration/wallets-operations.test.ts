// Key administration as resumable jobs (src/wallets/operations.ts) on LocalStack KMS + FerretDB: a status
// change of a wallet with many index keys runs in the background at the key-administration pace, refuses
// a concurrent change (CONFLICT) and new index keys while it runs, survives its runner stalling past the
// lease or stopping, and is finished by another service instance. Plus the batch side of issue 17: the
// per-caller cap on queued keys and batches resumed after a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KmsRateLimiter, DEFAULT_KMS_RATE_LIMITS, KmsVault } from '../../src/kms/index.js';
import { COLLECTIONS, type WalletOperationDoc } from '../../src/db/index.js';
import { WalletError, type KmsWalletService } from '../../src/wallets/index.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

let env: WalletTestEnv;

beforeAll(async () => {
  env = await walletTestEnv();
});

afterAll(async () => {
  await env.close();
});

const ethInput = { userId: 'user-ops', chain: 'ETH', asset: 'ETH', network: 'mainnet' } as const;

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof WalletError ? error.code : String(error);
}

/** A wallet with index keys 1..`extra`; returns its signatureId and every KMS key id. */
async function walletWithKeys(extra: number): Promise<{ signatureId: string; keyIds: string[] }> {
  const { wallet } = await env.service.createWallet(ethInput);
  const keyIds = [wallet.kmsKeyId];
  for (let index = 1; index <= extra; index++) {
    keyIds.push((await env.service.getAddress(wallet.signatureId, index)).kmsKeyId);
  }
  return { signatureId: wallet.signatureId, keyIds };
}

const states = (keyIds: string[]) =>
  Promise.all(keyIds.map(async (id) => (await env.vault.describeKey(id)).state));

const operationDoc = (id: string) =>
  env.db.collection<WalletOperationDoc>(COLLECTIONS.walletOperations).findOne({ _id: id });

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const finished = (service: KmsWalletService, signatureId: string, operationId: string) =>
  until('the operation to finish', async () => {
    const view = await service.getWalletOperation(signatureId, operationId);
    return view.status === 'COMPLETED' || view.status === 'FAILED' ? view : undefined;
  });

/** A service whose KMS key administration runs at `perSecond`. */
function pacedService(perSecond: number, leaseMs = 30_000): KmsWalletService {
  const rateLimiter = new KmsRateLimiter({ ...DEFAULT_KMS_RATE_LIMITS, keyAdmin: perSecond });
  return env.newService({ leaseMs }, { rateLimiter });
}

describe('a status change is a resumable job', () => {
  it('answers at once, refuses a concurrent change and new keys, and walks every key at the KMS pace', async () => {
    const { signatureId, keyIds } = await walletWithKeys(9);
    const service = pacedService(5);
    const began = Date.now();
    const started = await service.startWalletOperation(signatureId, 'disable');
    expect(Date.now() - began).toBeLessThan(1_000);
    expect(started).toMatchObject({ status: 'RUNNING', keys: 10, done: 0, targetStatus: 'DISABLED' });

    // While it runs: a concurrent enable (from another instance) and a new index key are refused.
    expect(await codeOf(env.service.startWalletOperation(signatureId, 'enable'))).toBe('CONFLICT');
    expect(await codeOf(env.service.enableWallet(signatureId))).toBe('CONFLICT');
    expect(await codeOf(env.service.getAddress(signatureId, 50))).toBe('CONFLICT');

    const done = await finished(service, signatureId, started.operationId);
    // 10 DisableKey calls at 5/s: the first is immediate, the other 9 are 200 ms apart.
    expect(Date.now() - began).toBeGreaterThanOrEqual(1_750);
    expect(done).toMatchObject({ status: 'COMPLETED', done: 10, error: null });
    expect(await states(keyIds)).toEqual(keyIds.map(() => 'Disabled'));
    expect((await env.service.getWallet(signatureId)).status).toBe('DISABLED');
    // The wallet is free again: the enable that was refused now runs (and waits here for its end).
    expect((await env.service.enableWallet(signatureId)).status).toBe('ACTIVE');
    expect(await states(keyIds)).toEqual(keyIds.map(() => 'Enabled'));
  });

  it('a runner stalled past its lease is taken over; its late progress is never written', async () => {
    const { signatureId, keyIds } = await walletWithKeys(5);
    const leaseMs = 1_500;
    const stalledVault = new KmsVault({ client: env.kms, application: env.application });
    let release: (() => void) | undefined;
    const realDisable = stalledVault.disableKey.bind(stalledVault);
    let calls = 0;
    stalledVault.disableKey = async (keyId: string) => {
      calls += 1;
      if (calls === 3) await new Promise<void>((resolve) => (release = resolve)); // the stall
      return realDisable(keyId);
    };
    const stalled = env.newService({ leaseMs, vault: stalledVault });
    const started = await stalled.startWalletOperation(signatureId, 'disable');
    await until('the stall', () => Promise.resolve(release ? true : undefined));

    const other = env.newService({ leaseMs });
    expect((await other.resumeUnfinished()).operations).toBe(0); // its lease is still live
    await new Promise((resolve) => setTimeout(resolve, leaseMs + 200));
    expect((await other.resumeUnfinished()).operations).toBe(1);
    const done = await finished(other, signatureId, started.operationId);
    expect(done).toMatchObject({ status: 'COMPLETED', done: 6 });

    const before = await operationDoc(started.operationId);
    release!();
    await stalled.close(); // waits for the stalled runner to stop
    expect(await operationDoc(started.operationId)).toEqual(before);
    expect(await states(keyIds)).toEqual(keyIds.map(() => 'Disabled'));
    expect((await env.service.getWallet(signatureId)).status).toBe('DISABLED');
  });

  it('a job stopped by its process shows PAUSED, keeps the wallet locked, and is resumed elsewhere', async () => {
    const { signatureId, keyIds } = await walletWithKeys(5);
    const first = pacedService(2);
    const started = await first.startWalletOperation(signatureId, 'delete', { pendingWindowDays: 7 });
    await until('two keys done', async () =>
      (await operationDoc(started.operationId))!.done >= 2 ? true : undefined,
    );
    await first.close();
    const paused = await env.service.getWalletOperation(signatureId, started.operationId);
    expect(paused.status).toBe('PAUSED');
    expect(paused.done).toBeLessThan(6);
    expect(await codeOf(env.service.startWalletOperation(signatureId, 'disable'))).toBe('CONFLICT');

    const second = env.newService();
    expect((await second.resumeUnfinished()).operations).toBe(1);
    expect(await finished(second, signatureId, started.operationId)).toMatchObject({
      status: 'COMPLETED',
      done: 6,
    });
    expect(await states(keyIds)).toEqual(keyIds.map(() => 'PendingDeletion'));
    const wallet = await env.service.getWallet(signatureId);
    expect(wallet.status).toBe('PENDING_DELETION');
    const days = (wallet.deletionDate!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
  });
});

describe('batches', () => {
  it("cap a caller's queued keys, and are resumed by the next instance after a stop", async () => {
    const service = env.newService({ maxQueuedBatchKeys: 4 });
    const input = { ...ethInput, network: 'testnet' as const };
    const a = await service.startBatch({ ...input, count: 3, requestedBy: 'caller-a' });
    const refused: unknown = await service
      .startBatch({ ...input, count: 2, requestedBy: 'caller-a' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WalletError);
    expect(refused).toMatchObject({ code: 'QUOTA_EXCEEDED', field: 'count' });
    expect((refused as Error).message).toContain('cap of 4');
    const b = await service.startBatch({ ...input, count: 2, requestedBy: 'caller-b' });
    await service.close(); // stops both after their current wallet: PAUSED

    const next = env.newService();
    const paused = await next.getBatch(a.batchId);
    expect(paused.status).toBe('PAUSED');
    expect((await next.resumeUnfinished()).batches).toBe(2);
    for (const id of [a.batchId, b.batchId]) {
      const done = await until('the batch', async () => {
        const batch = await next.getBatch(id);
        return batch.status === 'COMPLETED' ? batch : undefined;
      });
      expect(done.signatureIds).toHaveLength(done.count);
    }
  });
});
