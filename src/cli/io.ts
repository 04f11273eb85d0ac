// What runCli talks to: the process's streams and environment in production, captured streams in
// tests. Nothing in src/cli touches `process` except main.ts.
import type { Db } from 'mongodb';
import type { BatchView, WalletService } from '../wallets/contract.js';

export interface CliWritable {
  write(chunk: string): unknown;
  /** Set on terminals; cli-progress reads it too. */
  isTTY?: boolean;
  columns?: number;
}

export interface CliReadable extends NodeJS.ReadableStream {
  /** Present on a terminal's stdin (tty.ReadStream): raw mode turns echo off for the hidden prompt. */
  setRawMode?: (mode: boolean) => unknown;
}

export type CliEnv = Readonly<Record<string, string | undefined>>;

export interface CliIo {
  stdout: CliWritable;
  stderr: CliWritable;
  stdin: CliReadable;
  env: CliEnv;
  /** `true`/`false` for all three streams, or per stream (stdin decides prompt vs. pipe, stderr the progress bar). */
  isTTY: boolean | { stdin: boolean; stdout: boolean; stderr?: boolean };
  /**
   * Aborted on the first Ctrl-C (main.ts): a batch stops following and is paused after its current
   * wallet, a confirmation prompt is cancelled; other commands finish the operation in flight.
   */
  signal?: AbortSignal;
}

export interface TtyFlags {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

export function ttyFlags(io: CliIo): TtyFlags {
  if (typeof io.isTTY === 'boolean') return { stdin: io.isTTY, stdout: io.isTTY, stderr: io.isTTY };
  return { stdin: io.isTTY.stdin, stdout: io.isTTY.stdout, stderr: io.isTTY.stderr ?? io.isTTY.stdout };
}

/** One configuration setting as checkconfig shows it (secrets already masked). */
export interface ConfigSetting {
  name: string;
  value: string;
}

/** The wallet service; `runBatch` (the KMS implementation has it) runs a batch to its end. */
export type CliWalletService = WalletService & { runBatch?: (batchId: string) => Promise<BatchView> };

/** What a command needs from the application: the wallet service and a way to let go of it. */
export interface CliContext {
  walletService: CliWalletService;
  /** The application database (the signing loop's jobs); absent in contexts without one. */
  db?: Db;
  close(): Promise<void>;
}

export interface ConfigSource {
  /** --env-file; its values apply where the environment has none. */
  envFile?: string;
}

export interface CliDeps {
  /**
   * Loads the configuration from `env` (and `envFile`, whose values apply where `env` has none) and
   * opens MongoDB and KMS. Default: loadConfig then createAppContext (src/cli/context.ts).
   */
  createContext?: (env: CliEnv, source: ConfigSource) => Promise<CliContext>;
  /**
   * Loads and validates the configuration without connecting, and lists it for checkconfig with
   * secrets masked. Default: loadConfig (src/cli/context.ts) when createContext is not replaced either;
   * otherwise nothing to list.
   */
  describeConfig?: (env: CliEnv, source: ConfigSource) => readonly ConfigSetting[];
  /** How often a running batch is polled for progress, ms (default 500). */
  batchPollMs?: number;
}
