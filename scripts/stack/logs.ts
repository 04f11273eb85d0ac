// Log files of the stand-ins: `<logDir>/stack-<run-id>-<service>.log`, one set per run so that two runs
// at once (stack-up.ts plus a test run) never write into the same file. Old sets are pruned.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const LOG_NAME = /^stack-(.+)-(localstack|ferretdb|anvil(?:-\d+)?|btcd)\.log$/;
const KEEP_RUNS = 5;

export function logFileFor(logDir: string, runId: string, service: string): string {
  return path.join(logDir, `stack-${runId}-${service}.log`);
}

/** Creates `logDir` and deletes the log sets of all but the newest KEEP_RUNS runs. */
export function prepareLogDir(logDir: string): void {
  mkdirSync(logDir, { recursive: true });
  const newestByRun = new Map<string, number>();
  const files: { file: string; runId: string }[] = [];
  for (const name of readdirSync(logDir)) {
    const runId = LOG_NAME.exec(name)?.[1];
    if (runId === undefined) continue;
    const file = path.join(logDir, name);
    const mtime = statSync(file).mtimeMs;
    newestByRun.set(runId, Math.max(mtime, newestByRun.get(runId) ?? 0));
    files.push({ file, runId });
  }
  const keep = new Set(
    [...newestByRun.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, KEEP_RUNS)
      .map(([runId]) => runId),
  );
  for (const { file, runId } of files) {
    if (!keep.has(runId)) rmSync(file, { force: true });
  }
}
