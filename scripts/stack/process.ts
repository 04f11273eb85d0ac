// Child processes for the stand-ins: spawn with output to a log file, poll readiness, stop by process
// group, and make sure nothing outlives the parent.
//
// Each child is started with `detached: true`, i.e. as the leader of its own process group, so one
// kill(-pid) also reaches anything it forks. Because of that a terminal Ctrl-C no longer reaches the
// children directly, hence the exit/signal hooks below.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves (never rejects) when the child has exited. */
  readonly exited: Promise<ExitInfo>;
  exitInfo(): ExitInfo | undefined;
  /** SIGTERM to the process group, SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: readonly string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** A stand-in failed to start; the message carries the tail of its log. */
export class ServiceStartError extends Error {
  constructor(
    readonly service: string,
    reason: string,
    readonly logFile: string,
    readonly logTail: string,
  ) {
    super(`${service} failed to start: ${reason}\n--- last lines of ${logFile} ---\n${logTail}\n---`);
    this.name = 'ServiceStartError';
  }
}

const live = new Map<number, ManagedProcess>();

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

export function spawnService(options: SpawnOptions): ManagedProcess {
  installExitHooks();
  const fd = openSync(options.logFile, 'a');
  writeSync(fd, `# ${new Date().toISOString()} ${options.command} ${options.args.join(' ')}\n`);
  let info: ExitInfo | undefined;
  let resolveExited: (value: ExitInfo) => void = () => undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    resolveExited = resolve;
  });
  const finish = (value: ExitInfo) => {
    if (info) return;
    info = value;
    live.delete(pid);
    resolveExited(value);
  };

  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd); // the child holds its own copy
  child.unref(); // never keep the parent alive; the hooks below clean up instead
  const pid = child.pid ?? -1;
  child.once('error', (error) => {
    finish({ code: null, signal: null, error });
  });
  child.once('exit', (code, signal) => {
    finish({ code, signal });
  });

  let stopping: Promise<void> | undefined;
  const managed: ManagedProcess = {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited,
    exitInfo: () => info,
    stop(graceMs = 5_000) {
      stopping ??= (async () => {
        if (pid > 0 && !info) {
          signalGroup(pid, 'SIGTERM');
          const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
          if (timedOut) {
            signalGroup(pid, 'SIGKILL');
            await Promise.race([exited, sleep(2_000)]);
          }
        }
        // Anything the leader forked and left behind in its group.
        if (pid > 0) signalGroup(pid, 'SIGKILL');
      })();
      return stopping;
    },
  };
  if (pid > 0) live.set(pid, managed);
  return managed;
}

function describeExit(info: ExitInfo): string {
  if (info.error) return `could not be spawned: ${info.error.message}`;
  return info.signal ? `exited on ${info.signal}` : `exited with code ${info.code}`;
}

/** The last `lines` lines of a log file (reads at most the final 64 KiB). */
export function logTail(file: string, lines = 30): string {
  try {
    const size = statSync(file).size;
    const text = readFileSync(file)
      .subarray(Math.max(0, size - 65_536))
      .toString('utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log output)';
  }
}

export interface ReadinessOptions {
  timeoutMs: number;
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns true. Fails early, with the log tail, if the process exits, and
 * with the last probe error if `timeoutMs` passes. Probe exceptions count as "not ready yet".
 */
export async function waitUntilReady(
  proc: ManagedProcess,
  probe: () => Promise<boolean>,
  { timeoutMs, intervalMs = 200 }: ReadinessOptions,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'not ready';
  for (;;) {
    const exitedEarly = proc.exitInfo();
    if (exitedEarly) {
      throw new ServiceStartError(proc.name, describeExit(exitedEarly), proc.logFile, logTail(proc.logFile));
    }
    try {
      if (await probe()) return;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      throw new ServiceStartError(
        proc.name,
        `not ready after ${Math.round(timeoutMs / 1000)}s (last check: ${lastProblem})`,
        proc.logFile,
        logTail(proc.logFile),
      );
    }
    await Promise.race([sleep(intervalMs), proc.exited]);
  }
}

let hooksInstalled = false;
const exitCallbacks = new Set<() => void>();

/** Registers synchronous cleanup to run when the parent exits (e.g. removing a run directory). */
export function onParentExit(callback: () => void): () => void {
  installExitHooks();
  exitCallbacks.add(callback);
  return () => exitCallbacks.delete(callback);
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' handlers must be synchronous: SIGKILL is the only thing that still works there.
  process.on('exit', () => {
    for (const pid of live.keys()) signalGroup(pid, 'SIGKILL');
    for (const callback of exitCallbacks) {
      try {
        callback();
      } catch {
        // best effort while exiting
      }
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = () => {
      for (const pid of live.keys()) signalGroup(pid, 'SIGTERM');
      process.off(signal, handler);
      // Somebody else (vitest, stack-up.ts) handles this signal and will call stop(). Otherwise
      // restore the default behaviour, i.e. terminate, and run the exit cleanup on the way out.
      if (process.listenerCount(signal) === 0) {
        process.exitCode = 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1);
        process.exit();
      }
    };
    process.on(signal, handler);
  }
}
