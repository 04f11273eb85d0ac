// Passes inside one time-limited invocation (Lambda on an EventBridge schedule, whose minimum rate is
// one minute): a pass every period until the remaining time runs short. No job starts unless a whole
// job budget (sign + store + broadcast, plus a safety margin) still fits; a job that is not started
// stays pending at Tatum for the next invocation, and a job cut off anyway is recovered by its lease.
import type { PassResult, SigningLoop } from './loop.js';

export interface InvocationClock {
  getRemainingTimeInMillis(): number;
}

export interface ScheduledRunOptions {
  periodMs: number;
  /** Time a started job may need, margin included. */
  jobBudgetMs: number;
}

export interface ScheduledRunResult {
  passes: number;
  broadcast: number;
  failed: number;
  retry: number;
}

export async function runScheduledPasses(
  loop: Pick<SigningLoop, 'runPass'>,
  clock: InvocationClock,
  options: ScheduledRunOptions,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<ScheduledRunResult> {
  const canStart = () => clock.getRemainingTimeInMillis() > options.jobBudgetMs;
  const total: ScheduledRunResult = { passes: 0, broadcast: 0, failed: 0, retry: 0 };
  while (canStart()) {
    const started = Date.now();
    const result: PassResult = await loop.runPass(canStart);
    total.passes++;
    for (const r of result.results) {
      if (r.outcome === 'BROADCAST') total.broadcast++;
      else if (r.outcome === 'FAILED') total.failed++;
      else if (r.outcome === 'RETRY') total.retry++;
    }
    const wait = Math.max(0, options.periodMs - (Date.now() - started));
    if (clock.getRemainingTimeInMillis() - wait <= options.jobBudgetMs) break;
    await sleep(wait);
  }
  return total;
}
