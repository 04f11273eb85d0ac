// Runs the CLI in-process with captured stdout/stderr, a scripted stdin and an explicit environment.
import { PassThrough } from 'node:stream';
import { runCli, type CliDeps, type CliIo } from '../../src/cli/run.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Piped stdin content (ended after writing), or a function that feeds a live stdin. */
  stdin?: string | Buffer | ((stdin: PassThrough) => void);
  /** Default false (stdin piped, output captured). */
  tty?: CliIo['isTTY'];
  env?: Record<string, string | undefined>;
  deps?: CliDeps;
  /** Stands for Ctrl-C (main.ts aborts it on SIGINT). */
  signal?: AbortSignal;
}

/** A stdin that pretends to be a terminal: records raw-mode switches. */
export class FakeTtyStdin extends PassThrough {
  readonly rawModes: boolean[] = [];
  readonly isTTY = true;
  setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }
}

class Capture extends PassThrough {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
    this.columns = 100;
  }
  columns: number;
  override write(chunk: unknown): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    return true;
  }
}

export async function cli(argv: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const tty = options.tty ?? false;
  const flags = typeof tty === 'boolean' ? { stdin: tty, stdout: tty, stderr: tty } : tty;
  const stdin = typeof options.stdin === 'function' && flags.stdin ? new FakeTtyStdin() : new PassThrough();
  if (typeof options.stdin === 'function') options.stdin(stdin);
  else if (options.stdin !== undefined) stdin.end(options.stdin);
  else stdin.end();
  const stdout = new Capture(flags.stdout);
  const stderr = new Capture(flags.stderr ?? flags.stdout);
  const io = { stdout, stderr, stdin, env: options.env ?? {}, isTTY: tty };
  const code = await runCli(argv, options.signal ? { ...io, signal: options.signal } : io, options.deps);
  return { code, stdout: stdout.text, stderr: stderr.text };
}
