// The two remote services of the throughput benchmark, KMS (kms-emulator.ts) and Tatum (the sandbox,
// broadcasts accepted offline), behind one interface. `inline` runs them on the caller's event loop
// (tests); `worker` runs them in a worker thread (stand-ins-worker.ts), so their HTTP handling and
// signing neither take CPU from the signing loop's thread nor get delayed by it — as with the real,
// remote services.
import { Worker } from 'node:worker_threads';
import type { NewPendingTransaction } from '../scripts/sandbox/pending-payloads.js';
import { startTatumSandbox } from '../scripts/sandbox/tatum-sandbox.js';
import { startKmsEmulator, type KmsEmulatorOptions, type KmsEmulatorStats } from './kms-emulator.js';

export interface StandInsSnapshot {
  kms: KmsEmulatorStats;
  /** Broadcast bytes per completed pending id. */
  completed: Record<string, string>;
  /** Second broadcasts of a completed id with other bytes (double signs). */
  violations: number;
  reportedErrors: { signatureId: string; error: string }[];
}

export interface StandIns {
  kmsUrl: string;
  tatum: { url: string; apiKey: string; broadcastPaths: Readonly<Record<string, string>> };
  /** Queues pending transactions in the sandbox; returns their ids in order. */
  enqueue(pending: readonly NewPendingTransaction[]): Promise<string[]>;
  snapshot(): Promise<StandInsSnapshot>;
  close(): Promise<void>;
}

export type StartStandIns = (kms: KmsEmulatorOptions) => Promise<StandIns>;

export const startInlineStandIns: StartStandIns = async (kms) => {
  const emulator = await startKmsEmulator(kms);
  const sandbox = await startTatumSandbox({ offlineBroadcast: true });
  return {
    kmsUrl: emulator.url,
    tatum: { url: sandbox.url, apiKey: sandbox.apiKey, broadcastPaths: sandbox.broadcastPaths },
    enqueue: (pending) => Promise.resolve(pending.map((p) => sandbox.enqueue(p))),
    snapshot: () =>
      Promise.resolve({
        kms: emulator.stats(),
        completed: Object.fromEntries([...sandbox.completed].map(([id, tx]) => [id, tx.txData])),
        violations: sandbox.violations.length,
        reportedErrors: [...sandbox.reportedErrors],
      }),
    close: async () => {
      await Promise.all([emulator.close(), sandbox.close()]);
    },
  };
};

/** Messages between this module and stand-ins-worker.ts. */
export type WorkerCall =
  { op: 'enqueue'; pending: readonly NewPendingTransaction[] } | { op: 'snapshot' } | { op: 'close' };
export type WorkerRequest = WorkerCall & { id: number };
export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
export type WorkerReady =
  { ready: true; kmsUrl: string; tatum: StandIns['tatum'] } | { ready: false; error: string };

export const startWorkerStandIns: StartStandIns = async (kms) => {
  // A .ts worker entry needs tsx's loader inside the worker too; tsImport registers it there.
  const entry = new URL('./stand-ins-worker.ts', import.meta.url).href;
  const worker = new Worker(
    `import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`,
    { eval: true, workerData: kms },
  );
  const ready = await new Promise<WorkerReady>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  if (!ready.ready) {
    await worker.terminate();
    throw new Error(`stand-ins worker failed to start: ${ready.error}`);
  }
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  worker.on('message', (reply: WorkerReply) => {
    const call = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) call?.resolve(reply.value);
    else call?.reject(new Error(reply.error));
  });
  worker.on('error', (error) => {
    for (const call of waiting.values()) call.reject(error);
    waiting.clear();
  });
  let next = 0;
  const ask = <T>(request: WorkerCall): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
  return {
    kmsUrl: ready.kmsUrl,
    tatum: ready.tatum,
    enqueue: (pending) => ask<string[]>({ op: 'enqueue', pending }),
    snapshot: () => ask<StandInsSnapshot>({ op: 'snapshot' }),
    close: async () => {
      await ask({ op: 'close' });
      await worker.terminate();
    },
  };
};
