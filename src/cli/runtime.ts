// Per-invocation state shared by the commands: output helpers, the resolved global options and the
// application context, opened on first use and closed once when the command ends.
import type { Command } from 'commander';
import {
  ttyFlags,
  type CliContext,
  type CliDeps,
  type CliIo,
  type CliWalletService,
  type ConfigSetting,
  type ConfigSource,
  type TtyFlags,
} from './io.js';
import type { GlobalOptions } from './options.js';
import { createProgress, type ProgressReporter } from './progress.js';

export class Runtime {
  readonly tty: TtyFlags;
  private context: Promise<CliContext> | undefined;

  /** A progress bar on screen, stopped before anything else is written to stderr on Ctrl-C. */
  private progress: ProgressReporter | undefined;
  private readonly onInterrupt = (): void => {
    this.progress?.stop();
    this.note('kms-signer: interrupted; finishing the operation in flight (Ctrl-C again to quit now)');
  };

  constructor(
    readonly io: CliIo,
    readonly deps: CliDeps,
    private readonly defaults: Required<Pick<CliDeps, 'createContext' | 'describeConfig'>>,
  ) {
    this.tty = ttyFlags(io);
    io.signal?.addEventListener('abort', this.onInterrupt, { once: true });
  }

  /** Progress on stderr: a bar on a terminal, plain lines otherwise. */
  startProgress(total: number, label: string): ProgressReporter {
    const progress = createProgress(this.io.stderr, { total, label, tty: this.tty.stderr });
    this.progress = progress;
    return {
      update: (done) => {
        progress.update(done);
      },
      stop: () => {
        progress.stop();
        if (this.progress === progress) this.progress = undefined;
      },
    };
  }

  /** Global and command options of `command` (commander merges them); T describes the command's own. */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed view of commander's untyped options
  options<T extends object>(command: Command): GlobalOptions & T {
    return command.optsWithGlobals<GlobalOptions & T>();
  }

  /** Lines on stdout. */
  print(lines: string | readonly string[]): void {
    for (const line of typeof lines === 'string' ? [lines] : lines) this.io.stdout.write(`${line}\n`);
  }

  /** One JSON document on stdout (Dates as ISO strings). */
  printJson(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Human output or JSON, depending on --json. */
  output(globals: GlobalOptions, json: unknown, human: () => readonly string[]): void {
    if (globals.json === true) this.printJson(json);
    else this.print(human());
  }

  /** A remark on stderr (never part of the machine-readable output). */
  note(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }

  /** Loads the configuration (environment + --env-file) and opens MongoDB/KMS once per invocation. */
  async openContext(globals: GlobalOptions): Promise<CliContext> {
    const create = this.deps.createContext ?? this.defaults.createContext;
    this.context ??= create(this.io.env, source(globals));
    return this.context;
  }

  /** The configuration, validated and masked, without connecting (checkconfig). */
  describeConfig(globals: GlobalOptions): readonly ConfigSetting[] {
    const describe =
      this.deps.describeConfig ??
      (this.deps.createContext === undefined ? this.defaults.describeConfig : undefined);
    return describe === undefined ? [] : describe(this.io.env, source(globals));
  }

  async service(globals: GlobalOptions): Promise<CliWalletService> {
    return (await this.openContext(globals)).walletService;
  }

  async close(): Promise<void> {
    this.io.signal?.removeEventListener('abort', this.onInterrupt);
    const pending = this.context;
    this.context = undefined;
    if (pending === undefined) return;
    try {
      await (await pending).close();
    } catch {
      // the context failed to open (reported already) or failed to close: nothing left to release
    }
  }
}

function source(globals: GlobalOptions): ConfigSource {
  return globals.envFile === undefined ? {} : { envFile: globals.envFile };
}
