// Worker-thread entry of startWorkerStandIns (stand-ins.ts): runs the KMS emulator and the Tatum
// sandbox on this thread's event loop and answers the main thread's requests.
import { parentPort, workerData } from 'node:worker_threads';
import type { KmsEmulatorOptions } from './kms-emulator.js';
import {
  startInlineStandIns,
  type StandIns,
  type WorkerReady,
  type WorkerReply,
  type WorkerRequest,
} from './stand-ins.js';

const port = parentPort;
if (!port) throw new Error('stand-ins-worker.ts must run in a worker thread');

async function answer(standIns: StandIns, request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'enqueue':
      return standIns.enqueue(request.pending);
    case 'snapshot':
      return standIns.snapshot();
    case 'close':
      return standIns.close();
  }
}

try {
  const standIns = await startInlineStandIns(workerData as KmsEmulatorOptions);
  port.on('message', (request: WorkerRequest) => {
    answer(standIns, request).then(
      (value) => {
        port.postMessage({ id: request.id, ok: true, value } satisfies WorkerReply);
      },
      (error: unknown) => {
        port.postMessage({ id: request.id, ok: false, error: String(error) } satisfies WorkerReply);
      },
    );
  });
  port.postMessage({ ready: true, kmsUrl: standIns.kmsUrl, tatum: standIns.tatum } satisfies WorkerReady);
} catch (error) {
  port.postMessage({ ready: false, error: String(error) } satisfies WorkerReady);
}
