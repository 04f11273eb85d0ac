// Batches: paced at ≤ 5 CreateKey per second (measured on the wire), resumable after a crash or a
// stop without duplicates, and validated before anything is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KmsVault } from '../../src/kms/index.js';
import { WalletError, type BatchView, type KmsWalletService } from '../../src/wallets/index.js';
import { stackEndpoints } from '../support/stack.js';
import { testKmsClient } from '../../scripts/fixtures/vault.js';
import { keysTaggedWith, walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

let env: WalletTestEnv;

beforeAll(async () => {
  env = await walletTestEnv();
});
afterAll(async () => {
  await env.close();
});

const batchInput = (count: number) => ({
  userId: 'batch-user',
  chain: 'ETH' as const,
  asset: 'USDT',
  network: 'testnet' as const,
  count,
});

/** A service whose KMS client records when each CreateKey request leaves (the last step before sending). */
function timedService(): { service: KmsWalletService; createKeyTimes: number[] } {
  const createKeyTimes: number[] = [];
  const kms = testKmsClient(stackEndpoints().awsEndpoint);
  kms.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'CreateKeyCommand') createKeyTimes.push(performance.now());
      return next(args);
    },
    { step: 'deserialize', name: 'recordCreateKey' },
  );
  const service = env.newService({ kms, vault: new KmsVault({ client: kms, application: env.application }) });
  return { service, createKeyTimes };
}

async function waitFor(
  service: KmsWalletService,
  batchId: string,
  done: (b: BatchView) => boolean,
): Promise<BatchView> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const batch = await service.getBatch(batchId);
    if (done(batch)) return batch;
    if (Date.now() > deadline)
      throw new Error(`batch ${batchId} stuck at ${batch.created}/${batch.count} (${batch.status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function expectExactlyOneKeyEach(batch: BatchView): Promise<void> {
  expect(batch.signatureIds).toHaveLength(batch.count);
  expect(new Set(batch.signatureIds).size).toBe(batch.count);
  expect(await env.db.collection('wallets').countDocuments({ batchId: batch.batchId })).toBe(batch.count);
  for (const signatureId of batch.signatureIds) {
    const wallet = await env.service.getWallet(signatureId);
    expect(wallet.status).toBe('ACTIVE');
    expect((await keysTaggedWith(env.kms, env.application, signatureId)).map((k) => k.keyId)).toEqual([
      wallet.kmsKeyId,
    ]);
  }
}

describe('batches', () => {
  it('returns RUNNING at once, creates `count` wallets at ≤ 5 CreateKey per second', async () => {
    const { service, createKeyTimes } = timedService();
    const started = await service.startBatch(batchInput(12));
    expect(started).toMatchObject({ status: 'RUNNING', count: 12, asset: 'USDT', created: 0 });
    const done = await waitFor(service, started.batchId, (b) => b.status !== 'RUNNING');
    expect(done.status).toBe('COMPLETED');
    expect(done.created).toBe(12);

    expect(createKeyTimes).toHaveLength(12);
    // Every 1-second window holds at most 5 CreateKey calls: the 6th after any call is ≥ 1 s later.
    const gaps = createKeyTimes.slice(5).map((t, i) => t - createKeyTimes[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
    const spanSeconds = (createKeyTimes.at(-1)! - createKeyTimes[0]!) / 1000;
    console.info(
      `batch pacing: 12 CreateKey in ${spanSeconds.toFixed(2)} s, min 6-call gap ${Math.min(...gaps).toFixed(0)} ms ` +
        `(${(11 / spanSeconds).toFixed(2)} keys/s)`,
    );
    expect(spanSeconds).toBeGreaterThanOrEqual(2);
    await expectExactlyOneKeyEach(done);
  });

  it('a crash midway (between CreateKey and the record) resumes to exactly `count` wallets, no duplicates', async () => {
    let calls = 0;
    const crashy = env.newService({
      hooks: {
        afterCreateKey: () => {
          if (++calls === 5) throw new Error('simulated crash');
        },
      },
    });
    const started = await crashy.startBatch(batchInput(9));
    const failed = await waitFor(crashy, started.batchId, (b) => b.status !== 'RUNNING');
    expect(failed).toMatchObject({ status: 'FAILED', created: 4 });
    expect(failed.error).toContain('simulated crash');
    // The interrupted 5th wallet exists (CREATING) with its key orphaned in KMS.
    expect(failed.signatureIds).toHaveLength(5);

    const resumed = await env.service.runBatch(started.batchId);
    expect(resumed.status).toBe('COMPLETED');
    expect(resumed.created).toBe(9);
    expect(resumed.signatureIds.slice(0, 5)).toEqual(failed.signatureIds);
    await expectExactlyOneKeyEach(resumed);
  });

  it('a stopped process leaves the batch PAUSED; another process resumes it', async () => {
    const first = env.newService();
    const started = await first.startBatch(batchInput(8));
    await waitFor(first, started.batchId, (b) => b.created >= 2);
    await first.close();
    const paused = await env.service.getBatch(started.batchId);
    expect(paused.status).toBe('PAUSED');
    expect(paused.created).toBeLessThan(8);

    const second = env.newService();
    const resuming = await second.resumeBatch(started.batchId);
    expect(resuming.status).toBe('RUNNING');
    const done = await waitFor(second, started.batchId, (b) => b.status === 'COMPLETED');
    await expectExactlyOneKeyEach(done);
    // Resuming a finished batch is a no-op.
    expect((await second.resumeBatch(started.batchId)).status).toBe('COMPLETED');
  });

  it('validates before writing anything', async () => {
    const before = await env.db.collection('batches').countDocuments();
    for (const [bad, field] of [
      [{ ...batchInput(0) }, 'count'],
      [{ ...batchInput(10_001) }, 'count'],
      [{ ...batchInput(2.5) }, 'count'],
      [{ ...batchInput(3), asset: 'DOGE' }, 'asset'],
      [{ ...batchInput(3), userId: '' }, 'userId'],
      [{ ...batchInput(3), network: 'regtest' as never, chain: 'TRON' as const, asset: 'TRX' }, 'network'],
    ] as const) {
      const error = await env.service.startBatch(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WalletError);
      expect(error).toMatchObject({ code: 'VALIDATION', field });
    }
    expect(await env.db.collection('batches').countDocuments()).toBe(before);
    await expect(env.service.getBatch('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
