// What every stand-in launcher gets and returns.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { logFileFor } from './logs.js';
import { spawnService, waitUntilReady, type ManagedProcess, type ReadinessOptions } from './process.js';

export interface ServiceContext {
  readonly runId: string;
  /** Per-run working directory, `.tmp/stack-<run-id>/`. */
  readonly runDir: string;
  readonly logDir: string;
  /** Records a spawned child so an orphan can be reaped if this process dies without stop(). */
  track(proc: ManagedProcess): void;
}

export interface StartedService<E> {
  readonly endpoint: E;
  /** Extra timings worth reporting (e.g. btcd's block mining), in ms. */
  readonly timings?: Record<string, number>;
  stop(): Promise<void>;
}

/** Creates and returns `<runDir>/<name>`. */
export function serviceDir(ctx: ServiceContext, name: string): string {
  const dir = path.join(ctx.runDir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function serviceLog(ctx: ServiceContext, name: string): string {
  return logFileFor(ctx.logDir, ctx.runId, name);
}

/** Minimal environment for children: no inherited config (LocalStack reads dozens of variables). */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Stops `proc` if `start` throws, then rethrows. */
export async function stopOnFailure<T>(proc: ManagedProcess, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    await proc.stop(2_000);
    throw error;
  }
}

export interface NodeServiceSpec extends ReadinessOptions {
  /** Process, log file and working-directory name. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Variables on top of `baseEnv`. */
  readonly env?: Record<string, string>;
  /** Defaults to `serviceDir(ctx, name)`. */
  readonly cwd?: string;
  /** Resolves true once the service answers as expected; a throw is reported as the last problem. */
  readonly ready: () => Promise<boolean>;
}

/** Spawns a stand-in, records it for reaping and waits until `ready`; stops it again if it never is. */
export async function startNodeService(ctx: ServiceContext, spec: NodeServiceSpec): Promise<ManagedProcess> {
  const proc = spawnService({
    name: spec.name,
    command: spec.command,
    args: spec.args,
    logFile: serviceLog(ctx, spec.name),
    cwd: spec.cwd ?? serviceDir(ctx, spec.name),
    env: baseEnv(spec.env ?? {}),
  });
  ctx.track(proc);
  await stopOnFailure(proc, () => waitUntilReady(proc, spec.ready, spec));
  return proc;
}
