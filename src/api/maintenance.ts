// Wallet operations (disable/enable/delete/cancel-deletion of every key) and key batches answer 202 and
// run after the answer. On a long-running server `npm run serve` resumes them (src/api/main.ts); on
// Lambda nothing runs between invocations, and an execution environment that is never invoked again
// leaves its jobs behind. So the API function is also invoked by a schedule (infra: WalletMaintenance,
// every minute): such an invocation resumes every unfinished job whose runner is gone and keeps the
// function alive — the jobs run while it waits — until nothing is unfinished or the time runs short. The
// API role is the one with the key-administration permissions these jobs need (the signer's role has none).
// A job cut off by the timeout keeps its renewed lock and lease; the next invocation takes it over.

/** An EventBridge scheduled event (never an API Gateway request, which has no `source`). */
export function isScheduledEvent(event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as Record<string, unknown>;
  return e.source === 'aws.events' && e['detail-type'] === 'Scheduled Event';
}

export interface MaintenanceDeps {
  resumeUnfinished(): Promise<{ batches: number; operations: number }>;
  /** Batches and wallet operations not finished yet (RUNNING or PAUSED), wherever they run. */
  countUnfinished(): Promise<number>;
}

export interface MaintenanceOptions {
  /** Time left in this invocation (Lambda context.getRemainingTimeInMillis). */
  remainingMs: () => number;
  /** Stop sweeping when less than this is left (default 5 s: the current key call and its save fit). */
  marginMs?: number;
  /** Between sweeps (default 5 s). */
  sweepEveryMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface MaintenanceResult {
  sweeps: number;
  resumed: { batches: number; operations: number };
  /** Unfinished jobs when the invocation ended (0: all done). */
  unfinished: number;
}

export async function runMaintenance(
  deps: MaintenanceDeps,
  options: MaintenanceOptions,
): Promise<MaintenanceResult> {
  const margin = options.marginMs ?? 5_000;
  const every = options.sweepEveryMs ?? 5_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const resumed = { batches: 0, operations: 0 };
  let sweeps = 0;
  let unfinished = await deps.countUnfinished();
  while (unfinished > 0 && options.remainingMs() > margin + every) {
    const started = await deps.resumeUnfinished();
    sweeps++;
    resumed.batches += started.batches;
    resumed.operations += started.operations;
    await sleep(every);
    unfinished = await deps.countUnfinished();
  }
  return { sweeps, resumed, unfinished };
}
