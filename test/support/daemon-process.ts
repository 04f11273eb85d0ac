// The real `kms-signer daemon` as one child process (the bin's source, bundled by esbuild),
// for tests that kill it: its stderr (one JSON log line per loop event) is kept for the test to read.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { stackEndpoints } from './stack.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface DaemonProcess {
  readonly child: ChildProcess;
  readonly name: string;
  /** Resolves with the exit code or signal once the process has ended. */
  readonly exited: Promise<string>;
  /** Resolves once the daemon is connected and starts its passes (its `kms-signer daemon:` notice). */
  readonly ready: Promise<void>;
  /** The loop's JSON log lines so far (stderr lines that parse as objects). */
  events(): Record<string, unknown>[];
  /** The last `lines` lines of stderr as written (notices, errors, log lines). */
  tail(lines: number): string;
  kill(signal?: NodeJS.Signals): Promise<string>;
}

/** The environment the CLI needs for the stack's LocalStack and FerretDB, one database and tag. */
export function daemonEnv(database: string, application: string, more: Record<string, string> = {}) {
  const { awsEndpoint, mongoUri } = stackEndpoints();
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_EC2_METADATA_DISABLED: 'true',
    MONGODB_URI: mongoUri,
    MONGODB_DB: database,
    APP_TAG: application,
    ...more,
  };
}

/**
 * The bin (src/cli/main.ts) bundled once by esbuild, our code only (packages stay in node_modules), into
 * node_modules/.cache so its imports resolve as the bin's do. A bundle starts in about half the CPU time
 * of tsx compiling each file at start, which matters when a test restarts the daemon dozens of times. One
 * process per daemon (tsx's CLI would run the program in a child that a SIGKILL leaves running).
 */
export async function buildCli(): Promise<string> {
  const outfile = path.join(repoRoot, 'node_modules/.cache/kms-signer-tests', `cli-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(repoRoot, 'src/cli/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node22',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

/** Starts `kms-signer daemon <args>` from a bundle made by buildCli. */
export function spawnDaemon(
  cli: string,
  name: string,
  env: Record<string, string>,
  args: readonly string[],
): DaemonProcess {
  const child = spawn(process.execPath, [cli, 'daemon', ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let buffered = '';
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) {
      raw.push(line);
      if (line.includes('kms-signer daemon:')) markReady();
      const start = line.indexOf('{');
      if (start < 0) continue;
      try {
        const parsed: unknown = JSON.parse(line.slice(start));
        if (typeof parsed === 'object' && parsed !== null) lines.push(parsed as Record<string, unknown>);
      } catch {
        // not a log line (a notice)
      }
    }
  });
  const exited = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(signal ?? String(code));
    });
  });
  return {
    child,
    name,
    exited,
    ready,
    events: () => lines,
    tail: (count) => raw.slice(-count).join('\n'),
    kill: (signal: NodeJS.Signals = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
